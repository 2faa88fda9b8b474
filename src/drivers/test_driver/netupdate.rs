//! `virNetworkUpdate` on the test driver (scope netsec): libvirt's commands, sections and
//! flags over the definitions the driver keeps. A definition is edited as a small element
//! tree built from its formatted XML, then parsed again (libvirt's final format/parse cycle),
//! so the result is printed in libvirt's layout.

use super::network::{NetDef, Networks, format_network, parse_network};
use super::parse;
use crate::core::driver::NetworkRef;
use crate::core::{Code, Domain, Result, VirError};
use std::fmt::Write;
use std::net::IpAddr;

// virNetworkUpdateCommand.
const CMD_MODIFY: u32 = 1;
const CMD_DELETE: u32 = 2;
const CMD_ADD_LAST: u32 = 3;
const CMD_ADD_FIRST: u32 = 4;

// virNetworkUpdateSection.
const SEC_BRIDGE: u32 = 1;
const SEC_DOMAIN: u32 = 2;
const SEC_IP: u32 = 3;
const SEC_IP_DHCP_HOST: u32 = 4;
const SEC_IP_DHCP_RANGE: u32 = 5;
const SEC_FORWARD: u32 = 6;
const SEC_FORWARD_INTERFACE: u32 = 7;
const SEC_FORWARD_PF: u32 = 8;
const SEC_PORTGROUP: u32 = 9;
const SEC_DNS_HOST: u32 = 10;
const SEC_DNS_TXT: u32 = 11;
const SEC_DNS_SRV: u32 = 12;

// virNetworkUpdateFlags.
pub(crate) const AFFECT_LIVE: u32 = 1;
pub(crate) const AFFECT_CONFIG: u32 = 2;

/// A mutable element: name, attributes in order, child elements, text.
#[derive(Clone, Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    kids: Vec<El>,
    text: String,
}

impl El {
    fn new(name: &str) -> El {
        El {
            name: name.to_string(),
            ..Default::default()
        }
    }
    fn from_node(n: roxmltree::Node) -> El {
        El {
            name: n.tag_name().name().to_string(),
            attrs: n
                .attributes()
                .map(|a| (a.name().to_string(), a.value().to_string()))
                .collect(),
            kids: n
                .children()
                .filter(|c| c.is_element())
                .map(El::from_node)
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
    fn attr(&self, k: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    }
    fn with(mut self, k: &str, v: Option<&str>) -> El {
        if let Some(v) = v {
            self.attrs.push((k.to_string(), v.to_string()));
        }
        self
    }
    fn write(&self, out: &mut String) {
        let _ = write!(out, "<{}", self.name);
        for (k, v) in &self.attrs {
            let _ = write!(out, " {k}='{}'", esc(v));
        }
        out.push('>');
        out.push_str(&esc(&self.text));
        for k in &self.kids {
            k.write(out);
        }
        let _ = write!(out, "</{}>", self.name);
    }
    fn child_mut(&mut self, name: &str) -> Option<&mut El> {
        self.kids.iter_mut().find(|k| k.name == name)
    }
    /// The child `name`, created (before the first of `before`, else last) when missing.
    fn ensure_child(&mut self, name: &str, before: &[&str]) -> &mut El {
        if let Some(i) = self.kids.iter().position(|k| k.name == name) {
            return &mut self.kids[i];
        }
        let at = self
            .kids
            .iter()
            .position(|k| before.contains(&k.name.as_str()))
            .unwrap_or(self.kids.len());
        self.kids.insert(at, El::new(name));
        &mut self.kids[at]
    }
    /// Indices of the children named `name`.
    fn indices(&self, name: &str) -> Vec<usize> {
        (0..self.kids.len())
            .filter(|i| self.kids[*i].name == name)
            .collect()
    }
    /// Insert `e` first or last among the children named like it, the others in `after`
    /// (names that come before it) and the rest keeping their places.
    fn insert_among(&mut self, e: El, first: bool, after: &[&str]) {
        let same = self.indices(&e.name);
        let at = match (first, same.first(), same.last()) {
            (true, Some(f), _) => *f,
            (false, _, Some(l)) => l + 1,
            _ => self
                .kids
                .iter()
                .rposition(|k| after.contains(&k.name.as_str()))
                .map_or(0, |i| i + 1),
        };
        self.kids.insert(at, e);
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
}

fn err(code: Code, msg: impl AsRef<str>) -> VirError {
    VirError::detail(Domain::VIR_FROM_NETWORK, code, msg)
}

fn invalid(msg: impl AsRef<str>) -> VirError {
    err(Code::VIR_ERR_OPERATION_INVALID, msg)
}

fn unsupported(msg: impl AsRef<str>) -> VirError {
    err(Code::VIR_ERR_OPERATION_UNSUPPORTED, msg)
}

fn xml_error(msg: impl AsRef<str>) -> VirError {
    err(Code::VIR_ERR_XML_ERROR, msg)
}

fn unknown_command(command: u32) -> VirError {
    unsupported(format!(
        "unrecognized network update command code {}",
        command as i32
    ))
}

fn is_add(command: u32) -> bool {
    command == CMD_ADD_FIRST || command == CMD_ADD_LAST
}

fn check_name(net: &str, e: &El, want: &str) -> Result<()> {
    if e.name != want {
        return Err(xml_error(format!(
            "unexpected element <{}>, expecting <{want}>, while updating network '{net}'",
            e.name
        )));
    }
    Ok(())
}

fn ip_of(s: &str) -> Option<IpAddr> {
    s.parse().ok()
}

fn same_ip(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.and_then(ip_of), b.and_then(ip_of)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn same_mac(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x.eq_ignore_ascii_case(y))
}

/// Whether an `<ip>` element is IPv6 (by its address, as libvirt decides).
fn is_v6(ip: &El) -> bool {
    ip.attr("address")
        .and_then(ip_of)
        .is_some_and(|a| a.is_ipv6())
        || ip.attr("family") == Some("ipv6")
}

fn has_dhcp_entries(ip: &El) -> bool {
    ip.kids
        .iter()
        .find(|k| k.name == "dhcp")
        .is_some_and(|d| d.kids.iter().any(|k| k.name == "range" || k.name == "host"))
}

/// `virNetworkIPDefByIndex`: the `<ip>` (an index among the root's children) a DHCP update
/// works on.
fn ip_by_index(root: &El, net: &str, parent_index: i32) -> Result<usize> {
    let ips = root.indices("ip");
    if parent_index >= 0 {
        return ips.get(parent_index as usize).copied().ok_or_else(|| {
            invalid(format!(
                "couldn't update dhcp host entry - no <ip> element found at index {parent_index} in network '{net}'"
            ))
        });
    }
    ips.iter()
        .copied()
        .find(|i| has_dhcp_entries(&root.kids[*i]))
        .or_else(|| ips.iter().copied().find(|i| !is_v6(&root.kids[*i])))
        .or_else(|| ips.iter().copied().find(|i| is_v6(&root.kids[*i])))
        .ok_or_else(|| {
            invalid(format!(
                "couldn't update dhcp host entry - no <ip> element found in network '{net}'"
            ))
        })
}

/// `virNetworkDefUpdateCheckMultiDHCP`.
fn check_multi_dhcp(root: &El, ip: usize) -> Result<()> {
    let v6 = is_v6(&root.kids[ip]);
    for i in root.indices("ip") {
        if i != ip && is_v6(&root.kids[i]) == v6 && has_dhcp_entries(&root.kids[i]) {
            return Err(invalid(format!(
                "dhcp is supported only for a single {} address on each network",
                if v6 { "IPv6" } else { "IPv4" }
            )));
        }
    }
    Ok(())
}

/// Drop a `<dhcp>` left without ranges, hosts or bootp (libvirt prints none then).
fn prune_dhcp(ip: &mut El) {
    ip.kids.retain(|k| k.name != "dhcp" || !k.kids.is_empty());
}

/// A parsed static host: (mac, id, name, ip), validated as `virNetworkDHCPHostDefParseXML`.
fn dhcp_host(net: &str, v6: bool, e: &El, partial: bool) -> Result<El> {
    let mac = e.attr("mac");
    if let Some(m) = mac {
        if v6 {
            return Err(xml_error(format!(
                "Invalid to specify MAC address '{m}' in network '{net}' IPv6 static host definition"
            )));
        }
        let bytes: Vec<Option<u8>> = m
            .split(':')
            .map(|p| u8::from_str_radix(p, 16).ok())
            .collect();
        if bytes.len() != 6 || bytes.iter().any(|b| b.is_none()) {
            return Err(xml_error(format!(
                "Cannot parse MAC address '{m}' in network '{net}'"
            )));
        }
        if bytes[0].unwrap_or(0) & 1 != 0 {
            return Err(xml_error(format!(
                "expected unicast mac address, found multicast '{m}' in network '{net}'"
            )));
        }
    }
    let id = e.attr("id");
    if let Some(id) = id
        && let Some(c) = id.chars().find(|c| !(c.is_ascii_hexdigit() || *c == ':'))
    {
        return Err(xml_error(format!(
            "Invalid character '{c}' in id '{id}' of network '{net}'"
        )));
    }
    let name = e.attr("name");
    if let Some(n) = name
        && !n.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return Err(xml_error(format!(
            "Cannot use host name '{n}' in network '{net}'"
        )));
    }
    let ip = e.attr("ip");
    if ip.is_some_and(|i| ip_of(i).is_none()) {
        return Err(xml_error(format!(
            "Invalid IP address in static host definition for network '{net}'"
        )));
    }
    if partial {
        if mac.is_none() && name.is_none() && ip.is_none() {
            return Err(xml_error(format!(
                "At least one of name, mac, or ip attribute must be specified for static host definition in network '{net}' "
            )));
        }
    } else {
        if v6 && id.is_none() && name.is_none() {
            return Err(xml_error(format!(
                "Static host definition in IPv6 network '{net}' must have id or name attribute"
            )));
        }
        if !v6 && mac.is_none() && name.is_none() {
            return Err(xml_error(format!(
                "Static host definition in IPv4 network '{net}' must have mac or name attribute"
            )));
        }
        if ip.is_none() {
            return Err(xml_error(format!(
                "Missing IP address in static host definition for network '{net}'"
            )));
        }
    }
    let mac = mac.map(str::to_ascii_lowercase);
    Ok(El::new("host")
        .with("mac", mac.as_deref())
        .with("id", id)
        .with("name", name)
        .with("ip", ip.and_then(ip_of).map(|a| a.to_string()).as_deref()))
}

fn fmt_host(h: &El) -> String {
    format!(
        "mac='{}' name='{}' ip='{}'",
        h.attr("mac").unwrap_or("unknown"),
        h.attr("name").unwrap_or("(null)"),
        h.attr("ip").unwrap_or("unknown")
    )
}

fn update_dhcp_host(root: &mut El, net: &str, command: u32, idx: i32, e: &El) -> Result<()> {
    let ip = ip_by_index(root, net, idx);
    check_name(net, e, "host")?;
    let ip = ip?;
    let v6 = is_v6(&root.kids[ip]);
    let partial = command == CMD_DELETE;
    let host = dhcp_host(net, v6, e, partial)?;
    if !partial && host.attr("ip").and_then(ip_of).is_some_and(|a| a.is_ipv6()) != v6 {
        return Err(invalid(
            "the address family of a host entry IP must match the address family of the dhcp element's parent",
        ));
    }
    if is_add(command) {
        check_multi_dhcp(root, ip)?;
    }
    let ipel = &mut root.kids[ip];
    let dhcp = ipel.ensure_child("dhcp", &[]);
    let hosts = dhcp.indices("host");
    let matches = |h: &El| {
        same_mac(host.attr("mac"), h.attr("mac"))
            || host.attr("name").is_some() && host.attr("name") == h.attr("name")
            || same_ip(host.attr("ip"), h.attr("ip"))
    };
    match command {
        CMD_MODIFY => {
            let Some(i) = hosts.iter().copied().find(|i| matches(&dhcp.kids[*i])) else {
                let msg = format!(
                    "couldn't locate an existing dhcp host entry with \"mac='{}'\" \"name='{}'\" \"ip='{}'\" in network '{net}'",
                    host.attr("mac").unwrap_or("unknown"),
                    host.attr("name").unwrap_or("(null)"),
                    host.attr("ip").unwrap_or("unknown")
                );
                prune_dhcp(ipel);
                return Err(invalid(msg));
            };
            dhcp.kids[i] = host;
        }
        CMD_ADD_FIRST | CMD_ADD_LAST => {
            if hosts.iter().any(|i| matches(&dhcp.kids[*i])) {
                let msg = format!(
                    "there is an existing dhcp host entry in network '{net}' that matches \"<host {}/>\"",
                    fmt_host(&host)
                );
                return Err(invalid(msg));
            }
            dhcp.insert_among(host, command == CMD_ADD_FIRST, &["range"]);
        }
        CMD_DELETE => {
            let found = hosts.iter().copied().find(|i| {
                let h = &dhcp.kids[*i];
                (host.attr("mac").is_none()
                    || h.attr("mac").is_none()
                    || same_mac(host.attr("mac"), h.attr("mac")))
                    && (host.attr("name").is_none() || host.attr("name") == h.attr("name"))
                    && (host.attr("ip").is_none() || same_ip(host.attr("ip"), h.attr("ip")))
            });
            let Some(i) = found else {
                prune_dhcp(ipel);
                return Err(invalid(format!(
                    "couldn't locate a matching dhcp host entry in network '{net}'"
                )));
            };
            dhcp.kids.remove(i);
        }
        _ => return Err(unknown_command(command)),
    }
    prune_dhcp(ipel);
    Ok(())
}

fn update_dhcp_range(root: &mut El, net: &str, command: u32, idx: i32, e: &El) -> Result<()> {
    let ip = ip_by_index(root, net, idx);
    check_name(net, e, "range")?;
    let ip = ip?;
    if command == CMD_MODIFY {
        return Err(unsupported(
            "dhcp ranges cannot be modified, only added or deleted",
        ));
    }
    let start = e.attr("start").ok_or_else(|| {
        err(
            Code::VIR_ERR_CONFIG_UNSUPPORTED,
            format!("Missing 'start' attribute in dhcp range for network '{net}'"),
        )
    })?;
    let end = e.attr("end").ok_or_else(|| {
        err(
            Code::VIR_ERR_CONFIG_UNSUPPORTED,
            format!("Missing 'end' attribute in dhcp range for network '{net}'"),
        )
    })?;
    let (Some(s), Some(en)) = (ip_of(start), ip_of(end)) else {
        return Err(xml_error(format!(
            "Invalid dhcp range '{start}' to '{end}' in network '{net}'"
        )));
    };
    let v6 = is_v6(&root.kids[ip]);
    if s.is_ipv6() != v6 {
        return Err(invalid(
            "the address family of a dhcp range must match the address family of the dhcp element's parent",
        ));
    }
    if is_add(command) {
        check_multi_dhcp(root, ip)?;
    }
    let ipel = &mut root.kids[ip];
    let dhcp = ipel.ensure_child("dhcp", &[]);
    let found = dhcp.indices("range").into_iter().find(|i| {
        let r = &dhcp.kids[*i];
        r.attr("start").and_then(ip_of) == Some(s) && r.attr("end").and_then(ip_of) == Some(en)
    });
    match command {
        CMD_ADD_FIRST | CMD_ADD_LAST => {
            if found.is_some() {
                return Err(invalid(format!(
                    "there is an existing dhcp range entry in network '{net}' that matches \"<range start='{s}' end='{en}'/>\""
                )));
            }
            let mut r = El::new("range");
            r.attrs = e.attrs.clone();
            r.kids = e.kids.clone();
            dhcp.insert_among(r, command == CMD_ADD_FIRST, &[]);
        }
        CMD_DELETE => {
            let Some(i) = found else {
                prune_dhcp(ipel);
                return Err(invalid(format!(
                    "couldn't locate a matching dhcp range entry in network '{net}'"
                )));
            };
            dhcp.kids.remove(i);
        }
        _ => {
            prune_dhcp(ipel);
            return Err(unknown_command(command));
        }
    }
    // Ranges come before hosts.
    dhcp.kids.sort_by_key(|k| match k.name.as_str() {
        "range" => 0,
        "host" => 1,
        _ => 2,
    });
    prune_dhcp(ipel);
    Ok(())
}

fn update_forward_interface(root: &mut El, net: &str, command: u32, e: &El) -> Result<()> {
    check_name(net, e, "interface")?;
    if command == CMD_MODIFY {
        return Err(unsupported(
            "forward interface entries cannot be modified, only added or deleted",
        ));
    }
    let dev = e
        .attr("dev")
        .ok_or_else(|| xml_error("missing dev attribute in <interface> element"))?
        .to_string();
    // A network without <forward> keeps its interfaces nowhere libvirt prints.
    let mut scratch = El::new("forward");
    let fwd = root.child_mut("forward").unwrap_or(&mut scratch);
    let found = fwd
        .indices("interface")
        .into_iter()
        .find(|i| fwd.kids[*i].attr("dev") == Some(dev.as_str()));
    match command {
        CMD_ADD_FIRST | CMD_ADD_LAST => {
            if found.is_some() {
                return Err(invalid(format!(
                    "there is an existing interface entry in network '{net}' that matches \"<interface dev='{dev}'>\""
                )));
            }
            let i = El::new("interface").with("dev", Some(&dev));
            fwd.insert_among(i, command == CMD_ADD_FIRST, &["pf"]);
        }
        CMD_DELETE => {
            let Some(i) = found else {
                return Err(invalid(format!(
                    "couldn't find an interface entry in network '{net}' matching <interface dev='{dev}'>"
                )));
            };
            fwd.kids.remove(i);
        }
        _ => return Err(unknown_command(command)),
    }
    Ok(())
}

fn update_portgroup(root: &mut El, net: &str, command: u32, e: &El) -> Result<()> {
    check_name(net, e, "portgroup")?;
    let name = e
        .attr("name")
        .ok_or_else(|| xml_error("Missing required name attribute in portgroup"))?;
    let is_default = e
        .attr("default")
        .is_some_and(|d| d.eq_ignore_ascii_case("yes"));
    let pgs = root.indices("portgroup");
    let found_name = pgs
        .iter()
        .copied()
        .find(|i| root.kids[*i].attr("name") == Some(name));
    let found_default = pgs.iter().copied().rfind(|i| {
        root.kids[*i]
            .attr("default")
            .is_some_and(|d| d.eq_ignore_ascii_case("yes"))
    });
    if found_name.is_none() && (command == CMD_MODIFY || command == CMD_DELETE) {
        return Err(invalid(format!(
            "couldn't find a portgroup entry in network '{net}' matching <portgroup name='{name}'>"
        )));
    }
    if found_name.is_some() && is_add(command) {
        return Err(invalid(format!(
            "there is an existing portgroup entry in network '{net}' that matches \"<portgroup name='{name}'>\""
        )));
    }
    if command != CMD_DELETE && is_default && found_default.is_some() && found_default != found_name
    {
        return Err(invalid(format!(
            "a different portgroup entry in network '{net}' is already set as the default. Only one default is allowed."
        )));
    }
    let mut pg = e.clone();
    // libvirt prints default='yes' only.
    pg.attrs.retain(|(k, _)| k != "default");
    if is_default {
        let at = pg
            .attrs
            .iter()
            .position(|(k, _)| k == "name")
            .map_or(0, |i| i + 1);
        pg.attrs.insert(at, ("default".into(), "yes".into()));
    }
    match command {
        CMD_MODIFY => root.kids[found_name.unwrap_or_default()] = pg,
        CMD_ADD_FIRST | CMD_ADD_LAST => root.insert_among(
            pg,
            command == CMD_ADD_FIRST,
            &[
                "forward",
                "bridge",
                "mtu",
                "mac",
                "domain",
                "dns",
                "vlan",
                "bandwidth",
                "ip",
                "route",
                "virtualport",
            ],
        ),
        CMD_DELETE => {
            root.kids.remove(found_name.unwrap_or_default());
        }
        _ => return Err(unknown_command(command)),
    }
    Ok(())
}

/// The `<dns>` of the root, created where libvirt prints it.
fn dns(root: &mut El) -> &mut El {
    root.ensure_child(
        "dns",
        &[
            "vlan",
            "bandwidth",
            "ip",
            "route",
            "virtualport",
            "portgroup",
        ],
    )
}

fn prune_dns(root: &mut El) {
    root.kids
        .retain(|k| k.name != "dns" || !k.kids.is_empty() || !k.attrs.is_empty());
}

/// Order of `<dns>` children in libvirt's format.
fn dns_order(d: &mut El) {
    d.kids.sort_by_key(|k| match k.name.as_str() {
        "forwarder" => 0,
        "txt" => 1,
        "srv" => 2,
        "host" => 3,
        _ => 4,
    });
}

fn update_dns_host(root: &mut El, net: &str, command: u32, e: &El) -> Result<()> {
    if command == CMD_MODIFY {
        return Err(unsupported(
            "DNS HOST records cannot be modified, only added or deleted",
        ));
    }
    check_name(net, e, "host")?;
    let add = is_add(command);
    let ip = e.attr("ip");
    let names: Vec<String> = e
        .kids
        .iter()
        .filter(|k| k.name == "hostname")
        .map(|k| k.text.clone())
        .collect();
    if ip.is_none() && add {
        return Err(xml_error(format!(
            "Missing IP address in network '{net}' DNS HOST record"
        )));
    }
    if ip.is_some_and(|i| ip_of(i).is_none()) {
        return Err(xml_error(format!(
            "Invalid IP address in network '{net}' DNS HOST record"
        )));
    }
    if names.iter().any(|n| n.is_empty()) || names.is_empty() && add {
        return Err(xml_error(format!(
            "Missing hostname in network '{net}' DNS HOST record"
        )));
    }
    if ip.is_none() && names.is_empty() {
        return Err(xml_error(format!(
            "Missing ip and hostname in network '{net}' DNS HOST record"
        )));
    }
    let d = dns(root);
    let mut found = Vec::new();
    for i in d.indices("host") {
        let h = &d.kids[i];
        let this = same_ip(ip, h.attr("ip"))
            || !add
                && h.kids
                    .iter()
                    .any(|k| k.name == "hostname" && names.contains(&k.text));
        if this {
            found.push(i);
        }
    }
    match command {
        CMD_ADD_FIRST | CMD_ADD_LAST => {
            if !found.is_empty() {
                prune_dns(root);
                return Err(invalid(format!(
                    "there is already at least one DNS HOST record with a matching field in network {net}"
                )));
            }
            let mut h =
                El::new("host").with("ip", ip.and_then(ip_of).map(|a| a.to_string()).as_deref());
            h.kids = names
                .iter()
                .map(|n| El {
                    text: n.clone(),
                    ..El::new("hostname")
                })
                .collect();
            d.insert_among(h, command == CMD_ADD_FIRST, &["forwarder", "txt", "srv"]);
        }
        CMD_DELETE => {
            if found.len() != 1 {
                let msg = if found.is_empty() {
                    format!("couldn't locate a matching DNS HOST record in network {net}")
                } else {
                    format!("multiple matching DNS HOST records were found in network {net}")
                };
                prune_dns(root);
                return Err(invalid(msg));
            }
            d.kids.remove(found[0]);
        }
        _ => {
            prune_dns(root);
            return Err(unknown_command(command));
        }
    }
    dns_order(d);
    prune_dns(root);
    Ok(())
}

fn update_dns_txt(root: &mut El, net: &str, command: u32, e: &El) -> Result<()> {
    if command == CMD_MODIFY {
        return Err(unsupported(
            "DNS TXT records cannot be modified, only added or deleted",
        ));
    }
    check_name(net, e, "txt")?;
    let add = is_add(command);
    let Some(name) = e.attr("name") else {
        return Err(xml_error(format!(
            "missing required name attribute in DNS TXT record of network {net}"
        )));
    };
    if name.contains(' ') {
        return Err(xml_error(format!(
            "prohibited character in DNS TXT record name '{name}' of network {net}"
        )));
    }
    let value = e.attr("value");
    if value.is_none() && add {
        return Err(xml_error(format!(
            "missing required value attribute in DNS TXT record named '{name}' of network {net}"
        )));
    }
    let d = dns(root);
    let found = d
        .indices("txt")
        .into_iter()
        .find(|i| d.kids[*i].attr("name") == Some(name));
    match command {
        CMD_ADD_FIRST | CMD_ADD_LAST => {
            if found.is_some() {
                prune_dns(root);
                return Err(invalid(format!(
                    "there is already a DNS TXT record with name '{name}' in network {net}"
                )));
            }
            let t = El::new("txt").with("name", Some(name)).with("value", value);
            d.insert_among(t, command == CMD_ADD_FIRST, &["forwarder"]);
        }
        CMD_DELETE => {
            let Some(i) = found else {
                prune_dns(root);
                return Err(invalid(format!(
                    "couldn't locate a matching DNS TXT record in network {net}"
                )));
            };
            d.kids.remove(i);
        }
        _ => {
            prune_dns(root);
            return Err(unknown_command(command));
        }
    }
    dns_order(d);
    prune_dns(root);
    Ok(())
}

fn update_dns_srv(root: &mut El, net: &str, command: u32, e: &El) -> Result<()> {
    if command == CMD_MODIFY {
        return Err(unsupported(
            "DNS SRV records cannot be modified, only added or deleted",
        ));
    }
    check_name(net, e, "srv")?;
    let add = is_add(command);
    let service = e.attr("service");
    if service.is_none() && add {
        return Err(xml_error(format!(
            "missing required service attribute in DNS SRV record of network '{net}'"
        )));
    }
    let protocol = e.attr("protocol");
    if protocol.is_none() && add {
        return Err(xml_error(format!(
            "missing required protocol attribute in DNS SRV record '{}' of network '{net}'",
            service.unwrap_or("")
        )));
    }
    let (domain, target) = (e.attr("domain"), e.attr("target"));
    let d = dns(root);
    let found: Vec<usize> = d
        .indices("srv")
        .into_iter()
        .filter(|i| {
            let s = &d.kids[*i];
            [
                ("domain", domain),
                ("service", service),
                ("protocol", protocol),
                ("target", target),
            ]
            .iter()
            .all(|(k, v)| v.is_none() || s.attr(k) == *v)
        })
        .collect();
    match command {
        CMD_ADD_FIRST | CMD_ADD_LAST => {
            if !found.is_empty() {
                prune_dns(root);
                return Err(invalid(format!(
                    "there is already at least one DNS SRV record matching all specified fields in network {net}"
                )));
            }
            let s = El::new("srv")
                .with("service", service)
                .with("protocol", protocol)
                .with("domain", domain)
                .with("target", target)
                .with("port", e.attr("port"))
                .with("priority", e.attr("priority"))
                .with("weight", e.attr("weight"));
            d.insert_among(s, command == CMD_ADD_FIRST, &["forwarder", "txt"]);
        }
        CMD_DELETE => {
            if found.len() != 1 {
                let msg = if found.is_empty() {
                    format!("couldn't locate a matching DNS SRV record in network {net}")
                } else {
                    format!(
                        "multiple DNS SRV records matching all specified fields were found in network {net}"
                    )
                };
                prune_dns(root);
                return Err(invalid(msg));
            }
            d.kids.remove(found[0]);
        }
        _ => {
            prune_dns(root);
            return Err(unknown_command(command));
        }
    }
    dns_order(d);
    prune_dns(root);
    Ok(())
}

/// `virNetworkDefUpdateSection` on a copy of `def`: the updated definition.
fn update_section(
    def: &NetDef,
    command: u32,
    section: u32,
    parent_index: i32,
    xml: &str,
) -> Result<NetDef> {
    let doc = parse::parse(
        xml,
        parse::Origin {
            url: "network_update_xml",
            domain: Domain::VIR_FROM_NETWORK,
            file: false,
        },
    )?;
    let e = El::from_node(doc.root_element());
    let text = format_network(def);
    let cur = roxmltree::Document::parse(&text)
        .map_err(|x| VirError::internal(Domain::VIR_FROM_NETWORK, x.to_string()))?;
    let mut root = El::from_node(cur.root_element());
    let net = def.name.as_str();
    let no_support = |what: &str| {
        Err(unsupported(format!(
            "can't update '{what}' section of network '{net}'"
        )))
    };
    match section {
        SEC_BRIDGE => return no_support("bridge"),
        SEC_DOMAIN => return no_support("domain"),
        SEC_IP => return no_support("ip"),
        SEC_FORWARD => return no_support("forward"),
        SEC_FORWARD_PF => return no_support("forward pf"),
        SEC_IP_DHCP_HOST => update_dhcp_host(&mut root, net, command, parent_index, &e)?,
        SEC_IP_DHCP_RANGE => update_dhcp_range(&mut root, net, command, parent_index, &e)?,
        SEC_FORWARD_INTERFACE => update_forward_interface(&mut root, net, command, &e)?,
        SEC_PORTGROUP => update_portgroup(&mut root, net, command, &e)?,
        SEC_DNS_HOST => update_dns_host(&mut root, net, command, &e)?,
        SEC_DNS_TXT => update_dns_txt(&mut root, net, command, &e)?,
        SEC_DNS_SRV => update_dns_srv(&mut root, net, command, &e)?,
        _ => {
            return Err(unsupported("can't update unrecognized section of network"));
        }
    }
    let mut out = String::new();
    root.write(&mut out);
    // libvirt's final format/parse cycle.
    parse_network(&out)
}

/// `testNetworkUpdate` after its flag check: `virNetworkObjUpdate` with AFFECT_CURRENT
/// resolved.
pub fn update(
    nets: &mut Networks,
    i: usize,
    command: u32,
    section: u32,
    parent_index: i32,
    xml: &str,
    mut flags: u32,
) -> Result<()> {
    let n = &mut nets.list[i];
    if flags & (AFFECT_LIVE | AFFECT_CONFIG) == 0 {
        flags |= if n.active { AFFECT_LIVE } else { AFFECT_CONFIG };
    }
    if !n.active && flags & AFFECT_LIVE != 0 {
        return Err(invalid("network is not running"));
    }
    if flags & AFFECT_CONFIG != 0 {
        if !n.persistent {
            return Err(invalid(
                "cannot change persistent config of a transient network",
            ));
        }
        if n.active && n.next.is_none() {
            n.next = Some(n.def.clone());
        }
    }
    let live = if flags & AFFECT_LIVE != 0 {
        Some(update_section(&n.def, command, section, parent_index, xml)?)
    } else {
        None
    };
    let config = if flags & AFFECT_CONFIG != 0 {
        let base = n.next.as_ref().unwrap_or(&n.def);
        Some(update_section(base, command, section, parent_index, xml)?)
    } else {
        None
    };
    if let Some(c) = config {
        if n.active {
            n.next = Some(c);
        } else {
            n.def = c;
        }
    }
    if let Some(l) = live {
        n.def = l;
    }
    Ok(())
}

/// The network a handle names, for the update.
pub fn find(nets: &Networks, net: &NetworkRef) -> Result<usize> {
    nets.list
        .iter()
        .position(|n| n.def.uuid == net.uuid)
        .ok_or_else(|| {
            VirError::detail(
                Domain::VIR_FROM_TEST,
                Code::VIR_ERR_NO_NETWORK,
                format!(
                    "no network with matching uuid '{}'",
                    crate::core::uuid::format(&net.uuid)
                ),
            )
        })
}
