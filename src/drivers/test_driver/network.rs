//! The test driver's virtual networks: the definitions it keeps (libvirt's `virNetworkDef` as
//! far as the test driver uses it), their lifecycle, and libvirt's formatting of them.

use super::TestDriver;
use super::parse;
use super::xml::format_element;
use crate::core::driver::{
    Event, EventFamily, EventKey, EventObject, EventSink, NetworkDriver, NetworkRef,
};
use crate::core::{Code, Domain, Result, VirError, uuid};
use std::fmt::Write;

/// A parsed `<network>`: the name, uuid and bridge the driver answers with, and the XML it
/// prints back in libvirt's layout.
#[derive(Clone, Debug)]
pub struct NetDef {
    pub name: String,
    pub uuid: [u8; 16],
    pub bridge: Option<String>,
    /// Everything after `<uuid>`, formatted.
    body: String,
    root_attrs: String,
}

/// One network object: the live (or only) definition, the persistent one waiting for the next
/// start, and its flags.
#[derive(Clone, Debug)]
pub struct Net {
    pub def: NetDef,
    pub next: Option<NetDef>,
    pub active: bool,
    pub persistent: bool,
    pub autostart: bool,
}

impl Net {
    fn handle(&self) -> NetworkRef {
        NetworkRef {
            name: self.def.name.clone(),
            uuid: self.def.uuid,
        }
    }
}

fn net_err(code: Code, detail: impl AsRef<str>) -> VirError {
    VirError::detail(Domain::VIR_FROM_NETWORK, code, detail)
}

/// `virNetworkDefParse` on text.
pub fn parse_network(text: &str) -> Result<NetDef> {
    let doc = parse::parse(
        text,
        parse::Origin {
            url: "(network_definition)",
            domain: Domain::VIR_FROM_NETWORK,
            file: false,
        },
    )?;
    parse_network_node(doc.root_element())
}

fn child<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// `virNetworkDefParseNode`.
pub fn parse_network_node(root: roxmltree::Node) -> Result<NetDef> {
    let tag = root.tag_name().name();
    if tag != "network" {
        return Err(VirError::detail(
            Domain::VIR_FROM_XML,
            Code::VIR_ERR_XML_ERROR,
            format!("expecting root element of 'network', not '{tag}'"),
        ));
    }
    let name = child(root, "name")
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect::<String>()
        })
        .filter(|s| !s.is_empty())
        .ok_or_else(|| VirError::new(Domain::VIR_FROM_NETWORK, Code::VIR_ERR_NO_NAME, None))?;
    if name.contains('/') {
        return Err(VirError::detail(
            Domain::VIR_FROM_XML,
            Code::VIR_ERR_XML_DETAIL,
            "invalid char in name: /",
        ));
    }
    let uuid = match child(root, "uuid") {
        None => super::xml::random_uuid(),
        Some(u) => {
            let t: String = u
                .descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect();
            uuid::parse(t.trim())
                .ok_or_else(|| net_err(Code::VIR_ERR_INTERNAL_ERROR, "malformed uuid element"))?
        }
    };
    let forward = child(root, "forward");
    let mode = forward.map(|f| f.attribute("mode").unwrap_or("nat"));
    // Networks whose bridge libvirt manages print stp/delay with their defaults.
    let managed = matches!(mode, None | Some("nat" | "route" | "open"));
    let bridge_el = child(root, "bridge");
    let bridge = bridge_el
        .and_then(|b| b.attribute("name"))
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    // scope netsec: virNetworkDefParseXML's checks of a bridge name against the forward mode.
    if let (Some(f), Some(m)) = (forward, mode) {
        let devs = f.attribute("dev").is_some()
            || f.children()
                .any(|c| c.is_element() && matches!(c.tag_name().name(), "interface" | "pf"));
        if bridge.is_some() && matches!(m, "private" | "vepa" | "passthrough" | "hostdev") {
            return Err(net_err(
                Code::VIR_ERR_XML_ERROR,
                format!("bridge name not allowed in {m} mode (network '{name}')"),
            ));
        }
        if bridge.is_some()
            && devs
            && matches!(m, "bridge" | "private" | "vepa" | "passthrough" | "hostdev")
        {
            return Err(net_err(
                Code::VIR_ERR_XML_ERROR,
                format!(
                    "A network with forward mode='{m}' can specify a bridge name or a forward dev, but not both (network '{name}')"
                ),
            ));
        }
    }
    let mut body = String::new();
    if let Some(f) = forward {
        let mut fwd = String::new();
        format_element(&mut fwd, f, 2);
        // scope netsec: libvirt prints the first forward interface as `dev`, then the mode,
        // first (when there is no <pf>).
        let elems = || f.children().filter(|c| c.is_element());
        let first_if = elems()
            .find(|c| c.tag_name().name() == "interface")
            .and_then(|c| c.attribute("dev"));
        let dev = match elems().any(|c| c.tag_name().name() == "pf") {
            true => None,
            false => first_if.or(f.attribute("dev")),
        };
        let mut open = String::from("  <forward");
        if let Some(d) = dev {
            let _ = write!(open, " dev='{}'", escape(d));
        }
        let _ = write!(open, " mode='{}'", escape(mode.unwrap_or("nat")));
        for a in f
            .attributes()
            .filter(|a| !matches!(a.name(), "dev" | "mode"))
        {
            let _ = write!(open, " {}='{}'", a.name(), escape(a.value()));
        }
        let line_end = fwd.find('\n').unwrap_or(fwd.len());
        let tail = if fwd[..line_end].ends_with("/>") {
            "/>"
        } else {
            ">"
        };
        fwd.replace_range(..line_end, &format!("{open}{tail}"));
        body.push_str(&fwd);
    }
    if managed || bridge_el.is_some() {
        let b = bridge_el;
        body.push_str("  <bridge");
        if let Some(n) = &bridge {
            let _ = write!(body, " name='{}'", escape(n));
        }
        if managed {
            let stp = b.and_then(|b| b.attribute("stp")).unwrap_or("on");
            let delay = b.and_then(|b| b.attribute("delay")).unwrap_or("0");
            let _ = write!(body, " stp='{}' delay='{}'", escape(stp), escape(delay));
        }
        body.push_str("/>\n");
    }
    for section in [
        "mtu",
        "mac",
        "domain",
        "dns",
        "vlan",
        "bandwidth",
        "ip",
        "route",
        "virtualport",
        "portgroup",
    ] {
        for e in root
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == section)
        {
            if section == "ip" || section == "portgroup" {
                // libvirt always closes <ip> and <portgroup> on their own line.
                let _ = write!(body, "  <{section}");
                for a in e.attributes() {
                    let _ = write!(body, " {}='{}'", a.name(), escape(a.value()));
                }
                body.push_str(">\n");
                for c in e.children().filter(|c| c.is_element()) {
                    format_element(&mut body, c, 4);
                }
                let _ = writeln!(body, "  </{section}>");
            } else {
                format_element(&mut body, e, 2);
            }
        }
    }
    let mut root_attrs = String::new();
    for a in ["ipv6", "trustGuestRxFilters"] {
        if let Some(v) = root.attribute(a) {
            let _ = write!(root_attrs, " {a}='{}'", escape(v));
        }
    }
    Ok(NetDef {
        name,
        uuid,
        bridge,
        body,
        root_attrs,
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
}

/// `virNetworkDefFormat` of what the test driver keeps.
pub fn format_network(d: &NetDef) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "<network{}>", d.root_attrs);
    let _ = writeln!(s, "  <name>{}</name>", escape(&d.name));
    let _ = writeln!(s, "  <uuid>{}</uuid>", uuid::format(&d.uuid));
    s.push_str(&d.body);
    s.push_str("</network>\n");
    s
}

/// The networks of a node, in the order they were added.
#[derive(Default)]
pub struct Networks {
    pub list: Vec<Net>,
}

fn no_network(detail: String) -> VirError {
    VirError::detail(Domain::VIR_FROM_TEST, Code::VIR_ERR_NO_NETWORK, detail)
}

impl Networks {
    // ---- host/misc (hostmisc): the interface addresses read a network's `<ip>`.
    /// The XML of the network named `name`, or libvirt's "no network" error.
    pub(super) fn network_xml_by_name(&self, name: &str) -> Result<String> {
        Ok(format_network(&self.list[self.by_name(name)?].def))
    }
    // ---- end of host/misc (hostmisc)
    fn by_name(&self, name: &str) -> Result<usize> {
        self.list
            .iter()
            .position(|n| n.def.name == name)
            .ok_or_else(|| no_network(format!("no network with matching name '{name}'")))
    }
    fn by_uuid(&self, u: &[u8; 16]) -> Result<usize> {
        self.list
            .iter()
            .position(|n| &n.def.uuid == u)
            .ok_or_else(|| {
                no_network(format!(
                    "no network with matching uuid '{}'",
                    uuid::format(u)
                ))
            })
    }

    /// `virNetworkObjAssignDef`: `live` for a transient start (create), which also refuses a
    /// network that is already running.
    pub fn assign(&mut self, def: NetDef, live: bool) -> Result<usize> {
        if let Some(i) = self.list.iter().position(|n| n.def.uuid == def.uuid) {
            let n = &mut self.list[i];
            if n.def.name != def.name {
                return Err(net_err(
                    Code::VIR_ERR_OPERATION_FAILED,
                    format!(
                        "network '{}' is already defined with uuid {}",
                        n.def.name,
                        uuid::format(&n.def.uuid)
                    ),
                ));
            }
            if live {
                if n.active {
                    return Err(net_err(
                        Code::VIR_ERR_OPERATION_INVALID,
                        format!("network is already active as '{}'", n.def.name),
                    ));
                }
                // The persistent definition waits for the transient one to stop.
                if n.persistent {
                    n.next = Some(std::mem::replace(&mut n.def, def));
                } else {
                    n.def = def;
                }
            } else if n.active {
                n.next = Some(def);
                n.persistent = true;
            } else {
                n.def = def;
                n.next = None;
                n.persistent = true;
            }
            return Ok(i);
        }
        if let Some(n) = self.list.iter().find(|n| n.def.name == def.name) {
            return Err(net_err(
                Code::VIR_ERR_OPERATION_FAILED,
                format!(
                    "network '{}' already exists with uuid {}",
                    n.def.name,
                    uuid::format(&n.def.uuid)
                ),
            ));
        }
        self.list.push(Net {
            def,
            next: None,
            active: false,
            persistent: !live,
            autostart: false,
        });
        Ok(self.list.len() - 1)
    }

    /// A network whose uuid and name the caller knows to be new (a node file's loading keeps
    /// them in sets): what [`Networks::assign`] would do, without comparing it with every
    /// network.
    pub fn push_new(&mut self, def: NetDef) -> usize {
        self.list.push(Net {
            def,
            next: None,
            active: false,
            persistent: true,
            autostart: false,
        });
        self.list.len() - 1
    }

    /// The network stops: a transient one goes away. A persistent one keeps its definition
    /// and any pending next one, as libvirt's test driver (testNetworkDestroy only marks the
    /// object inactive; scope netsec, seen through virNetworkUpdate's config changes).
    fn stop(&mut self, i: usize) {
        let n = &mut self.list[i];
        n.active = false;
        if !n.persistent {
            self.list.remove(i);
        }
    }
}

// virConnectListAllNetworksFlags.
const LIST_INACTIVE: u32 = 1 << 0;
const LIST_ACTIVE: u32 = 1 << 1;
const LIST_PERSISTENT: u32 = 1 << 2;
const LIST_TRANSIENT: u32 = 1 << 3;
const LIST_AUTOSTART: u32 = 1 << 4;
const LIST_NO_AUTOSTART: u32 = 1 << 5;
const LIST_ALL: u32 = 0x3f;

fn list_matches(n: &Net, flags: u32) -> bool {
    let group = |yes: u32, no: u32, is: bool| {
        flags & (yes | no) == 0 || (flags & yes != 0 && is) || (flags & no != 0 && !is)
    };
    group(LIST_ACTIVE, LIST_INACTIVE, n.active)
        && group(LIST_PERSISTENT, LIST_TRANSIENT, n.persistent)
        && group(LIST_AUTOSTART, LIST_NO_AUTOSTART, n.autostart)
}

// virNetworkCreateFlags / virNetworkDefineFlags: VALIDATE.
const CREATE_VALIDATE: u32 = 1;
const DEFINE_VALIDATE: u32 = 1;

// ---- Network events (scope: events): virNetworkEventLifecycleType, detail 0 as libvirt's
// test driver reports them.
const NET_DEFINED: i32 = 0;
const NET_UNDEFINED: i32 = 1;
const NET_STARTED: i32 = 2;
const NET_STOPPED: i32 = 3;

impl TestDriver {
    /// Emit a network lifecycle event (the node lock released).
    fn network_event(&self, net: &NetworkRef, event: i32) {
        let obj = EventObject::Network(net.clone());
        self.node.events.emit_event(Event::lifecycle(obj, event, 0));
    }
}

impl NetworkDriver for TestDriver {
    fn connect_num_of_networks(&self) -> Result<i32> {
        let nets = self.node.networks.read();
        Ok(nets.list.iter().filter(|n| n.active).count() as i32)
    }
    fn connect_list_networks(&self, max: usize) -> Result<Vec<String>> {
        let nets = self.node.networks.read();
        Ok(nets
            .list
            .iter()
            .filter(|n| n.active)
            .map(|n| n.def.name.clone())
            .take(max)
            .collect())
    }
    fn connect_num_of_defined_networks(&self) -> Result<i32> {
        let nets = self.node.networks.read();
        Ok(nets.list.iter().filter(|n| !n.active).count() as i32)
    }
    fn connect_list_defined_networks(&self, max: usize) -> Result<Vec<String>> {
        let nets = self.node.networks.read();
        Ok(nets
            .list
            .iter()
            .filter(|n| !n.active)
            .map(|n| n.def.name.clone())
            .take(max)
            .collect())
    }
    fn connect_list_all_networks(&self, flags: u32) -> Result<Vec<NetworkRef>> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testConnectListAllNetworks",
            flags,
            LIST_ALL,
        )?;
        let nets = self.node.networks.read();
        Ok(nets
            .list
            .iter()
            .filter(|n| list_matches(n, flags))
            .map(Net::handle)
            .collect())
    }
    fn network_lookup_by_name(&self, name: &str) -> Result<NetworkRef> {
        let nets = self.node.networks.read();
        Ok(nets.list[nets.by_name(name)?].handle())
    }
    fn network_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<NetworkRef> {
        let nets = self.node.networks.read();
        Ok(nets.list[nets.by_uuid(uuid)?].handle())
    }
    fn network_get_xml_desc(&self, net: &NetworkRef, flags: u32) -> Result<String> {
        VirError::check_flags(Domain::VIR_FROM_TEST, "testNetworkGetXMLDesc", flags, 0)?;
        let nets = self.node.networks.read();
        Ok(format_network(&nets.list[nets.by_name(&net.name)?].def))
    }
    fn network_define_xml(&self, xml: &str, flags: u32) -> Result<NetworkRef> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testNetworkDefineXMLFlags",
            flags,
            DEFINE_VALIDATE,
        )?;
        let def = parse_network(xml)?;
        let mut nets = self.node.networks.write();
        let i = nets.assign(def, false)?;
        let h = nets.list[i].handle();
        drop(nets);
        self.network_event(&h, NET_DEFINED);
        Ok(h)
    }
    fn network_create_xml(&self, xml: &str, flags: u32) -> Result<NetworkRef> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testNetworkCreateXMLFlags",
            flags,
            CREATE_VALIDATE,
        )?;
        let def = parse_network(xml)?;
        let mut nets = self.node.networks.write();
        let i = nets.assign(def, true)?;
        nets.list[i].active = true;
        let h = nets.list[i].handle();
        drop(nets);
        self.network_event(&h, NET_STARTED);
        Ok(h)
    }
    fn network_undefine(&self, net: &NetworkRef) -> Result<()> {
        let mut nets = self.node.networks.write();
        let i = nets.by_name(&net.name)?;
        if nets.list[i].active {
            return Err(VirError::detail(
                Domain::VIR_FROM_TEST,
                Code::VIR_ERR_OPERATION_INVALID,
                format!("Network '{}' is still running", net.name),
            ));
        }
        let h = nets.list.remove(i).handle();
        drop(nets);
        self.network_event(&h, NET_UNDEFINED);
        Ok(())
    }
    fn network_create(&self, net: &NetworkRef) -> Result<()> {
        let mut nets = self.node.networks.write();
        let i = nets.by_name(&net.name)?;
        if nets.list[i].active {
            return Err(VirError::detail(
                Domain::VIR_FROM_TEST,
                Code::VIR_ERR_OPERATION_INVALID,
                format!("Network '{}' is already running", net.name),
            ));
        }
        nets.list[i].active = true;
        let h = nets.list[i].handle();
        drop(nets);
        self.network_event(&h, NET_STARTED);
        Ok(())
    }
    fn network_destroy(&self, net: &NetworkRef) -> Result<()> {
        let mut nets = self.node.networks.write();
        let i = nets.by_name(&net.name)?;
        let h = nets.list[i].handle();
        nets.stop(i);
        drop(nets);
        self.network_event(&h, NET_STOPPED);
        Ok(())
    }
    fn network_is_active(&self, net: &NetworkRef) -> Result<bool> {
        let nets = self.node.networks.read();
        Ok(nets.list[nets.by_uuid(&net.uuid)?].active)
    }
    fn network_is_persistent(&self, net: &NetworkRef) -> Result<bool> {
        let nets = self.node.networks.read();
        Ok(nets.list[nets.by_uuid(&net.uuid)?].persistent)
    }
    fn network_get_autostart(&self, net: &NetworkRef) -> Result<bool> {
        let nets = self.node.networks.read();
        Ok(nets.list[nets.by_name(&net.name)?].autostart)
    }
    fn network_set_autostart(&self, net: &NetworkRef, autostart: bool) -> Result<()> {
        let mut nets = self.node.networks.write();
        let i = nets.by_name(&net.name)?;
        nets.list[i].autostart = autostart;
        Ok(())
    }
    // scope netsec: virNetworkUpdate.
    fn network_update(
        &self,
        net: &NetworkRef,
        command: u32,
        section: u32,
        parent_index: i32,
        xml: &str,
        flags: u32,
    ) -> Result<()> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testNetworkUpdate",
            flags,
            super::netupdate::AFFECT_LIVE | super::netupdate::AFFECT_CONFIG,
        )?;
        let mut nets = self.node.networks.write();
        let i = super::netupdate::find(&nets, net)?;
        super::netupdate::update(&mut nets, i, command, section, parent_index, xml, flags)
    }
    fn network_get_bridge_name(&self, net: &NetworkRef) -> Result<String> {
        let nets = self.node.networks.read();
        let n = &nets.list[nets.by_name(&net.name)?];
        n.def.bridge.clone().ok_or_else(|| {
            VirError::internal(
                Domain::VIR_FROM_TEST,
                format!("network '{}' does not have a bridge name.", n.def.name),
            )
        })
    }

    // ---- Network events (scope: events).
    fn connect_network_event_register_any(
        &self,
        net: Option<&NetworkRef>,
        event_id: i32,
        cb: EventSink,
    ) -> Result<i32> {
        let filter = net.map(|n| EventKey::Uuid(n.uuid));
        Ok(self
            .node
            .events
            .subscribe(EventFamily::Network, event_id, filter, cb))
    }
    fn connect_network_event_deregister_any(&self, id: i32) -> Result<()> {
        self.node.events.unsubscribe(id);
        Ok(())
    }
}
