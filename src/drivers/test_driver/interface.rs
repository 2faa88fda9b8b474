//! The test driver's host interfaces: libvirt's `virInterfaceDef` (ethernet, bridge, bond and
//! vlan interfaces with their start mode, MTU, protocols and link), its parsing errors and
//! formatting, the interface list with its active flags, and the change transaction
//! (`virInterfaceChangeBegin` snapshots the definitions, rollback restores them all inactive,
//! as libvirt's clone of the list keeps no state).

use super::TestDriver;
use super::parse;
use crate::core::driver::{InterfaceDriver, InterfaceRef};
use crate::core::{Code, Domain, Result, VirError};
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ethernet,
    Bridge,
    Bond,
    Vlan,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "ethernet" => Kind::Ethernet,
            "bridge" => Kind::Bridge,
            "bond" => Kind::Bond,
            "vlan" => Kind::Vlan,
            _ => return None,
        })
    }
    fn name(self) -> &'static str {
        match self {
            Kind::Ethernet => "ethernet",
            Kind::Bridge => "bridge",
            Kind::Bond => "bond",
            Kind::Vlan => "vlan",
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Protocol {
    family: String,
    autoconf: bool,
    /// `Some(peerdns)` when there is a `<dhcp>`; peerdns is yes/no/absent.
    dhcp: Option<Option<bool>>,
    /// Addresses and prefixes (0 is not printed).
    ips: Vec<(String, i32)>,
    gateway: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct Bond {
    mode: Option<&'static str>,
    /// `<miimon>`: freq, downdelay, updelay, carrier.
    miimon: Option<(i32, i32, i32, Option<&'static str>)>,
    /// `<arpmon>`: interval, target, validate.
    arpmon: Option<(i32, String, Option<&'static str>)>,
}

/// A parsed `<interface>`.
#[derive(Clone, Debug)]
pub struct IfaceDef {
    kind: Kind,
    pub name: String,
    pub mac: Option<String>,
    startmode: Option<&'static str>,
    mtu: u32,
    protos: Vec<Protocol>,
    link_speed: u32,
    link_state: Option<String>,
    /// Bridge: stp (`None` when absent), delay.
    stp: Option<bool>,
    delay: Option<String>,
    bond: Bond,
    /// Subordinate interfaces of a bridge or bond.
    itfs: Vec<IfaceDef>,
    /// Vlan: tag and device.
    vlan: Option<(String, String)>,
}

fn if_err(detail: impl AsRef<str>) -> VirError {
    VirError::detail(Domain::VIR_FROM_INTERFACE, Code::VIR_ERR_XML_ERROR, detail)
}

fn xml_err(detail: impl AsRef<str>) -> VirError {
    VirError::detail(Domain::VIR_FROM_XML, Code::VIR_ERR_XML_ERROR, detail)
}

fn child<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a>(
    n: roxmltree::Node<'a, 'a>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'a>> {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// `virXPathInt`/`virXPathUInt` on an attribute: `Ok(None)` when absent, `Err(())` when it is
/// not a number (libvirt's -2).
fn int_attr<T: std::str::FromStr>(
    n: Option<roxmltree::Node>,
    attr: &str,
) -> std::result::Result<Option<T>, ()> {
    match n.and_then(|n| n.attribute(attr)) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| ()),
    }
}

/// The error a failed `virXPath*` number read leaves: none, so the API reports libvirt's
/// "unknown cause".
fn unknown_cause() -> VirError {
    VirError::generic()
}

fn parse_protocol(p: roxmltree::Node) -> Result<Protocol> {
    let family = p
        .attribute("family")
        .ok_or_else(|| if_err("protocol misses the family attribute"))?
        .to_string();
    if family != "ipv4" && family != "ipv6" {
        return Err(if_err(format!("unsupported protocol family '{family}'")));
    }
    let mut proto = Protocol {
        gateway: child(p, "route").and_then(|r| r.attribute("gateway").map(str::to_string)),
        autoconf: family == "ipv6" && child(p, "autoconf").is_some(),
        family,
        ..Default::default()
    };
    if let Some(d) = child(p, "dhcp") {
        let peer = match d.attribute("peerdns") {
            None => None,
            Some("yes") => Some(true),
            Some("no") => Some(false),
            Some(v) => {
                return Err(xml_err(format!(
                    "Invalid value for attribute 'peerdns' in element 'dhcp': '{v}'."
                )));
            }
        };
        proto.dhcp = Some(peer);
    }
    for ip in children(p, "ip") {
        let Some(addr) = ip.attribute("address") else {
            continue;
        };
        let prefix = match ip.attribute("prefix") {
            None => 0,
            Some(v) => v.parse().map_err(|_| {
                xml_err(format!(
                    "Invalid value for attribute 'prefix' in element 'ip': '{v}'. Expected integer value"
                ))
            })?,
        };
        proto.ips.push((addr.to_string(), prefix));
    }
    Ok(proto)
}

/// `virInterfaceDefParseXML`: `parent` is the type of the enclosing interface (`None` at the
/// top).
fn parse_node(n: roxmltree::Node, parent: Option<Kind>) -> Result<IfaceDef> {
    let kind = match n.attribute("type") {
        None => {
            return Err(xml_err(
                "Missing required attribute 'type' in element 'interface'",
            ));
        }
        Some(t) => Kind::parse(t).ok_or_else(|| {
            xml_err(format!(
                "Invalid value for attribute 'type' in element 'interface': '{t}'."
            ))
        })?,
    };
    let allowed = match parent {
        None => true,
        Some(Kind::Bond) => kind == Kind::Ethernet,
        Some(Kind::Bridge) => kind != Kind::Bridge,
        Some(_) => false,
    };
    if !allowed {
        return Err(if_err(format!(
            "interface has unsupported type '{}'",
            kind.name()
        )));
    }
    let name = n
        .attribute("name")
        .ok_or_else(|| if_err("interface has no name"))?
        .to_string();
    let mut def = IfaceDef {
        kind,
        name,
        mac: None,
        startmode: None,
        mtu: 0,
        protos: Vec::new(),
        link_speed: 0,
        link_state: None,
        stp: None,
        delay: None,
        bond: Bond::default(),
        itfs: Vec::new(),
        vlan: None,
    };
    if parent.is_none() {
        def.startmode = match child(n, "start").and_then(|s| s.attribute("mode")) {
            None => None,
            Some("onboot") => Some("onboot"),
            Some("hotplug") => Some("hotplug"),
            Some("none") => Some("none"),
            Some(m) => return Err(if_err(format!("unknown interface startmode {m}"))),
        };
        def.mtu = int_attr::<u32>(child(n, "mtu"), "size")
            .map_err(|_| unknown_cause())?
            .unwrap_or(0);
        if def.mtu > 100000 {
            return Err(if_err(
                "value of the 'size' attribute of 'mtu' element must be at most 100000",
            ));
        }
        for p in children(n, "protocol") {
            def.protos.push(parse_protocol(p)?);
        }
    }
    if kind != Kind::Bridge
        && let Some(l) = child(n, "link")
    {
        if let Some(s) = l.attribute("state") {
            const STATES: [&str; 7] = [
                "unknown",
                "notpresent",
                "down",
                "lowerlayerdown",
                "testing",
                "dormant",
                "up",
            ];
            if !STATES.contains(&s) {
                return Err(xml_err(format!(
                    "Invalid value for attribute 'state' in element 'link': '{s}'."
                )));
            }
            def.link_state = Some(s.to_string());
        }
        if let Some(v) = l.attribute("speed") {
            def.link_speed = v.parse().map_err(|_| {
                xml_err(format!(
                    "Invalid value for attribute 'speed' in element 'link': '{v}'. Expected non-negative integer value"
                ))
            })?;
        }
    }
    match kind {
        Kind::Ethernet => {
            def.mac = child(n, "mac").and_then(|m| m.attribute("address").map(str::to_string));
        }
        Kind::Bridge => {
            let b = child(n, "bridge")
                .ok_or_else(|| if_err("bridge interface misses the bridge element"))?;
            // An stp other than on/off ends the bridge's parsing there (libvirt reports it
            // and still defines the interface, without delay or members).
            let stp_ok = match b.attribute("stp") {
                None => true,
                Some("on") => {
                    def.stp = Some(true);
                    true
                }
                Some("off") => {
                    def.stp = Some(false);
                    true
                }
                Some(_) => false,
            };
            if stp_ok {
                def.delay = b.attribute("delay").map(str::to_string);
                for i in children(b, "interface") {
                    def.itfs.push(parse_node(i, Some(Kind::Bridge))?);
                }
            }
        }
        Kind::Bond => {
            let b =
                child(n, "bond").ok_or_else(|| if_err("bond interface misses the bond element"))?;
            def.bond.mode = match b.attribute("mode") {
                None => None,
                Some(m) => Some(
                    [
                        "balance-rr",
                        "active-backup",
                        "balance-xor",
                        "broadcast",
                        "802.3ad",
                        "balance-tlb",
                        "balance-alb",
                    ]
                    .into_iter()
                    .find(|x| *x == m)
                    .ok_or_else(|| if_err(format!("unknown bonding mode {m}")))?,
                ),
            };
            for i in children(b, "interface") {
                def.itfs.push(parse_node(i, Some(Kind::Bond))?);
            }
            if let Some(mii) = child(b, "miimon") {
                let freq = int_attr::<i32>(Some(mii), "freq")
                    .ok()
                    .flatten()
                    .ok_or_else(|| if_err("bond interface miimon freq missing or invalid"))?;
                let down = int_attr::<i32>(Some(mii), "downdelay")
                    .map_err(|_| if_err("bond interface miimon downdelay invalid"))?
                    .unwrap_or(0);
                let up = int_attr::<i32>(Some(mii), "updelay")
                    .map_err(|_| if_err("bond interface miimon updelay invalid"))?
                    .unwrap_or(0);
                let carrier = match mii.attribute("carrier") {
                    None => None,
                    Some("ioctl") => Some("ioctl"),
                    Some("netif") => Some("netif"),
                    Some(c) => return Err(if_err(format!("unknown mii bonding carrier {c}"))),
                };
                def.bond.miimon = Some((freq, down, up, carrier));
            } else if let Some(arp) = child(b, "arpmon") {
                let interval = int_attr::<i32>(Some(arp), "interval")
                    .ok()
                    .flatten()
                    .ok_or_else(|| if_err("bond interface arpmon interval missing or invalid"))?;
                let target = arp
                    .attribute("target")
                    .ok_or_else(|| if_err("bond interface arpmon target missing"))?
                    .to_string();
                let validate = match arp.attribute("validate") {
                    None => None,
                    Some("active") => Some("active"),
                    Some("backup") => Some("backup"),
                    Some("all") => Some("all"),
                    Some(v) => return Err(if_err(format!("unknown arp bonding validate {v}"))),
                };
                def.bond.arpmon = Some((interval, target, validate));
            }
        }
        Kind::Vlan => {
            let v =
                child(n, "vlan").ok_or_else(|| if_err("vlan interface misses the vlan element"))?;
            let tag = v
                .attribute("tag")
                .ok_or_else(|| if_err("vlan interface misses the tag attribute"))?
                .to_string();
            let dev = child(v, "interface")
                .and_then(|i| i.attribute("name"))
                .ok_or_else(|| if_err("vlan interface misses name attribute"))?
                .to_string();
            def.vlan = Some((tag, dev));
        }
    }
    Ok(def)
}

/// `virInterfaceDefParseXML` on a node file's `<interface>` (or the root of its `file=`).
pub fn parse_interface_node(n: roxmltree::Node) -> Result<IfaceDef> {
    parse_node(n, None)
}

/// `virInterfaceDefParseString`.
pub fn parse_interface(text: &str) -> Result<IfaceDef> {
    let doc = parse::parse(
        text,
        parse::Origin {
            url: "(interface_definition)",
            domain: Domain::VIR_FROM_INTERFACE,
            file: false,
        },
    )?;
    let root = doc.root_element();
    let tag = root.tag_name().name();
    if tag != "interface" {
        return Err(xml_err(format!(
            "expecting root element of 'interface', not '{tag}'"
        )));
    }
    parse_node(root, None)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
        .replace('"', "&quot;")
}

fn format_dev(out: &mut String, d: &IfaceDef, top: bool, indent: usize) {
    let pad = " ".repeat(indent);
    let _ = writeln!(
        out,
        "{pad}<interface type='{}' name='{}'>",
        d.kind.name(),
        esc(&d.name)
    );
    let inner = " ".repeat(indent + 2);
    if top {
        if let Some(m) = d.startmode {
            let _ = writeln!(out, "{inner}<start mode='{m}'/>");
        }
        if d.mtu != 0 {
            let _ = writeln!(out, "{inner}<mtu size='{}'/>", d.mtu);
        }
        for p in &d.protos {
            let _ = writeln!(out, "{inner}<protocol family='{}'>", p.family);
            let pp = " ".repeat(indent + 4);
            if p.autoconf {
                let _ = writeln!(out, "{pp}<autoconf/>");
            }
            match p.dhcp {
                None => {}
                Some(None) => {
                    let _ = writeln!(out, "{pp}<dhcp/>");
                }
                Some(Some(yes)) => {
                    let _ = writeln!(
                        out,
                        "{pp}<dhcp peerdns='{}'/>",
                        if yes { "yes" } else { "no" }
                    );
                }
            }
            for (a, prefix) in &p.ips {
                let _ = write!(out, "{pp}<ip address='{a}'");
                if *prefix != 0 {
                    let _ = write!(out, " prefix='{prefix}'");
                }
                out.push_str("/>\n");
            }
            if let Some(g) = &p.gateway {
                let _ = writeln!(out, "{pp}<route gateway='{g}'/>");
            }
            let _ = writeln!(out, "{inner}</protocol>");
        }
    }
    if d.kind != Kind::Bridge && (d.link_speed != 0 || d.link_state.is_some()) {
        let _ = write!(out, "{inner}<link");
        if d.link_speed != 0 {
            let _ = write!(out, " speed='{}'", d.link_speed);
        }
        if let Some(s) = &d.link_state {
            let _ = write!(out, " state='{s}'");
        }
        out.push_str("/>\n");
    }
    match d.kind {
        Kind::Ethernet => {
            if let Some(m) = &d.mac {
                let _ = writeln!(out, "{inner}<mac address='{m}'/>");
            }
        }
        Kind::Bridge => {
            let _ = write!(out, "{inner}<bridge");
            match d.stp {
                Some(true) => out.push_str(" stp='on'"),
                Some(false) => out.push_str(" stp='off'"),
                None => {}
            }
            if let Some(dl) = &d.delay {
                let _ = write!(out, " delay='{dl}'");
            }
            out.push_str(">\n");
            for i in &d.itfs {
                format_dev(out, i, false, indent + 4);
            }
            let _ = writeln!(out, "{inner}</bridge>");
        }
        Kind::Bond => {
            let _ = write!(out, "{inner}<bond");
            if let Some(m) = d.bond.mode {
                let _ = write!(out, " mode='{m}'");
            }
            out.push_str(">\n");
            let bp = " ".repeat(indent + 4);
            if let Some((freq, down, up, carrier)) = d.bond.miimon {
                let _ = write!(out, "{bp}<miimon freq='{freq}'");
                if down > 0 {
                    let _ = write!(out, " downdelay='{down}'");
                }
                if up > 0 {
                    let _ = write!(out, " updelay='{up}'");
                }
                if let Some(c) = carrier {
                    let _ = write!(out, " carrier='{c}'");
                }
                out.push_str("/>\n");
            } else if let Some((interval, target, validate)) = &d.bond.arpmon {
                let _ = write!(out, "{bp}<arpmon interval='{interval}' target='{target}'");
                if let Some(v) = validate {
                    let _ = write!(out, " validate='{v}'");
                }
                out.push_str("/>\n");
            }
            for i in &d.itfs {
                format_dev(out, i, false, indent + 4);
            }
            let _ = writeln!(out, "{inner}</bond>");
        }
        Kind::Vlan => {
            if let Some((tag, dev)) = &d.vlan {
                let _ = writeln!(out, "{inner}<vlan tag='{tag}'>");
                let _ = writeln!(out, "{inner}  <interface name='{dev}'/>");
                let _ = writeln!(out, "{inner}</vlan>");
            }
        }
    }
    let _ = writeln!(out, "{pad}</interface>");
}

/// `virInterfaceDefFormat`.
pub fn format_interface(d: &IfaceDef) -> String {
    let mut s = String::new();
    format_dev(&mut s, d, true, 0);
    s
}

/// One interface object.
#[derive(Clone, Debug)]
pub struct Iface {
    pub def: IfaceDef,
    pub active: bool,
}

impl Iface {
    fn handle(&self) -> InterfaceRef {
        InterfaceRef {
            name: self.def.name.clone(),
            mac: self.def.mac.clone().unwrap_or_default(),
        }
    }
}

/// The interfaces of a node, and the transaction's saved copy.
#[derive(Default)]
pub struct Interfaces {
    pub list: Vec<Iface>,
    backup: Option<Vec<Iface>>,
}

impl Interfaces {
    /// `virInterfaceObjListAssignDef`: a definition with a known name replaces the old one
    /// (the object keeps its state); otherwise a new, inactive object.
    pub fn assign(&mut self, def: IfaceDef) -> usize {
        if let Some(i) = self.list.iter().position(|o| o.def.name == def.name) {
            self.list[i].def = def;
            return i;
        }
        self.list.push(Iface { def, active: false });
        self.list.len() - 1
    }
    fn by_name(&self, name: &str) -> Result<usize> {
        self.list
            .iter()
            .position(|o| o.def.name == name)
            .ok_or_else(|| {
                VirError::detail(
                    Domain::VIR_FROM_TEST,
                    Code::VIR_ERR_NO_INTERFACE,
                    format!("no interface with matching name '{name}'"),
                )
            })
    }
}

// virConnectListAllInterfacesFlags.
const LIST_INACTIVE: u32 = 1 << 0;
const LIST_ACTIVE: u32 = 1 << 1;
/// VIR_INTERFACE_DEFINE_VALIDATE.
const DEFINE_VALIDATE: u32 = 1;

fn op_invalid(detail: Option<&str>) -> VirError {
    VirError::new(
        Domain::VIR_FROM_TEST,
        Code::VIR_ERR_OPERATION_INVALID,
        detail,
    )
}

impl InterfaceDriver for TestDriver {
    fn connect_num_of_interfaces(&self) -> Result<i32> {
        let l = self.node.interfaces.read();
        Ok(l.list.iter().filter(|o| o.active).count() as i32)
    }
    fn connect_list_interfaces(&self, max: usize) -> Result<Vec<String>> {
        let l = self.node.interfaces.read();
        Ok(l.list
            .iter()
            .filter(|o| o.active)
            .map(|o| o.def.name.clone())
            .take(max)
            .collect())
    }
    fn connect_num_of_defined_interfaces(&self) -> Result<i32> {
        let l = self.node.interfaces.read();
        Ok(l.list.iter().filter(|o| !o.active).count() as i32)
    }
    fn connect_list_defined_interfaces(&self, max: usize) -> Result<Vec<String>> {
        let l = self.node.interfaces.read();
        Ok(l.list
            .iter()
            .filter(|o| !o.active)
            .map(|o| o.def.name.clone())
            .take(max)
            .collect())
    }
    fn connect_list_all_interfaces(&self, flags: u32) -> Result<Vec<InterfaceRef>> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testConnectListAllInterfaces",
            flags,
            LIST_INACTIVE | LIST_ACTIVE,
        )?;
        let l = self.node.interfaces.read();
        let g = flags & (LIST_INACTIVE | LIST_ACTIVE);
        Ok(l.list
            .iter()
            .filter(|o| {
                g == 0
                    || (o.active && g & LIST_ACTIVE != 0)
                    || (!o.active && g & LIST_INACTIVE != 0)
            })
            .map(Iface::handle)
            .collect())
    }
    fn interface_lookup_by_name(&self, name: &str) -> Result<InterfaceRef> {
        let l = self.node.interfaces.read();
        Ok(l.list[l.by_name(name)?].handle())
    }
    fn interface_lookup_by_mac_string(&self, mac: &str) -> Result<InterfaceRef> {
        let l = self.node.interfaces.read();
        // libvirt compares with g_ascii_strcasecmp, which answers "equal" (after a GLib
        // warning) for an interface without a MAC: such interfaces match every lookup.
        let hits: Vec<&Iface> = l
            .list
            .iter()
            .filter(|o| {
                o.def
                    .mac
                    .as_ref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(mac))
            })
            .take(2)
            .collect();
        match hits.as_slice() {
            [] => Err(VirError::detail(
                Domain::VIR_FROM_TEST,
                Code::VIR_ERR_NO_INTERFACE,
                format!("no interface with matching mac '{mac}'"),
            )),
            [one] => Ok(InterfaceRef {
                name: one.def.name.clone(),
                mac: mac.to_string(),
            }),
            _ => Err(VirError::new(
                Domain::VIR_FROM_TEST,
                Code::VIR_ERR_MULTIPLE_INTERFACES,
                None,
            )),
        }
    }
    fn interface_get_xml_desc(&self, iface: &InterfaceRef, flags: u32) -> Result<String> {
        VirError::check_flags(Domain::VIR_FROM_TEST, "testInterfaceGetXMLDesc", flags, 0)?;
        let l = self.node.interfaces.read();
        Ok(format_interface(&l.list[l.by_name(&iface.name)?].def))
    }
    fn interface_define_xml(&self, xml: &str, flags: u32) -> Result<InterfaceRef> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testInterfaceDefineXML",
            flags,
            DEFINE_VALIDATE,
        )?;
        let def = parse_interface(xml)?;
        let mut l = self.node.interfaces.write();
        let i = l.assign(def);
        Ok(l.list[i].handle())
    }
    fn interface_undefine(&self, iface: &InterfaceRef) -> Result<()> {
        let mut l = self.node.interfaces.write();
        let i = l.by_name(&iface.name)?;
        l.list.remove(i);
        Ok(())
    }
    fn interface_create(&self, iface: &InterfaceRef, flags: u32) -> Result<()> {
        VirError::check_flags(Domain::VIR_FROM_TEST, "testInterfaceCreate", flags, 0)?;
        let mut l = self.node.interfaces.write();
        let i = l.by_name(&iface.name)?;
        if l.list[i].active {
            return Err(op_invalid(None));
        }
        l.list[i].active = true;
        Ok(())
    }
    fn interface_destroy(&self, iface: &InterfaceRef, flags: u32) -> Result<()> {
        VirError::check_flags(Domain::VIR_FROM_TEST, "testInterfaceDestroy", flags, 0)?;
        let mut l = self.node.interfaces.write();
        let i = l.by_name(&iface.name)?;
        if !l.list[i].active {
            return Err(op_invalid(None));
        }
        l.list[i].active = false;
        Ok(())
    }
    fn interface_is_active(&self, iface: &InterfaceRef) -> Result<bool> {
        let l = self.node.interfaces.read();
        Ok(l.list[l.by_name(&iface.name)?].active)
    }
    fn interface_change_begin(&self, flags: u32) -> Result<()> {
        VirError::check_flags(Domain::VIR_FROM_TEST, "testInterfaceChangeBegin", flags, 0)?;
        let mut l = self.node.interfaces.write();
        if l.backup.is_some() {
            return Err(op_invalid(Some("there is another transaction running.")));
        }
        // The clone keeps the definitions only: every object comes back inactive.
        let copy = l
            .list
            .iter()
            .map(|o| Iface {
                def: o.def.clone(),
                active: false,
            })
            .collect();
        l.backup = Some(copy);
        Ok(())
    }
    fn interface_change_commit(&self, flags: u32) -> Result<()> {
        VirError::check_flags(Domain::VIR_FROM_TEST, "testInterfaceChangeCommit", flags, 0)?;
        let mut l = self.node.interfaces.write();
        if l.backup.take().is_none() {
            return Err(op_invalid(Some(
                "no transaction running, nothing to be committed.",
            )));
        }
        Ok(())
    }
    fn interface_change_rollback(&self, flags: u32) -> Result<()> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testInterfaceChangeRollback",
            flags,
            0,
        )?;
        let mut l = self.node.interfaces.write();
        match l.backup.take() {
            None => Err(op_invalid(Some(
                "no transaction running, nothing to rollback.",
            ))),
            Some(b) => {
                l.list = b;
                Ok(())
            }
        }
    }
}
