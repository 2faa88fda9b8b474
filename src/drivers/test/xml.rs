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
    pub clock_offset: String,
    pub on_poweroff: String,
    pub on_reboot: String,
    pub on_crash: String,
    /// Each device element, formatted at the indentation of `<devices>`' children.
    pub devices: Vec<Device>,
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

fn parse_error(e: roxmltree::Error) -> VirError {
    // libvirt passes libxml2's message through; the code and domain are what callers test.
    VirError::detail(
        Domain::VIR_FROM_DOMAIN,
        Code::VIR_ERR_XML_DETAIL,
        format!("(domain_definition):{}: {}", e.pos().row, e),
    )
}

/// Scale a memory value by its unit into KiB, as libvirt's `virScaleInteger` does.
pub fn scale_to_kib(value: u64, unit: Option<&str>) -> Result<u64> {
    let bytes_per: u128 = match unit.unwrap_or("KiB") {
        "b" | "byte" | "bytes" => 1,
        "KB" => 1000,
        "k" | "K" | "KiB" => 1024,
        "MB" => 1_000_000,
        "m" | "M" | "MiB" => 1 << 20,
        "GB" => 1_000_000_000,
        "g" | "G" | "GiB" => 1 << 30,
        "TB" => 1_000_000_000_000,
        "t" | "T" | "TiB" => 1 << 40,
        "PB" => 1_000_000_000_000_000,
        "p" | "P" | "PiB" => 1 << 50,
        "EB" => 1_000_000_000_000_000_000,
        "e" | "E" | "EiB" => 1 << 60,
        other => {
            return Err(VirError::detail(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_INVALID_ARG,
                format!("unknown suffix '{other}'"),
            ));
        }
    };
    let bytes = value as u128 * bytes_per;
    Ok(bytes.div_ceil(1024) as u64)
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
    s.trim().parse::<u64>().map_err(|_| {
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
    let doc = roxmltree::Document::parse(text).map_err(parse_error)?;
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
    let name = text_of(child(root, "name"))
        .filter(|n| !n.is_empty())
        .ok_or_else(|| VirError::new(Domain::VIR_FROM_DOMAIN, Code::VIR_ERR_NO_NAME, None))?;
    let uuid = match text_of(child(root, "uuid")) {
        Some(u) => crate::core::uuid::parse(&u)
            .ok_or_else(|| VirError::internal(Domain::VIR_FROM_DOMAIN, "malformed uuid element"))?,
        None => random_uuid(),
    };
    let mem_node = child(root, "memory");
    let memory = match mem_node {
        Some(n) => scale_to_kib(
            parse_u64(n.text().unwrap_or(""), "./memory[1]")?,
            n.attribute("unit"),
        )?,
        None => {
            return Err(xml_error(
                "Memory size must be specified via <memory> or in the <numa> configuration",
            ));
        }
    };
    let current_memory = match child(root, "currentMemory") {
        Some(n) => scale_to_kib(
            parse_u64(n.text().unwrap_or(""), "./currentMemory[1]")?,
            n.attribute("unit"),
        )?
        .min(memory.max(1)),
        None => memory,
    };
    let vcpus = match text_of(child(root, "vcpu")) {
        Some(v) => v
            .parse::<u32>()
            .map_err(|_| xml_error("maximum vcpus count must be an integer"))?,
        None => 1,
    };
    let os = child(root, "os");
    let os_type_node = os.and_then(|o| child(o, "type"));
    let os_type = text_of(os_type_node)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| xml_error("an os <type> must be specified"))?;
    let arch = os_type_node
        .and_then(|t| t.attribute("arch"))
        .unwrap_or("i686")
        .to_string();
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
    if boot_devs.is_empty() && os_type == "hvm" {
        boot_devs.push("hd".to_string());
    }
    let clock_offset = child(root, "clock")
        .and_then(|c| c.attribute("offset"))
        .unwrap_or("utc")
        .to_string();
    let lifecycle = |n: &str, def: &str, allowed: &[&str]| -> Result<String> {
        match text_of(child(root, n)) {
            None => Ok(def.to_string()),
            Some(v) if allowed.contains(&v.as_str()) => Ok(v),
            Some(v) => Err(VirError::detail(
                Domain::VIR_FROM_DOMAIN,
                Code::VIR_ERR_CONFIG_UNSUPPORTED,
                format!("unknown {n} action: {v}"),
            )),
        }
    };
    let mut devices = Vec::new();
    if let Some(devs) = child(root, "devices") {
        for d in devs
            .children()
            .filter(|c| c.is_element() && DEVICE_KINDS.contains(&c.tag_name().name()))
        {
            let mut xml = String::new();
            format_element(&mut xml, d, 4);
            let source = child(d, "source");
            devices.push(Device {
                kind: d.tag_name().name().to_string(),
                dev_type: d.attribute("type").map(str::to_string),
                alias: child(d, "alias")
                    .and_then(|a| a.attribute("name"))
                    .map(str::to_string),
                source_path: source.and_then(|s| s.attribute("path")).map(str::to_string),
                source_mode: source.and_then(|s| s.attribute("mode")).map(str::to_string),
                xml,
            });
        }
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
        clock_offset,
        on_poweroff: lifecycle("on_poweroff", "destroy", POWER_ACTIONS)?,
        on_reboot: lifecycle("on_reboot", "restart", POWER_ACTIONS)?,
        on_crash: lifecycle("on_crash", "destroy", CRASH_ACTIONS)?,
        devices,
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
    let _ = writeln!(s, "  <memory unit='KiB'>{}</memory>", def.memory);
    let _ = writeln!(
        s,
        "  <currentMemory unit='KiB'>{}</currentMemory>",
        def.current_memory
    );
    let _ = writeln!(s, "  <vcpu placement='static'>{}</vcpu>", def.vcpus);
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
    for b in &def.boot_devs {
        let _ = writeln!(s, "    <boot dev='{}'/>", escape_attr(b));
    }
    s.push_str("  </os>\n");
    let _ = writeln!(s, "  <clock offset='{}'/>", escape_attr(&def.clock_offset));
    let _ = writeln!(s, "  <on_poweroff>{}</on_poweroff>", def.on_poweroff);
    let _ = writeln!(s, "  <on_reboot>{}</on_reboot>", def.on_reboot);
    let _ = writeln!(s, "  <on_crash>{}</on_crash>", def.on_crash);
    if def.devices.is_empty() {
        s.push_str("  <devices>\n  </devices>\n");
    } else {
        s.push_str("  <devices>\n");
        for d in &def.devices {
            s.push_str(&d.xml);
        }
        s.push_str("  </devices>\n");
    }
    s.push_str("</domain>\n");
    s
}
