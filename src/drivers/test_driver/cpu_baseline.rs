//! `virConnectBaselineCPU` of the test driver: the flag check, each CPU text parsed as a host
//! CPU definition (libvirt's checks and errors, in its order), then the baseline of
//! `core::cpu`.

use super::cpu_xml::{
    CACHE_MODES, PHYS_ADDR_MODES, SWITCHES, c_integer, el, prop_enum, prop_err, prop_nonneg_int,
    prop_uint, unsupported, xml_err,
};
use super::parse;
use super::xml::ARCHES;
use crate::core::cpu::{self, HostCpu};
use crate::core::{Code, Domain, Result, VirError};

/// `VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES`.
const EXPAND_FEATURES: u32 = 1;

/// The XPath `string(./NAME[1])` of `n`, `None` when empty (as `virXPathString`).
fn child_string(n: roxmltree::Node, name: &str) -> Option<String> {
    let c = el(n, name)?;
    let s: String = c
        .descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect();
    (!s.is_empty()).then_some(s)
}

/// A `virXMLPropULongLong` attribute, required.
fn prop_ull_required(n: roxmltree::Node, attr: &str) -> Result<u64> {
    let elem = n.tag_name().name();
    let Some(v) = n.attribute(attr) else {
        return Err(prop_err(format!(
            "Missing required attribute '{attr}' in element '{elem}'"
        )));
    };
    let t = v.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let digits = t.strip_prefix('+').unwrap_or(t);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(x) = digits.parse::<u64>()
    {
        return Ok(x);
    }
    Err(prop_err(format!(
        "Invalid value for attribute '{attr}' in element '{elem}': '{v}'. \
         Expected non-negative integer value"
    )))
}

/// `virCPUDefParseXML` for a host CPU, keeping what the baseline reads.
fn parse_host_cpu(root: roxmltree::Node) -> Result<HostCpu> {
    if root.tag_name().name() != "cpu" {
        return Err(xml_err(
            "XML does not contain expected 'cpu' element".to_string(),
        ));
    }
    if root.attribute("mode").is_some() {
        return Err(unsupported("Attribute mode is only allowed for guest CPU"));
    }
    if prop_enum(root, "migratable", SWITCHES, false)?.is_some() {
        return Err(unsupported(
            "Attribute migratable is only allowed for 'host-passthrough' / 'maximum' CPU mode",
        ));
    }
    let Some(arch) = child_string(root, "arch") else {
        return Err(xml_err("Missing CPU architecture".to_string()));
    };
    if !ARCHES.contains(&arch.as_str()) {
        return Err(unsupported(format!("Unknown architecture {arch}")));
    }
    if let Some(mc) = el(root, "microcode")
        && let Some(v) = mc.attribute("version")
    {
        let ok =
            c_integer(v).is_some_and(|x| (-i64::from(u32::MAX)..=i64::from(u32::MAX)).contains(&x));
        if !ok {
            return Err(unsupported("invalid microcode version"));
        }
    }
    if let Some(sig) = el(root, "signature") {
        prop_uint(sig, "family", true, true)?;
        prop_uint(sig, "model", true, false)?;
        prop_uint(sig, "stepping", true, false)?;
    }
    if let Some(counter) = root.children().find(|c| {
        c.is_element() && c.tag_name().name() == "counter" && c.attribute("name") == Some("tsc")
    }) {
        prop_ull_required(counter, "frequency")?;
        prop_enum(counter, "scaling", &["yes", "no"], false)?;
    }
    let Some(model) = child_string(root, "model") else {
        return Err(xml_err("Missing CPU model name".to_string()));
    };
    let vendor = child_string(root, "vendor");
    if let Some(t) = el(root, "topology") {
        prop_uint(t, "sockets", true, true)?;
        prop_uint(t, "dies", false, true)?;
        prop_uint(t, "cores", true, true)?;
        prop_uint(t, "threads", true, true)?;
    }
    let mut features: Vec<String> = Vec::new();
    for f in root
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "feature")
    {
        let name = f.attribute("name").unwrap_or("");
        if name.is_empty() {
            return Err(xml_err("Invalid CPU feature name".to_string()));
        }
        if features.iter().any(|x| x == name) {
            return Err(xml_err(format!(
                "CPU feature '{name}' specified more than once"
            )));
        }
        features.push(name.to_string());
    }
    let caches: Vec<_> = root
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "cache")
        .collect();
    if caches.len() > 1 {
        return Err(xml_err(
            "at most one CPU cache element may be specified".to_string(),
        ));
    }
    if let Some(c) = caches.first() {
        let level = prop_nonneg_int(*c, "level")?;
        if level.is_some_and(|l| !(1..=3).contains(&l)) {
            return Err(xml_err(
                "invalid CPU cache level, must be in range [1,3]".to_string(),
            ));
        }
        prop_enum(*c, "mode", CACHE_MODES, true)?;
    }
    if let Some(p) = el(root, "maxphysaddr") {
        prop_enum(p, "mode", PHYS_ADDR_MODES, true)?;
        prop_nonneg_int(p, "bits")?;
    }
    Ok(HostCpu {
        arch,
        model,
        vendor,
        features,
    })
}

/// `testConnectBaselineCPU`.
pub(super) fn baseline_cpu(texts: &[Option<String>], flags: u32) -> Result<String> {
    VirError::check_flags(
        Domain::VIR_FROM_TEST,
        "testConnectBaselineCPU",
        flags,
        EXPAND_FEATURES,
    )?;
    if texts.is_empty() {
        return Err(VirError::detail(
            Domain::VIR_FROM_CPU,
            Code::VIR_ERR_INVALID_ARG,
            "no CPUs given",
        ));
    }
    let mut cpus = Vec::with_capacity(texts.len());
    for t in texts {
        // libxml2 reads nothing from a NULL string and reports nothing: libvirt's generic
        // message.
        let Some(text) = t.as_deref() else {
            return Err(xml_err(
                "failed to parse xml document '(CPU_definition)'".to_string(),
            ));
        };
        let doc = parse::parse(
            text,
            parse::Origin {
                url: "(CPU_definition)",
                domain: Domain::VIR_FROM_CPU,
                file: false,
            },
        )?;
        cpus.push(parse_host_cpu(doc.root_element())?);
    }
    cpu::baseline(&cpus, flags & EXPAND_FEATURES != 0)
}
