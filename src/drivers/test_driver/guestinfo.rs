//! Guest information the test driver makes up (scope hostmisc): `virDomainGetFSInfo` (two
//! ext4 filesystems on the first disk) and `virDomainInterfaceAddresses` (an address per
//! interface: from its network's first range, or 192.168.0.N), as libvirt's test driver does.

use super::TestDriver;
use super::node::Dom;
use crate::core::driver::{DomainRef, FsInfo, GuestInterface, IpAddress};
use crate::core::{Code, Domain, Result, VirError};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `virIPAddrType`.
const IP_ADDR_TYPE_IPV4: i32 = 0;
const IP_ADDR_TYPE_IPV6: i32 = 1;
/// `VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LAST`.
const ADDRESSES_SRC_LAST: u32 = 3;

fn check_flags(func: &str, flags: u32) -> Result<()> {
    VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, 0)
}

fn not_running() -> VirError {
    VirError::detail(
        Domain::VIR_FROM_DOMAIN,
        Code::VIR_ERR_OPERATION_INVALID,
        "domain is not running",
    )
}

/// A device's root element, parsed from its stored XML.
fn with_root<T>(xml: &str, f: impl FnOnce(roxmltree::Node) -> Option<T>) -> Option<T> {
    let doc = roxmltree::Document::parse(xml).ok()?;
    f(doc.root_element())
}

fn child_attr(root: roxmltree::Node, tag: &str, attr: &str) -> Option<String> {
    root.children()
        .find(|n| n.has_tag_name(tag))
        .and_then(|n| n.attribute(attr))
        .map(str::to_string)
}

/// The target name of the first disk whose device is `disk` (libvirt's default device).
fn first_disk_target(dom: &Dom) -> Option<String> {
    dom.def
        .devices
        .iter()
        .filter(|d| d.kind == "disk")
        .find_map(|d| {
            with_root(&d.xml, |r| {
                if r.attribute("device").unwrap_or("disk") != "disk" {
                    return None;
                }
                Some(child_attr(r, "target", "dev").unwrap_or_default())
            })
        })
}

/// What an interface contributes: its target name, MAC, type and network name.
struct NetIf {
    ifname: String,
    mac: Option<String>,
    network: Option<String>,
}

/// libvirt's `virMacAddrFormat`: lower-case, colon-separated.
fn format_mac(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn interfaces(dom: &Dom) -> Vec<NetIf> {
    dom.def
        .devices
        .iter()
        .filter(|d| d.kind == "interface")
        .map(|d| {
            with_root(&d.xml, |r| {
                Some(NetIf {
                    ifname: child_attr(r, "target", "dev").unwrap_or_default(),
                    mac: child_attr(r, "mac", "address").map(|m| format_mac(&m)),
                    network: if r.attribute("type") == Some("network") {
                        Some(child_attr(r, "source", "network").unwrap_or_default())
                    } else {
                        None
                    },
                })
            })
            .unwrap_or(NetIf {
                ifname: String::new(),
                mac: None,
                network: None,
            })
        })
        .collect()
}

/// The first `<ip>` of a network: its address (or its first DHCP range's start), family and
/// prefix as `virSocketAddrGetIPPrefix` derives it.
struct NetIp {
    start: IpAddr,
    prefix: u32,
}

fn natural_prefix(addr: Option<IpAddr>, netmask: Option<IpAddr>, prefix: Option<i64>) -> u32 {
    if let Some(p) = prefix.filter(|p| *p > 0) {
        return p as u32;
    }
    match (netmask, addr) {
        (Some(IpAddr::V4(m)), _) => u32::from(m).count_ones(),
        (Some(IpAddr::V6(m)), _) => u128::from(m).count_ones(),
        (None, Some(IpAddr::V4(a))) => {
            let v = u32::from(a);
            if v == 0 {
                return 0;
            }
            let octet = (v >> 24) as u8;
            if octet & 0x80 == 0 {
                8
            } else if octet & 0xC0 == 0x80 {
                16
            } else if octet & 0xE0 == 0xC0 {
                24
            } else {
                // libvirt's -1 in an unsigned field.
                u32::MAX
            }
        }
        (None, Some(IpAddr::V6(a))) => {
            if a.is_unspecified() {
                0
            } else {
                64
            }
        }
        (None, None) => 0,
    }
}

fn network_first_ip(xml: &str) -> Option<NetIp> {
    let doc = roxmltree::Document::parse(xml).ok()?;
    let ip = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("ip"))?;
    let parse = |s: Option<&str>| s.and_then(|s| s.parse::<IpAddr>().ok());
    let address = parse(ip.attribute("address"));
    let netmask = parse(ip.attribute("netmask"));
    let prefix = ip.attribute("prefix").and_then(|p| p.parse::<i64>().ok());
    let range = ip
        .children()
        .find(|n| n.has_tag_name("dhcp"))
        .and_then(|d| d.children().find(|n| n.has_tag_name("range")))
        .and_then(|r| parse(r.attribute("start")));
    let v6 = ip.attribute("family") == Some("ipv6");
    let start = range.or(address).unwrap_or(if v6 {
        IpAddr::V6(Ipv6Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    });
    Some(NetIp {
        start,
        prefix: natural_prefix(address, netmask, prefix),
    })
}

/// The address at `offset` past `start`, libvirt's way: the whole IPv4 address is a counter,
/// only the last byte of an IPv6 address is.
fn offset_addr(start: IpAddr, v6: bool, offset: u64) -> (i32, String) {
    match (start, v6) {
        (IpAddr::V6(a), _) => {
            let mut o = a.octets();
            o[15] = o[15].wrapping_add(offset as u8);
            (IP_ADDR_TYPE_IPV6, Ipv6Addr::from(o).to_string())
        }
        (IpAddr::V4(a), true) => {
            // An ipv6 family with an IPv4 address: libvirt adds to the wrong union member's
            // byte; the test networks never have it, the address stays as written.
            (IP_ADDR_TYPE_IPV6, a.to_string())
        }
        (IpAddr::V4(a), false) => {
            let v = u32::from(a).wrapping_add(offset as u32);
            (IP_ADDR_TYPE_IPV4, Ipv4Addr::from(v).to_string())
        }
    }
}

impl TestDriver {
    pub(super) fn guest_fs_info(&self, d: &DomainRef, flags: u32) -> Result<Vec<FsInfo>> {
        check_flags("testDomainGetFSInfo", flags)?;
        self.with_dom(d, |dom| {
            if !dom.is_active() {
                return Err(not_running());
            }
            let Some(disk) = first_disk_target(dom) else {
                return Ok(Vec::new());
            };
            Ok(["/", "/boot"]
                .iter()
                .enumerate()
                .map(|(i, mnt)| FsInfo {
                    mountpoint: mnt.to_string(),
                    name: format!("{disk}{}", i + 1),
                    fstype: "ext4".to_string(),
                    dev_aliases: vec![disk.clone()],
                })
                .collect())
        })
    }

    pub(super) fn guest_interface_addresses(
        &self,
        d: &DomainRef,
        source: u32,
        flags: u32,
    ) -> Result<Vec<GuestInterface>> {
        check_flags("testDomainInterfaceAddresses", flags)?;
        if source >= ADDRESSES_SRC_LAST {
            return Err(VirError::detail(
                Domain::VIR_FROM_TEST,
                Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
                format!("Unknown IP address data source {source}"),
            ));
        }
        let (id, ifs) = self.with_dom(d, |dom| {
            if !dom.is_active() {
                return Err(not_running());
            }
            Ok((dom.id, interfaces(dom)))
        })?;
        let nets = self.node.networks.read();
        let mut out = Vec::with_capacity(ifs.len());
        for (i, nif) in ifs.into_iter().enumerate() {
            let addr = match &nif.network {
                Some(name) => {
                    let xml = nets.network_xml_by_name(name)?;
                    let ip = network_first_ip(&xml).ok_or_else(|| {
                        VirError::detail(
                            Domain::VIR_FROM_TEST,
                            Code::VIR_ERR_INTERNAL_ERROR,
                            format!("network '{name}' has no IP address"),
                        )
                    })?;
                    let v6 = network_is_v6(&xml);
                    let offset = 20 * (id as i64 - 1) + i as i64 + 1;
                    let (kind, addr) = offset_addr(ip.start, v6, offset as u64);
                    IpAddress {
                        kind,
                        addr,
                        prefix: ip.prefix,
                    }
                }
                None => IpAddress {
                    kind: IP_ADDR_TYPE_IPV4,
                    addr: format!("192.168.0.{}", 1 + i),
                    prefix: 24,
                },
            };
            out.push(GuestInterface {
                name: nif.ifname,
                hwaddr: nif.mac,
                addrs: vec![addr],
            });
        }
        Ok(out)
    }
}

fn network_is_v6(xml: &str) -> bool {
    roxmltree::Document::parse(xml)
        .ok()
        .and_then(|doc| {
            doc.root_element()
                .children()
                .find(|n| n.has_tag_name("ip"))
                .map(|ip| ip.attribute("family") == Some("ipv6"))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_follow_libvirt() {
        let a = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(natural_prefix(a("10.0.0.1"), None, Some(12)), 12);
        assert_eq!(natural_prefix(a("10.0.0.1"), a("255.255.240.0"), None), 20);
        assert_eq!(natural_prefix(a("10.0.0.1"), None, None), 8);
        assert_eq!(natural_prefix(a("172.16.0.1"), None, None), 16);
        assert_eq!(natural_prefix(a("192.168.1.1"), None, None), 24);
        assert_eq!(natural_prefix(a("224.0.0.1"), None, None), u32::MAX);
        assert_eq!(natural_prefix(a("0.0.0.0"), None, None), 0);
        assert_eq!(natural_prefix(a("2001:db8::1"), None, None), 64);
    }

    #[test]
    fn offsets_wrap_like_libvirt() {
        let v4 = "192.168.122.250".parse().unwrap();
        assert_eq!(offset_addr(v4, false, 10).1, "192.168.123.4");
        let v6 = "2001:db8::ff".parse().unwrap();
        assert_eq!(
            offset_addr(v6, true, 2),
            (IP_ADDR_TYPE_IPV6, "2001:db8::1".into())
        );
    }
}
