//! A domain's `<metadata>` (scope: domtune): kept as an owned element tree with its namespaces
//! (prefixes and declarations), formatted as libxml2's `xmlNodeDump` prints it (double-quoted
//! attributes, indentation only where an element has no text children), and changed or read
//! per namespace as libvirt's virDomainSetMetadata / virDomainGetMetadata do.

use crate::core::{Code, Domain, Result, VirError};
use std::fmt::Write;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MdNode {
    Elem(MdElem),
    Text(String),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MdElem {
    pub prefix: Option<String>,
    /// The element's namespace URI.
    pub ns: Option<String>,
    pub name: String,
    /// Namespaces declared on this element, in order: (prefix, URI).
    pub ns_decls: Vec<(Option<String>, String)>,
    /// Attributes with their qualified names.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<MdNode>,
}

/// The namespaces in scope at `n`, as (prefix, uri).
fn scope(n: roxmltree::Node) -> Vec<(Option<String>, String)> {
    n.namespaces()
        .filter(|ns| ns.name() != Some("xml"))
        .map(|ns| (ns.name().map(str::to_string), ns.uri().to_string()))
        .collect()
}

impl MdElem {
    /// Copy a parsed element. `strip_blanks`: drop whitespace-only text between elements, as
    /// libvirt's domain parser does (the metadata API keeps it).
    pub fn from_node(n: roxmltree::Node, strip_blanks: bool) -> MdElem {
        let here = scope(n);
        let inherited = n.parent_element().map(scope).unwrap_or_default();
        let ns_decls = here
            .into_iter()
            .filter(|d| !inherited.contains(d))
            .collect();
        let ns = n.tag_name().namespace().map(str::to_string);
        let prefix = ns
            .as_deref()
            .and_then(|u| n.lookup_prefix(u))
            .map(str::to_string);
        let attrs = n
            .attributes()
            .map(|a| {
                let q = match a.namespace().and_then(|u| n.lookup_prefix(u)) {
                    Some(p) => format!("{p}:{}", a.name()),
                    None => a.name().to_string(),
                };
                (q, a.value().to_string())
            })
            .collect();
        let kids: Vec<_> = n
            .children()
            .filter(|c| c.is_element() || c.is_text())
            .collect();
        let only = kids.len() == 1;
        let children = kids
            .into_iter()
            .filter_map(|c| {
                if c.is_element() {
                    return Some(MdNode::Elem(MdElem::from_node(c, strip_blanks)));
                }
                let t = c.text().unwrap_or("");
                if strip_blanks && !only && t.chars().all(|ch| ch.is_ascii_whitespace()) {
                    return None;
                }
                Some(MdNode::Text(t.to_string()))
            })
            .collect();
        MdElem {
            prefix,
            ns,
            name: n.tag_name().name().to_string(),
            ns_decls,
            attrs,
            children,
        }
    }

    fn qname(&self) -> String {
        match &self.prefix {
            Some(p) => format!("{p}:{}", self.name),
            None => self.name.clone(),
        }
    }

    /// `virXMLNodeSanitizeNamespaces` on `<metadata>`: children without a namespace go, and
    /// of children sharing one the first stays.
    pub fn sanitize(&mut self) {
        let mut seen: Vec<String> = Vec::new();
        self.children.retain(|c| match c {
            MdNode::Elem(e) => match &e.ns {
                Some(u) if !seen.contains(u) => {
                    seen.push(u.clone());
                    true
                }
                _ => false,
            },
            MdNode::Text(_) => false,
        });
    }

    /// Set namespace `uri` with `prefix` on this element and every element below without one
    /// (virXMLAddElementNamespace).
    fn inject(&mut self, prefix: &str, uri: &str) {
        if self.ns.is_none() {
            self.ns = Some(uri.to_string());
            self.prefix = Some(prefix.to_string());
        }
        for c in &mut self.children {
            if let MdNode::Elem(e) = c {
                e.inject(prefix, uri);
            }
        }
    }

    /// virXMLRemoveElementNamespace over the subtree.
    fn strip_ns(&mut self, uri: &str) {
        if self.ns.as_deref() == Some(uri) {
            self.ns = None;
            self.prefix = None;
        }
        for c in &mut self.children {
            if let MdNode::Elem(e) = c {
                e.strip_ns(uri);
            }
        }
    }

    /// libxml2's `xmlNodeDump(…, level, format=1)`: no indentation before the first tag, none
    /// after the last.
    pub fn dump(&self, out: &mut String, level: usize, format: bool) {
        let q = self.qname();
        let _ = write!(out, "<{q}");
        for (p, u) in &self.ns_decls {
            match p {
                // libxml2 never prints a declaration of the `xml` prefix.
                Some(p) if p == "xml" => {}
                Some(p) => {
                    let _ = write!(out, " xmlns:{p}=\"{}\"", esc_attr(u));
                }
                None => {
                    let _ = write!(out, " xmlns=\"{}\"", esc_attr(u));
                }
            }
        }
        for (n, v) in &self.attrs {
            let _ = write!(out, " {n}=\"{}\"", esc_attr(v));
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        let fmt = format && self.children.iter().all(|c| matches!(c, MdNode::Elem(_)));
        if fmt {
            out.push('\n');
        }
        for c in &self.children {
            match c {
                MdNode::Text(t) => out.push_str(&esc_text(t)),
                MdNode::Elem(e) => {
                    if fmt {
                        out.push_str(&"  ".repeat(level + 1));
                    }
                    e.dump(out, level + 1, fmt);
                    if fmt {
                        out.push('\n');
                    }
                }
            }
        }
        if fmt {
            out.push_str(&"  ".repeat(level));
        }
        let _ = write!(out, "</{q}>");
    }
}

fn esc_text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '\r' => o.push_str("&#13;"),
            c => o.push(c),
        }
    }
    o
}

fn esc_attr(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            '\t' => o.push_str("&#9;"),
            c => o.push(c),
        }
    }
    o
}

/// `<metadata>` formatted at indent 2 in the domain XML.
pub fn format(root: &MdElem, out: &mut String) {
    out.push_str("  ");
    root.dump(out, 1, true);
    out.push('\n');
}

/// The namespace the `xml` prefix is bound to.
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

fn xml_internal(detail: &str) -> VirError {
    VirError::detail(Domain::VIR_FROM_XML, Code::VIR_ERR_INTERNAL_ERROR, detail)
}

/// libxml2's `xmlValidateNCName` for a namespace prefix.
fn valid_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '\u{b7}'))
}

/// virDomainDefSetMetadata for VIR_DOMAIN_METADATA_ELEMENT: `metadata` (parsed by the caller)
/// replaces every child of `<metadata>` in namespace `uri`; `None` removes them.
pub fn set_element(
    root: &mut Option<MdElem>,
    new: Option<MdElem>,
    key: Option<&str>,
    uri: &str,
) -> Result<()> {
    let new = match new {
        Some(mut e) => {
            let key = key.unwrap_or("");
            if !valid_ncname(key) {
                return Err(xml_internal(
                    "failed to validate prefix for a new XML namespace",
                ));
            }
            if e.ns_decls.iter().any(|(p, _)| p.as_deref() == Some(key)) {
                return Err(xml_internal("failed to create a new XML namespace"));
            }
            if key == "xml" {
                // libxml2's copy into the domain's tree binds `xml:` to the XML namespace.
                e.inject(key, XML_NS);
            } else {
                e.ns_decls.push((Some(key.to_string()), uri.to_string()));
                e.inject(key, uri);
            }
            if root.is_none() {
                *root = Some(MdElem {
                    name: "metadata".to_string(),
                    ..MdElem::default()
                });
            }
            Some(e)
        }
        None => None,
    };
    if let Some(r) = root {
        r.children
            .retain(|c| !matches!(c, MdNode::Elem(e) if e.ns.as_deref() == Some(uri)));
        if let Some(e) = new {
            r.children.push(MdNode::Elem(e));
        }
    }
    Ok(())
}

/// virXMLExtractNamespaceXML: the first child of `<metadata>` in namespace `uri`, without it.
pub fn get_element(root: Option<&MdElem>, uri: &str) -> Option<String> {
    let e = root?.children.iter().find_map(|c| match c {
        MdNode::Elem(e) if e.ns.as_deref() == Some(uri) => Some(e),
        _ => None,
    })?;
    let mut e = e.clone();
    e.strip_ns(uri);
    if let Some(i) = e.ns_decls.iter().position(|(_, u)| u == uri) {
        e.ns_decls.remove(i);
    }
    let mut s = String::new();
    e.dump(&mut s, 0, true);
    Some(s)
}
