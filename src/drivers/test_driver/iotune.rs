//! Interface bandwidth and block I/O tuning on the test driver (scope: iotune):
//! virDomain{Get,Set}InterfaceParameters edit `<interface><bandwidth>` and
//! virDomain{Get,Set}BlockIoTune edit `<disk><iotune>`, with libvirt 9.0.0's test-driver
//! semantics (the count query, flags, the "total and read/write" conflicts, the limits).

use super::TestDriver;
use super::tuning::{one_def, one_def_mut};
use super::tuning_params::{El, Kind, check_flags, err, first, string, uint, ull, validate};
use super::xml::{DISK_CHILDREN, Device, DomainDef, parse_mac};
use crate::core::driver::{DomainRef, TypedParam, TypedValue};
use crate::core::{Code, Domain, Result, VirError};

const AFFECT_LIVE: u32 = 1;
const AFFECT_CONFIG: u32 = 2;
const STRING_OKAY: u32 = 4;

/// The bandwidth fields in libvirt's reporting order.
const BW_FIELDS: [&str; 7] = [
    "inbound.average",
    "inbound.peak",
    "inbound.burst",
    "inbound.floor",
    "outbound.average",
    "outbound.peak",
    "outbound.burst",
];

/// The iotune fields in libvirt's reporting (and XML) order; index 13 is the group name.
const IOTUNE_FIELDS: [&str; 20] = [
    "total_bytes_sec",
    "read_bytes_sec",
    "write_bytes_sec",
    "total_iops_sec",
    "read_iops_sec",
    "write_iops_sec",
    "total_bytes_sec_max",
    "read_bytes_sec_max",
    "write_bytes_sec_max",
    "total_iops_sec_max",
    "read_iops_sec_max",
    "write_iops_sec_max",
    "size_iops_sec",
    "group_name",
    "total_bytes_sec_max_length",
    "read_bytes_sec_max_length",
    "write_bytes_sec_max_length",
    "total_iops_sec_max_length",
    "read_iops_sec_max_length",
    "write_iops_sec_max_length",
];
const GROUP: usize = 13;

/// Where libvirt prints `<bandwidth>` in an `<interface>`: after these, before the rest.
const NET_BEFORE_BANDWIDTH: &[&str] = &["mac", "source", "vlan", "virtualport", "bandwidth"];

/// `TEST_BLOCK_IOTUNE_MAX`.
const IOTUNE_MAX: u64 = 1_000_000_000_000_000;

/// One direction of `<bandwidth>`: average, peak, burst, floor.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Rate {
    average: u64,
    peak: u64,
    burst: u64,
    floor: u64,
}

fn parse_rate(el: &El) -> Rate {
    let n = |k: &str| el.get(k).and_then(|v| v.parse().ok()).unwrap_or(0);
    Rate {
        average: n("average"),
        peak: n("peak"),
        burst: n("burst"),
        floor: n("floor"),
    }
}

/// `virNetDevBandwidthRateFormat`: nothing unless average or floor is set.
fn rate_el(name: &str, r: &Rate) -> Option<El> {
    if r.average == 0 && r.floor == 0 {
        return None;
    }
    let mut e = El::new(name);
    for (k, v) in [
        ("average", r.average),
        ("peak", r.peak),
        ("floor", r.floor),
        ("burst", r.burst),
    ] {
        if v != 0 {
            e = e.attr(k, v);
        }
    }
    Some(e)
}

/// `virDomainNetFind`: by MAC address when `device` parses as one, else by target name.
pub(super) fn find_net(def: &DomainDef, device: Option<&str>) -> Result<(usize, El)> {
    let dev = device.unwrap_or("(null)");
    let mac = device.and_then(parse_mac);
    for (i, d) in def.devices.iter().enumerate() {
        if d.kind != "interface" {
            continue;
        }
        let Some(e) = El::parse(&d.xml) else { continue };
        let hit = match mac {
            Some(m) => {
                e.child("mac")
                    .and_then(|c| c.get("address"))
                    .and_then(parse_mac)
                    == Some(m)
            }
            None => device.is_some() && e.child("target").and_then(|c| c.get("dev")) == device,
        };
        if hit {
            return Ok((i, e));
        }
    }
    // Reported by libvirt's domain configuration code, hence VIR_FROM_DOMAIN.
    Err(VirError::detail(
        Domain::VIR_FROM_DOMAIN,
        Code::VIR_ERR_INVALID_ARG,
        format!("'{dev}' is not a known interface"),
    ))
}

/// `virDomainDiskByName(def, name, true)`: by target unless the name starts with '/', then by
/// source path.
fn find_disk(def: &DomainDef, name: &str) -> Option<(usize, El)> {
    for (i, d) in def.devices.iter().enumerate() {
        if d.kind != "disk" {
            continue;
        }
        let Some(e) = El::parse(&d.xml) else { continue };
        let hit = if !name.starts_with('/') {
            e.child("target").and_then(|c| c.get("dev")) == Some(name)
        } else {
            e.child("source").is_some_and(|s| {
                ["file", "dev", "dir", "name"]
                    .iter()
                    .find_map(|k| s.get(k))
                    .is_some_and(|p| p == name)
            })
        };
        if hit {
            return Some((i, e));
        }
    }
    None
}

/// Put `child` (or nothing) in place of the element of its name, at libvirt's position.
fn place(e: &mut El, name: &str, child: Option<El>, order: &[&str]) {
    e.children.retain(|c| c.name != name);
    let Some(child) = child else { return };
    let rank = |n: &str| order.iter().position(|o| *o == n).unwrap_or(order.len());
    let r = rank(name);
    let at = e
        .children
        .iter()
        .position(|c| rank(&c.name) > r)
        .unwrap_or(e.children.len());
    e.children.insert(at, child);
}

/// Re-print a device at its indentation. An empty `<bandwidth>` (both directions cleared on an
/// interface that had none) and an empty group name print as libvirt prints them: an open and
/// a close tag.
fn store(dev: &mut Device, e: &El) {
    let indent = dev.xml.len() - dev.xml.trim_start().len();
    let mut x = String::new();
    e.format(&mut x, indent);
    let pad = " ".repeat(indent + 2);
    x = x.replace(
        &format!("{pad}<bandwidth/>\n"),
        &format!("{pad}<bandwidth>\n{pad}</bandwidth>\n"),
    );
    let group = " ".repeat(indent + 4) + "<group_name";
    x = x.replace(&format!("{group}/>\n"), &format!("{group}></group_name>\n"));
    dev.xml = x;
}

/// The iotune values of a disk: 19 numbers (index 13 unused) and the group name.
fn iotune_of(e: &El) -> ([u64; 20], Option<String>) {
    let mut v = [0u64; 20];
    let mut group = None;
    if let Some(t) = e.child("iotune") {
        for (i, f) in IOTUNE_FIELDS.iter().enumerate() {
            let Some(c) = t.child(f) else { continue };
            if i == GROUP {
                group = Some(c.text.clone());
            } else {
                v[i] = c.text.parse().unwrap_or(0);
            }
        }
    }
    (v, group)
}

fn iotune_el(v: &[u64; 20], group: &Option<String>) -> Option<El> {
    let mut t = El::new("iotune");
    for (i, f) in IOTUNE_FIELDS.iter().enumerate() {
        if i == GROUP {
            if let Some(g) = group {
                t.children.push(El::text(f, g));
            }
        } else if v[i] != 0 {
            t.children.push(El::text(f, v[i]));
        }
    }
    (!t.children.is_empty()).then_some(t)
}

impl TestDriver {
    pub(super) fn iotune_get_interface(
        &self,
        d: &DomainRef,
        device: Option<&str>,
        nparams: i32,
        flags: u32,
    ) -> Result<(i32, Vec<TypedParam>)> {
        check_flags(
            "testDomainGetInterfaceParameters",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG | STRING_OKAY,
        )?;
        if nparams == 0 {
            return Ok((7, Vec::new()));
        }
        self.with_dom(d, |dom| {
            let (def, _) = one_def(dom, flags & !STRING_OKAY)?;
            let (_, e) = find_net(def, device)?;
            let bw = e.child("bandwidth");
            let rate = |n: &str| {
                bw.and_then(|b| b.child(n))
                    .map(parse_rate)
                    .unwrap_or_default()
            };
            let (i, o) = (rate("inbound"), rate("outbound"));
            let vals = [
                i.average, i.peak, i.burst, i.floor, o.average, o.peak, o.burst,
            ];
            let all = BW_FIELDS
                .iter()
                .zip(vals)
                .map(|(f, v)| TypedParam::new(*f, TypedValue::UInt(v as u32)))
                .collect();
            Ok(first(all, nparams))
        })
    }

    pub(super) fn iotune_set_interface(
        &self,
        d: &DomainRef,
        device: Option<&str>,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        check_flags(
            "testDomainSetInterfaceParameters",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG,
        )?;
        let allowed: Vec<(&str, Kind)> = BW_FIELDS.iter().map(|f| (*f, Kind::UInt)).collect();
        validate(params, &allowed)?;
        self.with_dom_mut(d, |st, i| {
            let (def, _) = one_def_mut(&mut st.doms[i], flags)?;
            let (di, mut e) = find_net(def, device)?;
            let (mut inb, mut outb) = (Rate::default(), Rate::default());
            let (mut in_spec, mut out_spec) = (false, false);
            for p in params {
                let v = uint(p) as u64;
                match p.field.as_str() {
                    "inbound.average" => {
                        inb.average = v;
                        in_spec = true;
                    }
                    "inbound.peak" => inb.peak = v,
                    "inbound.burst" => inb.burst = v,
                    "inbound.floor" => {
                        inb.floor = v;
                        in_spec = true;
                    }
                    "outbound.average" => {
                        outb.average = v;
                        out_spec = true;
                    }
                    "outbound.peak" => outb.peak = v,
                    "outbound.burst" => outb.burst = v,
                    _ => {}
                }
            }
            // Average (or floor, inbound) is what makes a direction present.
            let new_in = (inb.average != 0 || inb.floor != 0).then_some(inb);
            let new_out = (outb.average != 0).then_some(outb);
            let bw = match e.child("bandwidth").cloned() {
                None => {
                    let mut b = El::new("bandwidth");
                    b.children
                        .extend(new_in.and_then(|r| rate_el("inbound", &r)));
                    b.children
                        .extend(new_out.and_then(|r| rate_el("outbound", &r)));
                    b
                }
                Some(mut b) => {
                    if new_in.is_some() || in_spec {
                        let keep_out: Vec<El> = b
                            .children
                            .iter()
                            .filter(|c| c.name != "inbound")
                            .cloned()
                            .collect();
                        b.children = new_in
                            .and_then(|r| rate_el("inbound", &r))
                            .into_iter()
                            .chain(keep_out)
                            .collect();
                    }
                    if new_out.is_some() || out_spec {
                        b.children.retain(|c| c.name != "outbound");
                        b.children
                            .extend(new_out.and_then(|r| rate_el("outbound", &r)));
                    }
                    b
                }
            };
            place(&mut e, "bandwidth", Some(bw), NET_BEFORE_BANDWIDTH);
            store(&mut def.devices[di], &e);
            Ok(())
        })
    }

    pub(super) fn iotune_get_block(
        &self,
        d: &DomainRef,
        disk: Option<&str>,
        nparams: i32,
        flags: u32,
    ) -> Result<(i32, Vec<TypedParam>)> {
        check_flags(
            "testDomainGetBlockIoTune",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG | STRING_OKAY,
        )?;
        if nparams == 0 {
            return Ok((20, Vec::new()));
        }
        let flags = flags & !STRING_OKAY;
        let name = disk.unwrap_or_default();
        self.with_dom(d, |dom| {
            let (def, _) = one_def(dom, flags)?;
            let Some((_, e)) = find_disk(def, name) else {
                return Err(err(
                    Code::VIR_ERR_INVALID_ARG,
                    format!("disk '{name}' was not found in the domain config"),
                ));
            };
            let (v, group) = iotune_of(&e);
            let all = IOTUNE_FIELDS
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let value = if i == GROUP {
                        TypedValue::String(group.clone().unwrap_or_default())
                    } else {
                        TypedValue::ULLong(v[i])
                    };
                    TypedParam::new(*f, value)
                })
                .collect();
            Ok(first(all, nparams))
        })
    }

    pub(super) fn iotune_set_block(
        &self,
        d: &DomainRef,
        disk: &str,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        check_flags(
            "testDomainSetBlockIoTune",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG,
        )?;
        let allowed: Vec<(&str, Kind)> = IOTUNE_FIELDS
            .iter()
            .enumerate()
            .map(|(i, f)| (*f, if i == GROUP { Kind::Str } else { Kind::ULLong }))
            .collect();
        validate(params, &allowed)?;
        self.with_dom_mut(d, |st, i| {
            let (def, _) = one_def_mut(&mut st.doms[i], flags)?;
            let Some((di, mut e)) = find_disk(def, disk) else {
                return Err(err(
                    Code::VIR_ERR_INVALID_ARG,
                    format!("missing persistent configuration for disk '{disk}'"),
                ));
            };
            let (mut v, mut group) = iotune_of(&e);
            for p in params {
                // libvirt reads every value as an unsigned long long, the string's too.
                if p.field != IOTUNE_FIELDS[GROUP] && ull(p) > IOTUNE_MAX {
                    return Err(err(
                        Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
                        format!("block I/O throttle limit value must be no more than {IOTUNE_MAX}"),
                    ));
                }
                if let Some(k) = IOTUNE_FIELDS.iter().position(|f| *f == p.field) {
                    if k == GROUP {
                        group = Some(string(p).to_string());
                    } else {
                        v[k] = ull(p);
                    }
                }
            }
            for (t, what) in [
                (0, "bytes_sec"),
                (3, "iops_sec"),
                (6, "bytes_sec_max"),
                (9, "iops_sec_max"),
            ] {
                if v[t] != 0 && (v[t + 1] != 0 || v[t + 2] != 0) {
                    return Err(err(
                        Code::VIR_ERR_INVALID_ARG,
                        format!("total and read/write of {what} cannot be set at the same time"),
                    ));
                }
            }
            for k in 0..6 {
                if v[k] > v[k + 6] {
                    return Err(err(
                        Code::VIR_ERR_INVALID_ARG,
                        format!(
                            "{} cannot be set higher than {} ",
                            IOTUNE_FIELDS[k],
                            IOTUNE_FIELDS[k + 6]
                        ),
                    ));
                }
            }
            place(&mut e, "iotune", iotune_el(&v, &group), DISK_CHILDREN);
            store(&mut def.devices[di], &e);
            Ok(())
        })
    }
}
