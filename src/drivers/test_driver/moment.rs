//! Snapshots and checkpoints of test domains ("moments", as libvirt calls both): their XML,
//! their tree (parent names), and the listing filters.

use super::TestDriver;
use super::node::{Checkpoint, Dom, SHUTOFF, Snapshot};
use super::xml::{self, DomainDef};
use crate::core::driver::DomainRef;
use crate::core::{Code, Domain, Result, VirError};
use std::fmt::Write;

// Listing flags with the same values for snapshots and checkpoints.
pub(crate) const LIST_ROOTS: u32 = 1 << 0;
pub(crate) const LIST_LEAVES: u32 = 1 << 2;
pub(crate) const LIST_NO_LEAVES: u32 = 1 << 3;

// virDomainSnapshotListFlags of snapshots only.
pub(crate) const SNAP_LIST_METADATA: u32 = 1 << 1;
pub(crate) const SNAP_LIST_NO_METADATA: u32 = 1 << 4;
pub(crate) const SNAP_LIST_INACTIVE: u32 = 1 << 5;
pub(crate) const SNAP_LIST_ACTIVE: u32 = 1 << 6;
pub(crate) const SNAP_LIST_DISK_ONLY: u32 = 1 << 7;
pub(crate) const SNAP_LIST_INTERNAL: u32 = 1 << 8;
pub(crate) const SNAP_LIST_EXTERNAL: u32 = 1 << 9;
/// Every flag (TOPOLOGICAL, 1 << 10, only orders the result) testDomainSnapshotNum/testDomainListAllSnapshots accept.
pub(crate) const SNAP_LIST_ALL: u32 = 0x7ff;

/// Every virDomainCheckpointListFlags flag (TOPOLOGICAL, 1 << 1, only orders the result).
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

/// A moment of kind `K` that `dom` does not have.
pub fn missing<K: Kind>(name: &str) -> VirError {
    VirError::detail(
        Domain::VIR_FROM_TEST,
        K::MISSING,
        format!("no domain {} with matching name '{name}'", K::NOUN),
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

/// The moments of kind `K` of `dom` that pass the listing `flags`: the tree filters shared by
/// both kinds, then the kind's own ([`Kind::matches`]).
pub fn filter<K: Kind>(dom: &Dom, flags: u32) -> Vec<String> {
    let list = K::list(dom);
    let has_children = |name: &str| list.iter().any(|m| m.parent() == Some(name));
    let leaves = flags & (LIST_LEAVES | LIST_NO_LEAVES);
    list.iter()
        .filter(|m| flags & LIST_ROOTS == 0 || m.parent().is_none())
        .filter(|m| {
            let leaf = !has_children(m.name());
            // Unlike the other groups, both bits together match nothing (as libvirt).
            (leaf || leaves & LIST_LEAVES == 0) && (!leaf || leaves & LIST_NO_LEAVES == 0)
        })
        .filter(|m| m.matches(flags))
        .map(|m| m.name().to_string())
        .collect()
}

/// A node of a moment tree, as far as deletion is concerned.
pub trait Moment {
    fn name(&self) -> &str;
    fn parent(&self) -> Option<&str>;
    fn set_parent(&mut self, p: Option<String>);
}

macro_rules! moment_node {
    ($t:ty) => {
        impl Moment for $t {
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
    };
}
moment_node!(Snapshot);
moment_node!(Checkpoint);

/// What a new moment gets the same way whatever its kind.
pub struct Common {
    pub name: String,
    pub parent: Option<String>,
    pub description: Option<String>,
    pub creation_time: i64,
}

/// What differs between snapshots and checkpoints in the operations the driver runs on both
/// (`TestDriver::*_moment*` below): their list on `Dom`, their flags, errors and XML, and
/// what creating one does beyond the shared steps.
pub trait Kind: Moment + Sized {
    /// The kind in error texts: "snapshot".
    const NOUN: &'static str;
    /// The other kind: a domain has moments of one kind at a time.
    const OTHER: &'static str;
    /// The document root, the parser's label and the error domain of parser errors.
    const ROOT: &'static str;
    const LABEL: &'static str;
    const XML_DOMAIN: Domain;
    /// The code of "no such moment".
    const MISSING: Code;
    /// The flags create, GetXMLDesc and the listings accept.
    const CREATE_FLAGS: u32;
    const XML_FLAGS: u32;
    const LIST_FLAGS: u32;

    fn list(dom: &Dom) -> &Vec<Self>;
    /// The list and the current moment's name, to change them.
    fn tree(dom: &mut Dom) -> (&mut Vec<Self>, &mut Option<String>);
    fn current(dom: &Dom) -> &Option<String>;
    /// Whether `dom` has moments of the other kind.
    fn other_exists(dom: &Dom) -> bool;
    /// Create's checks before the document is parsed, and after.
    fn check_domain(dom: &Dom, flags: u32) -> Result<()>;
    fn check_parsed(dom: &Dom, m: &MomentXml, flags: u32) -> Result<()>;
    /// The new moment of `dom`.
    fn build(dom: &Dom, common: Common, m: &MomentXml, redefine: bool) -> Self;
    /// Whether the new moment becomes the current one.
    fn makes_current(flags: u32) -> bool;
    /// What creating the moment does to the domain afterwards.
    fn created(dom: &mut Dom, flags: u32);
    /// The kind's own listing filters.
    fn matches(&self, flags: u32) -> bool;
    /// `GetXMLDesc`.
    fn format(&self, dom: &Dom) -> String;
}

// Create flags: REDEFINE has the same value for both kinds, the others are snapshots'.
const CREATE_REDEFINE: u32 = 1;
const SNAP_CREATE_CURRENT: u32 = 2;
const SNAP_CREATE_HALT: u32 = 8;

/// The accessors of [`Kind`] for a kind held in `Dom::$list` with `Dom::$current`, whose
/// other kind is held in `Dom::$other`.
macro_rules! kind_fields {
    ($list:ident, $current:ident, $other:ident) => {
        fn list(dom: &Dom) -> &Vec<Self> {
            &dom.$list
        }
        fn tree(dom: &mut Dom) -> (&mut Vec<Self>, &mut Option<String>) {
            (&mut dom.$list, &mut dom.$current)
        }
        fn current(dom: &Dom) -> &Option<String> {
            &dom.$current
        }
        fn other_exists(dom: &Dom) -> bool {
            !dom.$other.is_empty()
        }
    };
}

impl Kind for Snapshot {
    const NOUN: &'static str = "snapshot";
    const OTHER: &'static str = "checkpoint";
    const ROOT: &'static str = "domainsnapshot";
    const LABEL: &'static str = "domain_snapshot";
    const XML_DOMAIN: Domain = Domain::VIR_FROM_DOMAIN_SNAPSHOT;
    const MISSING: Code = Code::VIR_ERR_NO_DOMAIN_SNAPSHOT;
    /// REDEFINE | CURRENT | HALT | QUIESCE | ATOMIC | LIVE | VALIDATE.
    const CREATE_FLAGS: u32 = 0x3cb;
    /// VIR_DOMAIN_SNAPSHOT_XML_SECURE.
    const XML_FLAGS: u32 = 1;
    const LIST_FLAGS: u32 = SNAP_LIST_ALL;

    kind_fields!(snapshots, current_snapshot, checkpoints);
    fn check_domain(dom: &Dom, flags: u32) -> Result<()> {
        if !dom.persistent && flags & SNAP_CREATE_HALT != 0 {
            return Err(super::test_err(
                Code::VIR_ERR_OPERATION_INVALID,
                "cannot halt after transient domain snapshot",
            ));
        }
        Ok(())
    }
    fn check_parsed(_dom: &Dom, m: &MomentXml, flags: u32) -> Result<()> {
        if flags & CREATE_REDEFINE != 0 && m.name.is_none() {
            return Err(VirError::detail(
                Domain::VIR_FROM_DOMAIN_SNAPSHOT,
                Code::VIR_ERR_XML_ERROR,
                "a redefined snapshot must have a name",
            ));
        }
        Ok(())
    }
    fn build(dom: &Dom, c: Common, m: &MomentXml, redefine: bool) -> Self {
        Snapshot {
            name: c.name,
            parent: c.parent,
            description: c.description,
            creation_time: c.creation_time,
            state: if redefine {
                m.state.unwrap_or(dom.state)
            } else {
                dom.state
            },
            def: Some(dom.def.clone()),
            memory: None,
            disks_xml: None,
        }
    }
    fn makes_current(flags: u32) -> bool {
        flags & CREATE_REDEFINE == 0 || flags & SNAP_CREATE_CURRENT != 0
    }
    fn created(dom: &mut Dom, flags: u32) {
        if flags & SNAP_CREATE_HALT != 0 && dom.is_active() {
            dom.stop(super::SHUTOFF_FROM_SNAPSHOT);
        }
    }
    fn matches(&self, flags: u32) -> bool {
        let states = flags & (SNAP_LIST_INACTIVE | SNAP_LIST_ACTIVE | SNAP_LIST_DISK_ONLY);
        let meta = flags & (SNAP_LIST_METADATA | SNAP_LIST_NO_METADATA);
        let loc = flags & (SNAP_LIST_INTERNAL | SNAP_LIST_EXTERNAL);
        let offline = self.state == SHUTOFF || self.state == DISK_SNAPSHOT;
        // Every test snapshot has metadata and is internal.
        (meta == 0 || meta & SNAP_LIST_METADATA != 0)
            && (loc == 0 || loc & SNAP_LIST_INTERNAL != 0)
            && (states == 0
                || (self.state == SHUTOFF && states & SNAP_LIST_INACTIVE != 0)
                || (self.state == DISK_SNAPSHOT && states & SNAP_LIST_DISK_ONLY != 0)
                || (!offline && states & SNAP_LIST_ACTIVE != 0))
    }
    fn format(&self, dom: &Dom) -> String {
        format_snapshot(self, &dom.def.uuid)
    }
}

impl Kind for Checkpoint {
    const NOUN: &'static str = "checkpoint";
    const OTHER: &'static str = "snapshot";
    const ROOT: &'static str = "domaincheckpoint";
    const LABEL: &'static str = "domain_checkpoint";
    const XML_DOMAIN: Domain = Domain::VIR_FROM_DOMAIN_CHECKPOINT;
    const MISSING: Code = Code::VIR_ERR_NO_DOMAIN_CHECKPOINT;
    /// REDEFINE | QUIESCE | REDEFINE_VALIDATE.
    const CREATE_FLAGS: u32 = 7;
    /// SECURE | NO_DOMAIN | SIZE.
    const XML_FLAGS: u32 = 7;
    const LIST_FLAGS: u32 = CP_LIST_ALL;

    kind_fields!(checkpoints, current_checkpoint, snapshots);
    fn check_domain(dom: &Dom, _flags: u32) -> Result<()> {
        if !dom.is_active() {
            return Err(super::test_err(
                Code::VIR_ERR_OPERATION_UNSUPPORTED,
                "cannot create checkpoint for inactive domain",
            ));
        }
        Ok(())
    }
    fn check_parsed(dom: &Dom, _m: &MomentXml, _flags: u32) -> Result<()> {
        if disk_targets(&dom.def).is_empty() {
            return Err(VirError::detail(
                Domain::VIR_FROM_DOMAIN_CHECKPOINT,
                Code::VIR_ERR_CONFIG_UNSUPPORTED,
                "domain must have at least one disk to perform checkpoints",
            ));
        }
        Ok(())
    }
    fn build(dom: &Dom, c: Common, _m: &MomentXml, _redefine: bool) -> Self {
        Checkpoint {
            name: c.name,
            parent: c.parent,
            description: c.description,
            creation_time: c.creation_time,
            def: dom.def.clone(),
        }
    }
    fn makes_current(_flags: u32) -> bool {
        true
    }
    fn created(_dom: &mut Dom, _flags: u32) {}
    fn matches(&self, _flags: u32) -> bool {
        true
    }
    fn format(&self, _dom: &Dom) -> String {
        format_checkpoint(self)
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

/// The operations snapshots and checkpoints share, on the domain behind a handle. `func` is the
/// name of libvirt's test driver function, in flag errors. The checks run in libvirt's order:
/// flags, the domain, then the moment.
impl TestDriver {
    /// Create: the steps both kinds take, with the kind's checks and additions in between.
    pub(super) fn create_moment<K: Kind>(
        &self,
        func: &str,
        d: &DomainRef,
        text: &str,
        flags: u32,
    ) -> Result<String> {
        VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, K::CREATE_FLAGS)?;
        // A snapshot that halts the domain stops it, with libvirt's lifecycle event.
        let mut ev: super::events::Pending = None;
        let r = self.with_dom_mut(d, |st, i| {
            let dom = &mut st.doms[i];
            if K::other_exists(dom) {
                return Err(super::test_err(
                    Code::VIR_ERR_OPERATION_UNSUPPORTED,
                    format!("cannot create {} while {} exists", K::NOUN, K::OTHER),
                ));
            }
            K::check_domain(dom, flags)?;
            let m = parse(text, K::ROOT, K::LABEL, K::XML_DOMAIN)?;
            K::check_parsed(dom, &m, flags)?;
            let now = now_secs();
            let name = m.name.clone().unwrap_or_else(|| now.to_string());
            if K::list(dom).iter().any(|x| x.name() == name) {
                return Err(moment_exists(&name));
            }
            let redefine = flags & CREATE_REDEFINE != 0;
            let common = Common {
                name: name.clone(),
                parent: if redefine {
                    m.parent.clone()
                } else {
                    K::current(dom).clone()
                },
                description: m.description.clone(),
                creation_time: m.creation_time.filter(|_| redefine).unwrap_or(now),
            };
            let new = K::build(dom, common, &m, redefine);
            let (list, current) = K::tree(dom);
            list.push(new);
            if K::makes_current(flags) {
                *current = Some(name.clone());
            }
            let was_active = dom.is_active();
            K::created(dom, flags);
            if was_active && !dom.is_active() {
                ev = Some((dom.handle(), super::events::STOPPED_FROM_SNAPSHOT));
            }
            Ok(name)
        });
        self.node.events.emit(ev);
        r
    }

    /// The names that pass the listing `flags`.
    pub(super) fn list_moments<K: Kind>(
        &self,
        func: &str,
        d: &DomainRef,
        flags: u32,
    ) -> Result<Vec<String>> {
        VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, K::LIST_FLAGS)?;
        self.with_dom(d, |dom| Ok(filter::<K>(dom, flags)))
    }

    /// Run `f` on moment `name` of the domain; `supported`: the flags `func` accepts.
    fn on_moment<K: Kind, T>(
        &self,
        func: &str,
        supported: u32,
        d: &DomainRef,
        name: &str,
        flags: u32,
        f: impl FnOnce(&Dom, &K) -> Result<T>,
    ) -> Result<T> {
        VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, supported)?;
        self.with_dom(d, |dom| {
            let m = K::list(dom)
                .iter()
                .find(|m| m.name() == name)
                .ok_or_else(|| missing::<K>(name))?;
            f(dom, m)
        })
    }

    /// LookupByName: the moment's name.
    pub(super) fn lookup_moment<K: Kind>(
        &self,
        func: &str,
        d: &DomainRef,
        name: &str,
        flags: u32,
    ) -> Result<String> {
        self.on_moment::<K, _>(func, 0, d, name, flags, |_, m| Ok(m.name().to_string()))
    }

    /// GetXMLDesc.
    pub(super) fn moment_xml<K: Kind>(
        &self,
        func: &str,
        d: &DomainRef,
        name: &str,
        flags: u32,
    ) -> Result<String> {
        self.on_moment::<K, _>(func, K::XML_FLAGS, d, name, flags, |dom, m| {
            Ok(m.format(dom))
        })
    }

    /// GetParent: the parent's name.
    pub(super) fn moment_parent<K: Kind>(
        &self,
        func: &str,
        d: &DomainRef,
        name: &str,
        flags: u32,
    ) -> Result<String> {
        self.on_moment::<K, _>(func, 0, d, name, flags, |_, m| {
            m.parent().map(str::to_string).ok_or_else(|| {
                super::test_err(
                    K::MISSING,
                    format!("{} '{name}' does not have a parent", K::NOUN),
                )
            })
        })
    }

    /// IsCurrent.
    pub(super) fn moment_is_current<K: Kind>(
        &self,
        func: &str,
        d: &DomainRef,
        name: &str,
        flags: u32,
    ) -> Result<bool> {
        self.on_moment::<K, _>(func, 0, d, name, flags, |dom, _| {
            Ok(K::current(dom).as_deref() == Some(name))
        })
    }

    /// Current: the current moment's name.
    pub(super) fn current_moment<K: Kind>(
        &self,
        func: &str,
        d: &DomainRef,
        flags: u32,
    ) -> Result<String> {
        VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, 0)?;
        self.with_dom(d, |dom| {
            K::current(dom).clone().ok_or_else(|| {
                super::test_err(
                    K::MISSING,
                    format!("the domain does not have a current {}", K::NOUN),
                )
            })
        })
    }

    /// HasCurrent.
    pub(super) fn has_current_moment<K: Kind>(
        &self,
        func: &str,
        d: &DomainRef,
        flags: u32,
    ) -> Result<bool> {
        VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, 0)?;
        self.with_dom(d, |dom| Ok(K::current(dom).is_some()))
    }

    /// Delete, with DELETE_CHILDREN / DELETE_CHILDREN_ONLY.
    pub(super) fn delete_moment<K: Kind>(
        &self,
        func: &str,
        d: &DomainRef,
        name: &str,
        flags: u32,
    ) -> Result<()> {
        let supported = DELETE_CHILDREN | DELETE_METADATA_ONLY | DELETE_CHILDREN_ONLY;
        VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, supported)?;
        self.with_dom_mut(d, |st, i| {
            let dom = &mut st.doms[i];
            if !K::list(dom).iter().any(|m| m.name() == name) {
                return Err(missing::<K>(name));
            }
            let (list, current) = K::tree(dom);
            delete(list, current, name, flags);
            Ok(())
        })
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
