//! Snapshots and checkpoints of test domains ("moments", as libvirt calls both): their XML,
//! their tree (parent names), and the listing filters.

use super::node::{Checkpoint, Dom, SHUTOFF, Snapshot};
use super::xml::{self, DomainDef};
use crate::core::{Code, Domain, Result, VirError};
use std::fmt::Write;

// virDomainSnapshotListFlags.
pub(crate) const SNAP_LIST_ROOTS: u32 = 1 << 0;
pub(crate) const SNAP_LIST_METADATA: u32 = 1 << 1;
pub(crate) const SNAP_LIST_LEAVES: u32 = 1 << 2;
pub(crate) const SNAP_LIST_NO_LEAVES: u32 = 1 << 3;
pub(crate) const SNAP_LIST_NO_METADATA: u32 = 1 << 4;
pub(crate) const SNAP_LIST_INACTIVE: u32 = 1 << 5;
pub(crate) const SNAP_LIST_ACTIVE: u32 = 1 << 6;
pub(crate) const SNAP_LIST_DISK_ONLY: u32 = 1 << 7;
pub(crate) const SNAP_LIST_INTERNAL: u32 = 1 << 8;
pub(crate) const SNAP_LIST_EXTERNAL: u32 = 1 << 9;
/// Every flag (TOPOLOGICAL, 1 << 10, only orders the result) testDomainSnapshotNum/testDomainListAllSnapshots accept.
pub(crate) const SNAP_LIST_ALL: u32 = 0x7ff;

// virDomainCheckpointListFlags.
pub(crate) const CP_LIST_ROOTS: u32 = 1 << 0;
pub(crate) const CP_LIST_LEAVES: u32 = 1 << 2;
pub(crate) const CP_LIST_NO_LEAVES: u32 = 1 << 3;
pub(crate) const CP_LIST_ALL: u32 = 0xf;

// Delete flags, the same values for snapshots and checkpoints.
pub(crate) const DELETE_CHILDREN: u32 = 1 << 0;
pub(crate) const DELETE_METADATA_ONLY: u32 = 1 << 1;
pub(crate) const DELETE_CHILDREN_ONLY: u32 = 1 << 2;

/// What a `<domainsnapshot>`/`<domaincheckpoint>` document says that the driver uses.
#[derive(Debug, Default)]
pub struct MomentXml {
    pub name: Option<String>,
    pub description: Option<String>,
    pub parent: Option<String>,
    pub creation_time: Option<i64>,
    pub state: Option<i32>,
}

/// Parse a moment document whose root must be `root`; `label` names it in parser errors
/// ("domain_snapshot"), `dom` is the error domain of parser errors.
pub fn parse(text: &str, root: &str, label: &str, dom: Domain) -> Result<MomentXml> {
    let url = format!("({label})");
    let doc = super::parse::parse(
        text,
        super::parse::Origin {
            url: &url,
            domain: dom,
            file: false,
        },
    )?;
    let r = doc.root_element();
    if r.tag_name().name() != root {
        return Err(VirError::detail(
            Domain::VIR_FROM_XML,
            Code::VIR_ERR_XML_ERROR,
            format!(
                "expecting root element of '{root}', not '{}'",
                r.tag_name().name()
            ),
        ));
    }
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.children()
            .find(|c| c.is_element() && c.tag_name().name() == name)
            .map(|c| c.text().unwrap_or("").trim().to_string())
    };
    let mut m = MomentXml {
        name: child(r, "name").filter(|n| !n.is_empty()),
        description: child(r, "description"),
        ..Default::default()
    };
    if let Some(p) = r
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "parent")
    {
        m.parent = child(p, "name");
    }
    m.creation_time = child(r, "creationTime").and_then(|t| t.parse().ok());
    m.state = child(r, "state").and_then(|s| state_number(&s));
    Ok(m)
}

/// virDomainSnapshotState names: the domain states, then `disk-snapshot`.
const STATE_NAMES: [&str; 9] = [
    "nostate",
    "running",
    "blocked",
    "paused",
    "shutdown",
    "shutoff",
    "crashed",
    "pmsuspended",
    "disk-snapshot",
];

/// The snapshot state of a disk-only snapshot.
pub(crate) const DISK_SNAPSHOT: i32 = 8;

fn state_name(s: i32) -> &'static str {
    STATE_NAMES.get(s as usize).copied().unwrap_or("nostate")
}

fn state_number(s: &str) -> Option<i32> {
    STATE_NAMES.iter().position(|n| *n == s).map(|i| i as i32)
}

/// Seconds since the epoch: the default name and creation time of a new moment.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

pub fn moment_exists(name: &str) -> VirError {
    VirError::detail(
        Domain::VIR_FROM_DOMAIN,
        Code::VIR_ERR_OPERATION_FAILED,
        format!("domain moment {name} already exists"),
    )
}

pub fn no_snapshot(name: &str) -> VirError {
    VirError::detail(
        Domain::VIR_FROM_TEST,
        Code::VIR_ERR_NO_DOMAIN_SNAPSHOT,
        format!("no domain snapshot with matching name '{name}'"),
    )
}

pub fn no_checkpoint(name: &str) -> VirError {
    VirError::detail(
        Domain::VIR_FROM_TEST,
        Code::VIR_ERR_NO_DOMAIN_CHECKPOINT,
        format!("no domain checkpoint with matching name '{name}'"),
    )
}

/// The target names of a definition's disks.
pub fn disk_targets(def: &DomainDef) -> Vec<String> {
    def.devices
        .iter()
        .filter(|d| d.kind == "disk")
        .filter_map(|d| {
            let doc = roxmltree::Document::parse(&d.xml).ok()?;
            let t = doc
                .root_element()
                .children()
                .find(|c| c.is_element() && c.tag_name().name() == "target")?;
            t.attribute("dev").map(str::to_string)
        })
        .collect()
}

fn indent(out: &mut String, text: &str, by: usize) {
    let pad = " ".repeat(by);
    for line in text.lines() {
        let _ = writeln!(out, "{pad}{line}");
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `virDomainSnapshotGetXMLDesc`; `dom_uuid` is the domain's, printed when the snapshot holds
/// no definition.
pub fn format_snapshot(s: &Snapshot, dom_uuid: &[u8; 16]) -> String {
    let mut o = String::from("<domainsnapshot>\n");
    let _ = writeln!(o, "  <name>{}</name>", esc(&s.name));
    if let Some(d) = &s.description {
        let _ = writeln!(o, "  <description>{}</description>", esc(d));
    }
    let _ = writeln!(o, "  <state>{}</state>", state_name(s.state));
    if let Some(p) = &s.parent {
        let _ = writeln!(o, "  <parent>\n    <name>{}</name>\n  </parent>", esc(p));
    }
    let _ = writeln!(o, "  <creationTime>{}</creationTime>", s.creation_time);
    let memory = match &s.memory {
        Some(m) => m.as_str(),
        None if s.state == SHUTOFF || s.state == DISK_SNAPSHOT => "no",
        None => "internal",
    };
    let _ = writeln!(o, "  <memory snapshot='{}'/>", esc(memory));
    match (&s.disks_xml, &s.def) {
        (Some(x), _) if !x.is_empty() => {
            o.push_str("  <disks>\n");
            o.push_str(x);
            o.push_str("  </disks>\n");
        }
        (Some(_), _) | (None, None) => {}
        (None, Some(def)) => {
            let disks = disk_targets(def);
            if !disks.is_empty() {
                o.push_str("  <disks>\n");
                for d in disks {
                    let _ = writeln!(o, "    <disk name='{}' snapshot='internal'/>", esc(&d));
                }
                o.push_str("  </disks>\n");
            }
        }
    }
    match &s.def {
        Some(def) => indent(&mut o, &xml::format_domain(def, -1), 2),
        None => {
            let _ = writeln!(
                o,
                "  <domain>\n    <uuid>{}</uuid>\n  </domain>",
                crate::core::uuid::format(dom_uuid)
            );
        }
    }
    o.push_str("</domainsnapshot>\n");
    o
}

/// `virDomainCheckpointGetXMLDesc`.
pub fn format_checkpoint(c: &Checkpoint) -> String {
    let mut o = String::from("<domaincheckpoint>\n");
    let _ = writeln!(o, "  <name>{}</name>", esc(&c.name));
    if let Some(d) = &c.description {
        let _ = writeln!(o, "  <description>{}</description>", esc(d));
    }
    if let Some(p) = &c.parent {
        let _ = writeln!(o, "  <parent>\n    <name>{}</name>\n  </parent>", esc(p));
    }
    let _ = writeln!(o, "  <creationTime>{}</creationTime>", c.creation_time);
    o.push_str("  <disks>\n");
    for d in disk_targets(&c.def) {
        let _ = writeln!(
            o,
            "    <disk name='{}' checkpoint='bitmap' bitmap='{}'/>",
            esc(&d),
            esc(&c.name)
        );
    }
    o.push_str("  </disks>\n");
    indent(&mut o, &xml::format_domain(&c.def, -1), 2);
    o.push_str("</domaincheckpoint>\n");
    o
}

/// The snapshots of `dom` that pass the listing `flags`.
pub fn filter_snapshots(dom: &Dom, flags: u32) -> Vec<String> {
    let snaps = &dom.snapshots;
    let has_children = |name: &str| snaps.iter().any(|s| s.parent.as_deref() == Some(name));
    let states = flags & (SNAP_LIST_INACTIVE | SNAP_LIST_ACTIVE | SNAP_LIST_DISK_ONLY);
    let meta = flags & (SNAP_LIST_METADATA | SNAP_LIST_NO_METADATA);
    let loc = flags & (SNAP_LIST_INTERNAL | SNAP_LIST_EXTERNAL);
    let leaves = flags & (SNAP_LIST_LEAVES | SNAP_LIST_NO_LEAVES);
    snaps
        .iter()
        .filter(|s| flags & SNAP_LIST_ROOTS == 0 || s.parent.is_none())
        .filter(|s| {
            let leaf = !has_children(&s.name);
            // Unlike the other groups, both bits together match nothing (as libvirt).
            (leaf || leaves & SNAP_LIST_LEAVES == 0) && (!leaf || leaves & SNAP_LIST_NO_LEAVES == 0)
        })
        // Every test snapshot has metadata and is internal.
        .filter(|_| meta == 0 || meta & SNAP_LIST_METADATA != 0)
        .filter(|_| loc == 0 || loc & SNAP_LIST_INTERNAL != 0)
        .filter(|s| {
            let offline = s.state == SHUTOFF || s.state == DISK_SNAPSHOT;
            states == 0
                || (s.state == SHUTOFF && states & SNAP_LIST_INACTIVE != 0)
                || (s.state == DISK_SNAPSHOT && states & SNAP_LIST_DISK_ONLY != 0)
                || (!offline && states & SNAP_LIST_ACTIVE != 0)
        })
        .map(|s| s.name.clone())
        .collect()
}

/// The checkpoints of `dom` that pass the listing `flags`.
pub fn filter_checkpoints(dom: &Dom, flags: u32) -> Vec<String> {
    let cps = &dom.checkpoints;
    let has_children = |name: &str| cps.iter().any(|c| c.parent.as_deref() == Some(name));
    let leaves = flags & (CP_LIST_LEAVES | CP_LIST_NO_LEAVES);
    cps.iter()
        .filter(|c| flags & CP_LIST_ROOTS == 0 || c.parent.is_none())
        .filter(|c| {
            let leaf = !has_children(&c.name);
            // Unlike the other groups, both bits together match nothing (as libvirt).
            (leaf || leaves & CP_LIST_LEAVES == 0) && (!leaf || leaves & CP_LIST_NO_LEAVES == 0)
        })
        .map(|c| c.name.clone())
        .collect()
}

/// A node of a moment tree, as far as deletion is concerned.
pub trait Moment {
    fn name(&self) -> &str;
    fn parent(&self) -> Option<&str>;
    fn set_parent(&mut self, p: Option<String>);
}

impl Moment for Snapshot {
    fn name(&self) -> &str {
        &self.name
    }
    fn parent(&self) -> Option<&str> {
        self.parent.as_deref()
    }
    fn set_parent(&mut self, p: Option<String>) {
        self.parent = p;
    }
}

impl Moment for Checkpoint {
    fn name(&self) -> &str {
        &self.name
    }
    fn parent(&self) -> Option<&str> {
        self.parent.as_deref()
    }
    fn set_parent(&mut self, p: Option<String>) {
        self.parent = p;
    }
}

fn descendants<M: Moment>(list: &[M], root: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![root.to_string()];
    while let Some(n) = todo.pop() {
        for m in list.iter().filter(|m| m.parent() == Some(n.as_str())) {
            out.push(m.name().to_string());
            todo.push(m.name().to_string());
        }
    }
    out
}

/// Delete moment `name` (which exists) from `list` with the DELETE_* `flags`, keeping `current`
/// pointing at a moment that still exists, as libvirt does.
pub fn delete<M: Moment>(list: &mut Vec<M>, current: &mut Option<String>, name: &str, flags: u32) {
    let parent = list
        .iter()
        .find(|m| m.name() == name)
        .and_then(|m| m.parent().map(str::to_string));
    if flags & (DELETE_CHILDREN | DELETE_CHILDREN_ONLY) != 0 {
        let gone = descendants(list, name);
        if current.as_ref().is_some_and(|c| gone.contains(c)) {
            *current = Some(name.to_string());
        }
        list.retain(|m| !gone.iter().any(|g| g == m.name()));
    } else {
        for m in list.iter_mut().filter(|m| m.parent() == Some(name)) {
            m.set_parent(parent.clone());
        }
    }
    if flags & DELETE_CHILDREN_ONLY == 0 {
        if current.as_deref() == Some(name) {
            *current = parent;
        }
        list.retain(|m| m.name() != name);
    }
}

fn snap_err(code: Code, detail: impl AsRef<str>) -> VirError {
    VirError::detail(Domain::VIR_FROM_DOMAIN_SNAPSHOT, code, detail)
}

/// One `<test:domainsnapshot>` of a node file (its element, or the root of the file it names),
/// read as libvirt's test driver reads it: a redefinition with an `<active>` flag. Returns the
/// snapshot and whether it claims to be the current one.
pub fn parse_node_snapshot(n: roxmltree::Node) -> Result<(Snapshot, bool)> {
    let elem = |name: &str| {
        n.children().find(|c| {
            c.is_element() && c.tag_name().name() == name && c.tag_name().namespace().is_none()
        })
    };
    let text = |name: &str| elem(name).map(|c| c.text().unwrap_or("").trim().to_string());
    let name = text("name").ok_or_else(|| {
        snap_err(
            Code::VIR_ERR_XML_ERROR,
            "a redefined snapshot must have a name",
        )
    })?;
    let description = text("description");
    let creation_time = text("creationTime")
        .and_then(|t| t.parse::<i64>().ok())
        .ok_or_else(|| {
            snap_err(
                Code::VIR_ERR_INTERNAL_ERROR,
                "missing creationTime from existing snapshot",
            )
        })?;
    let parent = elem("parent").and_then(|p| {
        p.children()
            .find(|c| c.is_element() && c.tag_name().name() == "name")
            .map(|c| c.text().unwrap_or("").trim().to_string())
    });
    let state_text = text("state").ok_or_else(|| {
        snap_err(
            Code::VIR_ERR_XML_ERROR,
            "missing state from existing snapshot",
        )
    })?;
    let state = state_number(&state_text)
        .filter(|&s| s > 0)
        .ok_or_else(|| {
            snap_err(
                Code::VIR_ERR_CONFIG_UNSUPPORTED,
                format!("Invalid state '{state_text}' in domain snapshot XML"),
            )
        })?;
    let def = match elem("domain") {
        Some(d) if d.attribute("type").is_some() => Some(xml::parse_domain_node(d)?.0),
        _ => None,
    };
    let memory = elem("memory").and_then(|m| m.attribute("snapshot").map(str::to_string));
    let disks_xml = elem("disks").map(|d| {
        let mut x = String::new();
        for c in d.children().filter(|c| c.is_element()) {
            xml::format_element(&mut x, c, 4);
        }
        x
    });
    let active: i64 = text("active").and_then(|a| a.parse().ok()).ok_or_else(|| {
        snap_err(
            Code::VIR_ERR_INTERNAL_ERROR,
            "Could not find 'active' element",
        )
    })?;
    let snap = Snapshot {
        name,
        parent,
        description,
        creation_time,
        state,
        def,
        memory,
        disks_xml,
    };
    Ok((snap, active != 0))
}

/// Whether every parent named exists and no moment is its own ancestor.
pub fn relations_consistent<M: Moment>(list: &[M]) -> bool {
    list.iter().all(|m| {
        let mut cur = m.parent();
        let mut steps = 0;
        while let Some(p) = cur {
            if p == m.name() || steps > list.len() {
                return false;
            }
            match list.iter().find(|o| o.name() == p) {
                Some(o) => cur = o.parent(),
                None => return false,
            }
            steps += 1;
        }
        true
    })
}
