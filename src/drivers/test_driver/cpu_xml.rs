//! The guest `<cpu>` element of domain XML, checked and printed as libvirt 9.0.0 does: the mode,
//! match and fallback defaults made explicit, children in libvirt's order (model, vendor,
//! topology, cache, maxphysaddr, features, numa), and libvirt's errors for bad values.

use super::xml::{escape_string, format_element, string_value};
use crate::core::{Code, Domain, Result, VirError};
use std::fmt::Write;

const MODES: &[&str] = &["custom", "host-model", "host-passthrough", "maximum"];
const MATCHES: &[&str] = &["exact", "minimum", "strict"];
const CHECKS: &[&str] = &["default", "none", "partial", "full"];
const FALLBACKS: &[&str] = &["allow", "forbid"];
const POLICIES: &[&str] = &["force", "require", "optional", "disable", "forbid"];
pub(super) const CACHE_MODES: &[&str] = &["emulate", "passthrough", "disable"];
pub(super) const PHYS_ADDR_MODES: &[&str] = &["emulate", "passthrough"];
pub(super) const SWITCHES: &[&str] = &["on", "off"];

pub(super) fn xml_err(msg: String) -> VirError {
    VirError::detail(Domain::VIR_FROM_CPU, Code::VIR_ERR_XML_ERROR, msg)
}

/// The errors of libvirt's XML property helpers (virxml.c), in the XML error domain.
pub(super) fn prop_err(msg: String) -> VirError {
    VirError::detail(Domain::VIR_FROM_XML, Code::VIR_ERR_XML_ERROR, msg)
}

pub(super) fn unsupported(msg: impl Into<String>) -> VirError {
    VirError::detail(
        Domain::VIR_FROM_CPU,
        Code::VIR_ERR_CONFIG_UNSUPPORTED,
        msg.into(),
    )
}

pub(super) fn el<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// An enum attribute (`virXMLPropEnum`): absent is `None`, anything not in `values` an error.
pub(super) fn prop_enum(
    n: roxmltree::Node,
    attr: &str,
    values: &[&str],
    required: bool,
) -> Result<Option<usize>> {
    let elem = n.tag_name().name();
    match n.attribute(attr) {
        None if required => Err(prop_err(format!(
            "Missing required attribute '{attr}' in element '{elem}'"
        ))),
        None => Ok(None),
        Some(v) => values
            .iter()
            .position(|x| *x == v)
            .map(Some)
            .ok_or_else(|| {
                prop_err(format!(
                    "Invalid value for attribute '{attr}' in element '{elem}': '{v}'."
                ))
            }),
    }
}

/// `virStrToLong_uip` / `virStrToLong_i`: leading blanks and a sign as strtol takes them,
/// nothing after the digits.
pub(super) fn c_integer(s: &str) -> Option<i64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: i64 = digits.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// An unsigned attribute (`virXMLPropUInt`), optionally required and non-zero.
pub(super) fn prop_uint(
    n: roxmltree::Node,
    attr: &str,
    required: bool,
    nonzero: bool,
) -> Result<Option<u32>> {
    let elem = n.tag_name().name();
    let Some(v) = n.attribute(attr) else {
        if required {
            return Err(prop_err(format!(
                "Missing required attribute '{attr}' in element '{elem}'"
            )));
        }
        return Ok(None);
    };
    let val = c_integer(v)
        .filter(|x| (0..=i64::from(u32::MAX)).contains(x))
        .ok_or_else(|| {
            prop_err(format!(
                "Invalid value for attribute '{attr}' in element '{elem}': '{v}'. \
                 Expected non-negative integer value"
            ))
        })?;
    if nonzero && val == 0 {
        return Err(prop_err(format!(
            "Invalid value for attribute '{attr}' in element '{elem}': Zero is not permitted"
        )));
    }
    Ok(Some(val as u32))
}

/// A signed non-negative attribute (`virXMLPropInt` with NONNEGATIVE).
pub(super) fn prop_nonneg_int(n: roxmltree::Node, attr: &str) -> Result<Option<i32>> {
    let elem = n.tag_name().name();
    let Some(v) = n.attribute(attr) else {
        return Ok(None);
    };
    let val = c_integer(v)
        .filter(|x| i32::try_from(*x).is_ok())
        .ok_or_else(|| {
            prop_err(format!(
                "Invalid value for attribute '{attr}' in element '{elem}': '{v}'. \
                 Expected integer value"
            ))
        })?;
    if val < 0 {
        return Err(prop_err(format!(
            "Invalid value for attribute '{attr}' in element '{elem}': '{v}'. \
             Expected non-negative value"
        )));
    }
    Ok(Some(val as i32))
}

/// Check a guest `<cpu>` element and append it to `out` at indentation 2 as libvirt prints it
/// (nothing when libvirt would print nothing, e.g. `<cpu/>`).
pub fn format_guest_cpu(out: &mut String, cpu: roxmltree::Node) -> Result<()> {
    let mode = match cpu.attribute("mode") {
        None => 0,
        Some(m) => MODES
            .iter()
            .position(|x| *x == m)
            .ok_or_else(|| unsupported(format!("Invalid mode attribute '{m}'")))?,
    };
    let passthrough_like = mode == 2 || mode == 3;
    let migratable = prop_enum(cpu, "migratable", SWITCHES, false)?;
    if migratable.is_some() && !passthrough_like {
        return Err(unsupported(
            "Attribute migratable is only allowed for 'host-passthrough' / 'maximum' CPU mode",
        ));
    }
    let matching = prop_enum(cpu, "match", MATCHES, false)?.unwrap_or(0);
    let check = prop_enum(cpu, "check", CHECKS, false)?.unwrap_or(0);
    let model_node = el(cpu, "model");
    let model = string_value(model_node);
    let mut fallback = 0;
    let mut vendor_id = None;
    if !passthrough_like && let Some(m) = model_node {
        if let Some(f) = m.attribute("fallback") {
            fallback = FALLBACKS
                .iter()
                .position(|x| *x == f)
                .ok_or_else(|| unsupported("Invalid fallback attribute"))?;
        }
        if let Some(v) = m.attribute("vendor_id").filter(|v| !v.is_empty()) {
            if v.len() != 12 {
                return Err(xml_err(
                    "vendor_id must be exactly 12 characters long".to_string(),
                ));
            }
            if v.contains(',') {
                return Err(xml_err("vendor id is invalid".to_string()));
            }
            vendor_id = Some(v.to_string());
        }
    }
    let vendor = string_value(el(cpu, "vendor"));
    if vendor.is_some() && model.is_none() {
        return Err(xml_err(
            "CPU vendor specified without CPU model".to_string(),
        ));
    }
    let mut topology = None;
    if let Some(t) = el(cpu, "topology") {
        let sockets = prop_uint(t, "sockets", true, true)?.unwrap_or(1);
        let dies = prop_uint(t, "dies", false, true)?.unwrap_or(1);
        let cores = prop_uint(t, "cores", true, true)?.unwrap_or(1);
        let threads = prop_uint(t, "threads", true, true)?.unwrap_or(1);
        topology = Some((sockets, dies, cores, threads));
    }
    let mut features: Vec<(usize, String)> = Vec::new();
    let feature_nodes: Vec<_> = cpu
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "feature")
        .collect();
    if !feature_nodes.is_empty() && model.is_none() && mode == 0 {
        return Err(xml_err(
            "Non-empty feature list specified without CPU model".to_string(),
        ));
    }
    for f in feature_nodes {
        let policy = match f.attribute("policy") {
            None => 1,
            Some(p) => POLICIES
                .iter()
                .position(|x| *x == p)
                .ok_or_else(|| unsupported("Invalid CPU feature policy"))?,
        };
        let name = f
            .attribute("name")
            .filter(|n| !n.is_empty())
            .ok_or_else(|| xml_err("Invalid CPU feature name".to_string()))?;
        if features.iter().any(|(_, n)| n == name) {
            return Err(xml_err(format!(
                "CPU feature '{name}' specified more than once"
            )));
        }
        features.push((policy, name.to_string()));
    }
    let caches: Vec<_> = cpu
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "cache")
        .collect();
    let mut cache = None;
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
        let m = prop_enum(*c, "mode", CACHE_MODES, true)?.unwrap_or(0);
        cache = Some((level, m));
    }
    let mut phys = None;
    if let Some(p) = el(cpu, "maxphysaddr") {
        let m = prop_enum(p, "mode", PHYS_ADDR_MODES, true)?.unwrap_or(0);
        phys = Some((m, prop_nonneg_int(p, "bits")?));
    }
    if let Some((s, d, c, t)) = topology
        && u64::from(s) * u64::from(d) * u64::from(c) * u64::from(t) > u64::from(u32::MAX)
    {
        return Err(VirError::detail(
            Domain::VIR_FROM_DOMAIN,
            Code::VIR_ERR_CONFIG_UNSUPPORTED,
            format!("cpu topology results in more than {} cpus", u32::MAX),
        ));
    }

    let mut attrs = String::new();
    if mode != 0 || model.is_some() {
        let _ = write!(attrs, " mode='{}'", MODES[mode]);
        if mode == 0 {
            let _ = write!(attrs, " match='{}'", MATCHES[matching]);
        }
        if check != 0 {
            let _ = write!(attrs, " check='{}'", CHECKS[check]);
        }
        if let Some(m) = migratable.filter(|_| passthrough_like) {
            let _ = write!(attrs, " migratable='{}'", SWITCHES[m]);
        }
    }
    let mut body = String::new();
    let format_model = mode == 0 || mode == 1;
    if format_model && (model.is_some() || vendor_id.is_some()) {
        body.push_str("    <model");
        if model.is_some() {
            let _ = write!(body, " fallback='{}'", FALLBACKS[fallback]);
        }
        if let Some(v) = &vendor_id {
            let _ = write!(body, " vendor_id='{}'", escape_string(v));
        }
        match &model {
            Some(m) => {
                let _ = writeln!(body, ">{}</model>", escape_string(m));
            }
            None => body.push_str("/>\n"),
        }
    }
    if let Some(v) = vendor.filter(|_| format_model) {
        let _ = writeln!(body, "    <vendor>{}</vendor>", escape_string(&v));
    }
    if let Some((s, d, c, t)) = topology {
        let _ = writeln!(
            body,
            "    <topology sockets='{s}' dies='{d}' cores='{c}' threads='{t}'/>"
        );
    }
    if let Some((level, m)) = cache {
        body.push_str("    <cache ");
        if let Some(l) = level {
            let _ = write!(body, "level='{l}' ");
        }
        let _ = writeln!(body, "mode='{}'/>", CACHE_MODES[m]);
    }
    if let Some((m, bits)) = phys {
        let _ = write!(body, "    <maxphysaddr mode='{}'", PHYS_ADDR_MODES[m]);
        if let Some(b) = bits {
            let _ = write!(body, " bits='{b}'");
        }
        body.push_str("/>\n");
    }
    for (policy, name) in &features {
        let _ = writeln!(
            body,
            "    <feature policy='{}' name='{name}'/>",
            POLICIES[*policy]
        );
    }
    if let Some(n) = el(cpu, "numa") {
        format_element(&mut body, n, 4);
    }
    match (attrs.is_empty(), body.is_empty()) {
        (true, true) => {}
        (_, true) => {
            let _ = writeln!(out, "  <cpu{attrs}/>");
        }
        _ => {
            let _ = write!(out, "  <cpu{attrs}>\n{body}  </cpu>\n");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(x: &str) -> Result<String> {
        let doc = roxmltree::Document::parse(x).unwrap();
        let mut s = String::new();
        format_guest_cpu(&mut s, doc.root_element()).map(|_| s)
    }

    #[test]
    fn defaults_are_printed_as_libvirt_prints_them() {
        assert_eq!(
            fmt("<cpu><model>qemu64</model><feature name='x2apic'/></cpu>").unwrap(),
            "  <cpu mode='custom' match='exact'>\n    <model fallback='allow'>qemu64</model>\n    \
             <feature policy='require' name='x2apic'/>\n  </cpu>\n"
        );
        assert_eq!(fmt("<cpu/>").unwrap(), "");
        assert_eq!(
            fmt("<cpu><topology sockets='1' cores='2' threads='1'/></cpu>").unwrap(),
            "  <cpu>\n    <topology sockets='1' dies='1' cores='2' threads='1'/>\n  </cpu>\n"
        );
        assert_eq!(
            fmt("<cpu mode='host-passthrough' migratable='on'/>").unwrap(),
            "  <cpu mode='host-passthrough' migratable='on'/>\n"
        );
    }

    #[test]
    fn bad_values_get_libvirts_errors() {
        let e = fmt("<cpu mode='fast'/>").unwrap_err();
        assert_eq!(
            e.message(),
            "unsupported configuration: Invalid mode attribute 'fast'"
        );
        let e = fmt("<cpu><topology sockets='0' cores='1' threads='1'/></cpu>").unwrap_err();
        assert!(
            e.message().contains("Zero is not permitted"),
            "{}",
            e.message()
        );
        let e = fmt("<cpu><feature name='a'/></cpu>").unwrap_err();
        assert!(e.message().contains("without CPU model"), "{}", e.message());
        let e =
            fmt("<cpu><model>m</model><feature name='a'/><feature name='a'/></cpu>").unwrap_err();
        assert!(e.message().contains("more than once"), "{}", e.message());
    }

    #[test]
    fn multibyte_model_names_are_kept_whole() {
        let name = "\u{e9}".repeat(300);
        let s = fmt(&format!("<cpu><model>{name}</model></cpu>")).unwrap();
        assert!(s.contains(&format!(">{name}</model>")));
    }
}
