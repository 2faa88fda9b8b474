//! Domain XML for the test driver: parsed with roxmltree, formatted in libvirt's layout.

use crate::core::{Code, Domain, Result, VirError};
use std::fmt::Write;

/// The test driver's XML namespace (`xmlns:test=…`).
pub(crate) const TEST_NS: &str = "http://libvirt.org/schemas/domain/test/1.0";

/// A domain definition: the parts the driver acts on, plus the devices kept as XML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainDef {
    pub virt_type: String,
    pub name: String,
    pub uuid: [u8; 16],
    /// KiB.
    pub memory: u64,
    /// KiB.
    pub current_memory: u64,
    pub vcpus: u32,
    pub os_type: String,
    pub arch: String,
    pub machine: Option<String>,
    pub boot_devs: Vec<String>,
    /// Other `<os>` children kept as libvirt keeps them, formatted at indent 4: those printed
    /// before `<boot>` (loader, nvram, kernel, …) and after it (bootmenu, smbios, bios, …).
    pub os_before_boot: String,
    pub os_after_boot: String,
    pub clock_offset: String,
    /// `<clock>` with its children, when it has any (formatted at indent 2).
    pub clock_xml: Option<String>,
    /// `current` attribute of `<vcpu>`.
    pub vcpus_current: Option<u32>,
    /// Other top-level elements libvirt keeps (features, cpu, seclabel, …), each with its
    /// rank in libvirt's element order, formatted at indent 2.
    pub extras: Vec<(u8, String)>,
    pub on_poweroff: String,
    pub on_reboot: String,
    pub on_crash: String,
    /// Each device element, formatted at the indentation of `<devices>`' children.
    pub devices: Vec<Device>,
    // ---- domain tuning (domtune): title, description and `<metadata>` (see metadata.rs).
    pub title: Option<String>,
    pub description: Option<String>,
    pub metadata: Option<super::metadata::MdElem>,
    // ---- pinning/iothreads/misc (pin): `<iothreads>`, `<iothreadids>`, `<cputune>`.
    pub pin: super::pinning::PinDef,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// Element name: disk, interface, serial, console, memballoon, …
    pub kind: String,
    /// The `type` attribute, when present (pty, unix, file, network…).
    pub dev_type: Option<String>,
    /// `<alias name=…>` if given.
    pub alias: Option<String>,
    /// `<source path=…>` if given.
    pub source_path: Option<String>,
    /// `<source mode=…>` if given.
    pub source_mode: Option<String>,
    pub xml: String,
}

/// What the test namespace says about a domain in a node file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestNs {
    pub runstate: Option<i32>,
    pub transient: bool,
    pub has_managed_save: bool,
    /// `<test:domainsnapshot>` elements, in order.
    pub snapshots: Vec<SnapSource>,
}

/// Where a node file's snapshot is: inline (re-serialized with root `<domainsnapshot>`), or in
/// the file `file=` names (relative to the node file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapSource {
    Inline(String),
    File(String),
}

pub fn xml_error(detail: impl AsRef<str>) -> VirError {
    VirError::detail(Domain::VIR_FROM_DOMAIN, Code::VIR_ERR_XML_ERROR, detail)
}

/// Scale a memory value by its unit into KiB as libvirt's `virDomainParseMemory` does
/// (`virScaleInteger` with libvirt's bound of `LLONG_MAX` bytes): overflow is an error.
pub fn scale_to_kib(value: u64, unit: Option<&str>) -> Result<u64> {
    const MAX: u64 = i64::MAX as u64;
    let suffix = unit.unwrap_or("");
    let lower = suffix.to_ascii_lowercase();
    let unknown = || {
        VirError::detail(
            Domain::VIR_FROM_NONE,
            Code::VIR_ERR_INVALID_ARG,
            format!("unknown suffix '{suffix}'"),
        )
    };
    let scale: u64 = if suffix.is_empty() {
        1024
    } else if matches!(lower.as_str(), "b" | "byte" | "bytes") {
        1
    } else {
        let rest = &lower[1..];
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
    if value > MAX / scale {
        return Err(VirError::detail(
            Domain::VIR_FROM_NONE,
            Code::VIR_ERR_OVERFLOW,
            format!("value too large: {value}{suffix}"),
        ));
    }
    let kib = (value * scale).div_ceil(1024);
    if kib >= MAX.div_ceil(1024) {
        return Err(VirError::detail(
            Domain::VIR_FROM_DOMAIN,
            Code::VIR_ERR_OVERFLOW,
            "size value too large",
        ));
    }
    Ok(kib)
}

/// XPath's `string()` of an element: its text, comments left out, nothing trimmed.
fn string_of(n: roxmltree::Node) -> String {
    n.descendants()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect()
}

/// `virStrToLong_ullp`: leading blanks and a `+` allowed, nothing after the digits.
fn strtoull(s: &str) -> Option<u64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let digits = t.strip_prefix('+').unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn child<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    n.children().find(|c| {
        c.is_element() && c.tag_name().name() == name && c.tag_name().namespace().is_none()
    })
}

fn text_of(n: Option<roxmltree::Node>) -> Option<String> {
    n.and_then(|n| n.text()).map(|t| t.trim().to_string())
}

fn parse_u64(s: &str, what: &str) -> Result<u64> {
    strtoull(s).ok_or_else(|| {
        VirError::detail(
            Domain::VIR_FROM_XML,
            Code::VIR_ERR_XML_ERROR,
            format!("Invalid value '{s}' for element or attribute '{what}'"),
        )
    })
}

/// The `type` attribute values libvirt knows (virDomainVirtType).
const VIRT_TYPES: &[&str] = &[
    "qemu",
    "kqemu",
    "kvm",
    "xen",
    "lxc",
    "uml",
    "openvz",
    "test",
    "vmware",
    "hyperv",
    "vbox",
    "phyp",
    "parallels",
    "bhyve",
    "vz",
    "hvf",
];

/// `virMacAddrParse`: six groups of one or two hex digits separated by colons, ended by the
/// end of the string or a blank; the address in libvirt's printed form.
pub(super) fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let b = s.as_bytes();
    let mut out = [0u8; 6];
    let mut i = 0;
    for (k, slot) in out.iter_mut().enumerate() {
        let start = i;
        while i < b.len() && b[i].is_ascii_hexdigit() && i - start < 3 {
            i += 1;
        }
        let len = i - start;
        if len == 0 || len > 2 {
            return None;
        }
        *slot = u8::from_str_radix(&s[start..i], 16).ok()?;
        if k == 5 {
            return (i == b.len() || b[i] <= b' ').then_some(out);
        }
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
    }
    None
}

fn format_mac(m: [u8; 6]) -> String {
    m.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The interface checks of libvirt's parser: a MAC address must parse and be unicast.
fn check_interfaces(devs: roxmltree::Node) -> Result<()> {
    for i in devs
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "interface")
    {
        if let Some(a) = child(i, "mac").and_then(|m| m.attribute("address")) {
            match parse_mac(a) {
                None => return Err(xml_error(format!("unable to parse mac address '{a}'"))),
                Some(m) if m[0] & 1 == 1 => {
                    return Err(xml_error(format!(
                        "expected unicast mac address, found multicast '{a}'"
                    )));
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

/// virDomainDiskDefValidate's source check: a disk (not a cdrom, floppy or lun) of a local
/// type needs a source path, a network disk a source.
fn check_disk_sources(devs: roxmltree::Node) -> Result<()> {
    for d in devs
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "disk")
    {
        if d.attribute("device").unwrap_or("disk") != "disk" {
            continue;
        }
        let source = child(d, "source");
        let empty = match d.attribute("type").unwrap_or("file") {
            t @ ("file" | "block" | "dir") => {
                let attr = match t {
                    "file" => "file",
                    "block" => "dev",
                    _ => "dir",
                };
                source
                    .and_then(|s| s.attribute(attr))
                    .is_none_or(str::is_empty)
            }
            "network" => source.is_none(),
            _ => false,
        };
        if empty {
            let dst = child(d, "target")
                .and_then(|t| t.attribute("dev"))
                .unwrap_or("");
            return Err(VirError::new(
                Domain::VIR_FROM_DOMAIN,
                Code::VIR_ERR_NO_SOURCE,
                Some(dst),
            ));
        }
    }
    Ok(())
}

/// virDomainDiskDefValidate's first check, and the disk name check of the parser.
fn check_disk_targets(devs: roxmltree::Node) -> Result<()> {
    for d in devs
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "disk")
    {
        match child(d, "target").and_then(|t| t.attribute("dev")) {
            None => {
                let path = child(d, "source").and_then(|s| {
                    ["file", "dev", "dir", "name"]
                        .iter()
                        .find_map(|a| s.attribute(*a))
                });
                return Err(VirError::new(
                    Domain::VIR_FROM_DOMAIN,
                    Code::VIR_ERR_NO_TARGET,
                    path,
                ));
            }
            Some("") if child(d, "address").is_none() => {
                return Err(xml_error("Unknown disk name '' and no address specified"));
            }
            Some(_) => {}
        }
        let bad_enum = |attr: &str, v: &str| {
            VirError::detail(
                Domain::VIR_FROM_XML,
                Code::VIR_ERR_XML_ERROR,
                format!("Invalid value for attribute '{attr}' in element 'disk': '{v}'."),
            )
        };
        if let Some(t) = d.attribute("type")
            && ![
                "file",
                "block",
                "dir",
                "network",
                "volume",
                "nvme",
                "vhostuser",
            ]
            .contains(&t)
        {
            return Err(bad_enum("type", t));
        }
        if let Some(v) = d.attribute("device")
            && !["floppy", "disk", "cdrom", "lun"].contains(&v)
        {
            return Err(bad_enum("device", v));
        }
    }
    for c in devs.children().filter(|c| {
        c.is_element()
            && matches!(
                c.tag_name().name(),
                "serial" | "parallel" | "console" | "channel"
            )
    }) {
        if let Some(t) = c.attribute("type")
            && !CHR_TYPES.contains(&t)
        {
            return Err(VirError::detail(
                Domain::VIR_FROM_DOMAIN,
                Code::VIR_ERR_CONFIG_UNSUPPORTED,
                format!("unknown type presented to host for character device: {t}"),
            ));
        }
    }
    Ok(())
}

/// virDomainChrType names.
const CHR_TYPES: &[&str] = &[
    "null",
    "vc",
    "pty",
    "dev",
    "file",
    "pipe",
    "stdio",
    "udp",
    "tcp",
    "unix",
    "spicevmc",
    "spiceport",
    "nmdm",
    "qemu-vdagent",
    "dbus",
];

/// virDomainOSType names.
const OS_TYPES: &[&str] = &["hvm", "xen", "linux", "exe", "uml", "xenpvh"];

/// libvirt's architecture names (`virArch`, without "none", which no name gives).
pub(super) const ARCHES: &[&str] = &[
    "alpha",
    "armv6l",
    "armv7l",
    "armv7b",
    "aarch64",
    "cris",
    "i686",
    "ia64",
    "lm32",
    "m68k",
    "microblaze",
    "microblazeel",
    "mips",
    "mipsel",
    "mips64",
    "mips64el",
    "openrisc",
    "parisc",
    "parisc64",
    "ppc",
    "ppcle",
    "ppc64",
    "ppc64le",
    "ppcemb",
    "riscv32",
    "riscv64",
    "s390",
    "s390x",
    "sh4",
    "sh4eb",
    "sparc",
    "sparc64",
    "unicore32",
    "x86_64",
    "xtensa",
    "xtensaeb",
];

/// virDomainFeature names, in libvirt's output order.
const FEATURES: &[&str] = &[
    "acpi",
    "apic",
    "pae",
    "hap",
    "viridian",
    "privnet",
    "hyperv",
    "kvm",
    "pvspinlock",
    "capabilities",
    "pmu",
    "vmport",
    "gic",
    "smm",
    "ioapic",
    "hpt",
    "vmcoreinfo",
    "htm",
    "nested-hv",
    "msrs",
    "ccf-assist",
    "xen",
    "cfpc",
    "sbbc",
    "ibs",
    "tcg",
];

/// Features that are plain switches in libvirt: printed as `<name/>` whatever they held.
const SWITCH_FEATURES: &[&str] = &["acpi", "pae", "viridian", "privnet", "vmcoreinfo"];

/// `<features>` as libvirt prints it: in its order, switches bare, nothing when empty.
fn format_features(out: &mut String, f: roxmltree::Node) {
    let mut items: Vec<roxmltree::Node> = f.children().filter(|c| c.is_element()).collect();
    if items.is_empty() {
        return;
    }
    items.sort_by_key(|c| FEATURES.iter().position(|n| *n == c.tag_name().name()));
    items.dedup_by_key(|c| c.tag_name().name());
    out.push_str("  <features>\n");
    for c in items {
        let name = c.tag_name().name();
        if SWITCH_FEATURES.contains(&name) {
            let _ = writeln!(out, "    <{name}/>");
        } else {
            format_element(out, c, 4);
        }
    }
    out.push_str("  </features>\n");
}

/// The device elements libvirt parses; others are dropped, as libvirt drops them.
const DEVICE_KINDS: &[&str] = &[
    "disk",
    "controller",
    "lease",
    "filesystem",
    "interface",
    "input",
    "sound",
    "hostdev",
    "graphics",
    "video",
    "hub",
    "redirdev",
    "smartcard",
    "serial",
    "parallel",
    "console",
    "channel",
    "memballoon",
    "watchdog",
    "rng",
    "panic",
    "shmem",
    "memory",
    "iommu",
    "vsock",
    "tpm",
    "nvram",
    "audio",
    "crypto",
];

/// Top-level elements kept (besides those modelled), in libvirt's output order; `Rank` names
/// the positions the formatter needs.
pub(super) const TOP_LEVEL_KEPT: &[&str] = &[
    "genid",
    "title",
    "description",
    "metadata",
    "maxMemory",
    "blkiotune",
    "memtune",
    "memoryBacking",
    "vcpus",
    "iothreads",
    "iothreadids",
    "cputune",
    "numatune",
    "resource",
    "sysinfo",
    "bootloader",
    "bootloader_args",
    "idmap",
    "features",
    "cpu",
    "on_lockfailure",
    "pm",
    "perf",
    "seclabel",
    "keywrap",
    "launchSecurity",
];

/// Where the kept elements go: `[A, B)` ranges of `TOP_LEVEL_KEPT` indexes.
const BEFORE_MEMORY: (u8, u8) = (0, 5);
const BEFORE_VCPU: (u8, u8) = (5, 8);
const BEFORE_OS: (u8, u8) = (8, 17);
const BEFORE_CLOCK: (u8, u8) = (17, 20);
const BEFORE_DEVICES: (u8, u8) = (20, 23);
const AFTER_DEVICES: (u8, u8) = (23, 26);

/// pin scope: the ranks of `iothreads`, `iothreadids` and `cputune` in `TOP_LEVEL_KEPT`.
const PIN_RANKS: [u8; 3] = [9, 10, 11];

/// `<os>` children kept before the `<boot>` elements, and after them.
const OS_BEFORE_BOOT: &[&str] = &[
    "firmware",
    "loader",
    "nvram",
    "init",
    "initarg",
    "initenv",
    "initdir",
    "inituser",
    "initgroup",
    "kernel",
    "initrd",
    "cmdline",
    "dtb",
    "acpi",
];
const OS_AFTER_BOOT: &[&str] = &["bootmenu", "smbios", "bios"];

const POWER_ACTIONS: &[&str] = &["destroy", "restart", "rename-restart", "preserve"];
const CRASH_ACTIONS: &[&str] = &[
    "destroy",
    "restart",
    "rename-restart",
    "preserve",
    "coredump-destroy",
    "coredump-restart",
];

/// Parse a `<domain>` document.
pub fn parse_domain(text: &str) -> Result<(DomainDef, TestNs)> {
    parse_domain_from(
        text,
        super::parse::Origin {
            url: "(domain_definition)",
            domain: Domain::VIR_FROM_DOMAIN,
            file: false,
        },
    )
}

/// Parse a `<domain>` document read from `origin` (a `file=` target names its file).
pub fn parse_domain_from(text: &str, origin: super::parse::Origin) -> Result<(DomainDef, TestNs)> {
    let doc = super::parse::parse(text, origin)?;
    parse_domain_node(doc.root_element())
}

pub fn parse_domain_node(root: roxmltree::Node) -> Result<(DomainDef, TestNs)> {
    if root.tag_name().name() != "domain" {
        return Err(VirError::detail(
            Domain::VIR_FROM_XML,
            Code::VIR_ERR_XML_ERROR,
            format!(
                "expecting root element of 'domain', not '{}'",
                root.tag_name().name()
            ),
        ));
    }
    let virt_type = root
        .attribute("type")
        .ok_or_else(|| {
            VirError::internal(Domain::VIR_FROM_DOMAIN, "missing domain type attribute")
        })?
        .to_string();
    if !VIRT_TYPES.contains(&virt_type.as_str()) {
        return Err(VirError::detail(
            Domain::VIR_FROM_DOMAIN,
            Code::VIR_ERR_CONFIG_UNSUPPORTED,
            format!("invalid domain type {virt_type}"),
        ));
    }
    let name = child(root, "name")
        .map(string_of)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| VirError::new(Domain::VIR_FROM_DOMAIN, Code::VIR_ERR_NO_NAME, None))?;
    let uuid = match text_of(child(root, "uuid")) {
        Some(u) => crate::core::uuid::parse(&u)
            .ok_or_else(|| VirError::internal(Domain::VIR_FROM_DOMAIN, "malformed uuid element"))?,
        None => random_uuid(),
    };
    // virParseScaledValue: an empty element counts as absent; 0 KiB as no size at all.
    let scaled = |name: &str| -> Result<u64> {
        let Some(n) = child(root, name).filter(|n| !string_of(*n).is_empty()) else {
            return Ok(0);
        };
        let unit = n.attribute("unit").filter(|u| !u.is_empty());
        scale_to_kib(parse_u64(&string_of(n), &format!("./{name}[1]"))?, unit)
    };
    let memory = scaled("memory")?;
    let current_memory = match scaled("currentMemory")? {
        0 => memory,
        c => c.min(memory),
    };
    let vcpus = match child(root, "vcpu").map(string_of).filter(|v| !v.is_empty()) {
        Some(v) => strtoull(&v)
            .filter(|_| !v.starts_with(char::is_whitespace))
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| xml_error("maximum vcpus count must be an integer"))?,
        None => 1,
    };
    let vcpus_current_attr = match child(root, "vcpu").and_then(|v| v.attribute("current")) {
        Some(c) => Some(
            strtoull(c)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| {
                    VirError::detail(
                        Domain::VIR_FROM_XML,
                        Code::VIR_ERR_XML_ERROR,
                        format!(
                            "Invalid value for attribute 'current' in element 'vcpu': '{c}'. \
                             Expected non-negative integer value"
                        ),
                    )
                })?,
        ),
        None => None,
    };
    let os = child(root, "os");
    let os_type_node = os.and_then(|o| child(o, "type"));
    let os_type = os_type_node
        .map(string_of)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| xml_error("an os <type> must be specified"))?;
    if !OS_TYPES.contains(&os_type.as_str()) {
        return Err(VirError::detail(
            Domain::VIR_FROM_DOMAIN,
            Code::VIR_ERR_CONFIG_UNSUPPORTED,
            format!("unknown OS type '{os_type}'"),
        ));
    }
    let arch = os_type_node
        .and_then(|t| t.attribute("arch"))
        .unwrap_or("i686")
        .to_string();
    if !ARCHES.contains(&arch.as_str()) {
        return Err(VirError::detail(
            Domain::VIR_FROM_DOMAIN,
            Code::VIR_ERR_CONFIG_UNSUPPORTED,
            format!("Unknown architecture {arch}"),
        ));
    }
    if os_type == "exe" && os.and_then(|o| child(o, "init")).is_none() {
        return Err(xml_error("init binary must be specified"));
    }
    if let Some(f) = child(root, "features") {
        for c in f.children().filter(|c| c.is_element()) {
            if !FEATURES.contains(&c.tag_name().name()) {
                return Err(VirError::detail(
                    Domain::VIR_FROM_DOMAIN,
                    Code::VIR_ERR_CONFIG_UNSUPPORTED,
                    format!("unexpected feature '{}'", c.tag_name().name()),
                ));
            }
        }
    }
    if child(root, "title").is_some_and(|t| string_of(t).contains('\n')) {
        return Err(xml_error("Domain title can't contain newlines"));
    }
    let machine = os_type_node
        .and_then(|t| t.attribute("machine"))
        .map(str::to_string);
    let mut boot_devs: Vec<String> = os
        .map(|o| {
            o.children()
                .filter(|c| c.is_element() && c.tag_name().name() == "boot")
                .filter_map(|c| c.attribute("dev").map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if let Some(b) = boot_devs
        .iter()
        .find(|b| !["fd", "hd", "cdrom", "network"].contains(&b.as_str()))
    {
        return Err(VirError::detail(
            Domain::VIR_FROM_XML,
            Code::VIR_ERR_XML_ERROR,
            format!("Invalid value for attribute 'dev' in element 'boot': '{b}'."),
        ));
    }
    if boot_devs.is_empty() && os_type == "hvm" {
        boot_devs.push("hd".to_string());
    }
    let clock_offset = child(root, "clock")
        .and_then(|c| c.attribute("offset"))
        .unwrap_or("utc")
        .to_string();
    let lifecycle = |n: &str, def: &str, allowed: &[&str]| -> Result<String> {
        match child(root, n).map(string_of).filter(|v| !v.is_empty()) {
            None => Ok(def.to_string()),
            Some(v) if allowed.contains(&v.as_str()) => Ok(v),
            Some(v) => Err(VirError::detail(
                Domain::VIR_FROM_DOMAIN,
                Code::VIR_ERR_CONFIG_UNSUPPORTED,
                format!("unknown {n} action: {v}"),
            )),
        }
    };
    if let Some(devs) = child(root, "devices") {
        check_disk_targets(devs)?;
        check_interfaces(devs)?;
    }
    let devices = match child(root, "devices") {
        Some(devs) => parse_devices(devs, &os_type),
        None => Vec::new(),
    };
    let mut os_before_boot = String::new();
    let mut os_after_boot = String::new();
    if let Some(o) = os {
        for c in o.children().filter(|c| c.is_element()) {
            let n = c.tag_name().name();
            if OS_BEFORE_BOOT.contains(&n) {
                format_element(&mut os_before_boot, c, 4);
            } else if OS_AFTER_BOOT.contains(&n) {
                format_element(&mut os_after_boot, c, 4);
            }
        }
    }
    let clock_xml = child(root, "clock")
        .filter(|c| c.children().any(|e| e.is_element()))
        .map(|c| {
            let mut x = String::new();
            format_element(&mut x, c, 2);
            x
        });
    if vcpus_current_attr.is_some_and(|c| c > vcpus) {
        return Err(VirError::detail(
            Domain::VIR_FROM_DOMAIN,
            Code::VIR_ERR_CONFIG_UNSUPPORTED,
            "maximum vCPU count must not be less than current vCPU count",
        ));
    }
    let vcpus_current = vcpus_current_attr.filter(|&c| c != vcpus);
    let mut extras = Vec::new();
    for c in root
        .children()
        .filter(|c| c.is_element() && c.tag_name().namespace().is_none())
        .filter(|c| !SEPARATE.contains(&c.tag_name().name()))
    {
        if let Some(rank) = TOP_LEVEL_KEPT
            .iter()
            .position(|n| *n == c.tag_name().name())
        {
            let mut x = String::new();
            if c.tag_name().name() == "features" {
                format_features(&mut x, c);
            } else if c.tag_name().name() == "cpu" {
                super::cpu_xml::format_guest_cpu(&mut x, c)?;
            } else {
                format_element(&mut x, c, 2);
            }
            if !x.is_empty() {
                extras.push((rank as u8, x));
            }
        }
    }
    extras.sort_by_key(|e| e.0);
    // pin scope: IOThreads and `<cputune>` are modelled (pinning.rs), not kept as XML.
    extras.retain(|e| !PIN_RANKS.contains(&e.0));
    let pin = super::pinning::parse(root, vcpus)?;
    if memory == 0 {
        return Err(xml_error(
            "Memory size must be specified via <memory> or in the <numa> configuration",
        ));
    }
    if vcpus == 0 {
        return Err(VirError::internal(
            Domain::VIR_FROM_DOMAIN,
            "CPU IDs in <numa> exceed the <vcpu> count",
        ));
    }
    if name.contains('/') {
        return Err(xml_error(format!("name {name} cannot contain '/'")));
    }
    if let Some(devs) = child(root, "devices") {
        check_disk_sources(devs)?;
    }
    let def = DomainDef {
        virt_type,
        name,
        uuid,
        memory,
        current_memory,
        vcpus,
        os_type,
        arch,
        machine,
        boot_devs,
        os_before_boot,
        os_after_boot,
        clock_offset,
        clock_xml,
        vcpus_current,
        extras,
        on_poweroff: lifecycle("on_poweroff", "destroy", POWER_ACTIONS)?,
        on_reboot: lifecycle("on_reboot", "restart", POWER_ACTIONS)?,
        on_crash: lifecycle("on_crash", "destroy", CRASH_ACTIONS)?,
        devices,
        title: string_value(child(root, "title")),
        description: string_value(child(root, "description")),
        metadata: child(root, "metadata").map(|m| {
            let mut e = super::metadata::MdElem::from_node(m, true);
            e.sanitize();
            e
        }),
        pin,
    };
    Ok((def, parse_test_ns(root)?))
}

fn parse_test_ns(root: roxmltree::Node) -> Result<TestNs> {
    let mut ns = TestNs::default();
    for c in root
        .children()
        .filter(|c| c.is_element() && c.tag_name().namespace() == Some(TEST_NS))
    {
        match c.tag_name().name() {
            "runstate" => {
                let t = c.text().unwrap_or("").trim();
                let v: i32 = t.parse().map_err(|_| xml_error("invalid runstate"))?;
                if !(0..8).contains(&v) {
                    return Err(xml_error(format!("runstate '{v}' out of range'")));
                }
                ns.runstate = Some(v);
            }
            "transient" => ns.transient = true,
            "hasmanagedsave" => ns.has_managed_save = true,
            "domainsnapshot" => ns.snapshots.push(match c.attribute("file") {
                Some(f) => SnapSource::File(f.to_string()),
                None => {
                    let mut x = String::new();
                    format_element(&mut x, c, 0);
                    SnapSource::Inline(x)
                }
            }),
            _ => {}
        }
    }
    if ns.transient && ns.runstate == Some(5) {
        return Err(xml_error("transient domain cannot have runstate 'shutoff'"));
    }
    if ns.has_managed_save && ns.runstate != Some(5) {
        return Err(xml_error(
            "domain with managedsave data can only have runstate 'shutoff'",
        ));
    }
    Ok(ns)
}

/// A fresh random UUID, as libvirt generates for a definition without one.
pub fn random_uuid() -> [u8; 16] {
    use std::io::Read;
    let mut u = [0u8; 16];
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        let _ = f.read_exact(&mut u);
    }
    u[6] = (u[6] & 0x0f) | 0x40;
    u[8] = (u[8] & 0x3f) | 0x80;
    u
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
}

/// Top-level elements parsed into their own fields (not kept in `extras`).
const SEPARATE: &[&str] = &["title", "description", "metadata"];

/// XPath `string(node)`: the text of every descendant; `None` when empty (virXPathString).
pub(super) fn string_value(n: Option<roxmltree::Node>) -> Option<String> {
    let s: String = n?
        .descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect();
    Some(s).filter(|s| !s.is_empty())
}

/// virBufferEscapeString: markup characters and quotes escaped, other control characters
/// than tab, newline and carriage return dropped.
pub(crate) fn escape_string(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '\'' => o.push_str("&apos;"),
            '"' => o.push_str("&quot;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 => {}
            c => o.push(c),
        }
    }
    o
}

fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Serialize one element subtree the way libvirt prints XML: two-space indentation, attributes
/// in single quotes, empty elements self-closed.
pub fn format_element(out: &mut String, n: roxmltree::Node, indent: usize) {
    let pad = " ".repeat(indent);
    let name = n.tag_name().name();
    let _ = write!(out, "{pad}<{name}");
    for a in n.attributes() {
        let _ = write!(out, " {}='{}'", a.name(), escape_attr(a.value()));
    }
    let elems: Vec<_> = n.children().filter(|c| c.is_element()).collect();
    let text: String = n
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect::<String>();
    let text = text.trim();
    if elems.is_empty() {
        if text.is_empty() {
            out.push_str("/>\n");
        } else {
            let _ = writeln!(out, ">{}</{name}>", escape_text(text));
        }
        return;
    }
    out.push_str(">\n");
    for e in elems {
        format_element(out, e, indent + 2);
    }
    let _ = writeln!(out, "{pad}</{name}>");
}

/// `virDomainGetXMLDesc`: the definition in libvirt's layout; `id` is printed when active.
pub fn format_domain(def: &DomainDef, id: i32) -> String {
    let mut s = String::with_capacity(1024);
    if id >= 0 {
        let _ = writeln!(
            s,
            "<domain type='{}' id='{id}'>",
            escape_attr(&def.virt_type)
        );
    } else {
        let _ = writeln!(s, "<domain type='{}'>", escape_attr(&def.virt_type));
    }
    let _ = writeln!(s, "  <name>{}</name>", escape_text(&def.name));
    let _ = writeln!(s, "  <uuid>{}</uuid>", crate::core::uuid::format(&def.uuid));
    let extras = |s: &mut String, (from, to): (u8, u8)| {
        for (_, x) in def.extras.iter().filter(|e| e.0 >= from && e.0 < to) {
            s.push_str(x);
        }
    };
    // genid, then title, description and metadata (kept apart), then maxMemory.
    extras(&mut s, (BEFORE_MEMORY.0, 1));
    if let Some(t) = &def.title {
        let _ = writeln!(s, "  <title>{}</title>", escape_string(t));
    }
    if let Some(t) = &def.description {
        let _ = writeln!(s, "  <description>{}</description>", escape_string(t));
    }
    if let Some(m) = &def.metadata {
        super::metadata::format(m, &mut s);
    }
    extras(&mut s, (4, BEFORE_MEMORY.1));
    let _ = writeln!(s, "  <memory unit='KiB'>{}</memory>", def.memory);
    let _ = writeln!(
        s,
        "  <currentMemory unit='KiB'>{}</currentMemory>",
        def.current_memory
    );
    extras(&mut s, BEFORE_VCPU);
    match def.vcpus_current {
        Some(c) => {
            let _ = writeln!(
                s,
                "  <vcpu placement='static' current='{c}'>{}</vcpu>",
                def.vcpus
            );
        }
        None => {
            let _ = writeln!(s, "  <vcpu placement='static'>{}</vcpu>", def.vcpus);
        }
    }
    // pin scope: iothreads, iothreadids and cputune come from the model.
    extras(&mut s, (BEFORE_OS.0, PIN_RANKS[0]));
    super::pinning::format(&def.pin, def.vcpus, &mut s);
    extras(&mut s, (PIN_RANKS[2] + 1, BEFORE_OS.1));
    s.push_str("  <os>\n");
    match &def.machine {
        Some(m) => {
            let _ = writeln!(
                s,
                "    <type arch='{}' machine='{}'>{}</type>",
                escape_attr(&def.arch),
                escape_attr(m),
                escape_text(&def.os_type)
            );
        }
        None => {
            let _ = writeln!(
                s,
                "    <type arch='{}'>{}</type>",
                escape_attr(&def.arch),
                escape_text(&def.os_type)
            );
        }
    }
    s.push_str(&def.os_before_boot);
    for b in &def.boot_devs {
        let _ = writeln!(s, "    <boot dev='{}'/>", escape_attr(b));
    }
    s.push_str(&def.os_after_boot);
    s.push_str("  </os>\n");
    extras(&mut s, BEFORE_CLOCK);
    match &def.clock_xml {
        Some(x) => s.push_str(x),
        None => {
            let _ = writeln!(s, "  <clock offset='{}'/>", escape_attr(&def.clock_offset));
        }
    }
    let _ = writeln!(s, "  <on_poweroff>{}</on_poweroff>", def.on_poweroff);
    let _ = writeln!(s, "  <on_reboot>{}</on_reboot>", def.on_reboot);
    let _ = writeln!(s, "  <on_crash>{}</on_crash>", def.on_crash);
    extras(&mut s, BEFORE_DEVICES);
    if def.devices.is_empty() {
        s.push_str("  <devices>\n  </devices>\n");
    } else {
        s.push_str("  <devices>\n");
        for d in &def.devices {
            s.push_str(&d.xml);
        }
        s.push_str("  </devices>\n");
    }
    extras(&mut s, AFTER_DEVICES);
    s.push_str("</domain>\n");
    s
}

/// An owned XML element, for the device normalisations libvirt applies when it parses.
#[derive(Clone, Debug, Default)]
struct Elem {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Elem>,
    text: String,
}

impl Elem {
    fn from_node(n: roxmltree::Node) -> Elem {
        Elem {
            name: n.tag_name().name().to_string(),
            attrs: n
                .attributes()
                .map(|a| (a.name().to_string(), a.value().to_string()))
                .collect(),
            children: n
                .children()
                .filter(|c| c.is_element())
                .map(Elem::from_node)
                .collect(),
            text: n
                .children()
                .filter(|c| c.is_text())
                .filter_map(|c| c.text())
                .collect::<String>()
                .trim()
                .to_string(),
        }
    }
    fn new(name: &str, attrs: &[(&str, &str)]) -> Elem {
        Elem {
            name: name.to_string(),
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        }
    }
    fn attr(&self, k: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    }
    /// Set an attribute, appending it if new.
    fn set(&mut self, k: &str, v: &str) {
        match self.attrs.iter_mut().find(|(n, _)| n == k) {
            Some(a) => a.1 = v.to_string(),
            None => self.attrs.push((k.to_string(), v.to_string())),
        }
    }
    /// Set an attribute if absent, placing it right after `after` when that one exists.
    fn default_attr(&mut self, k: &str, v: &str, after: Option<&str>) {
        if self.attr(k).is_some() {
            return;
        }
        let pos = after
            .and_then(|a| self.attrs.iter().position(|(n, _)| n == a))
            .map(|p| p + 1)
            .unwrap_or(self.attrs.len());
        self.attrs.insert(pos, (k.to_string(), v.to_string()));
    }
    fn child(&self, name: &str) -> Option<&Elem> {
        self.children.iter().find(|c| c.name == name)
    }
    fn child_mut(&mut self, name: &str) -> Option<&mut Elem> {
        self.children.iter_mut().find(|c| c.name == name)
    }
    /// Order children by their rank in `order` (unknown names keep their place after the
    /// last known one before them; stable).
    fn order_children(&mut self, order: &[&str]) {
        let mut last = 0;
        let mut keyed: Vec<(usize, Elem)> = Vec::new();
        for c in self.children.drain(..) {
            if let Some(r) = order.iter().position(|n| *n == c.name) {
                last = r;
            }
            keyed.push((order.iter().position(|n| *n == c.name).unwrap_or(last), c));
        }
        keyed.sort_by_key(|k| k.0);
        self.children = keyed.into_iter().map(|k| k.1).collect();
    }
    fn format(&self, out: &mut String, indent: usize) {
        let pad = " ".repeat(indent);
        let _ = write!(out, "{pad}<{}", self.name);
        for (k, v) in &self.attrs {
            let _ = write!(out, " {k}='{}'", escape_attr(v));
        }
        if self.children.is_empty() {
            if self.text.is_empty() {
                out.push_str("/>\n");
            } else {
                let _ = writeln!(out, ">{}</{}>", escape_text(&self.text), self.name);
            }
            return;
        }
        out.push_str(">\n");
        for c in &self.children {
            c.format(out, indent + 2);
        }
        let _ = writeln!(out, "{pad}</{}>", self.name);
    }
}

/// libvirt's order of the device kinds in `<devices>`.
const DEVICE_ORDER: &[&str] = &[
    "emulator",
    "disk",
    "controller",
    "lease",
    "filesystem",
    "interface",
    "smartcard",
    "serial",
    "parallel",
    "console",
    "channel",
    "input",
    "tpm",
    "graphics",
    "sound",
    "audio",
    "video",
    "hostdev",
    "redirdev",
    "redirfilter",
    "hub",
    "watchdog",
    "memballoon",
    "rng",
    "nvram",
    "panic",
    "shmem",
    "memory",
    "iommu",
    "vsock",
    "crypto",
];

pub(super) const DISK_CHILDREN: &[&str] = &[
    "driver",
    "source",
    "backingStore",
    "backenddomain",
    "target",
    "blockio",
    "iotune",
    "mirror",
    "auth",
    "encryption",
    "readonly",
    "shareable",
    "transient",
    "serial",
    "wwn",
    "vendor",
    "product",
    "geometry",
    "boot",
    "alias",
    "address",
];

const CHARDEV_CHILDREN: &[&str] = &["source", "protocol", "log", "target", "alias", "address"];

/// Disks are placed as libvirt's parser inserts them, one by one in document order: before the
/// first disk of the same bus (as written: a bus libvirt derives later counts as none) with a
/// higher target index, else right after the last disk of that bus, else at the end.
/// `elems` is sorted by kind already; `keys` are (written bus, index) in document order.
fn sort_disks(elems: &mut Vec<Elem>, keys: &[(Option<String>, u32)]) {
    let Some(start) = elems.iter().position(|e| e.name == "disk") else {
        return;
    };
    let end = start
        + elems[start..]
            .iter()
            .take_while(|e| e.name == "disk")
            .count();
    let disks: Vec<Elem> = elems.drain(start..end).collect();
    let mut out: Vec<(usize, Elem)> = Vec::with_capacity(disks.len());
    for (n, d) in disks.into_iter().enumerate() {
        let (bus, idx) = &keys[n.min(keys.len().saturating_sub(1))];
        let mut at: Option<usize> = None;
        for i in (0..out.len()).rev() {
            let (b, x) = &keys[out[i].0];
            if b != bus {
                continue;
            }
            if x > idx {
                at = Some(i);
            } else if at.is_none() {
                at = Some(i + 1);
            }
        }
        match at {
            Some(i) => out.insert(i, (n, d)),
            None => out.push((n, d)),
        }
    }
    for (i, (_, d)) in out.into_iter().enumerate() {
        elems.insert(start + i, d);
    }
}

pub(super) const NET_CHILDREN: &[&str] = &[
    "mac",
    "source",
    "virtualport",
    "ip",
    "route",
    "script",
    "downscript",
    "backenddomain",
    "target",
    "guest",
    "model",
    "driver",
    "backend",
    "filterref",
    "tune",
    "teaming",
    "link",
    "mtu",
    "bandwidth",
    "vlan",
    "coalesce",
    "port",
    "boot",
    "rom",
    "alias",
    "address",
];

/// A disk target name's index: `hda` 0, `hdc` 2, `sdz` 25, `sdaa` 26.
fn disk_index(dev: &str) -> Option<u32> {
    let letters = ["hd", "sd", "vd", "xvd", "ubd", "fd"]
        .iter()
        .find_map(|p| dev.strip_prefix(p))?;
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    // libvirt computes this in a C int; a name whose index does not fit one (a fuzzer's
    // `vddescriptiona`) is no disk name.
    let mut idx: i32 = 0;
    for (i, b) in letters.bytes().enumerate() {
        let v = (b - b'a') as i32;
        idx = if i == 0 {
            v
        } else {
            idx.checked_add(1)?.checked_mul(26)?.checked_add(v)?
        };
    }
    u32::try_from(idx).ok()
}

/// The disk bus libvirt derives from a target name.
fn default_bus(dev: &str, device: &str) -> Option<&'static str> {
    if device == "floppy" {
        return Some("fdc");
    }
    [
        ("hd", "ide"),
        ("sd", "scsi"),
        ("vd", "virtio"),
        ("xvd", "xen"),
        ("ubd", "uml"),
        ("fd", "fdc"),
    ]
    .iter()
    .find(|(p, _)| dev.starts_with(p))
    .map(|(_, b)| *b)
}

/// A random MAC address in libvirt's default prefix.
fn random_mac() -> String {
    let u = random_uuid();
    format!("52:54:00:{:02x}:{:02x}:{:02x}", u[0], u[1], u[2])
}

/// Parse `<devices>` and apply what libvirt's parser and the test driver add: disk buses,
/// read-only cdroms/floppies, drive addresses and their implicit controllers, interface MAC
/// addresses and `testnetN` target names, serial ports and the implicit console, graphics
/// listens, video model defaults; aliases other than user aliases (`ua-…`) are dropped; the
/// devices come out in libvirt's order.
fn parse_devices(devs: roxmltree::Node, os_type: &str) -> Vec<Device> {
    let mut elems: Vec<Elem> = devs
        .children()
        .filter(|c| {
            c.is_element()
                && c.tag_name().namespace().is_none()
                && (DEVICE_KINDS.contains(&c.tag_name().name())
                    || c.tag_name().name() == "emulator")
        })
        .map(Elem::from_node)
        .collect();
    for e in elems.iter_mut() {
        e.children
            .retain(|c| c.name != "alias" || c.attr("name").is_some_and(|n| n.starts_with("ua-")));
    }
    // The order of the disks depends on the buses as written (see sort_disks).
    let disk_keys: Vec<(Option<String>, u32)> = elems
        .iter()
        .filter(|e| e.name == "disk")
        .map(|e| {
            let t = e.child("target");
            (
                t.and_then(|t| t.attr("bus")).map(str::to_string),
                t.and_then(|t| t.attr("dev"))
                    .and_then(disk_index)
                    .unwrap_or(0),
            )
        })
        .collect();
    // Disks: bus, readonly, drive address; the controllers they need.
    let mut needed: Vec<(&'static str, u32)> = Vec::new();
    for e in elems.iter_mut().filter(|e| e.name == "disk") {
        let device = e.attr("device").unwrap_or("disk").to_string();
        let Some(target) = e.child_mut("target") else {
            continue;
        };
        let dev = target.attr("dev").unwrap_or("").to_string();
        if let Some(bus) = default_bus(&dev, &device) {
            target.default_attr("bus", bus, Some("dev"));
        }
        let bus = target.attr("bus").unwrap_or("").to_string();
        if device == "cdrom" && e.child("readonly").is_none() {
            e.children.push(Elem::new("readonly", &[]));
        }
        let kind: &'static str = match bus.as_str() {
            "ide" => "ide",
            "scsi" => "scsi",
            "sata" => "sata",
            "fdc" => "fdc",
            _ => "",
        };
        if kind.is_empty() {
            e.order_children(DISK_CHILDREN);
            continue;
        }
        if e.child("address").is_none()
            && let Some(idx) = disk_index(&dev)
        {
            {
                let (c, b, u) = match kind {
                    "ide" => (idx / 4, (idx % 4) / 2, idx % 2),
                    "scsi" => (idx / 7, 0, idx % 7),
                    "sata" => (idx / 6, 0, idx % 6),
                    _ => (idx / 2, 0, idx % 2),
                };
                let (c, b, u) = (c.to_string(), b.to_string(), u.to_string());
                e.children.push(Elem::new(
                    "address",
                    &[
                        ("type", "drive"),
                        ("controller", &c),
                        ("bus", &b),
                        ("target", "0"),
                        ("unit", &u),
                    ],
                ));
            }
        }
        if let Some(c) = e
            .child("address")
            .filter(|a| a.attr("type") == Some("drive"))
            .and_then(|a| a.attr("controller"))
            .and_then(|c| c.parse::<u32>().ok())
        {
            for i in 0..=c.min(31) {
                if !needed.contains(&(kind, i)) {
                    needed.push((kind, i));
                }
            }
        }
        e.order_children(DISK_CHILDREN);
    }
    let has_virtio_chan = elems.iter().any(|e| {
        (e.name == "channel" || e.name == "console")
            && e.child("target").and_then(|t| t.attr("type")) == Some("virtio")
    });
    needed.sort_by_key(|(k, i)| {
        (
            ["scsi", "fdc", "ide", "sata"].iter().position(|x| x == k),
            *i,
        )
    });
    if has_virtio_chan {
        needed.push(("virtio-serial", 0));
    }
    for (kind, i) in needed {
        let idx = i.to_string();
        let exists = elems.iter().any(|e| {
            e.name == "controller"
                && e.attr("type") == Some(kind)
                && e.attr("index").unwrap_or("0") == idx
        });
        if !exists {
            elems.push(Elem::new("controller", &[("type", kind), ("index", &idx)]));
        }
    }
    // Interfaces: MAC address, generated target names (the first free testnetN).
    let mut used: Vec<String> = elems
        .iter()
        .filter(|e| e.name == "interface")
        .filter_map(|e| {
            e.child("target")
                .and_then(|t| t.attr("dev"))
                .map(str::to_string)
        })
        .collect();
    for e in elems.iter_mut().filter(|e| e.name == "interface") {
        // libvirt's parser: an interface without a type is a user-mode one; MAC addresses
        // are printed in their canonical form, a missing one is generated.
        if e.attr("type").is_none() {
            e.attrs.insert(0, ("type".to_string(), "user".to_string()));
        }
        match e
            .child("mac")
            .map(|m| m.attr("address").and_then(parse_mac))
        {
            None => {
                let mac = random_mac();
                e.children.push(Elem::new("mac", &[("address", &mac)]));
            }
            Some(parsed) => {
                let mac = parsed.map(format_mac).unwrap_or_else(random_mac);
                if let Some(m) = e.child_mut("mac") {
                    m.set("address", &mac);
                }
            }
        }
        if e.child("target").and_then(|t| t.attr("dev")).is_none() {
            let name = (0..1024)
                .map(|i| format!("testnet{i}"))
                .find(|n| !used.contains(n))
                .unwrap_or_default();
            used.push(name.clone());
            match e.child_mut("target") {
                Some(t) => t.set("dev", &name),
                None => e.children.push(Elem::new("target", &[("dev", &name)])),
            }
        }
        e.order_children(NET_CHILDREN);
    }
    // Serial ports: numbered in order; an hvm domain with a serial and no console gets one.
    let mut port = 0u32;
    let mut taken: Vec<u32> = elems
        .iter()
        .filter(|e| e.name == "serial")
        .filter_map(|e| e.child("target").and_then(|t| t.attr("port")))
        .filter_map(|p| p.parse().ok())
        .collect();
    for e in elems.iter_mut().filter(|e| e.name == "serial") {
        let has_port = e.child("target").and_then(|t| t.attr("port")).is_some();
        if has_port {
            continue;
        }
        while taken.contains(&port) {
            port += 1;
        }
        taken.push(port);
        let p = port.to_string();
        match e.child_mut("target") {
            Some(t) => t.set("port", &p),
            None => e.children.insert(0, Elem::new("target", &[("port", &p)])),
        }
    }
    if os_type == "hvm" && !elems.iter().any(|e| e.name == "serial") {
        // A console standing for a serial port brings that serial port.
        if let Some(con) = elems.iter().find(|e| {
            e.name == "console"
                && matches!(
                    e.child("target").and_then(|t| t.attr("type")),
                    None | Some("serial")
                )
        }) {
            let mut ser = Elem::new("serial", &[]);
            ser.attrs = con.attrs.clone();
            ser.children = con
                .children
                .iter()
                .filter(|c| c.name != "target" && c.name != "alias" && c.name != "address")
                .cloned()
                .collect();
            ser.children.push(Elem::new("target", &[("port", "0")]));
            elems.push(ser);
        }
    }
    let first_serial = elems.iter().find(|e| e.name == "serial").cloned();
    if os_type == "hvm" {
        if let Some(serial) = first_serial
            && !elems.iter().any(|e| e.name == "console")
        {
            {
                let mut con = Elem::new("console", &[]);
                con.attrs = serial.attrs.clone();
                con.children = serial
                    .children
                    .iter()
                    .filter(|c| c.name != "target" && c.name != "alias" && c.name != "address")
                    .cloned()
                    .collect();
                con.children
                    .push(Elem::new("target", &[("type", "serial"), ("port", "0")]));
                elems.push(con);
            }
        }
        for e in elems.iter_mut().filter(|e| e.name == "console") {
            match e.child_mut("target") {
                Some(t) => {
                    t.default_attr("type", "serial", None);
                    t.default_attr("port", "0", Some("type"));
                }
                None => e
                    .children
                    .push(Elem::new("target", &[("type", "serial"), ("port", "0")])),
            }
        }
    }
    for e in elems.iter_mut().filter(|e| {
        matches!(
            e.name.as_str(),
            "serial" | "parallel" | "console" | "channel"
        )
    }) {
        e.order_children(CHARDEV_CHILDREN);
    }
    // Graphics: VNC's automatic port and its listen.
    for e in elems.iter_mut().filter(|e| e.name == "graphics") {
        if e.attr("type") != Some("vnc") {
            continue;
        }
        if e.attr("socket").is_none() {
            e.default_attr("port", "-1", Some("type"));
            let auto = if e.attr("port") == Some("-1") {
                "yes"
            } else {
                "no"
            };
            e.default_attr("autoport", auto, Some("port"));
        }
        if e.child("listen").is_none() && e.attr("socket").is_none() {
            let l = match e.attr("listen") {
                Some(a) => Elem::new("listen", &[("type", "address"), ("address", a)]),
                None => Elem::new("listen", &[("type", "address")]),
            };
            e.children.insert(0, l);
        }
    }
    // Video: the default model and its sizes; the first one is primary.
    let mut first = true;
    for e in elems.iter_mut().filter(|e| e.name == "video") {
        if e.child("model").is_none() {
            e.children
                .insert(0, Elem::new("model", &[("type", "cirrus")]));
        }
        let primary = first;
        first = false;
        if let Some(m) = e.child_mut("model") {
            if matches!(m.attr("type"), Some("vga" | "cirrus")) {
                m.default_attr("vram", "16384", Some("type"));
                m.default_attr("heads", "1", Some("vram"));
            }
            if primary && m.attr("primary").is_none() {
                m.set("primary", "yes");
            }
        }
    }
    elems.sort_by_key(|e| DEVICE_ORDER.iter().position(|k| *k == e.name));
    sort_disks(&mut elems, &disk_keys);
    elems
        .into_iter()
        .map(|e| {
            let mut xml = String::new();
            e.format(&mut xml, 4);
            let source = e.child("source");
            Device {
                kind: e.name.clone(),
                dev_type: e.attr("type").map(str::to_string),
                alias: e
                    .child("alias")
                    .and_then(|a| a.attr("name"))
                    .map(str::to_string),
                source_path: source.and_then(|s| s.attr("path")).map(str::to_string),
                source_mode: source.and_then(|s| s.attr("mode")).map(str::to_string),
                xml,
            }
        })
        .collect()
}

#[cfg(test)]
mod disk_index_tests {
    use super::disk_index;

    #[test]
    fn indexes_like_libvirt_and_overflow_is_no_name() {
        assert_eq!(disk_index("hda"), Some(0));
        assert_eq!(disk_index("hdc"), Some(2));
        assert_eq!(disk_index("sdz"), Some(25));
        assert_eq!(disk_index("sdaa"), Some(26));
        assert_eq!(disk_index("vd"), None);
        // The fuzzer's crash: an index past a C int panicked (multiply with overflow).
        assert_eq!(disk_index("vddescriptiona"), None);
        assert_eq!(disk_index(&format!("sd{}", "z".repeat(40))), None);
    }

    #[test]
    fn the_fuzzers_disk_document_is_an_answer_not_a_panic() {
        crate::drivers::test_driver::fuzz::domain_xml(include_bytes!(
            "../../../fuzz/regressions/domain_xml/disk-index-overflow.xml"
        ));
    }
}
