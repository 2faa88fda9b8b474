//! The CPU baseline of libvirt 9.0.0 (`virCPUBaseline` with no model list, no feature filter,
//! not migratable, optionally followed by `virCPUExpandFeatures`), over the facts of its CPU map
//! (`generated::cpu_map`): the guest CPU every given host CPU can run, as libvirt prints it.
//!
//! x86 works on CPUID/MSR bit sets: the first CPU's model plus its features, intersected with
//! every other CPU's, is decoded back into the model (newest first) that needs the fewest
//! extra or disabled features. ppc64 only accepts identical model names; arm answers the first
//! model; s390 has no baseline; any other architecture has no CPU driver.

use crate::core::{Code, Domain, Result, VirError};
use crate::generated::cpu_map::{
    self, Item, PPC64_MODELS, PPC64_VENDORS, X86_FEATURES, X86_MODELS, X86_VENDORS, X86Model,
};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A host CPU definition as the baseline reads it (architecture, model, vendor, feature names).
#[derive(Clone, Debug, Default)]
pub struct HostCpu {
    pub arch: String,
    pub model: String,
    pub vendor: Option<String>,
    pub features: Vec<String>,
}

fn err(code: Code, msg: impl AsRef<str>) -> VirError {
    VirError::detail(Domain::VIR_FROM_CPU, code, msg)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Policy {
    Require,
    Disable,
}

impl Policy {
    fn name(self) -> &'static str {
        match self {
            Policy::Require => "require",
            Policy::Disable => "disable",
        }
    }
}

/// The result: a guest CPU, mode custom, match exact.
struct GuestCpu {
    model: String,
    forbid_fallback: bool,
    vendor: Option<String>,
    features: Vec<(String, Policy)>,
}

impl GuestCpu {
    fn add_if_missing(&mut self, name: &str, policy: Policy) {
        if !self.features.iter().any(|(n, _)| n == name) {
            self.features.push((name.to_string(), policy));
        }
    }

    fn update(&mut self, name: &str, policy: Policy) {
        match self.features.iter_mut().find(|(n, _)| n == name) {
            Some(f) => f.1 = policy,
            None => self.features.push((name.to_string(), policy)),
        }
    }

    fn format(&self) -> String {
        let mut s = String::from("<cpu mode='custom' match='exact'>\n");
        let fallback = if self.forbid_fallback {
            "forbid"
        } else {
            "allow"
        };
        let _ = writeln!(
            s,
            "  <model fallback='{fallback}'>{}</model>",
            escape(&self.model)
        );
        if let Some(v) = &self.vendor {
            let _ = writeln!(s, "  <vendor>{}</vendor>", escape(v));
        }
        for (name, p) in &self.features {
            let _ = writeln!(
                s,
                "  <feature policy='{}' name='{}'/>",
                p.name(),
                escape(name)
            );
        }
        s.push_str("</cpu>\n");
        s
    }
}

/// `virBufferEscapeString`'s XML escaping.
fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '\'' => o.push_str("&apos;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(c),
        }
    }
    o
}

// ---- x86 bit sets

/// CPUID leaves and MSRs by (kind, in1, in2); all-zero entries count as absent.
#[derive(Clone, Default)]
struct Data(BTreeMap<(u8, u32, u32), [u32; 4]>);

impl Data {
    fn from_items(items: &[Item]) -> Data {
        let mut d = Data::default();
        d.add_items(items);
        d
    }

    fn add_items(&mut self, items: &[Item]) {
        for &(k, a, b, r) in items {
            let e = self.0.entry((k, a, b)).or_insert([0; 4]);
            for i in 0..4 {
                e[i] |= r[i];
            }
        }
    }

    fn subtract_items(&mut self, items: &[Item]) {
        for &(k, a, b, r) in items {
            if let Some(e) = self.0.get_mut(&(k, a, b)) {
                for i in 0..4 {
                    e[i] &= !r[i];
                }
            }
        }
    }

    fn subtract(&mut self, other: &Data) {
        for (key, e) in self.0.iter_mut() {
            if let Some(r) = other.0.get(key) {
                for i in 0..4 {
                    e[i] &= !r[i];
                }
            }
        }
    }

    fn intersect(&mut self, other: &Data) {
        for (key, e) in self.0.iter_mut() {
            let r = other.0.get(key).copied().unwrap_or([0; 4]);
            for i in 0..4 {
                e[i] &= r[i];
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.0.values().all(|r| r.iter().all(|&x| x == 0))
    }

    /// Every bit of `items` is set here.
    fn contains(&self, items: &[Item]) -> bool {
        items.iter().all(|&(k, a, b, r)| {
            r.iter().all(|&x| x == 0)
                || self
                    .0
                    .get(&(k, a, b))
                    .is_some_and(|e| (0..4).all(|i| e[i] & r[i] == r[i]))
        })
    }

    fn leaf1_eax(&self) -> u32 {
        self.0.get(&(1, 1, 0)).map_or(0, |r| r[0])
    }
}

fn vendor_item(i: usize) -> Item {
    (1, 0, 0, X86_VENDORS[i].regs)
}

fn x86_feature(name: &str) -> Option<&'static cpu_map::X86Feature> {
    X86_FEATURES.iter().find(|f| f.name == name)
}

fn x86_model(name: &str) -> Option<&'static X86Model> {
    X86_MODELS.iter().find(|m| m.name == name)
}

fn x86_vendor(name: &str) -> Option<usize> {
    X86_VENDORS.iter().position(|v| v.name == name)
}

/// The bits of a host CPU: its model's plus its features'.
fn x86_cpu_data(cpu: &HostCpu) -> Result<(&'static X86Model, Data)> {
    let model = x86_model(&cpu.model).ok_or_else(|| {
        err(
            Code::VIR_ERR_INTERNAL_ERROR,
            format!("Unknown CPU model {}", cpu.model),
        )
    })?;
    let mut data = Data::from_items(model.data);
    for f in &cpu.features {
        let feat = x86_feature(f).ok_or_else(|| {
            err(
                Code::VIR_ERR_INTERNAL_ERROR,
                format!("Unknown CPU feature {f}"),
            )
        })?;
        data.add_items(feat.data);
    }
    Ok((model, data))
}

/// The features wholly inside `data`, in map order, each one's bits taken out as it is found.
fn take_features(data: &mut Data, policy: Policy, out: &mut Vec<(String, Policy)>) {
    for f in X86_FEATURES {
        if data.contains(f.data) {
            data.subtract_items(f.data);
            out.push((f.name.to_string(), policy));
        }
    }
}

/// A candidate model's view of `data`: the features to add and those to disable.
fn x86_candidate(data: &Data, model: &X86Model) -> Vec<(String, Policy)> {
    let model_data = Data::from_items(model.data);
    let mut extra = data.clone();
    extra.subtract(&model_data);
    let mut missing = model_data;
    missing.subtract(data);
    let mut feats = Vec::new();
    take_features(&mut extra, Policy::Require, &mut feats);
    take_features(&mut missing, Policy::Disable, &mut feats);
    for r in model.removed {
        if !feats.iter().any(|(n, _)| n == r) {
            feats.push((r.to_string(), Policy::Disable));
        }
    }
    feats
}

/// The weight of a guest feature list: enabled ones count one, disabled ones a growing penalty
/// (2, 3, ...). As in libvirt, the scan's bound shrinks with every disabled feature found.
fn weigh(feats: &[(String, Policy)]) -> (usize, usize) {
    let mut enabled = feats.len();
    let mut disabled = 0;
    let mut penalty = 2;
    let mut i = 0;
    while i < enabled {
        if feats[i].1 == Policy::Disable {
            enabled -= 1;
            disabled += penalty;
            penalty += 1;
        }
        i += 1;
    }
    (enabled + disabled, disabled)
}

/// The model (and features) that describe `data` best; `preferred` are the models the CPUs
/// named, one of which is taken as it is when it is the only one.
fn x86_decode(data: &Data, preferred: &[&str]) -> Result<GuestCpu> {
    let mut data = data.clone();
    // The vendor whose string is in the data, its bits taken out.
    let vendor = (0..X86_VENDORS.len()).find(|&i| {
        let it = vendor_item(i);
        data.0.contains_key(&(1, 0, 0)) && data.contains(&[it])
    });
    if let Some(v) = vendor {
        data.subtract_items(&[vendor_item(v)]);
    }
    // Broken TSX of some Intel signatures.
    if vendor.is_some_and(|v| X86_VENDORS[v].name == "Intel") {
        let sig = data.leaf1_eax();
        let family = ((sig >> 20) & 0xff) + ((sig >> 8) & 0xf);
        let model = ((sig >> 12) & 0xf0) + ((sig >> 4) & 0xf);
        let stepping = sig & 0xf;
        if family == 6 && ((model == 63 && stepping < 4) || matches!(model, 60 | 69 | 70)) {
            for n in ["hle", "rtm"] {
                if let Some(f) = x86_feature(n) {
                    data.subtract_items(f.data);
                }
            }
        }
    }
    let mut best: Option<(&X86Model, Vec<(String, Policy)>)> = None;
    for cand in X86_MODELS.iter().rev() {
        if let (Some(v), Some(cv)) = (vendor, cand.vendor)
            && v != cv
        {
            continue;
        }
        if !cand.decode_guest {
            continue;
        }
        let feats = x86_candidate(&data, cand);
        let is_preferred = preferred.contains(&cand.name);
        if is_preferred && preferred.len() == 1 {
            best = Some((cand, feats));
            break;
        }
        let better = match &best {
            None => true,
            Some((_, cur)) => {
                let (cur_w, cur_dis) = weigh(cur);
                let (w, dis) = weigh(&feats);
                w < cur_w || (w == cur_w && dis < cur_dis) || (is_preferred && dis < cur_dis)
            }
        };
        if better {
            best = Some((cand, feats));
        }
    }
    let Some((model, feats)) = best else {
        return Err(err(
            Code::VIR_ERR_INTERNAL_ERROR,
            "Cannot find suitable CPU model for given data",
        ));
    };
    Ok(GuestCpu {
        model: model.name.to_string(),
        forbid_fallback: false,
        vendor: vendor.map(|v| X86_VENDORS[v].name.to_string()),
        features: feats,
    })
}

fn x86_baseline(cpus: &[HostCpu]) -> Result<GuestCpu> {
    let first = &cpus[0];
    let (_, mut base) = x86_cpu_data(first)?;
    let mut output_vendor = true;
    let mut vendor = None;
    match &first.vendor {
        None => output_vendor = false,
        Some(v) => {
            vendor = Some(x86_vendor(v).ok_or_else(|| {
                err(
                    Code::VIR_ERR_OPERATION_FAILED,
                    format!("Unknown CPU vendor {v}"),
                )
            })?);
        }
    }
    let mut names: Vec<&str> = vec![first.model.as_str()];
    for cpu in &cpus[1..] {
        if !names.contains(&cpu.model.as_str()) {
            names.push(&cpu.model);
        }
        let (model, data) = x86_cpu_data(cpu)?;
        let model_vendor = model.vendor.map(|i| X86_VENDORS[i].name);
        if let (Some(cv), Some(mv)) = (&cpu.vendor, model_vendor)
            && cv != mv
        {
            return Err(err(
                Code::VIR_ERR_OPERATION_FAILED,
                format!(
                    "CPU vendor {mv} of model {} differs from vendor {cv}",
                    model.name
                ),
            ));
        }
        let vn = match &cpu.vendor {
            Some(v) => Some(v.as_str()),
            None => {
                output_vendor = false;
                model_vendor
            }
        };
        if let Some(vn) = vn {
            match vendor {
                None => {
                    vendor = Some(x86_vendor(vn).ok_or_else(|| {
                        err(
                            Code::VIR_ERR_OPERATION_FAILED,
                            format!("Unknown CPU vendor {vn}"),
                        )
                    })?);
                }
                Some(v) if X86_VENDORS[v].name != vn => {
                    return Err(err(
                        Code::VIR_ERR_OPERATION_FAILED,
                        "CPU vendors do not match",
                    ));
                }
                Some(_) => {}
            }
        }
        base.intersect(&data);
    }
    if base.is_empty() {
        return Err(err(Code::VIR_ERR_OPERATION_FAILED, "CPUs are incompatible"));
    }
    if let Some(v) = vendor {
        base.add_items(&[vendor_item(v)]);
    }
    let mut cpu = x86_decode(&base, &names)?;
    cpu.forbid_fallback = names.len() == 1 && cpu.model == names[0];
    if !output_vendor {
        cpu.vendor = None;
    }
    Ok(cpu)
}

/// `virCPUx86ExpandFeatures` for a guest CPU: the model's own features listed as required,
/// the given policies kept, removed features disabled.
fn x86_expand(cpu: &mut GuestCpu) -> Result<()> {
    let model = x86_model(&cpu.model).ok_or_else(|| {
        err(
            Code::VIR_ERR_INTERNAL_ERROR,
            format!("unknown CPU model {}", cpu.model),
        )
    })?;
    let mut data = Data::from_items(model.data);
    let mut expanded = GuestCpu {
        model: cpu.model.clone(),
        forbid_fallback: cpu.forbid_fallback,
        vendor: cpu.vendor.clone(),
        features: Vec::new(),
    };
    take_features(&mut data, Policy::Require, &mut expanded.features);
    for (name, p) in &cpu.features {
        expanded.update(name, *p);
    }
    for r in model.removed {
        expanded.add_if_missing(r, Policy::Disable);
    }
    cpu.features = expanded.features;
    Ok(())
}

fn ppc64_baseline(cpus: &[HostCpu]) -> Result<GuestCpu> {
    let Some(&(model, model_vendor)) = PPC64_MODELS.iter().find(|(m, _)| *m == cpus[0].model)
    else {
        return Err(err(
            Code::VIR_ERR_INTERNAL_ERROR,
            format!("Unknown CPU model {}", cpus[0].model),
        ));
    };
    let mut vendor: Option<&str> = None;
    for cpu in cpus {
        if cpu.model != model {
            return Err(err(Code::VIR_ERR_OPERATION_FAILED, "CPUs are incompatible"));
        }
        let Some(v) = &cpu.vendor else { continue };
        let Some(&vnd) = PPC64_VENDORS.iter().find(|x| **x == v.as_str()) else {
            return Err(err(
                Code::VIR_ERR_OPERATION_FAILED,
                format!("Unknown CPU vendor {v}"),
            ));
        };
        if let Some(mv) = model_vendor {
            if mv != vnd {
                return Err(err(
                    Code::VIR_ERR_OPERATION_FAILED,
                    format!("CPU vendor {mv} of model {model} differs from vendor {vnd}"),
                ));
            }
        } else if let Some(cur) = vendor {
            if cur != vnd {
                return Err(err(
                    Code::VIR_ERR_OPERATION_FAILED,
                    "CPU vendors do not match",
                ));
            }
        } else {
            vendor = Some(vnd);
        }
    }
    Ok(GuestCpu {
        model: model.to_string(),
        forbid_fallback: true,
        vendor: vendor.map(str::to_string),
        features: Vec::new(),
    })
}

enum Family {
    X86,
    Ppc64,
    S390,
    Arm,
}

fn family(arch: &str) -> Result<Family> {
    Ok(match arch {
        "i686" | "x86_64" => Family::X86,
        "ppc64" | "ppc64le" => Family::Ppc64,
        "s390" | "s390x" => Family::S390,
        "armv6l" | "armv7l" | "armv7b" | "aarch64" => Family::Arm,
        _ => {
            return Err(err(
                Code::VIR_ERR_NO_SUPPORT,
                format!("'{arch}' architecture is not supported by CPU driver"),
            ));
        }
    })
}

/// The baseline of `cpus` (host CPUs, each with a model), printed as libvirt's guest CPU XML;
/// `expand` lists every feature of the chosen model too (`..._EXPAND_FEATURES`).
pub fn baseline(cpus: &[HostCpu], expand: bool) -> Result<String> {
    if cpus.is_empty() {
        return Err(err(Code::VIR_ERR_INVALID_ARG, "no CPUs given"));
    }
    let arch = cpus[0].arch.as_str();
    let fam = family(arch)?;
    let mut cpu = match fam {
        Family::X86 => x86_baseline(cpus)?,
        Family::Ppc64 => ppc64_baseline(cpus)?,
        Family::Arm => GuestCpu {
            model: cpus[0].model.clone(),
            forbid_fallback: false,
            vendor: None,
            features: Vec::new(),
        },
        Family::S390 => {
            return Err(err(
                Code::VIR_ERR_NO_SUPPORT,
                format!("cannot compute baseline CPU of {arch} architecture"),
            ));
        }
    };
    if expand {
        if let Family::X86 = fam {
            x86_expand(&mut cpu)?;
        }
        cpu.features
            .sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    }
    Ok(cpu.format())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(arch: &str, model: &str, vendor: Option<&str>, features: &[&str]) -> HostCpu {
        HostCpu {
            arch: arch.to_string(),
            model: model.to_string(),
            vendor: vendor.map(str::to_string),
            features: features.iter().map(|f| f.to_string()).collect(),
        }
    }

    #[test]
    fn one_cpu_keeps_its_model_and_extra_features() {
        let out = baseline(&[host("x86_64", "Haswell", Some("Intel"), &["vmx"])], false).unwrap();
        assert_eq!(
            out,
            "<cpu mode='custom' match='exact'>\n  <model fallback='forbid'>Haswell</model>\n  \
             <vendor>Intel</vendor>\n  <feature policy='require' name='vmx'/>\n</cpu>\n"
        );
    }

    #[test]
    fn older_model_wins_and_vendor_needs_every_cpu() {
        let cpus = [
            host("x86_64", "Haswell", Some("Intel"), &["vmx"]),
            host("x86_64", "Westmere", None, &[]),
        ];
        assert_eq!(
            baseline(&cpus, false).unwrap(),
            "<cpu mode='custom' match='exact'>\n  <model fallback='allow'>Westmere</model>\n</cpu>\n"
        );
    }

    #[test]
    fn errors_of_other_arches_and_vendors() {
        let e = baseline(&[host("s390x", "z13", None, &[])], false).unwrap_err();
        assert_eq!(e.code, Code::VIR_ERR_NO_SUPPORT as i32);
        let e = baseline(
            &[
                host("x86_64", "Haswell", Some("Intel"), &[]),
                host("x86_64", "EPYC", Some("AMD"), &[]),
            ],
            false,
        )
        .unwrap_err();
        assert_eq!(e.code, Code::VIR_ERR_OPERATION_FAILED as i32);
        assert!(baseline(&[], true).is_err());
    }
}
