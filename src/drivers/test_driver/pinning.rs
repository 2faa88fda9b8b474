//! Pinning, IOThreads, rename, snapshot revert, screenshot and send-key on the test driver
//! (scope: pin), with libvirt 9.0.0's test-driver semantics: what each call changes in the
//! definition (`<iothreads>`, `<iothreadids>`, `<cputune>` pins), which definition the
//! config/live flags select, and the events libvirt emits.

use super::events;
use super::node::{self, Dom, NodeState};
use super::tuning::{one_def, one_def_mut};
use super::xml::{DomainDef, format_element, xml_error};
use super::{TestDriver, test_err};
use crate::core::driver::{DomainRef, IoThreadInfo, TypedParam, TypedValue};
use crate::core::stream::{Io, StreamBackend, Waker};
use crate::core::{Code, Domain, Result, VirError};
use crate::generated::keycodes::KEYCODE_SETS;
use parking_lot::Mutex;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::sync::Arc;

/// `virDomainModificationImpact`.
const AFFECT_LIVE: u32 = 1;
const AFFECT_CONFIG: u32 = 2;
/// `VIR_DOMAIN_CPUMASK_LEN`: the bits a cpuset of the XML may name.
const CPUMASK_LEN: u32 = 4096;

/// A set of host CPUs (libvirt's `virBitmap` of a cpumask: only the set bits matter to
/// what these calls print and answer).
pub type CpuSet = BTreeSet<u32>;

/// `virBitmapNewData`: the bits of the caller's map.
pub fn cpuset_from_map(map: &[u8]) -> CpuSet {
    let mut s = CpuSet::new();
    for (i, b) in map.iter().enumerate() {
        for bit in 0..8 {
            if b & (1 << bit) != 0 {
                s.insert((i * 8 + bit) as u32);
            }
        }
    }
    s
}

/// `virBitmapToDataBuf`: `maplen` bytes, the bits that fit.
pub fn cpuset_to_map(s: &CpuSet, maplen: usize) -> Vec<u8> {
    let mut m = vec![0u8; maplen];
    for &c in s {
        let i = c as usize / 8;
        if i < maplen {
            m[i] |= 1 << (c % 8);
        }
    }
    m
}

/// `virBitmapToData`: as many bytes as the last set bit needs (one when none is set).
fn cpuset_to_data(s: &CpuSet) -> Vec<u8> {
    let len = s.last().map_or(1, |&l| l as usize / 8 + 1);
    cpuset_to_map(s, len)
}

/// All of `n` CPUs.
fn all_cpus(n: u32) -> CpuSet {
    (0..n).collect()
}

/// `virBitmapFormat`: ranges, `0-3,6`.
pub fn format_cpuset(s: &CpuSet) -> String {
    let mut out = String::new();
    let mut it = s.iter().copied().peekable();
    while let Some(start) = it.next() {
        let mut end = start;
        while it.peek() == Some(&(end + 1)) {
            end += 1;
            it.next();
        }
        if !out.is_empty() {
            out.push(',');
        }
        if end == start {
            let _ = write!(out, "{start}");
        } else {
            let _ = write!(out, "{start}-{end}");
        }
    }
    out
}

/// `virBitmapParse` with `VIR_DOMAIN_CPUMASK_LEN` bits: `N`, `N-M` and `^N`, comma-separated.
pub fn parse_cpuset(text: &str) -> Result<CpuSet> {
    let bad = || {
        VirError::detail(
            Domain::VIR_FROM_NONE,
            Code::VIR_ERR_INVALID_ARG,
            format!("Failed to parse bitmap '{text}'"),
        )
    };
    let spaces = |s: &str| {
        s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c'])
            .len()
    };
    let b = text.as_bytes();
    let mut pos = text.len() - spaces(text);
    let num = |pos: &mut usize| -> Option<u32> {
        let start = *pos;
        // virStrToLong_i: an optional sign, then digits.
        if b.get(*pos) == Some(&b'+') || b.get(*pos) == Some(&b'-') {
            *pos += 1;
        }
        while b.get(*pos).is_some_and(u8::is_ascii_digit) {
            *pos += 1;
        }
        text[start..*pos]
            .parse::<i64>()
            .ok()
            .and_then(|v| u32::try_from(v).ok())
    };
    let skip = |pos: &mut usize| *pos = text.len() - spaces(&text[*pos..]);
    if pos == text.len() {
        return Err(bad());
    }
    let mut set = CpuSet::new();
    loop {
        let neg = b.get(pos) == Some(&b'^');
        if neg {
            pos += 1;
        }
        if !b.get(pos).is_some_and(u8::is_ascii_digit) {
            return Err(bad());
        }
        let start = num(&mut pos).ok_or_else(bad)?;
        skip(&mut pos);
        match b.get(pos) {
            None | Some(b',') => {
                if start >= CPUMASK_LEN {
                    return Err(bad());
                }
                if neg {
                    set.remove(&start);
                } else {
                    set.insert(start);
                }
            }
            Some(b'-') => {
                if neg {
                    return Err(bad());
                }
                pos += 1;
                skip(&mut pos);
                let last = num(&mut pos).ok_or_else(bad)?;
                if last < start || last >= CPUMASK_LEN {
                    return Err(bad());
                }
                set.extend(start..=last);
                skip(&mut pos);
            }
            _ => {}
        }
        match b.get(pos) {
            Some(b',') => {
                pos += 1;
                skip(&mut pos);
            }
            None => break,
            _ => return Err(bad()),
        }
    }
    Ok(set)
}

/// One `<iothreadids>` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IoThreadId {
    pub id: u32,
    /// Made up from `<iothreads>N</iothreads>` rather than listed: not printed unless another
    /// entry is listed.
    pub autofill: bool,
    pub pool_min: Option<i32>,
    pub pool_max: Option<i32>,
    pub cpumask: Option<CpuSet>,
}

/// What a definition says about pinning and IOThreads (the rest of `<cputune>` is kept as
/// XML, before and after the pins, in libvirt's order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PinDef {
    pub iothreadids: Vec<IoThreadId>,
    /// `<defaultiothread …/>`, formatted at indent 2.
    pub default_iothread: Option<String>,
    /// vCPU id -> its pinning.
    pub vcpupin: BTreeMap<u32, CpuSet>,
    pub emulatorpin: Option<CpuSet>,
    /// `<cputune>` children printed before the pins (shares, periods, quotas), formatted at
    /// indent 4, and those printed after them (schedulers, cache and memory tuning).
    pub cputune_head: String,
    pub cputune_tail: String,
}

/// `<cputune>` children printed before the pins, in libvirt's order.
const CPUTUNE_HEAD: &[&str] = &[
    "shares",
    "period",
    "quota",
    "global_period",
    "global_quota",
    "emulator_period",
    "emulator_quota",
    "iothread_period",
    "iothread_quota",
];
const CPUTUNE_TAIL: &[&str] = &[
    "emulatorsched",
    "vcpusched",
    "iothreadsched",
    "cachetune",
    "memorytune",
];

fn xml_attr_error(what: String) -> VirError {
    VirError::detail(Domain::VIR_FROM_XML, Code::VIR_ERR_XML_ERROR, what)
}

/// `virXMLPropUInt` (base 10): required, and non-zero when `nonzero`.
fn prop_uint(n: roxmltree::Node, name: &str, nonzero: bool) -> Result<u32> {
    let el = n.tag_name().name();
    let Some(v) = n.attribute(name) else {
        return Err(xml_attr_error(format!(
            "Missing required attribute '{name}' in element '{el}'"
        )));
    };
    let t = v.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let parsed = t
        .strip_prefix('+')
        .unwrap_or(t)
        .parse::<u64>()
        .ok()
        .filter(|_| !t.starts_with("+-") && !t.starts_with('-'))
        .and_then(|x| u32::try_from(x).ok());
    let Some(x) = parsed else {
        return Err(xml_attr_error(format!(
            "Invalid value for attribute '{name}' in element '{el}': '{v}'. Expected non-negative integer value"
        )));
    };
    if nonzero && x == 0 {
        return Err(xml_attr_error(format!(
            "Invalid value for attribute '{name}' in element '{el}': Zero is not permitted"
        )));
    }
    Ok(x)
}

/// `virXMLPropInt` with `VIR_XML_PROP_NONNEGATIVE`, absent -> `None`.
fn prop_nonneg(n: roxmltree::Node, name: &str) -> Result<Option<i32>> {
    let el = n.tag_name().name();
    let Some(v) = n.attribute(name) else {
        return Ok(None);
    };
    let t = v.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let Some(x) = t
        .strip_prefix('+')
        .unwrap_or(t)
        .parse::<i64>()
        .ok()
        .and_then(|x| i32::try_from(x).ok())
    else {
        return Err(xml_attr_error(format!(
            "Invalid value for attribute '{name}' in element '{el}': '{v}'. Expected integer value"
        )));
    };
    if x < 0 {
        return Err(xml_attr_error(format!(
            "Invalid value for attribute '{name}' in element '{el}': '{v}'. Expected non-negative value"
        )));
    }
    Ok(Some(x))
}

fn child_elems<'a, 'n>(
    n: roxmltree::Node<'a, 'a>,
    name: &'n str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'a>> + 'n
where
    'a: 'n,
{
    n.children().filter(move |c| {
        c.is_element() && c.tag_name().name() == name && c.tag_name().namespace().is_none()
    })
}

fn string_of(n: roxmltree::Node) -> String {
    n.descendants()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect()
}

fn cpuset_attr(n: roxmltree::Node, what: &str) -> Result<CpuSet> {
    let Some(text) = n.attribute("cpuset") else {
        return Err(VirError::internal(
            Domain::VIR_FROM_DOMAIN,
            format!("missing cpuset for {what}"),
        ));
    };
    let set = parse_cpuset(text)?;
    if set.is_empty() {
        return Err(VirError::detail(
            Domain::VIR_FROM_DOMAIN,
            Code::VIR_ERR_CONFIG_UNSUPPORTED,
            format!("Invalid value of 'cpuset': {text}"),
        ));
    }
    Ok(set)
}

/// The IOThreads and pins of a `<domain>` (libvirt's virDomainDefParseIOThreads and the pin
/// parts of its `<cputune>` parser); `maxvcpus` bounds the vCPU pins kept.
pub fn parse(root: roxmltree::Node, maxvcpus: u32) -> Result<PinDef> {
    let mut def = PinDef::default();
    let first = |name: &'static str| child_elems(root, name).next();
    let mut count: u32 = 0;
    if let Some(n) = first("iothreads") {
        let t = string_of(n);
        let s = t.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
        count = s
            .strip_prefix('+')
            .unwrap_or(s)
            .parse::<u64>()
            .ok()
            .and_then(|x| u32::try_from(x).ok())
            .ok_or_else(|| xml_error(format!("invalid iothreads count '{t}'")))?;
    }
    if let Some(n) = first("defaultiothread") {
        let min = prop_nonneg(n, "thread_pool_min")?;
        let max = prop_nonneg(n, "thread_pool_max")?;
        if min.is_some() || max.is_some() {
            let mut x = String::from("  <defaultiothread");
            if let Some(v) = min {
                let _ = write!(x, " thread_pool_min='{v}'");
            }
            if let Some(v) = max {
                let _ = write!(x, " thread_pool_max='{v}'");
            }
            x.push_str("/>\n");
            def.default_iothread = Some(x);
        }
    }
    if let Some(ids) = first("iothreadids") {
        for n in child_elems(ids, "iothread") {
            let id = prop_uint(n, "id", true)?;
            let t = IoThreadId {
                id,
                autofill: false,
                pool_min: prop_nonneg(n, "thread_pool_min")?,
                pool_max: prop_nonneg(n, "thread_pool_max")?,
                cpumask: None,
            };
            if def.iothreadids.iter().any(|x| x.id == id) {
                return Err(xml_error(format!("duplicate iothread id '{id}' found")));
            }
            def.iothreadids.push(t);
        }
    }
    // virDomainIOThreadIDDefArrayInit: fill up to the count with the lowest free ids.
    let mut next = 1u32;
    while (def.iothreadids.len() as u64) < count as u64 {
        while def.iothreadids.iter().any(|x| x.id == next) {
            next += 1;
        }
        def.iothreadids.push(IoThreadId {
            id: next,
            autofill: true,
            ..IoThreadId::default()
        });
        next += 1;
    }
    if let Some(tune) = first("cputune") {
        for n in child_elems(tune, "vcpupin") {
            let vcpu = prop_uint(n, "vcpu", false)?;
            if vcpu >= maxvcpus {
                continue; // libvirt ignores pins of missing vCPUs
            }
            if n.attribute("cpuset").is_none() {
                return Err(VirError::internal(
                    Domain::VIR_FROM_DOMAIN,
                    "missing cpuset for vcpupin",
                ));
            }
            if def.vcpupin.contains_key(&vcpu) {
                return Err(VirError::internal(
                    Domain::VIR_FROM_DOMAIN,
                    format!("duplicate vcpupin for vcpu '{vcpu}'"),
                ));
            }
            let set = cpuset_attr(n, "vcpupin")?;
            def.vcpupin.insert(vcpu, set);
        }
        let emus: Vec<_> = child_elems(tune, "emulatorpin").collect();
        if emus.len() > 1 {
            return Err(xml_error("only one emulatorpin is supported"));
        }
        if let Some(n) = emus.first() {
            def.emulatorpin = Some(cpuset_attr(*n, "emulatorpin")?);
        }
        for n in child_elems(tune, "iothreadpin") {
            let id = prop_uint(n, "iothread", true)?;
            let Some(pos) = def.iothreadids.iter().position(|x| x.id == id) else {
                return Err(VirError::detail(
                    Domain::VIR_FROM_DOMAIN,
                    Code::VIR_ERR_CONFIG_UNSUPPORTED,
                    format!("Cannot find 'iothread' : {id}"),
                ));
            };
            let set = cpuset_attr(n, "iothreadpin")?;
            if def.iothreadids[pos].cpumask.is_some() {
                return Err(VirError::internal(
                    Domain::VIR_FROM_DOMAIN,
                    format!("duplicate iothreadpin for same iothread '{id}'"),
                ));
            }
            def.iothreadids[pos].cpumask = Some(set);
        }
        for names in [CPUTUNE_HEAD, CPUTUNE_TAIL] {
            let out = if names == CPUTUNE_HEAD {
                &mut def.cputune_head
            } else {
                &mut def.cputune_tail
            };
            for name in names {
                for n in child_elems(tune, name) {
                    format_element(out, n, 4);
                }
            }
        }
    }
    Ok(def)
}

/// `<iothreads>`, `<iothreadids>`, `<defaultiothread>` and `<cputune>` as libvirt prints
/// them; `maxvcpus` is the definition's vCPU count.
pub fn format(def: &PinDef, maxvcpus: u32, out: &mut String) {
    if !def.iothreadids.is_empty() {
        let _ = writeln!(out, "  <iothreads>{}</iothreads>", def.iothreadids.len());
    }
    let listed = def
        .iothreadids
        .iter()
        .any(|t| !t.autofill || t.pool_min.is_some() || t.pool_max.is_some());
    if listed {
        out.push_str("  <iothreadids>\n");
        for t in &def.iothreadids {
            let _ = write!(out, "    <iothread id='{}'", t.id);
            if let Some(v) = t.pool_min {
                let _ = write!(out, " thread_pool_min='{v}'");
            }
            if let Some(v) = t.pool_max {
                let _ = write!(out, " thread_pool_max='{v}'");
            }
            out.push_str("/>\n");
        }
        out.push_str("  </iothreadids>\n");
    }
    if let Some(x) = &def.default_iothread {
        out.push_str(x);
    }
    let mut kids = def.cputune_head.clone();
    for (v, set) in def.vcpupin.range(..maxvcpus) {
        let _ = writeln!(
            kids,
            "    <vcpupin vcpu='{v}' cpuset='{}'/>",
            format_cpuset(set)
        );
    }
    if let Some(set) = &def.emulatorpin {
        let _ = writeln!(kids, "    <emulatorpin cpuset='{}'/>", format_cpuset(set));
    }
    for t in &def.iothreadids {
        if let Some(set) = &t.cpumask {
            let _ = writeln!(
                kids,
                "    <iothreadpin iothread='{}' cpuset='{}'/>",
                t.id,
                format_cpuset(set)
            );
        }
    }
    kids.push_str(&def.cputune_tail);
    if !kids.is_empty() {
        out.push_str("  <cputune>\n");
        out.push_str(&kids);
        out.push_str("  </cputune>\n");
    }
}

/// The per-domain IOThread polling state of libvirt's test driver (`testIOThreadInfo`): made
/// for the IOThreads of a node file's domains and by `virDomainAddIOThread`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IoThreadPoll {
    pub id: u32,
    pub poll_max_ns: u64,
    pub poll_grow: u32,
    pub poll_shrink: u32,
}

impl IoThreadPoll {
    fn new(id: u32) -> IoThreadPoll {
        IoThreadPoll {
            id,
            poll_max_ns: 32768,
            poll_grow: 0,
            poll_shrink: 0,
        }
    }
}

/// The driver's private per-domain state of this scope.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DomPin {
    pub iothreads: Vec<IoThreadPoll>,
}

/// `testDomainGenerateIOThreadInfos`: a node file's domain gets polling state for each of its
/// IOThreads.
pub fn generate_iothread_infos(dom: &mut Dom) {
    dom.pin.iothreads = dom
        .def
        .pin
        .iothreadids
        .iter()
        .map(|t| IoThreadPoll::new(t.id))
        .collect();
}

/// The `iothread.*` group of the domain statistics of a running domain.
pub fn iothread_stats(dom: &Dom) -> Vec<TypedParam> {
    let mut out = Vec::new();
    if !dom.is_active() || dom.pin.iothreads.is_empty() {
        return out;
    }
    out.push(TypedParam::new(
        "iothread.count",
        TypedValue::UInt(dom.pin.iothreads.len() as u32),
    ));
    for t in &dom.pin.iothreads {
        let id = t.id;
        out.push(TypedParam::new(
            format!("iothread.{id}.poll-max-ns"),
            TypedValue::ULLong(t.poll_max_ns),
        ));
        out.push(TypedParam::new(
            format!("iothread.{id}.poll-grow"),
            TypedValue::UInt(t.poll_grow),
        ));
        out.push(TypedParam::new(
            format!("iothread.{id}.poll-shrink"),
            TypedValue::UInt(t.poll_shrink),
        ));
    }
    out
}

/// The CPUs vCPU `i` may run on: its pin, or every host CPU.
pub fn vcpu_cpus(def: &DomainDef, i: u32, hostcpus: u32) -> CpuSet {
    def.pin
        .vcpupin
        .get(&i)
        .cloned()
        .unwrap_or_else(|| all_cpus(hostcpus))
}

fn flags_check(func: &str, flags: u32, supported: u32) -> Result<()> {
    VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, supported)
}

fn invalid_id_zero() -> VirError {
    test_err(
        Code::VIR_ERR_INVALID_ARG,
        "invalid value of 0 for iothread_id",
    )
}

/// The `iothread='N'` of a disk's `<driver>` or a controller's `<driver>`.
fn device_iothread(xml: &str) -> Option<u32> {
    let doc = roxmltree::Document::parse(xml.trim()).ok()?;
    let driver = doc
        .root_element()
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "driver")?;
    driver.attribute("iothread")?.parse().ok()
}

fn domain_err(code: Code, detail: String) -> VirError {
    VirError::detail(Domain::VIR_FROM_DOMAIN, code, detail)
}

/// virDomainDriverDelIOThreadCheck.
fn del_check(def: &DomainDef, id: u32) -> Result<()> {
    if !def.pin.iothreadids.iter().any(|t| t.id == id) {
        return Err(domain_err(
            Code::VIR_ERR_INVALID_ARG,
            format!("cannot find IOThread '{id}' in iothreadids list"),
        ));
    }
    for d in def.devices.iter().filter(|d| d.kind == "disk") {
        if device_iothread(&d.xml) == Some(id) {
            let dst = roxmltree::Document::parse(d.xml.trim())
                .ok()
                .and_then(|doc| {
                    doc.root_element()
                        .children()
                        .find(|c| c.is_element() && c.tag_name().name() == "target")
                        .and_then(|t| t.attribute("dev").map(str::to_string))
                })
                .unwrap_or_default();
            return Err(domain_err(
                Code::VIR_ERR_INVALID_ARG,
                format!("cannot remove IOThread {id} since it is being used by disk '{dst}'"),
            ));
        }
    }
    for d in def.devices.iter().filter(|d| d.kind == "controller") {
        if device_iothread(&d.xml) == Some(id) {
            return Err(domain_err(
                Code::VIR_ERR_INVALID_ARG,
                format!("cannot remove IOThread '{id}' since it is being used by controller"),
            ));
        }
    }
    Ok(())
}

/// virDomainIOThreadIDDel: later entries stop being autofilled so they keep their ids.
fn iothread_del(def: &mut DomainDef, id: u32) {
    if let Some(i) = def.pin.iothreadids.iter().position(|t| t.id == id) {
        for t in &mut def.pin.iothreadids[i + 1..] {
            t.autofill = false;
        }
        def.pin.iothreadids.remove(i);
    }
}

// virDomainSnapshotState values and the reasons/events of a revert.
const SNAP_RUNNING: i32 = 1;
const SNAP_PAUSED: i32 = 3;
const REVERT_RUNNING: u32 = 1;
const REVERT_PAUSED: u32 = 2;
const REVERT_FORCE: u32 = 4;
const RUNNING_FROM_SNAPSHOT: i32 = 4;
const PAUSED_FROM_SNAPSHOT: i32 = 7;
const SHUTOFF_FROM_SNAPSHOT: i32 = 7;
const STARTED_FROM_SNAPSHOT: (i32, i32) = (2, 3);
const SUSPENDED_FROM_SNAPSHOT: (i32, i32) = (3, 5);
const UNDEFINED_RENAMED: (i32, i32) = (1, 1);
const DEFINED_RENAMED: (i32, i32) = (0, 2);

/// Where libvirt's test driver reads its screenshot (`PKGDATADIR/test-screenshot.png`; Debian's
/// libvirt-daemon-driver ships it).
const SCREENSHOT: &str = "/usr/share/libvirt/test-screenshot.png";

/// A read-only stream over a file's bytes, as libvirt's `virFDStreamOpenFile(O_RDONLY)`.
struct FileStream {
    data: Vec<u8>,
    pos: Mutex<Option<usize>>,
}

impl StreamBackend for FileStream {
    fn send(&self, _data: &[u8]) -> Result<Io> {
        Err(VirError::detail(
            Domain::VIR_FROM_STREAMS,
            Code::VIR_ERR_SYSTEM_ERROR,
            "cannot write to stream: Bad file descriptor",
        ))
    }
    fn recv(&self, buf: &mut [u8]) -> Result<Io> {
        let mut g = self.pos.lock();
        let Some(pos) = *g else {
            return Ok(Io::Eof);
        };
        let n = buf.len().min(self.data.len() - pos);
        if n == 0 {
            return Ok(Io::Eof);
        }
        buf[..n].copy_from_slice(&self.data[pos..pos + n]);
        *g = Some(pos + n);
        Ok(Io::Done(n))
    }
    fn finish(&self) -> Result<()> {
        *self.pos.lock() = None;
        Ok(())
    }
    fn abort(&self) -> Result<()> {
        *self.pos.lock() = None;
        Ok(())
    }
    fn readiness(&self) -> u32 {
        crate::core::stream::EVENT_READABLE
    }
    fn set_waker(&self, _waker: Option<Waker>) {}
}

impl TestDriver {
    pub(super) fn pin_vcpu_flags(
        &self,
        d: &DomainRef,
        vcpu: u32,
        map: &[u8],
        flags: u32,
    ) -> Result<()> {
        flags_check("testDomainPinVcpuFlags", flags, 0)?;
        self.with_dom_mut(d, |st, i| {
            let dom = &mut st.doms[i];
            if !dom.is_active() {
                return Err(test_err(
                    Code::VIR_ERR_OPERATION_INVALID,
                    "cannot pin vcpus on an inactive domain",
                ));
            }
            let online = dom.def.vcpus_current.unwrap_or(dom.def.vcpus);
            if vcpu >= online {
                return Err(test_err(
                    Code::VIR_ERR_INVALID_ARG,
                    format!(
                        "requested vcpu '{}' is not present in the domain",
                        vcpu as i32
                    ),
                ));
            }
            // The live definition changes alone: the next boot keeps its own copy.
            if dom.persistent && dom.new_def.is_none() {
                dom.new_def = Some(dom.def.clone());
            }
            dom.def.pin.vcpupin.insert(vcpu, cpuset_from_map(map));
            Ok(())
        })
    }

    pub(super) fn pin_get_vcpu_pin_info(
        &self,
        d: &DomainRef,
        ncpumaps: i32,
        maplen: i32,
        flags: u32,
    ) -> Result<(i32, Vec<u8>)> {
        let hostcpus = self.node_cpus();
        self.with_dom(d, |dom| {
            let (def, _) = one_def(dom, flags)?;
            let n = def.vcpus.min(ncpumaps.max(0) as u32);
            let mut out = Vec::with_capacity(n as usize * maplen as usize);
            for i in 0..n {
                out.extend(cpuset_to_map(&vcpu_cpus(def, i, hostcpus), maplen as usize));
            }
            Ok((n as i32, out))
        })
    }

    pub(super) fn pin_emulator(&self, d: &DomainRef, map: &[u8], flags: u32) -> Result<()> {
        flags_check("testDomainPinEmulator", flags, AFFECT_LIVE | AFFECT_CONFIG)?;
        self.with_dom_mut(d, |st, i| {
            let (def, _) = one_def_mut(&mut st.doms[i], flags)?;
            let set = cpuset_from_map(map);
            if set.is_empty() {
                return Err(test_err(
                    Code::VIR_ERR_INVALID_ARG,
                    "Empty cpu list for pinning",
                ));
            }
            def.pin.emulatorpin = Some(set);
            Ok(())
        })
    }

    pub(super) fn pin_get_emulator_pin_info(
        &self,
        d: &DomainRef,
        maplen: i32,
        flags: u32,
    ) -> Result<(i32, Vec<u8>)> {
        flags_check(
            "testDomainGetEmulatorPinInfo",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG,
        )?;
        let hostcpus = self.node_cpus();
        self.with_dom(d, |dom| {
            let (def, _) = one_def(dom, flags)?;
            let set = def
                .pin
                .emulatorpin
                .clone()
                .unwrap_or_else(|| all_cpus(hostcpus));
            Ok((1, cpuset_to_map(&set, maplen as usize)))
        })
    }

    pub(super) fn pin_get_iothread_info(
        &self,
        d: &DomainRef,
        flags: u32,
    ) -> Result<Vec<IoThreadInfo>> {
        flags_check(
            "testDomainGetIOThreadInfo",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG,
        )?;
        self.with_dom(d, |dom| {
            let (def, _) = one_def(dom, flags)?;
            // The default map has a bit per online vCPU, as libvirt's test driver sizes it.
            let online = def.vcpus_current.unwrap_or(def.vcpus);
            Ok(def
                .pin
                .iothreadids
                .iter()
                .map(|t| IoThreadInfo {
                    iothread_id: t.id,
                    cpumap: cpuset_to_data(&t.cpumask.clone().unwrap_or_else(|| all_cpus(online))),
                })
                .collect())
        })
    }

    pub(super) fn pin_iothread(
        &self,
        d: &DomainRef,
        id: u32,
        map: &[u8],
        flags: u32,
    ) -> Result<()> {
        flags_check("testDomainPinIOThread", flags, AFFECT_LIVE | AFFECT_CONFIG)?;
        self.with_dom_mut(d, |st, i| {
            let (def, _) = one_def_mut(&mut st.doms[i], flags)?;
            let set = cpuset_from_map(map);
            if set.is_empty() {
                return Err(test_err(
                    Code::VIR_ERR_INVALID_ARG,
                    "Empty iothread cpumap list for pinning",
                ));
            }
            let Some(t) = def.pin.iothreadids.iter_mut().find(|t| t.id == id) else {
                return Err(test_err(
                    Code::VIR_ERR_INVALID_ARG,
                    format!("iothreadid {} not found", id as i32),
                ));
            };
            t.cpumask = Some(set);
            t.autofill = false;
            Ok(())
        })
    }

    pub(super) fn pin_add_iothread(&self, d: &DomainRef, id: u32, flags: u32) -> Result<()> {
        flags_check("testDomainAddIOThread", flags, AFFECT_LIVE | AFFECT_CONFIG)?;
        if id == 0 {
            return Err(invalid_id_zero());
        }
        self.with_dom_mut(d, |st, i| {
            let dom = &mut st.doms[i];
            let (def, _) = one_def_mut(dom, flags)?;
            if def.pin.iothreadids.iter().any(|t| t.id == id) {
                return Err(domain_err(
                    Code::VIR_ERR_INVALID_ARG,
                    format!("an IOThread is already using iothread_id '{id}'"),
                ));
            }
            def.pin.iothreadids.push(IoThreadId {
                id,
                ..IoThreadId::default()
            });
            dom.pin.iothreads.push(IoThreadPoll::new(id));
            Ok(())
        })
    }

    pub(super) fn pin_del_iothread(&self, d: &DomainRef, id: u32, flags: u32) -> Result<()> {
        flags_check("testDomainDelIOThread", flags, AFFECT_LIVE | AFFECT_CONFIG)?;
        if id == 0 {
            return Err(invalid_id_zero());
        }
        self.with_dom_mut(d, |st, i| {
            let dom = &mut st.doms[i];
            let (def, _) = one_def_mut(dom, flags)?;
            del_check(def, id)?;
            iothread_del(def, id);
            if let Some(p) = dom.pin.iothreads.iter().position(|t| t.id == id) {
                dom.pin.iothreads.remove(p);
            }
            Ok(())
        })
    }

    pub(super) fn pin_set_iothread_params(
        &self,
        d: &DomainRef,
        id: u32,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        flags_check("testDomainSetIOThreadParams", flags, AFFECT_LIVE)?;
        if id == 0 {
            return Err(invalid_id_zero());
        }
        self.with_dom_mut(d, |st, i| {
            let dom = &mut st.doms[i];
            let (def, _) = one_def(dom, flags)?;
            if !def.pin.iothreadids.iter().any(|t| t.id == id) {
                return Err(test_err(
                    Code::VIR_ERR_INVALID_ARG,
                    format!("cannot find IOThread '{id}' in iothreadids"),
                ));
            }
            let Some(t) = dom.pin.iothreads.iter_mut().find(|t| t.id == id) else {
                // libvirt's test driver fails here without saying why.
                return Err(VirError::generic());
            };
            let mut new = t.clone();
            parse_iothread_params(params, &mut new)?;
            *t = new;
            Ok(())
        })
    }

    pub(super) fn pin_rename(&self, d: &DomainRef, new_name: &str, flags: u32) -> Result<()> {
        flags_check("testDomainRename", flags, 0)?;
        let mut evs: Vec<(DomainRef, (i32, i32))> = Vec::new();
        let r = self.with_dom_mut(d, |st, i| {
            let dom = &st.doms[i];
            if dom.is_active() {
                return Err(test_err(
                    Code::VIR_ERR_OPERATION_INVALID,
                    "cannot rename active domain",
                ));
            }
            if !dom.persistent {
                return Err(test_err(
                    Code::VIR_ERR_OPERATION_INVALID,
                    "cannot rename a transient domain",
                ));
            }
            if dom.state != node::SHUTOFF {
                return Err(test_err(
                    Code::VIR_ERR_OPERATION_INVALID,
                    "domain has to be shutoff before renaming",
                ));
            }
            if dom.def.name == new_name {
                return Err(domain_err(
                    Code::VIR_ERR_OPERATION_INVALID,
                    "Can't rename domain to itself".to_string(),
                ));
            }
            if st.find_name(new_name).is_some() {
                return Err(domain_err(
                    Code::VIR_ERR_OPERATION_INVALID,
                    format!("domain with name '{new_name}' already exists"),
                ));
            }
            if new_name.contains('/') {
                return Err(test_err(
                    Code::VIR_ERR_XML_ERROR,
                    format!("name {new_name} cannot contain '/'"),
                ));
            }
            evs.push((st.doms[i].handle(), UNDEFINED_RENAMED));
            rename_dom(st, i, new_name)?;
            evs.push((st.doms[i].handle(), DEFINED_RENAMED));
            Ok(())
        });
        for ev in evs {
            self.node.events.emit(Some(ev));
        }
        r
    }

    pub(super) fn pin_revert(&self, d: &DomainRef, name: &str, flags: u32) -> Result<Option<i32>> {
        flags_check(
            "testDomainRevertToSnapshot",
            flags,
            REVERT_RUNNING | REVERT_PAUSED | REVERT_FORCE,
        )?;
        let mut evs: Vec<(DomainRef, (i32, i32))> = Vec::new();
        let r = self.with_dom_mut(d, |st, i| {
            let mut next_id = st.next_id;
            let dom = &mut st.doms[i];
            let Some(snap) = dom.snapshots.iter().find(|s| s.name == name).cloned() else {
                return Err(super::moment::missing::<node::Snapshot>(name));
            };
            let live_snap = snap.state == SNAP_RUNNING || snap.state == SNAP_PAUSED;
            if !dom.persistent && !live_snap && flags & (REVERT_RUNNING | REVERT_PAUSED) == 0 {
                return Err(test_err(
                    Code::VIR_ERR_OPERATION_INVALID,
                    "transient domain needs to request run or pause to revert to inactive snapshot",
                ));
            }
            let Some(config) = snap.def.clone() else {
                return Err(test_err(
                    Code::VIR_ERR_SNAPSHOT_REVERT_RISKY,
                    format!(
                        "snapshot '{}' lacks domain '{}' rollback info",
                        snap.name, dom.def.name
                    ),
                ));
            };
            dom.current_snapshot = None;
            let was_active = dom.is_active();
            if live_snap {
                if dom.is_active() {
                    dom.stop(SHUTOFF_FROM_SNAPSHOT);
                    evs.push((dom.handle(), events::STOPPED_FROM_SNAPSHOT));
                }
                assign_def(dom, config);
                dom.start(&mut next_id, RUNNING_FROM_SNAPSHOT);
                evs.push((dom.handle(), STARTED_FROM_SNAPSHOT));
                if flags & REVERT_RUNNING == 0
                    && (snap.state == SNAP_PAUSED || flags & REVERT_PAUSED != 0)
                {
                    dom.state = node::PAUSED;
                    dom.reason = PAUSED_FROM_SNAPSHOT;
                    evs.push((dom.handle(), SUSPENDED_FROM_SNAPSHOT));
                }
            } else {
                assign_def(dom, config);
                if dom.is_active() {
                    dom.stop(SHUTOFF_FROM_SNAPSHOT);
                    evs.push((dom.handle(), events::STOPPED_FROM_SNAPSHOT));
                }
                if flags & (REVERT_RUNNING | REVERT_PAUSED) != 0 {
                    // libvirt queues the started (and suspended) events for a state it never
                    // enters: the domain stays shut off.
                    evs.push((dom.handle(), STARTED_FROM_SNAPSHOT));
                    if flags & REVERT_PAUSED != 0 {
                        evs.push((dom.handle(), SUSPENDED_FROM_SNAPSHOT));
                    }
                }
            }
            dom.current_snapshot = Some(snap.name.clone());
            st.next_id = next_id;
            // testDomainShutdownState clears the handle's id when the revert stopped it.
            Ok(was_active.then_some(-1))
        });
        for ev in evs {
            self.node.events.emit(Some(ev));
        }
        r
    }

    pub(super) fn pin_screenshot(
        &self,
        d: &DomainRef,
        flags: u32,
    ) -> Result<(String, Arc<dyn StreamBackend>)> {
        flags_check("testDomainScreenshot", flags, 0)?;
        let data = std::fs::read(SCREENSHOT).map_err(|e| {
            VirError::system(
                Domain::VIR_FROM_STREAMS,
                e.raw_os_error().unwrap_or(libc::EIO),
                &format!("Unable to open stream for '{SCREENSHOT}'"),
            )
        })?;
        let _ = d;
        Ok((
            "image/png".to_string(),
            Arc::new(FileStream {
                data,
                pos: Mutex::new(Some(0)),
            }),
        ))
    }

    /// `testDomainSendKey` without its keycode check: the keycodes are not looked up in
    /// libvirt's keymaps yet, so a code no keymap has is accepted here.
    /// `testDomainSendKey`: nothing is sent, but each key code must be one its codeset knows
    /// (the entry point has checked the codeset and the count).
    pub(super) fn pin_send_key(
        &self,
        d: &DomainRef,
        codeset: u32,
        keycodes: &[u32],
        flags: u32,
    ) -> Result<()> {
        flags_check("testDomainSendKey", flags, 0)?;
        self.with_dom(d, |dom| {
            if !dom.is_active() {
                return Err(super::not_running_conf());
            }
            let Some((name, valid)) = KEYCODE_SETS.get(codeset as usize) else {
                return Err(test_err(
                    Code::VIR_ERR_INTERNAL_ERROR,
                    format!("unknown codeset {codeset}"),
                ));
            };
            for &k in keycodes {
                let known = u16::try_from(k).is_ok_and(|k| valid.binary_search(&k).is_ok());
                if !known {
                    return Err(test_err(
                        Code::VIR_ERR_INTERNAL_ERROR,
                        format!("invalid keycode {k} of {name} codeset"),
                    ));
                }
            }
            Ok(())
        })
    }

    /// `VIR_NODEINFO_MAXCPUS` of the node.
    fn node_cpus(&self) -> u32 {
        let i = &self.node.info;
        i.nodes * i.sockets * i.cores * i.threads
    }
}

/// `virDomainObjAssignDef(vm, def, live=false)`: an inactive domain takes the definition, a
/// running one keeps it for its next boot.
fn assign_def(dom: &mut Dom, mut def: DomainDef) {
    def.name = dom.def.name.clone();
    if dom.is_active() {
        dom.new_def = Some(def);
    } else {
        dom.def = def;
        dom.new_def = None;
    }
}

/// The domain at `i` takes `new_name`.
fn rename_dom(st: &mut NodeState, i: usize, new_name: &str) -> Result<()> {
    let cname = std::ffi::CString::new(new_name).map_err(|_| VirError::generic())?;
    st.rename(i, Arc::from(cname));
    let dom = &mut st.doms[i];
    dom.def.name = new_name.to_string();
    if let Some(n) = dom.new_def.as_mut() {
        n.name = new_name.to_string();
    }
    Ok(())
}

/// testDomainIOThreadParseParams: the three polling fields, each of its own type.
fn parse_iothread_params(params: &[TypedParam], t: &mut IoThreadPoll) -> Result<()> {
    const FIELDS: &[(&str, &str)] = &[
        ("poll_max_ns", "ullong"),
        ("poll_grow", "uint"),
        ("poll_shrink", "uint"),
    ];
    let type_name = |v: &TypedValue| match v {
        TypedValue::Int(_) => "int",
        TypedValue::UInt(_) => "uint",
        TypedValue::LLong(_) => "llong",
        TypedValue::ULLong(_) => "ullong",
        TypedValue::Double(_) => "double",
        TypedValue::Boolean(_) => "boolean",
        TypedValue::String(_) => "string",
    };
    // virTypedParamsValidate: known names of the right type, each once.
    for (k, p) in params.iter().enumerate() {
        let Some((_, want)) = FIELDS.iter().find(|f| f.0 == p.field) else {
            return Err(VirError::detail(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
                format!("parameter '{}' not supported", p.field),
            ));
        };
        if type_name(&p.value) != *want {
            return Err(VirError::invalid_arg(
                Domain::VIR_FROM_NONE,
                "",
                "params",
                format!(
                    "invalid type '{}' for parameter '{}', expected '{want}'",
                    type_name(&p.value),
                    p.field
                ),
            ));
        }
        if params[..k].iter().any(|q| q.field == p.field) {
            return Err(VirError::invalid_arg(
                Domain::VIR_FROM_NONE,
                "",
                "params",
                format!("parameter '{}' occurs multiple times", p.field),
            ));
        }
    }
    for p in params {
        match (&p.field[..], &p.value) {
            ("poll_max_ns", TypedValue::ULLong(v)) => t.poll_max_ns = *v,
            ("poll_grow", TypedValue::UInt(v)) => t.poll_grow = *v,
            ("poll_shrink", TypedValue::UInt(v)) => t.poll_shrink = *v,
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpusets_parse_and_format_like_libvirt() {
        let s = parse_cpuset("0-3,^2, 5 ,7-8").unwrap();
        assert_eq!(format_cpuset(&s), "0-1,3,5,7-8");
        assert!(parse_cpuset("").is_err());
        assert!(parse_cpuset("3-1").is_err());
        assert!(parse_cpuset("^1-2").is_err());
        assert!(parse_cpuset("4096").is_err());
        assert!(parse_cpuset("1,").is_err());
        assert_eq!(format_cpuset(&CpuSet::new()), "");
    }

    #[test]
    fn maps_round_trip_and_data_is_sized_by_the_last_cpu() {
        let s = cpuset_from_map(&[0b1000_0101, 0, 0b10]);
        assert_eq!(format_cpuset(&s), "0,2,7,17");
        assert_eq!(cpuset_to_map(&s, 1), vec![0b1000_0101]);
        assert_eq!(cpuset_to_data(&s).len(), 3);
        assert_eq!(cpuset_to_data(&CpuSet::new()), vec![0]);
    }
}
