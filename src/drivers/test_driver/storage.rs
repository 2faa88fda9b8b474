//! The test driver's storage pools and volumes: the definitions it keeps (libvirt's
//! `virStoragePoolDef`/`virStorageVolDef` as far as the test driver uses them), parsed and
//! printed in libvirt's layout, their lifecycle, and the volumes' space accounting.

use super::TestDriver;
use super::parse;
use crate::core::driver::events::storage_pool_id;
use crate::core::driver::{
    Event, EventFamily, EventKey, EventObject, EventSink, Payload, PoolInfo, PoolRef,
    StorageDriver, VolInfo, VolRef,
};
use crate::core::{Code, Domain, Result, VirError, uuid};
use std::fmt::Write;

/// The test driver's pool size (100 GiB), all of it free at the start.
const DEFAULT_CAPACITY: u64 = 100 * 1024 * 1024 * 1024;

// Which source elements a pool type uses (libvirt's `VIR_STORAGE_POOL_SOURCE_*`).
const SRC_HOST: u32 = 1 << 0;
const SRC_DEVICE: u32 = 1 << 1;
const SRC_DIR: u32 = 1 << 2;
const SRC_ADAPTER: u32 = 1 << 3;
const SRC_NAME: u32 = 1 << 4;
const SRC_INITIATOR_IQN: u32 = 1 << 5;
const SRC_NETWORK: u32 = 1 << 6;

const FS_FORMATS: &[&str] = &[
    "auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs", "gfs2", "vfat", "hfs+", "xfs",
    "ocfs2", "vmfs",
];
const NETFS_FORMATS: &[&str] = &["auto", "nfs", "glusterfs", "cifs"];
const DISK_FORMATS: &[&str] = &[
    "unknown", "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun", "lvm2",
];
const LOGICAL_FORMATS: &[&str] = &["unknown", "lvm2"];
/// `virStorageFileFormat`; "none" (0) is not accepted as a volume format.
const FILE_FORMATS: &[&str] = &[
    "none", "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat", "vhd", "ploop",
    "cow", "qcow", "qcow2", "qed", "vmdk",
];
const VOL_DISK_FORMATS: &[&str] = &[
    "none",
    "linux",
    "fat16",
    "fat32",
    "linux-swap",
    "linux-lvm",
    "linux-raid",
    "extended",
];
/// `virStorageVolType`.
const VOL_TYPES: &[&str] = &["file", "block", "dir", "network", "netdir", "ploop"];
const VOL_FILE: i32 = 0;
const VOL_BLOCK: i32 = 1;
const VOL_NETWORK: i32 = 3;

/// A format table: the names and the default index.
#[derive(Clone, Copy)]
struct Formats {
    names: &'static [&'static str],
    default: usize,
    /// Index 0 ("none") is refused on input.
    no_zero: bool,
}

const FILE_VOLS: Option<Formats> = Some(Formats {
    names: FILE_FORMATS,
    default: 1,
    no_zero: true,
});

/// One pool type: libvirt's name, its listing flag, what its source has, its formats.
struct PoolType {
    name: &'static str,
    list_flag: u32,
    src: u32,
    pool_formats: Option<Formats>,
    vol_formats: Option<Formats>,
    /// `virStorageVolType` of its volumes (`virStorageVolGetInfo`).
    vol_type: i32,
}

const fn pf(names: &'static [&'static str], default: usize) -> Option<Formats> {
    Some(Formats {
        names,
        default,
        no_zero: false,
    })
}

/// `virStoragePoolType` order.
static POOL_TYPES: &[PoolType] = &[
    PoolType {
        name: "dir",
        list_flag: 1 << 6,
        src: 0,
        pool_formats: None,
        vol_formats: FILE_VOLS,
        vol_type: VOL_FILE,
    },
    PoolType {
        name: "fs",
        list_flag: 1 << 7,
        src: SRC_DEVICE,
        pool_formats: pf(FS_FORMATS, 0),
        vol_formats: FILE_VOLS,
        vol_type: VOL_FILE,
    },
    PoolType {
        name: "netfs",
        list_flag: 1 << 8,
        src: SRC_HOST | SRC_DIR,
        pool_formats: pf(NETFS_FORMATS, 0),
        vol_formats: FILE_VOLS,
        vol_type: VOL_FILE,
    },
    PoolType {
        name: "logical",
        list_flag: 1 << 9,
        src: SRC_NAME | SRC_DEVICE,
        pool_formats: pf(LOGICAL_FORMATS, 1),
        vol_formats: None,
        vol_type: VOL_BLOCK,
    },
    PoolType {
        name: "disk",
        list_flag: 1 << 10,
        src: SRC_DEVICE,
        pool_formats: pf(DISK_FORMATS, 0),
        vol_formats: pf(VOL_DISK_FORMATS, 0),
        vol_type: VOL_BLOCK,
    },
    PoolType {
        name: "iscsi",
        list_flag: 1 << 11,
        src: SRC_HOST | SRC_DEVICE | SRC_INITIATOR_IQN,
        pool_formats: None,
        vol_formats: None,
        vol_type: VOL_BLOCK,
    },
    PoolType {
        name: "iscsi-direct",
        list_flag: 1 << 19,
        src: SRC_HOST | SRC_DEVICE | SRC_NETWORK | SRC_INITIATOR_IQN,
        pool_formats: None,
        vol_formats: None,
        vol_type: VOL_NETWORK,
    },
    PoolType {
        name: "scsi",
        list_flag: 1 << 12,
        src: SRC_ADAPTER,
        pool_formats: None,
        vol_formats: None,
        vol_type: VOL_BLOCK,
    },
    PoolType {
        name: "mpath",
        list_flag: 1 << 13,
        src: 0,
        pool_formats: None,
        vol_formats: None,
        vol_type: VOL_BLOCK,
    },
    PoolType {
        name: "rbd",
        list_flag: 1 << 14,
        src: SRC_HOST | SRC_NETWORK | SRC_NAME,
        pool_formats: None,
        vol_formats: FILE_VOLS,
        vol_type: VOL_NETWORK,
    },
    PoolType {
        name: "sheepdog",
        list_flag: 1 << 15,
        src: SRC_HOST | SRC_NETWORK | SRC_NAME,
        pool_formats: None,
        vol_formats: None,
        vol_type: VOL_NETWORK,
    },
    PoolType {
        name: "gluster",
        list_flag: 1 << 16,
        src: SRC_HOST | SRC_NETWORK | SRC_NAME | SRC_DIR,
        pool_formats: None,
        vol_formats: FILE_VOLS,
        vol_type: VOL_NETWORK,
    },
    PoolType {
        name: "zfs",
        list_flag: 1 << 17,
        src: SRC_NAME | SRC_DEVICE,
        pool_formats: None,
        vol_formats: None,
        vol_type: VOL_BLOCK,
    },
    PoolType {
        name: "vstorage",
        list_flag: 1 << 18,
        src: SRC_NAME,
        pool_formats: None,
        vol_formats: FILE_VOLS,
        vol_type: VOL_FILE,
    },
];

const T_DIR: usize = 0;
const T_FS: usize = 1;
const T_NETFS: usize = 2;
const T_LOGICAL: usize = 3;
const T_DISK: usize = 4;
const T_ISCSI: usize = 5;
const T_ISCSI_DIRECT: usize = 6;
const T_SCSI: usize = 7;
const T_MPATH: usize = 8;
const T_RBD: usize = 9;
const T_SHEEPDOG: usize = 10;
const T_GLUSTER: usize = 11;
const T_ZFS: usize = 12;
const T_VSTORAGE: usize = 13;

/// `<permissions>`: each part absent unless given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Perms {
    mode: Option<u32>,
    uid: Option<u32>,
    gid: Option<u32>,
    label: Option<String>,
}

/// A pool's `<source><adapter>` (scsi pools).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Adapter {
    ScsiHost {
        name: String,
    },
    FcHost {
        parent: Option<String>,
        parent_wwnn: Option<String>,
        parent_wwpn: Option<String>,
        parent_fabric_wwn: Option<String>,
        managed: Option<bool>,
        wwnn: Option<String>,
        wwpn: Option<String>,
    },
}

#[derive(Clone, Debug, Default)]
struct Source {
    name: Option<String>,
    format: Option<usize>,
    hosts: Vec<(String, i32)>,
    devices: Vec<(String, Option<bool>)>,
    dir: Option<String>,
    adapter: Option<Adapter>,
    iqn: Option<String>,
    /// `<auth>` as given, formatted.
    auth: Option<String>,
    protocol_ver: Option<String>,
    vendor: Option<String>,
    product: Option<String>,
}

/// A parsed `<pool>`.
#[derive(Clone, Debug)]
pub struct PoolDef {
    kind: usize,
    pub name: String,
    pub uuid: [u8; 16],
    capacity: u64,
    allocation: u64,
    available: u64,
    cow: Option<bool>,
    source: Source,
    target_path: Option<String>,
    perms: Perms,
    /// `<refresh><volume allocation=…>`.
    refresh: Option<&'static str>,
}

/// A volume's `<backingStore>`.
#[derive(Clone, Debug)]
struct Backing {
    path: String,
    format: Option<usize>,
    perms: Perms,
}

/// A parsed `<volume>`.
#[derive(Clone, Debug)]
pub struct VolDef {
    pub name: String,
    pub key: Option<String>,
    kind: usize,
    capacity: u64,
    allocation: u64,
    pub path: Option<String>,
    format: Option<usize>,
    perms: Perms,
    backing: Option<Backing>,
    /// `<encryption>` as given, formatted.
    encryption: Option<String>,
    compat: Option<String>,
    cluster_size: u64,
    features: Option<Vec<usize>>,
}

/// One pool object.
#[derive(Clone, Debug)]
pub struct Pool {
    pub def: PoolDef,
    pub vols: Vec<VolDef>,
    pub active: bool,
    /// libvirt's test driver: a pool with a config file (it sets an empty one) is persistent.
    pub persistent: bool,
    pub autostart: bool,
}

impl Pool {
    fn handle(&self) -> PoolRef {
        PoolRef {
            name: self.def.name.clone(),
            uuid: self.def.uuid,
        }
    }
    fn vol_handle(&self, v: &VolDef) -> VolRef {
        VolRef {
            pool: self.def.name.clone(),
            name: v.name.clone(),
            key: v.key.clone().unwrap_or_default(),
        }
    }
    fn set_defaults(&mut self) {
        self.def.capacity = DEFAULT_CAPACITY;
        self.def.allocation = 0;
        self.def.available = DEFAULT_CAPACITY;
    }
}

fn storage_err(code: Code, detail: impl AsRef<str>) -> VirError {
    VirError::detail(Domain::VIR_FROM_STORAGE, code, detail)
}

fn xml_err(detail: impl AsRef<str>) -> VirError {
    storage_err(Code::VIR_ERR_XML_ERROR, detail)
}

fn test_err(code: Code, detail: impl AsRef<str>) -> VirError {
    VirError::detail(Domain::VIR_FROM_TEST, code, detail)
}

type Node<'a> = roxmltree::Node<'a, 'a>;

fn child<'a>(n: Node<'a>, name: &str) -> Option<Node<'a>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a>(n: Node<'a>, name: &'a str) -> impl Iterator<Item = Node<'a>> + 'a {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// XPath `string(node)`: all its text.
fn text_of(n: Node) -> String {
    n.descendants()
        .filter(|t| t.is_text())
        .filter_map(|t| t.text())
        .collect()
}

/// `virXPathString("string(./a/b)")`: the first match's text, `None` when empty.
fn path_string(n: Node, path: &[&str]) -> Option<String> {
    let mut cur = n;
    for p in path {
        cur = child(cur, p)?;
    }
    Some(text_of(cur)).filter(|s| !s.is_empty())
}

/// `virXPathString("string(./a/@attr)")`.
fn path_attr(n: Node, path: &[&str], attr: &str) -> Option<String> {
    let mut cur = n;
    for p in path {
        cur = child(cur, p)?;
    }
    cur.attribute(attr)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn invalid_attr(attr: &str, elem: &str, value: &str) -> VirError {
    VirError::detail(
        Domain::VIR_FROM_XML,
        Code::VIR_ERR_XML_ERROR,
        format!("Invalid value for attribute '{attr}' in element '{elem}': '{value}'."),
    )
}

/// `virXMLPropTristateBool`.
fn prop_tristate(n: Node, attr: &str) -> Result<Option<bool>> {
    match n.attribute(attr) {
        None => Ok(None),
        Some("yes") => Ok(Some(true)),
        Some("no") => Ok(Some(false)),
        Some(v) => Err(invalid_attr(attr, n.tag_name().name(), v)),
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// `virFileSanitizePath`.
fn sanitize_path(path: &str) -> String {
    if let Some(u) = path.find("://")
        && path.find('/').is_some_and(|s| s > u)
    {
        return path.to_string();
    }
    let b = path.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    if b.len() > 2 && b[0] == b'/' && b[1] == b'/' && b[2] != b'/' {
        out.push_str("//");
        i = 2;
    } else if b.len() == 2 && b[0] == b'/' && b[1] == b'/' {
        return "//".to_string();
    }
    let rest = &path[i..];
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '/' {
            out.push(c);
            continue;
        }
        while chars.peek() == Some(&'/') {
            chars.next();
        }
        if !out.is_empty() && chars.peek().is_none() {
            break;
        }
        out.push('/');
    }
    out
}

/// `virBufferEscapeString`'s escapes.
fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '\'' => o.push_str("&apos;"),
            '"' => o.push_str("&quot;"),
            c => o.push(c),
        }
    }
    o
}

/// `virStrToLong_ullp` on a whole string (leading blanks allowed, no sign but '+').
fn parse_ull(s: &str) -> Option<u64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// `virScaleInteger` into bytes, bounded by `LLONG_MAX`.
fn scale_bytes(value: u64, unit: Option<&str>) -> Result<u64> {
    let limit = i64::MAX as u64;
    let suffix = unit.unwrap_or("");
    let lower = suffix.to_ascii_lowercase();
    let unknown = || {
        VirError::detail(
            Domain::VIR_FROM_NONE,
            Code::VIR_ERR_INVALID_ARG,
            format!("unknown suffix '{suffix}'"),
        )
    };
    let scale: u64 = if suffix.is_empty() || matches!(lower.as_str(), "b" | "byte" | "bytes") {
        1
    } else {
        let rest = &lower[lower.chars().next().map_or(0, char::len_utf8)..];
        let base: u64 = if rest.is_empty() || rest == "ib" {
            1024
        } else if rest == "b" {
            1000
        } else {
            return Err(unknown());
        };
        let power = match lower.as_bytes()[0] {
            b'k' => 1,
            b'm' => 2,
            b'g' => 3,
            b't' => 4,
            b'p' => 5,
            b'e' => 6,
            _ => return Err(unknown()),
        };
        base.pow(power)
    };
    if value > limit / scale {
        return Err(VirError::detail(
            Domain::VIR_FROM_NONE,
            Code::VIR_ERR_OVERFLOW,
            format!("value too large: {value}{suffix}"),
        ));
    }
    Ok(value * scale)
}

/// `virStorageSize`.
fn storage_size(n: Node, what: &str) -> Result<Option<u64>> {
    let Some(e) = child(n, what) else {
        return Ok(None);
    };
    let t = text_of(e);
    if t.is_empty() {
        return Ok(None);
    }
    let v = parse_ull(&t).ok_or_else(|| xml_err("malformed capacity element"))?;
    let unit = e.attribute("unit").filter(|u| !u.is_empty());
    Ok(Some(scale_bytes(v, unit)?))
}

/// `virStorageDefParsePerms` on `./…/permissions`.
fn parse_perms(parent: Option<Node>) -> Result<Perms> {
    let Some(node) = parent.and_then(|p| child(p, "permissions")) else {
        return Ok(Perms::default());
    };
    let mut perms = Perms::default();
    if let Some(m) = path_string(node, &["mode"]) {
        let v = parse_octal(&m)
            .filter(|v| v & !0o777 == 0)
            .ok_or_else(|| xml_err("malformed octal mode"))?;
        perms.mode = Some(v as u32);
    }
    let id = |name: &str, what: &str| -> Result<Option<u32>> {
        let Some(e) = child(node, name) else {
            return Ok(None);
        };
        let t = text_of(e);
        let v: i64 = t
            .trim_start()
            .parse()
            .map_err(|_| xml_err(format!("malformed {what} element")))?;
        if v == -1 || v == u32::MAX as i64 {
            return Ok(None);
        }
        if !(0..=u32::MAX as i64).contains(&v) {
            return Err(xml_err(format!("malformed {what} element")));
        }
        Ok(Some(v as u32))
    };
    perms.uid = id("owner", "owner")?;
    perms.gid = id("group", "group")?;
    perms.label = path_string(node, &["label"]);
    Ok(perms)
}

/// `virStrToLong_i(s, NULL, 8)`.
fn parse_octal(s: &str) -> Option<i64> {
    let t = s.trim_start();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if t.is_empty() || !t.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return None;
    }
    let v = i64::from_str_radix(t, 8).ok()?;
    if v > i32::MAX as i64 {
        return None;
    }
    Some(if neg { -v } else { v })
}

fn format_perms(s: &mut String, p: &Perms, indent: &str) {
    if p == &Perms::default() {
        return;
    }
    let _ = writeln!(s, "{indent}<permissions>");
    if let Some(m) = p.mode {
        let _ = writeln!(s, "{indent}  <mode>0{m:o}</mode>");
    }
    if let Some(u) = p.uid {
        let _ = writeln!(s, "{indent}  <owner>{}</owner>", u as i32);
    }
    if let Some(g) = p.gid {
        let _ = writeln!(s, "{indent}  <group>{}</group>", g as i32);
    }
    if let Some(l) = &p.label {
        let _ = writeln!(s, "{indent}  <label>{}</label>", escape(l));
    }
    let _ = writeln!(s, "{indent}</permissions>");
}

/// `virValidateWWN`.
fn check_wwn(w: &str) -> Result<()> {
    let t = w
        .strip_prefix("0x")
        .or_else(|| w.strip_prefix("0X"))
        .unwrap_or(w);
    if t.len() != 16 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(VirError::detail(
            Domain::VIR_FROM_NONE,
            Code::VIR_ERR_XML_ERROR,
            format!("Malformed wwn: {w}"),
        ));
    }
    Ok(())
}

fn parse_adapter(n: Node) -> Result<Option<Adapter>> {
    let prop = |a: &str| n.attribute(a).map(str::to_string);
    match n.attribute("type") {
        None => {
            if prop("wwnn").is_some() || prop("wwpn").is_some() || prop("parent").is_some() {
                return Err(xml_err(
                    "Use of 'wwnn', 'wwpn', and 'parent' attributes requires use of the adapter 'type'",
                ));
            }
            if child(n, "parentaddr").is_some() {
                return Err(xml_err(
                    "Use of 'parentaddr' element requires use of the adapter 'type'",
                ));
            }
            Ok(prop("name").map(|name| Adapter::ScsiHost { name }))
        }
        Some("scsi_host") => {
            if child(n, "parentaddr").is_some() {
                return Err(storage_err(
                    Code::VIR_ERR_CONFIG_UNSUPPORTED,
                    "scsi_host adapters by parent address are not supported by oxvirt's test driver",
                ));
            }
            match prop("name") {
                Some(name) => Ok(Some(Adapter::ScsiHost { name })),
                None => Err(xml_err(
                    "Either 'name' or 'parent' must be specified for the 'scsi_host' adapter",
                )),
            }
        }
        Some("fc_host") => Ok(Some(Adapter::FcHost {
            managed: prop_tristate(n, "managed")?,
            parent: prop("parent"),
            parent_wwnn: prop("parent_wwnn"),
            parent_wwpn: prop("parent_wwpn"),
            parent_fabric_wwn: prop("parent_fabric_wwn"),
            wwpn: prop("wwpn"),
            wwnn: prop("wwnn"),
        })),
        Some(v) => Err(invalid_attr("type", "adapter", v)),
    }
}

fn validate_adapter(a: &Option<Adapter>) -> Result<()> {
    match a {
        None => Err(xml_err("missing storage pool source adapter")),
        Some(Adapter::ScsiHost { .. }) => Ok(()),
        Some(Adapter::FcHost {
            wwnn,
            wwpn,
            parent_wwnn,
            parent_wwpn,
            parent_fabric_wwn,
            ..
        }) => {
            let (Some(n), Some(p)) = (wwnn, wwpn) else {
                return Err(xml_err(
                    "'wwnn' and 'wwpn' must be specified for adapter type 'fchost'",
                ));
            };
            check_wwn(n)?;
            check_wwn(p)?;
            match (parent_wwnn, parent_wwpn) {
                (Some(n), None) => {
                    return Err(xml_err(format!(
                        "when providing parent_wwnn='{n}', the parent_wwpn must also be provided"
                    )));
                }
                (None, Some(p)) => {
                    return Err(xml_err(format!(
                        "when providing parent_wwpn='{p}', the parent_wwnn must also be provided"
                    )));
                }
                _ => {}
            }
            for w in [parent_wwnn, parent_wwpn, parent_fabric_wwn]
                .into_iter()
                .flatten()
            {
                check_wwn(w)?;
            }
            Ok(())
        }
    }
}

/// Look a format up in a table.
fn format_from(f: Formats, s: &str) -> Option<usize> {
    let i = f.names.iter().position(|n| *n == s)?;
    (i != 0 || !f.no_zero).then_some(i)
}

/// `virStoragePoolDefParseSource`.
fn parse_source(node: Node, kind: usize) -> Result<Source> {
    let t = &POOL_TYPES[kind];
    let mut src = Source {
        name: path_string(node, &["name"]),
        ..Default::default()
    };
    if kind == T_RBD && src.name.is_none() {
        return Err(xml_err("element 'name' is mandatory for RBD pool"));
    }
    if let Some(f) = t.pool_formats {
        src.format = Some(match path_attr(node, &["format"], "type") {
            None => f.default,
            Some(s) => format_from(f, &s).ok_or_else(|| {
                storage_err(
                    Code::VIR_ERR_CONFIG_UNSUPPORTED,
                    format!("unknown pool format type {s}"),
                )
            })?,
        });
    }
    for h in children(node, "host") {
        let name = h
            .attribute("name")
            .ok_or_else(|| xml_err("missing storage pool host name"))?;
        let port = match h.attribute("port") {
            None => 0,
            Some(p) => p
                .parse::<i32>()
                .map_err(|_| invalid_attr("port", "host", p))?,
        };
        src.hosts.push((name.to_string(), port));
    }
    src.iqn = path_attr(node, &["initiator", "iqn"], "name");
    for d in children(node, "device") {
        let path = d
            .attribute("path")
            .ok_or_else(|| xml_err("missing storage pool source device path"))?;
        src.devices
            .push((path.to_string(), prop_tristate(d, "part_separator")?));
    }
    src.dir = path_attr(node, &["dir"], "path").map(|d| sanitize_path(&d));
    if src.dir.is_none() && kind == T_GLUSTER {
        src.dir = Some("/".to_string());
    }
    if let Some(a) = child(node, "adapter") {
        src.adapter = parse_adapter(a)?;
    }
    if let Some(a) = child(node, "auth") {
        if a.attribute("type").is_none_or(str::is_empty) {
            return Err(storage_err(
                Code::VIR_ERR_CONFIG_UNSUPPORTED,
                "storage pool missing auth type",
            ));
        }
        let mut s = String::new();
        super::xml::format_element(&mut s, a, 4);
        src.auth = Some(s);
    }
    if let Some(v) = path_attr(node, &["protocol"], "ver") {
        let f = src.format.unwrap_or(0);
        if f != 0 && f != 1 {
            return Err(storage_err(
                Code::VIR_ERR_CONFIG_UNSUPPORTED,
                format!(
                    "storage pool protocol ver unsupported for pool type '{}'",
                    NETFS_FORMATS.get(f).copied().unwrap_or("(null)")
                ),
            ));
        }
        if v.contains(',') {
            return Err(storage_err(
                Code::VIR_ERR_XML_DETAIL,
                format!("storage pool protocol ver '{v}' must not contain ','"),
            ));
        }
        src.protocol_ver = Some(v);
    }
    src.vendor = path_attr(node, &["vendor"], "name");
    src.product = path_attr(node, &["product"], "name");
    Ok(src)
}

fn parse_origin(url: &'static str) -> parse::Origin<'static> {
    parse::Origin {
        url,
        domain: Domain::VIR_FROM_STORAGE,
        file: false,
    }
}

pub fn check_root(root: Node, want: &str) -> Result<()> {
    let tag = root.tag_name().name();
    if tag != want {
        return Err(VirError::detail(
            Domain::VIR_FROM_XML,
            Code::VIR_ERR_XML_ERROR,
            format!("expecting root element of '{want}', not '{tag}'"),
        ));
    }
    Ok(())
}

/// `virStoragePoolDefParse` on text.
pub fn parse_pool(text: &str) -> Result<PoolDef> {
    let doc = parse::parse(text, parse_origin("(storage_pool_definition)"))?;
    let root = doc.root_element();
    check_root(root, "pool")?;
    parse_pool_node(root)
}

/// `virStoragePoolDefParseXML`.
pub fn parse_pool_node(root: Node) -> Result<PoolDef> {
    let kind = match root.attribute("type") {
        None => {
            return Err(VirError::detail(
                Domain::VIR_FROM_XML,
                Code::VIR_ERR_XML_ERROR,
                format!(
                    "Missing required attribute 'type' in element '{}'",
                    root.tag_name().name()
                ),
            ));
        }
        Some(t) => POOL_TYPES
            .iter()
            .position(|p| p.name == t)
            .ok_or_else(|| invalid_attr("type", root.tag_name().name(), t))?,
    };
    let t = &POOL_TYPES[kind];
    let mut source = match child(root, "source") {
        Some(s) => parse_source(s, kind)?,
        None => Source {
            format: t.pool_formats.map(|f| f.default),
            ..Default::default()
        },
    };
    let name = path_string(root, &["name"])
        .or_else(|| {
            if t.src & SRC_NAME != 0 {
                source.name.clone()
            } else {
                None
            }
        })
        .ok_or_else(|| xml_err("missing pool source name element"))?;
    if name.contains('/') {
        return Err(xml_err(format!("name {name} cannot contain '/'")));
    }
    let uuid = match path_string(root, &["uuid"]) {
        None => super::xml::random_uuid(),
        Some(u) => uuid::parse(&u).ok_or_else(|| xml_err("malformed uuid element"))?,
    };
    let cow = match child(root, "features").and_then(|f| child(f, "cow")) {
        Some(c) => {
            let v = prop_tristate(c, "state")?;
            if v.is_some() && kind != T_FS && kind != T_DIR {
                return Err(storage_err(
                    Code::VIR_ERR_NO_SUPPORT,
                    "cow feature may only be used for 'fs' and 'dir' pools",
                ));
            }
            v
        }
        None => None,
    };
    if t.src & SRC_HOST != 0 && source.hosts.is_empty() {
        return Err(xml_err("missing storage pool source host name"));
    }
    if t.src & SRC_DIR != 0 && source.dir.is_none() {
        return Err(xml_err("missing storage pool source path"));
    }
    if t.src & SRC_NAME != 0 && source.name.is_none() {
        source.name = Some(name.clone());
    }
    if t.src & SRC_ADAPTER != 0 {
        validate_adapter(&source.adapter)?;
    }
    if t.src == SRC_DEVICE && source.devices.is_empty() {
        return Err(xml_err("missing storage pool source device name"));
    }
    let mut target_path = None;
    let mut perms = Perms::default();
    if t.src & SRC_NETWORK == 0 {
        let sname = source.name.clone().unwrap_or_else(|| "(null)".into());
        let p = match kind {
            T_LOGICAL => format!("/dev/{sname}"),
            T_ZFS => format!("/dev/zvol/{sname}"),
            _ => path_string(root, &["target", "path"])
                .ok_or_else(|| xml_err("missing storage pool target path"))?,
        };
        target_path = Some(sanitize_path(&p));
        perms = parse_perms(child(root, "target"))?;
    }
    if kind == T_ISCSI_DIRECT && source.iqn.is_none() {
        return Err(storage_err(
            Code::VIR_ERR_CONFIG_UNSUPPORTED,
            "missing initiator IQN",
        ));
    }
    let refresh = match child(root, "refresh")
        .and_then(|r| child(r, "volume"))
        .and_then(|v| v.attribute("allocation"))
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some("default") => Some("default"),
        Some("capacity") => Some("capacity"),
        Some(o) => {
            return Err(storage_err(
                Code::VIR_ERR_CONFIG_UNSUPPORTED,
                format!("unknown storage pool volume refresh allocation type {o}"),
            ));
        }
    };
    Ok(PoolDef {
        kind,
        name,
        uuid,
        capacity: 0,
        allocation: 0,
        available: 0,
        cow,
        source,
        target_path,
        perms,
        refresh,
    })
}

/// `virStoragePoolSourceFormat`.
fn format_source(s: &mut String, t: &PoolType, src: &Source, indent: &str) {
    let i2 = format!("{indent}  ");
    let _ = writeln!(s, "{indent}<source>");
    if t.src & SRC_HOST != 0 {
        for (name, port) in &src.hosts {
            let _ = write!(s, "{i2}<host name='{}'", escape(name));
            if *port != 0 {
                let _ = write!(s, " port='{port}'");
            }
            s.push_str("/>\n");
        }
    }
    if t.src & SRC_DEVICE != 0 {
        for (path, sep) in &src.devices {
            let _ = write!(s, "{i2}<device path='{}'", escape(path));
            if let Some(b) = sep {
                let _ = write!(s, " part_separator='{}'", yes_no(*b));
            }
            s.push_str("/>\n");
        }
    }
    if t.src & SRC_DIR != 0
        && let Some(d) = &src.dir
    {
        let _ = writeln!(s, "{i2}<dir path='{}'/>", escape(d));
    }
    if t.src & SRC_ADAPTER != 0 {
        match &src.adapter {
            Some(Adapter::ScsiHost { name }) => {
                let _ = writeln!(s, "{i2}<adapter type='scsi_host' name='{}'/>", escape(name));
            }
            Some(Adapter::FcHost {
                parent,
                parent_wwnn,
                parent_wwpn,
                parent_fabric_wwn,
                managed,
                wwnn,
                wwpn,
            }) => {
                let _ = write!(s, "{i2}<adapter type='fc_host'");
                for (a, v) in [
                    ("parent", parent),
                    ("parent_wwnn", parent_wwnn),
                    ("parent_wwpn", parent_wwpn),
                    ("parent_fabric_wwn", parent_fabric_wwn),
                ] {
                    if let Some(v) = v {
                        let _ = write!(s, " {a}='{}'", escape(v));
                    }
                }
                if let Some(m) = managed {
                    let _ = write!(s, " managed='{}'", yes_no(*m));
                }
                let _ = writeln!(
                    s,
                    " wwnn='{}' wwpn='{}'/>",
                    wwnn.as_deref().unwrap_or("(null)"),
                    wwpn.as_deref().unwrap_or("(null)")
                );
            }
            None => {}
        }
    }
    if t.src & SRC_NAME != 0
        && let Some(n) = &src.name
    {
        let _ = writeln!(s, "{i2}<name>{}</name>", escape(n));
    }
    if t.src & SRC_INITIATOR_IQN != 0
        && let Some(iqn) = &src.iqn
    {
        let _ = writeln!(s, "{i2}<initiator>");
        let _ = writeln!(s, "{i2}  <iqn name='{}'/>", escape(iqn));
        let _ = writeln!(s, "{i2}</initiator>");
    }
    if let (Some(f), Some(i)) = (t.pool_formats, src.format) {
        let _ = writeln!(s, "{i2}<format type='{}'/>", f.names[i]);
    }
    if let Some(a) = &src.auth {
        s.push_str(a);
    }
    if let Some(v) = &src.protocol_ver {
        let _ = writeln!(s, "{i2}<protocol ver='{}'/>", escape(v));
    }
    if let Some(v) = &src.vendor {
        let _ = writeln!(s, "{i2}<vendor name='{}'/>", escape(v));
    }
    if let Some(v) = &src.product {
        let _ = writeln!(s, "{i2}<product name='{}'/>", escape(v));
    }
    let _ = writeln!(s, "{indent}</source>");
}

/// `virStoragePoolDefFormat`.
pub fn format_pool(d: &PoolDef) -> String {
    let t = &POOL_TYPES[d.kind];
    let mut s = String::new();
    let _ = writeln!(s, "<pool type='{}'>", t.name);
    let _ = writeln!(s, "  <name>{}</name>", escape(&d.name));
    let _ = writeln!(s, "  <uuid>{}</uuid>", uuid::format(&d.uuid));
    let _ = writeln!(s, "  <capacity unit='bytes'>{}</capacity>", d.capacity);
    let _ = writeln!(
        s,
        "  <allocation unit='bytes'>{}</allocation>",
        d.allocation
    );
    let _ = writeln!(s, "  <available unit='bytes'>{}</available>", d.available);
    if let Some(c) = d.cow {
        let _ = writeln!(
            s,
            "  <features>\n    <cow state='{}'/>\n  </features>",
            yes_no(c)
        );
    }
    format_source(&mut s, t, &d.source, "  ");
    if !matches!(d.kind, T_RBD | T_SHEEPDOG | T_GLUSTER | T_ISCSI_DIRECT) {
        s.push_str("  <target>\n");
        if let Some(p) = &d.target_path {
            let _ = writeln!(s, "    <path>{}</path>", escape(p));
        }
        format_perms(&mut s, &d.perms, "    ");
        s.push_str("  </target>\n");
    }
    if let Some(r) = d.refresh {
        let _ = writeln!(
            s,
            "  <refresh>\n    <volume allocation='{r}'/>\n  </refresh>"
        );
    }
    s.push_str("</pool>\n");
    s
}

/// `virStorageVolDefParse` on text, for a pool of type `kind`.
fn parse_vol(text: &str, kind: usize) -> Result<VolDef> {
    let doc = parse::parse(text, parse_origin("(storage_volume_definition)"))?;
    let root = doc.root_element();
    check_root(root, "volume")?;
    parse_vol_node(root, kind)
}

fn vol_format(f: Option<Formats>, n: Option<Node>, default: bool) -> Result<Option<usize>> {
    let Some(f) = f else {
        return Ok(None);
    };
    match n.and_then(|n| path_attr(n, &["format"], "type")) {
        None => Ok(default.then_some(f.default)),
        Some(s) => format_from(f, &s).map(Some).ok_or_else(|| {
            storage_err(
                Code::VIR_ERR_CONFIG_UNSUPPORTED,
                format!("unknown volume format type {s}"),
            )
        }),
    }
}

/// `virStorageVolDefParseXML`.
pub fn parse_vol_node(root: Node, pool_kind: usize) -> Result<VolDef> {
    let opts = POOL_TYPES[pool_kind].vol_formats;
    let name =
        path_string(root, &["name"]).ok_or_else(|| xml_err("missing volume name element"))?;
    let key = path_string(root, &["key"]);
    let kind = match root.attribute("type").filter(|s| !s.is_empty()) {
        None => 0,
        Some(t) => VOL_TYPES.iter().position(|v| *v == t).ok_or_else(|| {
            storage_err(
                Code::VIR_ERR_CONFIG_UNSUPPORTED,
                format!("unknown volume type '{t}'"),
            )
        })?,
    };
    let backing = match path_string(root, &["backingStore", "path"]) {
        None => None,
        Some(path) => {
            let b = child(root, "backingStore");
            Some(Backing {
                path,
                format: vol_format(opts, b, true)?,
                perms: parse_perms(b)?,
            })
        }
    };
    let capacity =
        storage_size(root, "capacity")?.ok_or_else(|| xml_err("missing capacity element"))?;
    let allocation = storage_size(root, "allocation")?.unwrap_or(capacity);
    let target = child(root, "target");
    let path = target.and_then(|t| path_string(t, &["path"]));
    let format = match opts {
        Some(f) => Some(vol_format(Some(f), target, true)?.unwrap_or(f.default)),
        None => None,
    };
    let perms = parse_perms(target)?;
    let encryption = target.and_then(|t| child(t, "encryption")).map(|e| {
        let mut s = String::new();
        super::xml::format_element(&mut s, e, 4);
        s
    });
    let mut compat = target.and_then(|t| path_string(t, &["compat"]));
    if let Some(c) = &compat {
        let mut parts = c.splitn(2, '.');
        let ok = |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.parse::<u32>().is_ok());
        if !(ok(parts.next()) && ok(parts.next())) {
            return Err(xml_err("forbidden characters in 'compat' attribute"));
        }
    }
    let cluster_size = match target.and_then(|t| child(t, "clusterSize")) {
        None => 0,
        Some(c) => {
            let t = text_of(c);
            let v = parse_ull(&t).ok_or_else(|| {
                storage_err(
                    Code::VIR_ERR_XML_ERROR,
                    "could not parse element ./target/clusterSize",
                )
            })?;
            scale_bytes(v, c.attribute("unit").filter(|u| !u.is_empty()))?
        }
    };
    let features = match target.and_then(|t| child(t, "features")) {
        None => None,
        Some(f) => {
            if compat.is_none() {
                compat = Some("1.1".to_string());
            }
            let mut v = Vec::new();
            for e in f.children().filter(|c| c.is_element()) {
                let n = e.tag_name().name();
                let i = ["lazy_refcounts", "extended_l2"]
                    .iter()
                    .position(|x| *x == n)
                    .ok_or_else(|| {
                        storage_err(
                            Code::VIR_ERR_CONFIG_UNSUPPORTED,
                            format!("unsupported feature {n}"),
                        )
                    })?;
                if !v.contains(&i) {
                    v.push(i);
                }
            }
            v.sort_unstable();
            Some(v)
        }
    };
    Ok(VolDef {
        name,
        key,
        kind,
        capacity,
        allocation,
        path,
        format,
        perms,
        backing,
        encryption,
        compat,
        cluster_size,
        features,
    })
}

/// `virStorageVolDefFormat`.
fn format_vol(pool_kind: usize, v: &VolDef) -> String {
    let f = POOL_TYPES[pool_kind].vol_formats;
    let mut s = String::new();
    let _ = writeln!(s, "<volume type='{}'>", VOL_TYPES[v.kind]);
    let _ = writeln!(s, "  <name>{}</name>", escape(&v.name));
    if let Some(k) = &v.key {
        let _ = writeln!(s, "  <key>{}</key>", escape(k));
    }
    let _ = writeln!(s, "  <capacity unit='bytes'>{}</capacity>", v.capacity);
    let _ = writeln!(
        s,
        "  <allocation unit='bytes'>{}</allocation>",
        v.allocation
    );
    s.push_str("  <target>\n");
    if let Some(p) = &v.path {
        let _ = writeln!(s, "    <path>{}</path>", escape(p));
    }
    if let (Some(f), Some(i)) = (f, v.format) {
        let _ = writeln!(s, "    <format type='{}'/>", f.names[i]);
    }
    format_perms(&mut s, &v.perms, "    ");
    if let Some(e) = &v.encryption {
        s.push_str(e);
    }
    if let Some(c) = &v.compat {
        let _ = writeln!(s, "    <compat>{}</compat>", escape(c));
    }
    if v.cluster_size > 0 {
        let _ = writeln!(
            s,
            "    <clusterSize unit='B'>{}</clusterSize>",
            v.cluster_size
        );
    }
    if let Some(feats) = &v.features {
        if feats.is_empty() {
            s.push_str("    <features/>\n");
        } else {
            s.push_str("    <features>\n");
            for i in feats {
                let _ = writeln!(s, "      <{}/>", ["lazy_refcounts", "extended_l2"][*i]);
            }
            s.push_str("    </features>\n");
        }
    }
    s.push_str("  </target>\n");
    if let Some(b) = &v.backing {
        s.push_str("  <backingStore>\n");
        let _ = writeln!(s, "    <path>{}</path>", escape(&b.path));
        if let (Some(f), Some(i)) = (f, b.format) {
            let _ = writeln!(s, "    <format type='{}'/>", f.names[i]);
        }
        format_perms(&mut s, &b.perms, "    ");
        s.push_str("  </backingStore>\n");
    }
    s.push_str("</volume>\n");
    s
}

/// The pools of a node. libvirt keeps them in a hash table, so its listings have no order;
/// oxvirt lists them in the order they were added.
#[derive(Default)]
pub struct Pools {
    pub list: Vec<Pool>,
    /// While a node file loads: the uuids, names and dir-pool target paths of `list`, so that
    /// a file of thousands of pools is not checked pool against pool (see [`load_pool`]).
    loading: Option<LoadIndex>,
}

#[derive(Default)]
struct LoadIndex {
    uuids: std::collections::HashSet<[u8; 16]>,
    names: std::collections::HashSet<String>,
    dir_paths: std::collections::HashSet<Option<String>>,
    /// Set when a pool other than a dir pool was added: the fast path then stands aside.
    other_kinds: bool,
}

fn no_pool(detail: String) -> VirError {
    test_err(Code::VIR_ERR_NO_STORAGE_POOL, detail)
}

fn no_vol(detail: String) -> VirError {
    test_err(Code::VIR_ERR_NO_STORAGE_VOL, detail)
}

/// `virStoragePoolObjSourceFindDuplicate`'s single-host match.
fn single_host_match(a: &Source, b: &Source) -> bool {
    if a.hosts.len() != 1 && b.hosts.len() != 1 {
        return false;
    }
    let (Some(ah), Some(bh)) = (a.hosts.first(), b.hosts.first()) else {
        return false;
    };
    if bh.1 != 0 && ah.1 != bh.1 {
        return false;
    }
    ah.0 == bh.0
}

fn devices_overlap(a: &Source, b: &Source) -> bool {
    a.devices
        .iter()
        .any(|(p, _)| b.devices.iter().any(|(q, _)| p == q))
}

/// Does the existing pool `o` claim the source `d` wants?
fn source_conflict(o: &PoolDef, d: &PoolDef) -> bool {
    if o.name == d.name {
        return false;
    }
    let same = o.kind == d.kind;
    match o.kind {
        T_DIR => same && o.target_path == d.target_path,
        T_GLUSTER => {
            same && o.source.name == d.source.name
                && o.source.dir == d.source.dir
                && single_host_match(&o.source, &d.source)
        }
        T_NETFS => same && o.source.dir == d.source.dir && single_host_match(&o.source, &d.source),
        T_SCSI => {
            // Only adapters naming the same scsi_host or FC port can be compared without sysfs.
            same && match (&o.source.adapter, &d.source.adapter) {
                (Some(Adapter::ScsiHost { name: a }), Some(Adapter::ScsiHost { name: b })) => {
                    a == b
                }
                (
                    Some(Adapter::FcHost {
                        wwnn: a, wwpn: b, ..
                    }),
                    Some(Adapter::FcHost {
                        wwnn: c, wwpn: e, ..
                    }),
                ) => a == c && b == e,
                _ => false,
            }
        }
        T_ISCSI | T_FS | T_LOGICAL | T_DISK | T_ZFS => {
            if !matches!(d.kind, T_ISCSI | T_FS | T_LOGICAL | T_DISK | T_ZFS) {
                return false;
            }
            if o.kind == T_ISCSI {
                d.kind == T_ISCSI
                    && devices_overlap(&o.source, &d.source)
                    && o.source.iqn == d.source.iqn
            } else {
                d.kind != T_ISCSI && devices_overlap(&o.source, &d.source)
            }
        }
        T_SHEEPDOG => same && single_host_match(&o.source, &d.source),
        T_MPATH => same,
        T_VSTORAGE => same && o.source.name == d.source.name,
        _ => false,
    }
}

impl Pools {
    fn by_name(&self, name: &str) -> Result<usize> {
        self.list
            .iter()
            .position(|p| p.def.name == name)
            .ok_or_else(|| no_pool(format!("no storage pool with matching name '{name}'")))
    }
    fn by_uuid(&self, u: &[u8; 16]) -> Result<usize> {
        self.list
            .iter()
            .position(|p| &p.def.uuid == u)
            .ok_or_else(|| {
                no_pool(format!(
                    "no storage pool with matching uuid '{}'",
                    uuid::format(u)
                ))
            })
    }
    fn active_by_name(&self, name: &str) -> Result<usize> {
        let i = self.by_name(name)?;
        if !self.list[i].active {
            return Err(test_err(
                Code::VIR_ERR_OPERATION_INVALID,
                format!("storage pool '{name}' is not active"),
            ));
        }
        Ok(i)
    }
    fn inactive_by_name(&self, name: &str) -> Result<usize> {
        let i = self.by_name(name)?;
        if self.list[i].active {
            return Err(test_err(
                Code::VIR_ERR_OPERATION_INVALID,
                format!("storage pool '{name}' is active"),
            ));
        }
        Ok(i)
    }

    /// `virStoragePoolObjListAdd`: `check_live` refuses a running pool of the same uuid.
    /// The new definition replaces an inactive pool's; a running pool keeps its own.
    pub fn add(&mut self, def: PoolDef, check_live: bool) -> Result<usize> {
        if let Some(o) = self.list.iter().find(|p| source_conflict(&p.def, &def)) {
            return Err(storage_err(
                Code::VIR_ERR_OPERATION_FAILED,
                format!("Storage source conflict with pool: '{}'", o.def.name),
            ));
        }
        if let Some(i) = self.list.iter().position(|p| p.def.uuid == def.uuid) {
            let p = &mut self.list[i];
            if p.def.name != def.name {
                return Err(storage_err(
                    Code::VIR_ERR_OPERATION_FAILED,
                    format!(
                        "pool '{}' is already defined with uuid {}",
                        p.def.name,
                        uuid::format(&p.def.uuid)
                    ),
                ));
            }
            if check_live && p.active {
                return Err(storage_err(
                    Code::VIR_ERR_OPERATION_INVALID,
                    format!("pool is already active as '{}'", p.def.name),
                ));
            }
            if !p.active {
                p.def = def;
            }
            return Ok(i);
        }
        if let Some(p) = self.list.iter().find(|p| p.def.name == def.name) {
            return Err(storage_err(
                Code::VIR_ERR_OPERATION_FAILED,
                format!(
                    "pool '{}' already exists with uuid {}",
                    def.name,
                    uuid::format(&p.def.uuid)
                ),
            ));
        }
        self.list.push(Pool {
            def,
            vols: Vec::new(),
            active: false,
            persistent: false,
            autostart: false,
        });
        Ok(self.list.len() - 1)
    }
}

/// The end of a node file's loading: the index [`load_pool`] kept is dropped.
pub fn end_loading(pools: &mut Pools) {
    pools.loading = None;
}

/// A dir pool whose uuid, name and target path are all new while only dir pools were loaded:
/// [`Pools::add`] could find no conflict, so it is appended without comparing it with every
/// pool. Anything else goes through `add`; the index follows every pool added.
fn add_loading(pools: &mut Pools, def: PoolDef) -> Result<usize> {
    let ix = pools.loading.get_or_insert_with(|| {
        let mut ix = LoadIndex::default();
        for p in &pools.list {
            ix.uuids.insert(p.def.uuid);
            ix.names.insert(p.def.name.clone());
            ix.other_kinds |= p.def.kind != T_DIR;
            ix.dir_paths.insert(p.def.target_path.clone());
        }
        ix
    });
    let fresh = def.kind == T_DIR
        && !ix.other_kinds
        && !ix.uuids.contains(&def.uuid)
        && !ix.names.contains(&def.name)
        && !ix.dir_paths.contains(&def.target_path);
    let (uuid, name, kind, path) = (
        def.uuid,
        def.name.clone(),
        def.kind,
        def.target_path.clone(),
    );
    let i = if fresh {
        pools.list.push(Pool {
            def,
            vols: Vec::new(),
            active: false,
            persistent: false,
            autostart: false,
        });
        pools.list.len() - 1
    } else {
        pools.add(def, false)?
    };
    if let Some(ix) = pools.loading.as_mut() {
        ix.uuids.insert(uuid);
        ix.names.insert(name);
        ix.other_kinds |= kind != T_DIR;
        ix.dir_paths.insert(path);
    }
    Ok(i)
}

/// A pool read from a node file (`testParseStorage`), with its `<volume>` children, running.
pub fn load_pool(
    pools: &mut Pools,
    pool_node: Node,
    volume_text: &mut dyn FnMut(Node) -> Result<Option<String>>,
) -> Result<()> {
    let def = parse_pool_node(pool_node)?;
    let i = add_loading(pools, def)?;
    let p = &mut pools.list[i];
    p.set_defaults();
    p.persistent = true;
    p.active = true;
    // The names, keys and paths taken in this pool: add_vol's check without a scan.
    let mut names: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut keys: std::collections::HashSet<Option<String>> = std::collections::HashSet::new();
    let mut paths: std::collections::HashSet<Option<String>> = std::collections::HashSet::new();
    for v in &p.vols {
        names.insert(v.name.clone());
        keys.insert(v.key.clone());
        paths.insert(v.path.clone());
    }
    for v in children(pool_node, "volume") {
        let mut vol = match volume_text(v)? {
            Some(text) => {
                let doc = parse::parse(&text, parse_origin("(storage_volume_definition)"))?;
                parse_vol_node(doc.root_element(), p.def.kind)?
            }
            None => parse_vol_node(v, p.def.kind)?,
        };
        let path = vol.path.clone().unwrap_or_else(|| {
            format!(
                "{}/{}",
                p.def.target_path.as_deref().unwrap_or("(null)"),
                vol.name
            )
        });
        vol.path = Some(path.clone());
        if vol.key.is_none() {
            vol.key = Some(path);
        }
        // add_vol's check: a name, key or path already taken is refused.
        if names.contains(&vol.name) || keys.contains(&vol.key) || paths.contains(&vol.path) {
            return Err(VirError::generic());
        }
        names.insert(vol.name.clone());
        keys.insert(vol.key.clone());
        paths.insert(vol.path.clone());
        p.vols.push(vol);
        p.def.allocation = p
            .def
            .allocation
            .wrapping_add(p.vols.last().map_or(0, |v| v.allocation));
        p.def.available = p.def.capacity.wrapping_sub(p.def.allocation);
    }
    Ok(())
}

/// `virStoragePoolObjAddVol`: a volume whose name, key or path is taken is refused, and
/// libvirt then fails without a message of its own.
fn add_vol(p: &mut Pool, v: VolDef) -> Result<()> {
    if p.vols
        .iter()
        .any(|o| o.name == v.name || o.key == v.key || o.path == v.path)
    {
        return Err(VirError::generic());
    }
    p.vols.push(v);
    Ok(())
}

// virConnectListAllStoragePoolsFlags.
const LIST_INACTIVE: u32 = 1 << 0;
const LIST_ACTIVE: u32 = 1 << 1;
const LIST_PERSISTENT: u32 = 1 << 2;
const LIST_TRANSIENT: u32 = 1 << 3;
const LIST_AUTOSTART: u32 = 1 << 4;
const LIST_NO_AUTOSTART: u32 = 1 << 5;
const LIST_ALL: u32 = (1 << 20) - 1;
const LIST_TYPES: u32 = LIST_ALL & !0x3f;

fn list_matches(p: &Pool, flags: u32) -> bool {
    let group = |yes: u32, no: u32, is: bool| {
        flags & (yes | no) == 0 || (flags & yes != 0 && is) || (flags & no != 0 && !is)
    };
    group(LIST_ACTIVE, LIST_INACTIVE, p.active)
        && group(LIST_PERSISTENT, LIST_TRANSIENT, p.persistent)
        && group(LIST_AUTOSTART, LIST_NO_AUTOSTART, p.autostart)
        && (flags & LIST_TYPES == 0 || flags & POOL_TYPES[p.def.kind].list_flag != 0)
}

// VIR_STORAGE_POOL_DEFINE_VALIDATE, VIR_STORAGE_VOL_CREATE_VALIDATE.
const DEFINE_VALIDATE: u32 = 1;
const VOL_CREATE_VALIDATE: u32 = 1 << 2;

const LOGICAL_SOURCES: &str = "<sources>
  <source>
    <device path='/dev/sda20'/>
    <name>testvg1</name>
    <format type='lvm2'/>
  </source>
  <source>
    <device path='/dev/sda21'/>
    <name>testvg2</name>
    <format type='lvm2'/>
  </source>
</sources>
";

fn check(func: &str, flags: u32, allowed: u32) -> Result<()> {
    VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, allowed)
}

// virStoragePoolEventLifecycleType, detail 0 as libvirt's test driver reports them.
const EV_DEFINED: i32 = 0;
const EV_UNDEFINED: i32 = 1;
const EV_STARTED: i32 = 2;
const EV_STOPPED: i32 = 3;
const EV_CREATED: i32 = 4;
const EV_DELETED: i32 = 5;

impl TestDriver {
    /// Emit a pool lifecycle event (the pool lock released).
    fn pool_event(&self, pool: PoolRef, event: i32) {
        let obj = EventObject::StoragePool(pool);
        self.node.events.emit_event(Event::lifecycle(obj, event, 0));
    }

    fn new_vol(
        &self,
        pool: &PoolRef,
        xml: &str,
        clone: Option<&VolRef>,
        flags: u32,
        func: &str,
    ) -> Result<VolRef> {
        check(func, flags, VOL_CREATE_VALIDATE)?;
        let mut pools = self.node.pools.write();
        let i = pools.active_by_name(&pool.name)?;
        let p = &mut pools.list[i];
        let mut v = parse_vol(xml, p.def.kind)?;
        if p.vols.iter().any(|o| o.name == v.name) {
            return Err(test_err(
                Code::VIR_ERR_OPERATION_FAILED,
                "storage vol already exists",
            ));
        }
        if let Some(c) = clone
            && !p.vols.iter().any(|o| o.name == c.name)
        {
            return Err(no_vol(format!(
                "no storage vol with matching name '{}'",
                c.name
            )));
        }
        if p.def.allocation.saturating_add(v.allocation) > p.def.capacity {
            return Err(VirError::internal(
                Domain::VIR_FROM_TEST,
                format!("Not enough free space in pool for volume '{}'", v.name),
            ));
        }
        let path = format!(
            "{}/{}",
            p.def.target_path.as_deref().unwrap_or("(null)"),
            v.name
        );
        v.path = Some(path.clone());
        v.key = Some(path);
        let alloc = v.allocation;
        add_vol(p, v)?;
        p.def.allocation += alloc;
        p.def.available = p.def.capacity - p.def.allocation;
        let v = p.vols.last().expect("just added");
        Ok(p.vol_handle(v))
    }

    fn with_vol<T>(&self, vol: &VolRef, f: impl FnOnce(&Pool, &VolDef) -> Result<T>) -> Result<T> {
        let pools = self.node.pools.read();
        let p = &pools.list[pools.active_by_name(&vol.pool)?];
        let v =
            p.vols.iter().find(|v| v.name == vol.name).ok_or_else(|| {
                no_vol(format!("no storage vol with matching name '{}'", vol.name))
            })?;
        f(p, v)
    }

    fn find_vol(&self, by: impl Fn(&VolDef) -> bool) -> Option<VolRef> {
        let pools = self.node.pools.read();
        pools
            .list
            .iter()
            .filter(|p| p.active)
            .find_map(|p| p.vols.iter().find(|v| by(v)).map(|v| p.vol_handle(v)))
    }
}

impl StorageDriver for TestDriver {
    fn connect_num_of_storage_pools(&self) -> Result<i32> {
        let pools = self.node.pools.read();
        Ok(pools.list.iter().filter(|p| p.active).count() as i32)
    }
    fn connect_list_storage_pools(&self, max: usize) -> Result<Vec<String>> {
        let pools = self.node.pools.read();
        Ok(pools
            .list
            .iter()
            .filter(|p| p.active)
            .map(|p| p.def.name.clone())
            .take(max)
            .collect())
    }
    fn connect_num_of_defined_storage_pools(&self) -> Result<i32> {
        let pools = self.node.pools.read();
        Ok(pools.list.iter().filter(|p| !p.active).count() as i32)
    }
    fn connect_list_defined_storage_pools(&self, max: usize) -> Result<Vec<String>> {
        let pools = self.node.pools.read();
        Ok(pools
            .list
            .iter()
            .filter(|p| !p.active)
            .map(|p| p.def.name.clone())
            .take(max)
            .collect())
    }
    fn connect_list_all_storage_pools(&self, flags: u32) -> Result<Vec<PoolRef>> {
        check("testConnectListAllStoragePools", flags, LIST_ALL)?;
        let pools = self.node.pools.read();
        Ok(pools
            .list
            .iter()
            .filter(|p| list_matches(p, flags))
            .map(Pool::handle)
            .collect())
    }
    fn connect_find_storage_pool_sources(
        &self,
        kind: &str,
        src_spec: Option<&str>,
        flags: u32,
    ) -> Result<String> {
        check("testConnectFindStoragePoolSources", flags, 0)?;
        // libvirt tests the type's number for zero, so "dir" (0) is an unknown type.
        let t = POOL_TYPES.iter().position(|p| p.name == kind);
        if t == Some(T_DIR) {
            return Err(VirError::internal(
                Domain::VIR_FROM_TEST,
                format!("unknown storage pool type {kind}"),
            ));
        }
        let source = match (src_spec, t) {
            (Some(spec), Some(t)) => {
                let doc = parse::parse(spec, parse_origin("(storage_source_specification)"))?;
                let root = doc.root_element();
                check_root(root, "source")?;
                Some(parse_source(root, t)?)
            }
            (Some(_), None) => {
                return Err(VirError::internal(
                    Domain::VIR_FROM_STORAGE,
                    "missing backend for pool type -1",
                ));
            }
            (None, _) => None,
        };
        match t {
            Some(T_LOGICAL) => Ok(LOGICAL_SOURCES.to_string()),
            Some(T_NETFS) => {
                let host = source
                    .as_ref()
                    .and_then(|s| s.hosts.first())
                    .map(|h| h.0.clone())
                    .ok_or_else(|| {
                        test_err(
                            Code::VIR_ERR_INVALID_ARG,
                            "hostname must be specified for netfs sources",
                        )
                    })?;
                Ok(format!(
                    "<sources>\n  <source>\n    <host name='{host}'/>\n    <dir path='/testshare'/>\n    <format type='nfs'/>\n  </source>\n</sources>\n"
                ))
            }
            _ => Err(test_err(
                Code::VIR_ERR_NO_SUPPORT,
                format!("pool type '{kind}' does not support source discovery"),
            )),
        }
    }
    fn storage_pool_lookup_by_name(&self, name: &str) -> Result<PoolRef> {
        let pools = self.node.pools.read();
        Ok(pools.list[pools.by_name(name)?].handle())
    }
    fn storage_pool_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<PoolRef> {
        let pools = self.node.pools.read();
        Ok(pools.list[pools.by_uuid(uuid)?].handle())
    }
    fn storage_pool_lookup_by_volume(&self, vol: &VolRef) -> Result<PoolRef> {
        self.storage_pool_lookup_by_name(&vol.pool)
    }
    fn storage_pool_create_xml(&self, xml: &str, flags: u32) -> Result<PoolRef> {
        check("testStoragePoolCreateXML", flags, 0)?;
        let def = parse_pool(xml)?;
        let mut pools = self.node.pools.write();
        let i = pools.add(def, true)?;
        let p = &mut pools.list[i];
        p.set_defaults();
        // A pool started from XML is transient, even over a defined one (libvirt drops the
        // config file the defaults set).
        p.persistent = false;
        p.active = true;
        let h = p.handle();
        drop(pools);
        self.pool_event(h.clone(), EV_STARTED);
        Ok(h)
    }
    fn storage_pool_define_xml(&self, xml: &str, flags: u32) -> Result<PoolRef> {
        check("testStoragePoolDefineXML", flags, DEFINE_VALIDATE)?;
        let mut def = parse_pool(xml)?;
        def.capacity = DEFAULT_CAPACITY;
        def.allocation = 0;
        def.available = DEFAULT_CAPACITY;
        let mut pools = self.node.pools.write();
        let i = pools.add(def, false)?;
        let p = &mut pools.list[i];
        p.set_defaults();
        p.persistent = true;
        let h = p.handle();
        drop(pools);
        self.pool_event(h.clone(), EV_DEFINED);
        Ok(h)
    }
    fn storage_pool_build(&self, pool: &PoolRef, flags: u32) -> Result<()> {
        check("testStoragePoolBuild", flags, 0)?;
        self.node.pools.read().inactive_by_name(&pool.name)?;
        self.pool_event(pool.clone(), EV_CREATED);
        Ok(())
    }
    fn storage_pool_undefine(&self, pool: &PoolRef) -> Result<()> {
        let mut pools = self.node.pools.write();
        let i = pools.inactive_by_name(&pool.name)?;
        pools.list.remove(i);
        drop(pools);
        self.pool_event(pool.clone(), EV_UNDEFINED);
        Ok(())
    }
    fn storage_pool_create(&self, pool: &PoolRef, flags: u32) -> Result<()> {
        check("testStoragePoolCreate", flags, 0)?;
        let mut pools = self.node.pools.write();
        let i = pools.inactive_by_name(&pool.name)?;
        pools.list[i].active = true;
        drop(pools);
        self.pool_event(pool.clone(), EV_STARTED);
        Ok(())
    }
    fn storage_pool_destroy(&self, pool: &PoolRef) -> Result<()> {
        let mut pools = self.node.pools.write();
        let i = pools.active_by_name(&pool.name)?;
        pools.list[i].active = false;
        let h = pools.list[i].handle();
        if !pools.list[i].persistent {
            pools.list.remove(i);
        }
        drop(pools);
        self.pool_event(h, EV_STOPPED);
        Ok(())
    }
    fn storage_pool_delete(&self, pool: &PoolRef, flags: u32) -> Result<()> {
        check("testStoragePoolDelete", flags, 0)?;
        self.node.pools.read().inactive_by_name(&pool.name)?;
        self.pool_event(pool.clone(), EV_DELETED);
        Ok(())
    }
    fn storage_pool_refresh(&self, pool: &PoolRef, flags: u32) -> Result<()> {
        check("testStoragePoolRefresh", flags, 0)?;
        self.node.pools.read().active_by_name(&pool.name)?;
        self.node.events.emit_event(Event {
            object: EventObject::StoragePool(pool.clone()),
            event_id: storage_pool_id::REFRESH,
            payload: Payload::Plain,
        });
        Ok(())
    }
    fn storage_pool_get_info(&self, pool: &PoolRef) -> Result<PoolInfo> {
        let pools = self.node.pools.read();
        let p = &pools.list[pools.by_name(&pool.name)?];
        Ok(PoolInfo {
            // virStoragePoolState: INACTIVE 0, RUNNING 2.
            state: if p.active { 2 } else { 0 },
            capacity: p.def.capacity,
            allocation: p.def.allocation,
            available: p.def.available,
        })
    }
    fn storage_pool_get_xml_desc(&self, pool: &PoolRef, flags: u32) -> Result<String> {
        check("testStoragePoolGetXMLDesc", flags, 0)?;
        let pools = self.node.pools.read();
        Ok(format_pool(&pools.list[pools.by_name(&pool.name)?].def))
    }
    fn storage_pool_get_autostart(&self, pool: &PoolRef) -> Result<bool> {
        let pools = self.node.pools.read();
        let p = &pools.list[pools.by_name(&pool.name)?];
        Ok(p.persistent && p.autostart)
    }
    fn storage_pool_set_autostart(&self, pool: &PoolRef, autostart: bool) -> Result<()> {
        let mut pools = self.node.pools.write();
        let i = pools.by_name(&pool.name)?;
        let p = &mut pools.list[i];
        if !p.persistent {
            return Err(test_err(
                Code::VIR_ERR_INVALID_ARG,
                "pool has no config file",
            ));
        }
        p.autostart = autostart;
        Ok(())
    }
    fn storage_pool_num_of_volumes(&self, pool: &PoolRef) -> Result<i32> {
        let pools = self.node.pools.read();
        Ok(pools.list[pools.active_by_name(&pool.name)?].vols.len() as i32)
    }
    fn storage_pool_list_volumes(&self, pool: &PoolRef, max: usize) -> Result<Vec<String>> {
        let pools = self.node.pools.read();
        let p = &pools.list[pools.active_by_name(&pool.name)?];
        Ok(p.vols.iter().take(max).map(|v| v.name.clone()).collect())
    }
    fn storage_pool_list_all_volumes(&self, pool: &PoolRef, flags: u32) -> Result<Vec<VolRef>> {
        check("testStoragePoolListAllVolumes", flags, 0)?;
        let pools = self.node.pools.read();
        let p = &pools.list[pools.by_uuid(&pool.uuid)?];
        if !p.active {
            return Err(test_err(
                Code::VIR_ERR_OPERATION_INVALID,
                "storage pool is not active",
            ));
        }
        Ok(p.vols.iter().map(|v| p.vol_handle(v)).collect())
    }
    fn storage_pool_is_active(&self, pool: &PoolRef) -> Result<bool> {
        let pools = self.node.pools.read();
        Ok(pools.list[pools.by_uuid(&pool.uuid)?].active)
    }
    fn storage_pool_is_persistent(&self, pool: &PoolRef) -> Result<bool> {
        let pools = self.node.pools.read();
        Ok(pools.list[pools.by_uuid(&pool.uuid)?].persistent)
    }
    fn storage_vol_lookup_by_name(&self, pool: &PoolRef, name: &str) -> Result<VolRef> {
        let pools = self.node.pools.read();
        let p = &pools.list[pools.active_by_name(&pool.name)?];
        p.vols
            .iter()
            .find(|v| v.name == name)
            .map(|v| p.vol_handle(v))
            .ok_or_else(|| no_vol(format!("no storage vol with matching name '{name}'")))
    }
    fn storage_vol_lookup_by_key(&self, key: &str) -> Result<VolRef> {
        self.find_vol(|v| v.key.as_deref() == Some(key))
            .ok_or_else(|| no_vol(format!("no storage vol with matching key '{key}'")))
    }
    fn storage_vol_lookup_by_path(&self, path: &str) -> Result<VolRef> {
        self.find_vol(|v| v.path.as_deref() == Some(path))
            .ok_or_else(|| no_vol(format!("no storage vol with matching path '{path}'")))
    }
    fn storage_vol_create_xml(&self, pool: &PoolRef, xml: &str, flags: u32) -> Result<VolRef> {
        self.new_vol(pool, xml, None, flags, "testStorageVolCreateXML")
    }
    fn storage_vol_create_xml_from(
        &self,
        pool: &PoolRef,
        xml: &str,
        clone: &VolRef,
        flags: u32,
    ) -> Result<VolRef> {
        self.new_vol(pool, xml, Some(clone), flags, "testStorageVolCreateXMLFrom")
    }
    fn storage_vol_delete(&self, vol: &VolRef, flags: u32) -> Result<()> {
        check("testStorageVolDelete", flags, 0)?;
        let mut pools = self.node.pools.write();
        let i = pools.active_by_name(&vol.pool)?;
        let p = &mut pools.list[i];
        let j = p
            .vols
            .iter()
            .position(|v| v.name == vol.name)
            .ok_or_else(|| no_vol(format!("no storage vol with matching name '{}'", vol.name)))?;
        let v = p.vols.remove(j);
        p.def.allocation = p.def.allocation.wrapping_sub(v.allocation);
        p.def.available = p.def.capacity.wrapping_sub(p.def.allocation);
        Ok(())
    }
    fn storage_vol_get_info(&self, vol: &VolRef) -> Result<VolInfo> {
        self.with_vol(vol, |p, v| {
            Ok(VolInfo {
                kind: POOL_TYPES[p.def.kind].vol_type,
                capacity: v.capacity,
                allocation: v.allocation,
            })
        })
    }
    fn storage_vol_get_xml_desc(&self, vol: &VolRef, flags: u32) -> Result<String> {
        check("testStorageVolGetXMLDesc", flags, 0)?;
        self.with_vol(vol, |p, v| Ok(format_vol(p.def.kind, v)))
    }
    fn storage_vol_get_path(&self, vol: &VolRef) -> Result<String> {
        self.with_vol(vol, |_, v| Ok(v.path.clone().unwrap_or_default()))
    }

    fn connect_storage_pool_event_register_any(
        &self,
        pool: Option<&PoolRef>,
        event_id: i32,
        cb: EventSink,
    ) -> Result<i32> {
        let filter = pool.map(|p| EventKey::Uuid(p.uuid));
        Ok(self
            .node
            .events
            .subscribe(EventFamily::StoragePool, event_id, filter, cb))
    }
    fn connect_storage_pool_event_deregister_any(&self, id: i32) -> Result<()> {
        self.node.events.unsubscribe(id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_sanitized_as_libvirt_does() {
        assert_eq!(sanitize_path("//x//y/"), "//x/y");
        assert_eq!(sanitize_path("///x/"), "/x");
        assert_eq!(sanitize_path("/"), "/");
        assert_eq!(sanitize_path("a//b"), "a/b");
    }

    #[test]
    fn sizes_scale_and_overflow() {
        assert_eq!(scale_bytes(1, Some("G")).unwrap(), 1 << 30);
        assert_eq!(scale_bytes(1, Some("GB")).unwrap(), 1_000_000_000);
        assert_eq!(scale_bytes(7, None).unwrap(), 7);
        assert!(scale_bytes(1, Some("Q")).is_err());
        assert!(scale_bytes(u64::MAX / 2, Some("K")).is_err());
    }

    #[test]
    fn default_pool_prints_as_libvirt() {
        let d = parse_pool(
            "<pool type='dir'><name>p</name><uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>\
             <target><path>/p</path></target></pool>",
        )
        .unwrap();
        let s = format_pool(&d);
        assert!(s.starts_with("<pool type='dir'>\n  <name>p</name>\n"));
        assert!(s.contains("  <source>\n  </source>\n  <target>\n    <path>/p</path>\n"));
    }
}
