//! Typed-parameter tuning on the test driver (scope: params): scheduler, memory, NUMA, blkio,
//! interface bandwidth, block I/O tuning, perf events, launch security and the balloon's
//! statistics period, with libvirt's test-driver semantics. The tunables live in the domain
//! XML (`<memtune>`, `<blkiotune>`, `<numatune>`, `<perf>`, and inside `<disk>`,
//! `<interface>` and `<memballoon>`), edited as element trees and printed as libvirt prints
//! them.

use super::TestDriver;
use super::tuning::{one_def, one_def_mut};
use super::xml::{DomainDef, TOP_LEVEL_KEPT, scale_to_kib};
use crate::core::driver::{DomainRef, TypedParam, TypedValue};
use crate::core::{Code, Domain, Result, VirError};
use std::fmt::Write;

const AFFECT_LIVE: u32 = 1;
const AFFECT_CONFIG: u32 = 2;
const STRING_OKAY: u32 = 4;

/// `VIR_DOMAIN_MEMORY_PARAM_UNLIMITED`: a memory limit that is not set.
const UNLIMITED: u64 = 9007199254740991;

pub(super) fn check_flags(func: &str, flags: u32, supported: u32) -> Result<()> {
    VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, supported)
}

pub(super) fn err(code: Code, detail: impl AsRef<str>) -> VirError {
    VirError::detail(Domain::VIR_FROM_TEST, code, detail)
}

// ---- virTypedParamsValidate

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Int,
    UInt,
    ULLong,
    Boolean,
    Str,
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Int => "int",
        Kind::UInt => "uint",
        Kind::ULLong => "ullong",
        Kind::Boolean => "boolean",
        Kind::Str => "string",
    }
}

fn value_type_name(v: &TypedValue) -> &'static str {
    match v {
        TypedValue::Int(_) => "int",
        TypedValue::UInt(_) => "uint",
        TypedValue::LLong(_) => "llong",
        TypedValue::ULLong(_) => "ullong",
        TypedValue::Double(_) => "double",
        TypedValue::Boolean(_) => "boolean",
        TypedValue::String(_) => "string",
    }
}

fn value_kind(v: &TypedValue) -> Option<Kind> {
    Some(match v {
        TypedValue::Int(_) => Kind::Int,
        TypedValue::UInt(_) => Kind::UInt,
        TypedValue::ULLong(_) => Kind::ULLong,
        TypedValue::Boolean(_) => Kind::Boolean,
        TypedValue::String(_) => Kind::Str,
        _ => return None,
    })
}

/// `virTypedParamsValidate`: both lists walked in name order; a repeated name, a wrong type
/// or a name that is not allowed is an error (errors come from libvirt's util domain).
pub(super) fn validate(params: &[TypedParam], allowed: &[(&str, Kind)]) -> Result<()> {
    let mut sorted: Vec<&TypedParam> = params.iter().collect();
    sorted.sort_by(|a, b| a.field.cmp(&b.field));
    let mut keys: Vec<(&str, Kind)> = allowed.to_vec();
    keys.sort_by(|a, b| a.0.cmp(b.0));
    let (mut i, mut j) = (0, 0);
    let mut last: Option<&str> = None;
    while i < sorted.len() && j < keys.len() {
        if sorted[i].field != keys[j].0 {
            j += 1;
            continue;
        }
        if last == Some(sorted[i].field.as_str()) {
            return Err(VirError::detail(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_INVALID_ARG,
                format!("parameter '{}' occurs multiple times", sorted[i].field),
            ));
        }
        if value_kind(&sorted[i].value) != Some(keys[j].1) {
            return Err(VirError::detail(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_INVALID_ARG,
                format!(
                    "invalid type '{}' for parameter '{}', expected '{}'",
                    value_type_name(&sorted[i].value),
                    sorted[i].field,
                    kind_name(keys[j].1)
                ),
            ));
        }
        last = Some(sorted[i].field.as_str());
        i += 1;
    }
    if i < sorted.len() {
        return Err(VirError::detail(
            Domain::VIR_FROM_NONE,
            Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
            format!("parameter '{}' not supported", sorted[i].field),
        ));
    }
    Ok(())
}

pub(super) fn ull(p: &TypedParam) -> u64 {
    match p.value {
        TypedValue::ULLong(v) => v,
        _ => 0,
    }
}

pub(super) fn uint(p: &TypedParam) -> u32 {
    match p.value {
        TypedValue::UInt(v) => v,
        _ => 0,
    }
}

pub(super) fn string(p: &TypedParam) -> &str {
    match &p.value {
        TypedValue::String(s) => s,
        _ => "",
    }
}

/// `TEST_SET_PARAM`: the first `nparams` of `all`, and the count libvirt reports.
pub(super) fn first(all: Vec<TypedParam>, nparams: i32) -> (i32, Vec<TypedParam>) {
    let n = all.len().min(nparams.max(0) as usize);
    let mut all = all;
    all.truncate(n);
    (n as i32, all)
}

// ---- element trees for the tunables kept as XML

#[derive(Clone, Debug, Default)]
pub(super) struct El {
    pub(super) name: String,
    pub(super) attrs: Vec<(String, String)>,
    pub(super) children: Vec<El>,
    pub(super) text: String,
}

impl El {
    pub(super) fn new(name: &str) -> El {
        El {
            name: name.to_string(),
            ..Default::default()
        }
    }
    pub(super) fn text(name: &str, text: impl ToString) -> El {
        El {
            name: name.to_string(),
            text: text.to_string(),
            ..Default::default()
        }
    }
    pub(super) fn attr(mut self, k: &str, v: impl ToString) -> El {
        self.attrs.push((k.to_string(), v.to_string()));
        self
    }
    pub(super) fn get(&self, k: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    }
    pub(super) fn child(&self, name: &str) -> Option<&El> {
        self.children.iter().find(|c| c.name == name)
    }
    pub(super) fn parse(xml: &str) -> Option<El> {
        let doc = roxmltree::Document::parse(xml).ok()?;
        Some(El::from_node(doc.root_element()))
    }
    fn from_node(n: roxmltree::Node) -> El {
        El {
            name: n.tag_name().name().to_string(),
            attrs: n
                .attributes()
                .map(|a| (a.name().to_string(), a.value().to_string()))
                .collect(),
            children: n
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
    pub(super) fn format(&self, out: &mut String, indent: usize) {
        let pad = " ".repeat(indent);
        let _ = write!(out, "{pad}<{}", self.name);
        for (k, v) in &self.attrs {
            let _ = write!(out, " {k}='{}'", super::xml::escape_string(v));
        }
        if self.children.is_empty() {
            if self.text.is_empty() {
                out.push_str("/>\n");
            } else {
                let _ = writeln!(
                    out,
                    ">{}</{}>",
                    super::xml::escape_string(&self.text),
                    self.name
                );
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

fn rank(name: &str) -> u8 {
    TOP_LEVEL_KEPT.iter().position(|n| *n == name).unwrap_or(0) as u8
}

/// The kept top-level element `name`, parsed.
fn extra(def: &DomainDef, name: &str) -> Option<El> {
    let r = rank(name);
    def.extras
        .iter()
        .find(|e| e.0 == r)
        .and_then(|e| El::parse(&e.1))
}

/// Replace (or drop, when it has nothing to print) the kept top-level element `name`.
fn set_extra(def: &mut DomainDef, name: &str, el: Option<El>) {
    let r = rank(name);
    def.extras.retain(|e| e.0 != r);
    if let Some(el) = el.filter(|e| !e.children.is_empty() || !e.attrs.is_empty()) {
        let mut x = String::new();
        el.format(&mut x, 2);
        let at = def
            .extras
            .iter()
            .position(|e| e.0 > r)
            .unwrap_or(def.extras.len());
        def.extras.insert(at, (r, x));
    }
}

/// A child's scaled value in KiB (libvirt's memtune values), if present.
fn scaled(el: &El, name: &str) -> Option<u64> {
    let c = el.child(name)?;
    let v: u64 = c.text.parse().ok()?;
    scale_to_kib(v, c.get("unit")).ok()
}

// ---- memory

#[derive(Clone, Copy)]
struct Memtune {
    hard: u64,
    soft: u64,
    min_guarantee: u64,
    swap: u64,
}

fn memtune(def: &DomainDef) -> Memtune {
    let e = extra(def, "memtune");
    let get = |n: &str, dflt: u64| e.as_ref().and_then(|e| scaled(e, n)).unwrap_or(dflt);
    Memtune {
        hard: get("hard_limit", UNLIMITED),
        soft: get("soft_limit", UNLIMITED),
        min_guarantee: get("min_guarantee", 0),
        swap: get("swap_hard_limit", UNLIMITED),
    }
}

fn set_memtune(def: &mut DomainDef, m: Memtune) {
    let mut e = El::new("memtune");
    let kib = |n: &str, v: u64| El::text(n, v).attr("unit", "KiB");
    if m.hard < UNLIMITED {
        e.children.push(kib("hard_limit", m.hard));
    }
    if m.soft < UNLIMITED {
        e.children.push(kib("soft_limit", m.soft));
    }
    if m.min_guarantee != 0 {
        e.children.push(kib("min_guarantee", m.min_guarantee));
    }
    if m.swap < UNLIMITED {
        e.children.push(kib("swap_hard_limit", m.swap));
    }
    set_extra(def, "memtune", Some(e));
}

// ---- blkio

#[derive(Clone, Debug, Default)]
struct BlkioDev {
    path: String,
    weight: u64,
    riops: u64,
    wiops: u64,
    rbps: u64,
    wbps: u64,
}

/// The five per-device fields: parameter name, XML element, accessor.
const BLKIO_DEV_FIELDS: &[(&str, &str)] = &[
    ("device_weight", "weight"),
    ("device_read_iops_sec", "read_iops_sec"),
    ("device_write_iops_sec", "write_iops_sec"),
    ("device_read_bytes_sec", "read_bytes_sec"),
    ("device_write_bytes_sec", "write_bytes_sec"),
];

fn dev_field(d: &mut BlkioDev, i: usize) -> &mut u64 {
    match i {
        0 => &mut d.weight,
        1 => &mut d.riops,
        2 => &mut d.wiops,
        3 => &mut d.rbps,
        _ => &mut d.wbps,
    }
}

fn blkio(def: &DomainDef) -> (u32, Vec<BlkioDev>) {
    let Some(e) = extra(def, "blkiotune") else {
        return (0, Vec::new());
    };
    let weight = e
        .child("weight")
        .and_then(|w| w.text.parse().ok())
        .unwrap_or(0);
    let mut devs = Vec::new();
    for c in e.children.iter().filter(|c| c.name == "device") {
        let mut d = BlkioDev {
            path: c.child("path").map(|p| p.text.clone()).unwrap_or_default(),
            ..Default::default()
        };
        for (i, (_, el)) in BLKIO_DEV_FIELDS.iter().enumerate() {
            *dev_field(&mut d, i) = c.child(el).and_then(|v| v.text.parse().ok()).unwrap_or(0);
        }
        devs.push(d);
    }
    (weight, devs)
}

fn set_blkio(def: &mut DomainDef, weight: u32, devs: &[BlkioDev]) {
    let mut e = El::new("blkiotune");
    if weight != 0 {
        e.children.push(El::text("weight", weight));
    }
    for d in devs {
        let mut d = d.clone();
        let vals: Vec<u64> = (0..5).map(|i| *dev_field(&mut d, i)).collect();
        if vals.iter().all(|v| *v == 0) {
            continue;
        }
        let mut x = El::new("device");
        x.children.push(El::text("path", &d.path));
        for (i, (_, el)) in BLKIO_DEV_FIELDS.iter().enumerate() {
            if vals[i] != 0 {
                x.children.push(El::text(el, vals[i]));
            }
        }
        e.children.push(x);
    }
    set_extra(def, "blkiotune", Some(e));
}

/// `virDomainDriverParseBlkioDeviceStr`: "path,value[,path,value...]".
fn parse_blkio_devices(s: &str, field: &str, is_u32: bool) -> Result<Vec<(String, u64)>> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    let parse_error = || {
        VirError::detail(
            Domain::VIR_FROM_DOMAIN,
            Code::VIR_ERR_INVALID_ARG,
            format!("unable to parse blkio device '{field}' '{s}'"),
        )
    };
    let parts: Vec<&str> = s.split(',').collect();
    if !parts.len().is_multiple_of(2) {
        return Err(parse_error());
    }
    let mut out = Vec::new();
    for pair in parts.chunks(2) {
        let (path, val) = (pair[0], pair[1]);
        let digits = val.strip_prefix('+').unwrap_or(val);
        let v = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            digits.parse::<u64>().ok()
        } else {
            None
        };
        let v = v.filter(|v| !is_u32 || *v <= u32::MAX as u64);
        match v {
            Some(v) => out.push((path.to_string(), v)),
            None => {
                // libvirt quotes the rest of the string from the bad value on.
                let at = s.len() - parts[out.len() * 2 + 1..].join(",").len();
                return Err(VirError::detail(
                    Domain::VIR_FROM_DOMAIN,
                    Code::VIR_ERR_INVALID_ARG,
                    format!(
                        "invalid value '{}' for parameter '{field}' of device '{path}'",
                        &s[at..]
                    ),
                ));
            }
        }
    }
    Ok(out)
}

// ---- NUMA

const NUMA_MODES: &[&str] = &["strict", "preferred", "interleave", "restrictive"];

/// (mode, nodeset) of `<numatune><memory>`.
fn numatune(def: &DomainDef) -> (Option<i32>, Option<String>) {
    let Some(m) = extra(def, "numatune").and_then(|e| e.child("memory").cloned()) else {
        return (None, None);
    };
    let mode = m
        .get("mode")
        .map(|s| NUMA_MODES.iter().position(|n| *n == s).unwrap_or(0) as i32);
    (mode.or(Some(0)), m.get("nodeset").map(str::to_string))
}

/// `virBitmapParse` into a sorted list, then libvirt's range format.
fn parse_nodeset(s: &str) -> Result<Vec<u32>> {
    let bad = || {
        VirError::detail(
            Domain::VIR_FROM_NONE,
            Code::VIR_ERR_INVALID_ARG,
            format!("Failed to parse bitmap '{s}'"),
        )
    };
    let mut set = std::collections::BTreeSet::new();
    let mut neg = std::collections::BTreeSet::new();
    if s.trim().is_empty() {
        return Err(bad());
    }
    for part in s.split(',') {
        let part = part.trim();
        let (not, part) = match part.strip_prefix('^') {
            Some(p) => (true, p),
            None => (false, part),
        };
        let num = |t: &str| t.trim().parse::<u32>().ok().filter(|v| *v < 4096);
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (num(a).ok_or_else(bad)?, num(b).ok_or_else(bad)?),
            None => {
                let v = num(part).ok_or_else(bad)?;
                (v, v)
            }
        };
        if a > b || (not && a != b) {
            return Err(bad());
        }
        for v in a..=b {
            if not {
                neg.insert(v);
            } else {
                set.insert(v);
            }
        }
    }
    Ok(set.difference(&neg).copied().collect())
}

fn format_nodeset(v: &[u32]) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        if j > i {
            out.push(format!("{}-{}", v[i], v[j]));
        } else {
            out.push(v[i].to_string());
        }
        i = j + 1;
    }
    out.join(",")
}

// ---- perf

const PERF_EVENTS: &[&str] = &[
    "cmt",
    "mbmt",
    "mbml",
    "cpu_cycles",
    "instructions",
    "cache_references",
    "cache_misses",
    "branch_instructions",
    "branch_misses",
    "bus_cycles",
    "stalled_cycles_frontend",
    "stalled_cycles_backend",
    "ref_cpu_cycles",
    "cpu_clock",
    "task_clock",
    "page_faults",
    "context_switches",
    "cpu_migrations",
    "page_faults_min",
    "page_faults_maj",
    "alignment_faults",
    "emulation_faults",
];

/// Each event's tristate: None (absent), Some(true/false).
fn perf(def: &DomainDef) -> Vec<Option<bool>> {
    let mut v = vec![None; PERF_EVENTS.len()];
    if let Some(e) = extra(def, "perf") {
        for c in e.children.iter().filter(|c| c.name == "event") {
            if let Some(i) = c
                .get("name")
                .and_then(|n| PERF_EVENTS.iter().position(|p| *p == n))
            {
                v[i] = Some(c.get("enabled") == Some("yes"));
            }
        }
    }
    v
}

fn set_perf(def: &mut DomainDef, v: &[Option<bool>]) {
    let mut e = El::new("perf");
    for (i, s) in v.iter().enumerate() {
        if let Some(b) = s {
            e.children.push(
                El::new("event")
                    .attr("name", PERF_EVENTS[i])
                    .attr("enabled", if *b { "yes" } else { "no" }),
            );
        }
    }
    set_extra(def, "perf", Some(e));
}

// ---- devices kept as XML

/// The index of the memballoon device with a model other than none.
fn memballoon(def: &DomainDef) -> Option<usize> {
    def.devices.iter().position(|d| {
        d.kind == "memballoon"
            && El::parse(&d.xml).is_some_and(|e| e.get("model").is_some_and(|m| m != "none"))
    })
}

impl TestDriver {
    // ---- scheduler

    pub(super) fn params_get_scheduler(
        &self,
        d: &DomainRef,
        flags: u32,
    ) -> Result<(i32, Vec<TypedParam>)> {
        check_flags("testDomainGetSchedulerParametersFlags", flags, 0)?;
        self.with_dom(d, |_| {
            Ok((1, vec![TypedParam::new("weight", TypedValue::UInt(50))]))
        })
    }

    pub(super) fn params_set_scheduler(
        &self,
        d: &DomainRef,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        check_flags("testDomainSetSchedulerParametersFlags", flags, 0)?;
        validate(params, &[("weight", Kind::UInt)])?;
        // libvirt's test driver accepts the weight and keeps nothing.
        self.with_dom(d, |_| Ok(()))
    }

    // ---- memory

    pub(super) fn params_get_memory(
        &self,
        d: &DomainRef,
        nparams: i32,
        flags: u32,
    ) -> Result<(i32, Vec<TypedParam>)> {
        check_flags(
            "testDomainGetMemoryParameters",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG | STRING_OKAY,
        )?;
        if nparams == 0 {
            return Ok((3, Vec::new()));
        }
        self.with_dom(d, |dom| {
            let (def, _) = one_def(dom, flags)?;
            let m = memtune(def);
            Ok(first(
                vec![
                    TypedParam::new("hard_limit", TypedValue::ULLong(m.hard)),
                    TypedParam::new("soft_limit", TypedValue::ULLong(m.soft)),
                    TypedParam::new("swap_hard_limit", TypedValue::ULLong(m.swap)),
                ],
                nparams,
            ))
        })
    }

    pub(super) fn params_set_memory(
        &self,
        d: &DomainRef,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        check_flags(
            "testDomainSetMemoryParameters",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG,
        )?;
        validate(
            params,
            &[
                ("hard_limit", Kind::ULLong),
                ("soft_limit", Kind::ULLong),
                ("swap_hard_limit", Kind::ULLong),
            ],
        )?;
        let find = |n: &str| params.iter().find(|p| p.field == n).map(ull);
        let (hard, soft, swap) = (
            find("hard_limit"),
            find("soft_limit"),
            find("swap_hard_limit"),
        );
        self.with_dom_mut(d, |st, i| {
            let dom = &mut st.doms[i];
            // libvirt compares against the live definition's limits.
            let cur = memtune(&dom.def);
            let (def, _) = one_def_mut(dom, flags)?;
            if hard.is_some() || swap.is_some() {
                let mem = hard.unwrap_or(cur.hard);
                let sw = swap.unwrap_or(cur.swap);
                if mem > sw {
                    return Err(err(
                        Code::VIR_ERR_INVALID_ARG,
                        "memory hard_limit tunable value must be lower than or equal to \
                         swap_hard_limit",
                    ));
                }
            }
            let mut m = memtune(def);
            if let Some(v) = soft {
                m.soft = v;
            }
            if let Some(v) = hard {
                m.hard = v;
            }
            if let Some(v) = swap {
                m.swap = v;
            }
            set_memtune(def, m);
            Ok(())
        })
    }

    // ---- blkio

    pub(super) fn params_get_blkio(
        &self,
        d: &DomainRef,
        nparams: i32,
        flags: u32,
    ) -> Result<(i32, Vec<TypedParam>)> {
        check_flags(
            "testDomainGetBlkioParameters",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG | STRING_OKAY,
        )?;
        if nparams == 0 {
            return Ok((6, Vec::new()));
        }
        self.with_dom(d, |dom| {
            let (def, _) = one_def(dom, flags)?;
            let (weight, mut devs) = blkio(def);
            let mut all = vec![TypedParam::new("weight", TypedValue::UInt(weight))];
            for (i, (name, _)) in BLKIO_DEV_FIELDS.iter().enumerate() {
                let mut s = Vec::new();
                for dv in devs.iter_mut() {
                    let v = *dev_field(dv, i);
                    if v != 0 {
                        s.push(format!("{},{v}", dv.path));
                    }
                }
                all.push(TypedParam::new(*name, TypedValue::String(s.join(","))));
            }
            Ok(first(all, nparams))
        })
    }

    pub(super) fn params_set_blkio(
        &self,
        d: &DomainRef,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        check_flags(
            "testDomainSetBlkioParameters",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG,
        )?;
        let mut allowed = vec![("weight", Kind::UInt)];
        allowed.extend(BLKIO_DEV_FIELDS.iter().map(|(n, _)| (*n, Kind::Str)));
        validate(params, &allowed)?;
        self.with_dom_mut(d, |st, i| {
            let (def, _) = one_def_mut(&mut st.doms[i], flags)?;
            let (mut weight, mut devs) = blkio(def);
            // libvirt applies every parameter it can and reports the last failure.
            let mut fail = None;
            for p in params {
                if p.field == "weight" {
                    weight = uint(p);
                    continue;
                }
                let Some(fi) = BLKIO_DEV_FIELDS.iter().position(|(n, _)| *n == p.field) else {
                    continue;
                };
                match parse_blkio_devices(string(p), &p.field, fi < 3) {
                    Err(e) => fail = Some(e),
                    Ok(list) => {
                        for (path, v) in list {
                            match devs.iter_mut().find(|d| d.path == path) {
                                Some(dv) => *dev_field(dv, fi) = v,
                                None if v != 0 => {
                                    let mut dv = BlkioDev {
                                        path,
                                        ..Default::default()
                                    };
                                    *dev_field(&mut dv, fi) = v;
                                    devs.push(dv);
                                }
                                None => {}
                            }
                        }
                    }
                }
            }
            set_blkio(def, weight, &devs);
            match fail {
                Some(e) => Err(e),
                None => Ok(()),
            }
        })
    }

    // ---- NUMA

    pub(super) fn params_get_numa(
        &self,
        d: &DomainRef,
        nparams: i32,
        flags: u32,
    ) -> Result<(i32, Vec<TypedParam>)> {
        check_flags(
            "testDomainGetNumaParameters",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG | STRING_OKAY,
        )?;
        if nparams == 0 {
            return Ok((2, Vec::new()));
        }
        self.with_dom(d, |dom| {
            let (def, _) = one_def(dom, flags)?;
            let (mode, nodeset) = numatune(def);
            Ok(first(
                vec![
                    TypedParam::new("numa_mode", TypedValue::Int(mode.unwrap_or(0))),
                    TypedParam::new(
                        "numa_nodeset",
                        TypedValue::String(nodeset.unwrap_or_default()),
                    ),
                ],
                nparams,
            ))
        })
    }

    pub(super) fn params_set_numa(
        &self,
        d: &DomainRef,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        check_flags(
            "testDomainSetNumaParameters",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG,
        )?;
        validate(
            params,
            &[("numa_mode", Kind::Int), ("numa_nodeset", Kind::Str)],
        )?;
        self.with_dom_mut(d, |st, i| {
            let (def, live) = one_def_mut(&mut st.doms[i], flags)?;
            let mut mode: Option<i32> = None;
            let mut nodeset: Option<Vec<u32>> = None;
            for p in params {
                match (&p.field[..], &p.value) {
                    ("numa_mode", TypedValue::Int(m)) => {
                        if *m < 0 || *m as usize >= NUMA_MODES.len() {
                            return Err(err(
                                Code::VIR_ERR_INVALID_ARG,
                                format!("unsupported numatune mode: '{m}'"),
                            ));
                        }
                        mode = Some(*m);
                    }
                    ("numa_nodeset", TypedValue::String(s)) => {
                        let set = parse_nodeset(s)?;
                        if set.is_empty() {
                            return Err(err(
                                Code::VIR_ERR_OPERATION_INVALID,
                                format!("Invalid nodeset of 'numatune': {s}"),
                            ));
                        }
                        nodeset = Some(set);
                    }
                    _ => {}
                }
            }
            let (cur_mode, cur_set) = numatune(def);
            if live
                && let (Some(m), Some(c)) = (mode, cur_mode)
                && m != c
            {
                return Err(err(
                    Code::VIR_ERR_OPERATION_INVALID,
                    "can't change numatune mode for running domain",
                ));
            }
            let m = mode.or(cur_mode).unwrap_or(0);
            let set = match nodeset {
                Some(s) => Some(format_nodeset(&s)),
                None => cur_set,
            };
            if set.is_none() {
                // `<vcpu placement='static'>`, as every definition of the test driver has.
                return Err(VirError::detail(
                    Domain::VIR_FROM_DOMAIN,
                    Code::VIR_ERR_CONFIG_UNSUPPORTED,
                    "nodeset for NUMA memory tuning must be set if 'placement' is 'static'",
                ));
            }
            let mut mem = El::new("memory").attr("mode", NUMA_MODES[m as usize]);
            if let Some(s) = set {
                mem = mem.attr("nodeset", s);
            }
            let mut e = extra(def, "numatune").unwrap_or_else(|| El::new("numatune"));
            e.children.retain(|c| c.name != "memory");
            e.children.insert(0, mem);
            set_extra(def, "numatune", Some(e));
            Ok(())
        })
    }

    // ---- perf events

    pub(super) fn params_get_perf(&self, d: &DomainRef, flags: u32) -> Result<Vec<TypedParam>> {
        check_flags(
            "testDomainGetPerfEvents",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG | STRING_OKAY,
        )?;
        self.with_dom(d, |dom| {
            let (def, _) = one_def(dom, flags)?;
            Ok(perf(def)
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    TypedParam::new(PERF_EVENTS[i], TypedValue::Boolean(*v == Some(true)))
                })
                .collect())
        })
    }

    pub(super) fn params_set_perf(
        &self,
        d: &DomainRef,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        check_flags(
            "testDomainSetPerfEvents",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG,
        )?;
        let allowed: Vec<(&str, Kind)> = PERF_EVENTS.iter().map(|n| (*n, Kind::Boolean)).collect();
        validate(params, &allowed)?;
        self.with_dom_mut(d, |st, i| {
            let (def, _) = one_def_mut(&mut st.doms[i], flags)?;
            let mut v = perf(def);
            for p in params {
                if let (Some(i), TypedValue::Boolean(b)) =
                    (PERF_EVENTS.iter().position(|n| *n == p.field), &p.value)
                {
                    v[i] = Some(*b);
                }
            }
            set_perf(def, &v);
            Ok(())
        })
    }

    // ---- launch security, balloon period

    pub(super) fn params_get_launch_security(
        &self,
        _d: &DomainRef,
        flags: u32,
    ) -> Result<Vec<TypedParam>> {
        check_flags("testDomainGetLaunchSecurityInfo", flags, 0)?;
        Ok(Vec::new())
    }

    pub(super) fn params_set_memory_stats_period(
        &self,
        d: &DomainRef,
        period: i32,
        flags: u32,
    ) -> Result<()> {
        check_flags(
            "testDomainSetMemoryStatsPeriod",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG,
        )?;
        self.with_dom_mut(d, |st, i| {
            let (def, _) = one_def_mut(&mut st.doms[i], flags)?;
            let Some(bi) = memballoon(def) else {
                return Err(err(
                    Code::VIR_ERR_INTERNAL_ERROR,
                    "No memory balloon device configured, can not set the collection period",
                ));
            };
            let dev = &mut def.devices[bi];
            let Some(mut e) = El::parse(&dev.xml) else {
                return Ok(());
            };
            e.children.retain(|c| c.name != "stats");
            if period != 0 {
                // <stats> goes first, before alias and address.
                e.children
                    .insert(0, El::new("stats").attr("period", period));
            }
            let indent = dev.xml.len() - dev.xml.trim_start().len();
            let mut x = String::new();
            e.format(&mut x, indent);
            dev.xml = x;
            Ok(())
        })
    }
}
