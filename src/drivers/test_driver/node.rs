//! The test driver's state: one node, its domains, and how a node file becomes one.

use super::parse;
use super::xml::{self, DomainDef};
use crate::core::authconf::AuthConf;
use crate::core::connect::{self, Authenticator};
use crate::core::driver::{DomainRef, NodeInfo};
use crate::core::{Code, Domain, Result, VirError};
use parking_lot::RwLock;
use rustc_hash::FxHashMap;
use std::ffi::{CStr, CString};
use std::path::Path;
use std::sync::Arc;

/// virDomainState values.
pub(crate) const RUNNING: i32 = 1;
pub(crate) const PAUSED: i32 = 3;
pub(crate) const SHUTOFF: i32 = 5;

pub struct Node {
    pub state: RwLock<NodeState>,
    /// The virtual networks.
    pub networks: RwLock<super::network::Networks>,
    /// Storage pools and their volumes (scope: storage).
    pub pools: RwLock<super::storage::Pools>,
    pub info: NodeInfo,
    /// The NUMA cells: libvirt's fixture has two, a node file none.
    pub cells: Vec<super::host::Cell>,
    /// Open consoles; the lifecycle code calls `consoles.domain_stopped(uuid)`.
    pub consoles: Arc<super::console::Registry>,
    /// Lifecycle event subscribers.
    pub events: super::events::Bus,
    /// Event callback ids, counted across every connection to this node.
    pub event_ids: std::sync::atomic::AtomicI32,
    /// `/node/auth/user` entries: the user name and its optional password.
    auth: Vec<(String, Option<String>)>,
    // --- scope ifnode ---
    /// The host interfaces.
    pub interfaces: RwLock<super::interface::Interfaces>,
    /// The node devices.
    pub devices: RwLock<super::nodedev::Devices>,
    /// Secrets, served only to connections that opt into them (see `secret::Extras`).
    pub secrets: RwLock<super::secret::Secrets>,
}

pub struct NodeState {
    pub doms: Vec<Dom>,
    /// uuid → index into `doms`.
    by_uuid: FxHashMap<[u8; 16], usize>,
    /// name → index into `doms`.
    by_name: FxHashMap<Arc<CStr>, usize>,
    pub next_id: i32,
}

/// A snapshot: metadata only, as in libvirt's test driver.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub name: String,
    pub parent: Option<String>,
    pub description: Option<String>,
    pub creation_time: i64,
    /// The domain's state when it was taken (virDomainSnapshotState: 8 is disk-snapshot).
    pub state: i32,
    /// The domain definition it holds; a snapshot read from a node file without a
    /// `<domain type=…>` has none (libvirt then prints only the domain's uuid).
    pub def: Option<DomainDef>,
    /// `<memory snapshot=…>` as given in a node file (otherwise derived from the state).
    pub memory: Option<String>,
    /// The `<disks>` children as given in a node file, formatted (otherwise one per disk of
    /// `def`).
    pub disks_xml: Option<String>,
}

/// A checkpoint: metadata only.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    pub name: String,
    pub parent: Option<String>,
    pub description: Option<String>,
    pub creation_time: i64,
    pub def: DomainDef,
}

/// One domain object.
pub struct Dom {
    pub name: Arc<CStr>,
    /// The live definition (the only one of an inactive domain).
    pub def: DomainDef,
    /// The definition for the next boot of a running persistent domain, when it differs.
    pub new_def: Option<DomainDef>,
    pub id: i32,
    pub state: i32,
    pub reason: i32,
    pub persistent: bool,
    pub autostart: bool,
    pub has_managed_save: bool,
    pub snapshots: Vec<Snapshot>,
    pub current_snapshot: Option<String>,
    pub checkpoints: Vec<Checkpoint>,
    pub current_checkpoint: Option<String>,
    // ---- domain tuning (domtune): the driver's private per-domain state.
    pub tune: super::tuning::DomTune,
    // ---- domain stats & misc (domstats): whether the guest's `/` and `/boot` are frozen.
    pub frozen: [bool; 2],
    // ---- pinning/iothreads/misc (pin): the driver's private IOThread polling state.
    pub pin: super::pinning::DomPin,
}

impl Dom {
    pub fn new(def: DomainDef) -> Dom {
        Dom {
            name: Arc::from(CString::new(def.name.clone()).unwrap_or_default()),
            def,
            new_def: None,
            id: -1,
            state: SHUTOFF,
            reason: 0,
            persistent: true,
            autostart: false,
            has_managed_save: false,
            snapshots: Vec::new(),
            current_snapshot: None,
            checkpoints: Vec::new(),
            current_checkpoint: None,
            tune: Default::default(),
            frozen: [false; 2],
            pin: Default::default(),
        }
    }
    pub fn is_active(&self) -> bool {
        self.id != -1
    }
    pub fn handle(&self) -> DomainRef {
        DomainRef {
            name: self.name.clone(),
            uuid: self.def.uuid,
            id: self.id,
        }
    }
    /// The definition the next boot uses (`newDef` if there is one).
    pub fn persistent_def(&self) -> &DomainDef {
        self.new_def.as_ref().unwrap_or(&self.def)
    }
    /// Start: the next id, RUNNING with `reason`, the managed save image consumed.
    pub fn start(&mut self, next_id: &mut i32, reason: i32) {
        self.id = *next_id;
        *next_id += 1;
        self.state = RUNNING;
        self.reason = reason;
        self.has_managed_save = false;
    }
    /// Stop: SHUTOFF with `reason`, the next-boot definition becomes the definition.
    pub fn stop(&mut self, reason: i32) {
        if let Some(d) = self.new_def.take() {
            self.def = d;
        }
        self.state = SHUTOFF;
        self.reason = reason;
        self.id = -1;
    }
}

impl NodeState {
    pub fn new() -> NodeState {
        NodeState {
            doms: Vec::new(),
            by_uuid: FxHashMap::default(),
            by_name: FxHashMap::default(),
            next_id: 1,
        }
    }
    pub fn index_uuid(&self, uuid: &[u8; 16]) -> Option<usize> {
        self.by_uuid.get(uuid).copied()
    }
    pub fn find_uuid(&self, uuid: &[u8; 16]) -> Option<&Dom> {
        self.index_uuid(uuid).map(|i| &self.doms[i])
    }
    pub fn find_name(&self, name: &str) -> Option<&Dom> {
        let key = CString::new(name).ok()?;
        self.by_name.get(key.as_c_str()).map(|&i| &self.doms[i])
    }
    /// Append a domain whose name and uuid are known to be free.
    pub fn push(&mut self, dom: Dom) -> usize {
        let i = self.doms.len();
        self.by_uuid.insert(dom.def.uuid, i);
        self.by_name.insert(dom.name.clone(), i);
        self.doms.push(dom);
        i
    }
    // ---- pinning/iothreads/misc (pin): virDomainRename re-keys the name index.
    pub fn rename(&mut self, i: usize, name: Arc<CStr>) {
        self.by_name.remove(&self.doms[i].name);
        self.doms[i].name = name.clone();
        self.by_name.insert(name, i);
    }
    /// Remove the domain at `i` (the last one takes its place).
    pub fn remove(&mut self, i: usize) -> Dom {
        let dom = self.doms.swap_remove(i);
        self.by_uuid.remove(&dom.def.uuid);
        self.by_name.remove(&dom.name);
        if let Some(moved) = self.doms.get(i) {
            self.by_uuid.insert(moved.def.uuid, i);
            self.by_name.insert(moved.name.clone(), i);
        }
        dom
    }
    /// virDomainObjListAdd's checks: `Ok(Some(i))` for the domain with this uuid and name,
    /// `Ok(None)` when both are free.
    pub fn check_clash(&self, def: &DomainDef) -> Result<Option<usize>> {
        if let Some(i) = self.index_uuid(&def.uuid) {
            let d = &self.doms[i];
            if d.def.name != def.name {
                return Err(clash(d, def));
            }
            return Ok(Some(i));
        }
        if let Some(d) = self.find_name(&def.name) {
            return Err(clash(d, def));
        }
        Ok(None)
    }
}

impl Default for NodeState {
    fn default() -> Self {
        Self::new()
    }
}

/// The error for a handle whose domain is gone (testDomObjFromDomain).
pub fn gone(d: &DomainRef) -> VirError {
    VirError::detail(
        Domain::VIR_FROM_TEST,
        Code::VIR_ERR_NO_DOMAIN,
        format!(
            "no domain with matching uuid '{}' ({})",
            crate::core::uuid::format(&d.uuid),
            d.name_str()
        ),
    )
}

/// Nanoseconds since the epoch: the test driver reports this as a running domain's CPU time.
pub fn cpu_time_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// `virConnectListAllDomains` filter: OR inside a group, AND across groups; an empty group
/// does not filter.
pub fn list_filter_matches(d: &Dom, flags: u32) -> bool {
    fn group(flags: u32, yes: u32, no: u32, is: bool) -> bool {
        let g = flags & (yes | no);
        g == 0 || (is && g & yes != 0) || (!is && g & no != 0)
    }
    if !group(flags, 1 << 0, 1 << 1, d.is_active()) {
        return false;
    }
    if !group(flags, 1 << 2, 1 << 3, d.persistent) {
        return false;
    }
    let st = flags & (0xf << 4);
    if st != 0 {
        let bit = match d.state {
            RUNNING => 1 << 4,
            PAUSED => 1 << 5,
            SHUTOFF => 1 << 6,
            _ => 1 << 7,
        };
        if st & bit == 0 {
            return false;
        }
    }
    group(flags, 1 << 8, 1 << 9, d.has_managed_save)
        && group(flags, 1 << 10, 1 << 11, d.autostart)
        && group(flags, 1 << 12, 1 << 13, !d.snapshots.is_empty())
        && group(flags, 1 << 14, 1 << 15, !d.checkpoints.is_empty())
}

fn default_info() -> NodeInfo {
    NodeInfo {
        model: "i686".into(),
        memory: 3_145_728,
        cpus: 16,
        mhz: 1400,
        nodes: 2,
        sockets: 2,
        cores: 2,
        threads: 2,
    }
}

fn test_xml_error(detail: impl AsRef<str>) -> VirError {
    VirError::detail(Domain::VIR_FROM_TEST, Code::VIR_ERR_XML_ERROR, detail)
}

fn elem<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

impl Node {
    pub fn from_file(path: &str) -> Result<Node> {
        let text = parse::read_file(Path::new(path))?;
        Node::from_xml(&text, Path::new(path).parent(), Some(path))
    }

    /// Build a node from `<node>` XML; `dir` resolves relative `file=` references, `path` is
    /// the node file's (None for the built-in default node).
    pub fn from_xml(text: &str, dir: Option<&Path>, path: Option<&str>) -> Result<Node> {
        let doc = parse::parse(
            text,
            parse::Origin {
                url: path.unwrap_or("(test driver)"),
                domain: Domain::VIR_FROM_TEST,
                file: path.is_some(),
            },
        )?;
        let root = doc.root_element();
        if root.tag_name().name() != "node" {
            return Err(test_xml_error("Root element is not 'node'"));
        }
        let mut info = default_info();
        if let Some(cpu) = elem(root, "cpu") {
            let num = |n: &str| -> Result<Option<u32>> {
                match elem(cpu, n).and_then(|e| e.text()) {
                    None => Ok(None),
                    Some(t) => t
                        .trim()
                        .parse()
                        .map(Some)
                        .map_err(|_| test_xml_error(format!("invalid node cpu {n}"))),
                }
            };
            if let Some(v) = num("nodes")? {
                info.nodes = v;
            }
            if let Some(v) = num("sockets")? {
                info.sockets = v;
            }
            if let Some(v) = num("cores")? {
                info.cores = v;
            }
            if let Some(v) = num("threads")? {
                info.threads = v;
            }
            info.cpus = info.nodes * info.sockets * info.cores * info.threads;
            if let Some(v) = num("active")? {
                info.cpus = info.cpus.min(v);
            }
            if let Some(v) = num("mhz")? {
                info.mhz = v;
            }
            if let Some(m) = elem(cpu, "model").and_then(|e| e.text()) {
                info.model = m.trim().chars().take(31).collect();
            }
        }
        if let Some(m) = elem(root, "memory").and_then(|e| e.text()) {
            info.memory = m
                .trim()
                .parse()
                .map_err(|_| test_xml_error("invalid node memory"))?;
        }
        let mut st = NodeState::new();
        for d in root
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "domain")
        {
            let (def, ns) = match d.attribute("file") {
                Some(f) => {
                    let p = match dir {
                        Some(dir) if !f.starts_with('/') => dir.join(f),
                        _ => Path::new(f).to_path_buf(),
                    };
                    let text = parse::read_file(&p)?;
                    xml::parse_domain_from(
                        &text,
                        parse::Origin {
                            url: &p.to_string_lossy(),
                            domain: Domain::VIR_FROM_TEST,
                            file: true,
                        },
                    )?
                }
                None => xml::parse_domain_node(d)?,
            };
            st.add_loaded(def, &ns, dir)?;
        }
        // Every `<network>`, inline or in a file, loaded running (as libvirt's test driver).
        let mut networks = super::network::Networks::default();
        let mut net_uuids = std::collections::HashSet::new();
        let mut net_names = std::collections::HashSet::new();
        for n in root
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "network")
        {
            let def = match n.attribute("file") {
                Some(f) => {
                    let p = match dir {
                        Some(dir) if !f.starts_with('/') => dir.join(f),
                        _ => Path::new(f).to_path_buf(),
                    };
                    let text = parse::read_file(&p)?;
                    let doc = parse::parse(
                        &text,
                        parse::Origin {
                            url: &p.to_string_lossy(),
                            domain: Domain::VIR_FROM_TEST,
                            file: true,
                        },
                    )?;
                    super::network::parse_network_node(doc.root_element())?
                }
                None => super::network::parse_network_node(n)?,
            };
            // A uuid or name seen before goes through assign's checks; a new one is appended.
            let fresh = !net_uuids.contains(&def.uuid) && !net_names.contains(&def.name);
            net_uuids.insert(def.uuid);
            net_names.insert(def.name.clone());
            let i = if fresh {
                networks.push_new(def)
            } else {
                networks.assign(def, false)?
            };
            networks.list[i].active = true;
        }
        // --- scope ifnode: every `<interface>` (loaded active) and `<device>`, inline or in a
        // file, as libvirt's test driver loads them.
        let (interfaces, devices) = load_ifnode(root, dir)?;
        // Storage (scope: storage): every `<pool>`, inline or in a file, loaded running with
        // its `<volume>` children (each inline or in a file), as libvirt's test driver.
        let mut pools = super::storage::Pools::default();
        let read_ref = |n: roxmltree::Node| -> Result<Option<(String, String)>> {
            match n.attribute("file") {
                None => Ok(None),
                Some(f) => {
                    let p = match dir {
                        Some(dir) if !f.starts_with('/') => dir.join(f),
                        _ => Path::new(f).to_path_buf(),
                    };
                    Ok(Some((
                        parse::read_file(&p)?,
                        p.to_string_lossy().into_owned(),
                    )))
                }
            }
        };
        for n in root
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "pool")
        {
            let mut vol_text = |v: roxmltree::Node| -> Result<Option<String>> {
                match read_ref(v)? {
                    None => Ok(None),
                    Some((text, url)) => {
                        // Checked for well-formedness with the file's name, as libvirt reads it.
                        let doc = parse::parse(
                            &text,
                            parse::Origin {
                                url: &url,
                                domain: Domain::VIR_FROM_TEST,
                                file: true,
                            },
                        )?;
                        super::storage::check_root(doc.root_element(), "volume")?;
                        Ok(Some(text))
                    }
                }
            };
            match read_ref(n)? {
                Some((text, url)) => {
                    let doc = parse::parse(
                        &text,
                        parse::Origin {
                            url: &url,
                            domain: Domain::VIR_FROM_TEST,
                            file: true,
                        },
                    )?;
                    super::storage::check_root(doc.root_element(), "pool")?;
                    super::storage::load_pool(&mut pools, doc.root_element(), &mut vol_text)?;
                }
                None => super::storage::load_pool(&mut pools, n, &mut vol_text)?,
            }
        }
        super::storage::end_loading(&mut pools);
        // Every `user` of every `auth` element; the name is the element's whole text, untrimmed.
        let mut auth = Vec::new();
        for u in root
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "auth")
            .flat_map(|a| a.children())
            .filter(|c| c.is_element() && c.tag_name().name() == "user")
        {
            let name: String = u
                .descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect();
            if name.is_empty() {
                return Err(test_xml_error("missing username in /node/auth/user field"));
            }
            auth.push((name, u.attribute("password").map(str::to_string)));
        }
        Ok(Node {
            state: RwLock::new(st),
            networks: RwLock::new(networks),
            pools: RwLock::new(pools),
            info,
            cells: if path.is_none() {
                super::host::default_cells()
            } else {
                Vec::new()
            },
            consoles: super::console::Registry::new(),
            events: Default::default(),
            event_ids: Default::default(),
            auth,
            interfaces: RwLock::new(interfaces),
            devices: RwLock::new(devices),
            secrets: Default::default(),
        })
    }

    /// A node file with `<auth>` users demands a user name, then (even for an unknown user,
    /// and unless the user has no password) a password, each in its own callback call.
    pub fn authenticate(&self, conf: &AuthConf, auth: Option<&dyn Authenticator>) -> Result<()> {
        if self.auth.is_empty() {
            return Ok(());
        }
        // A callback that succeeds without answering fails the open with no error of its own.
        let Some(name) = connect::ask_username(conf, auth, "localhost")? else {
            return Err(VirError::generic());
        };
        let user = self.auth.iter().find(|(u, _)| *u == name);
        let pass = match user {
            Some((_, None)) => None,
            _ => match connect::ask_password(conf, auth, &name, "localhost")? {
                Some(p) => Some(p),
                None => return Err(VirError::generic()),
            },
        };
        match user {
            Some((_, expected)) if pass.is_none() || expected.as_ref() == pass.as_ref() => Ok(()),
            _ => Err(VirError::detail(
                Domain::VIR_FROM_TEST,
                Code::VIR_ERR_AUTH_FAILED,
                "authentication failed, see test XML for the correct username/password",
            )),
        }
    }
}

impl NodeState {
    /// Add a domain read from a node file, applying the test namespace's run state.
    fn add_loaded(&mut self, def: DomainDef, ns: &xml::TestNs, dir: Option<&Path>) -> Result<()> {
        if let Some(i) = self.check_clash(&def)? {
            return Err(clash(&self.doms[i], &def));
        }
        let mut dom = Dom::new(def);
        load_snapshots(&mut dom, &ns.snapshots, dir)?;
        let runstate = ns.runstate.unwrap_or(RUNNING);
        // libvirt keeps a re-parsed copy as the persistent definition of a started domain; the
        // copy can differ in disk order (the buses it derived are written now), so keep it
        // when a domain has more than one disk.
        if runstate != SHUTOFF
            && !ns.transient
            && dom.def.devices.iter().filter(|d| d.kind == "disk").count() > 1
        {
            let copy = xml::parse_domain(&xml::format_domain(&dom.def, -1))?.0;
            if copy != dom.def {
                dom.new_def = Some(copy);
            }
        }
        if runstate != SHUTOFF {
            dom.id = self.next_id;
            self.next_id += 1;
        }
        dom.state = runstate;
        dom.reason = 0;
        dom.persistent = !ns.transient;
        dom.has_managed_save = ns.has_managed_save;
        // pin scope: testDomainGenerateIOThreadInfos.
        super::pinning::generate_iothread_infos(&mut dom);
        self.push(dom);
        Ok(())
    }
}

/// Redefine a node-file domain's snapshots from its `<test:domainsnapshot>` elements.
fn load_snapshots(dom: &mut Dom, srcs: &[xml::SnapSource], dir: Option<&Path>) -> Result<()> {
    for src in srcs {
        let (text, url) = match src {
            xml::SnapSource::Inline(t) => (t.clone(), "(test driver)".to_string()),
            xml::SnapSource::File(f) => {
                let p = match dir {
                    Some(dir) if !f.starts_with('/') => dir.join(f),
                    _ => Path::new(f).to_path_buf(),
                };
                (parse::read_file(&p)?, p.to_string_lossy().into_owned())
            }
        };
        let doc = parse::parse(
            &text,
            parse::Origin {
                url: &url,
                domain: Domain::VIR_FROM_TEST,
                file: matches!(src, xml::SnapSource::File(_)),
            },
        )?;
        let root = doc.root_element();
        if root.tag_name().name() != "domainsnapshot" {
            return Err(VirError::detail(
                Domain::VIR_FROM_XML,
                Code::VIR_ERR_XML_ERROR,
                format!(
                    "expecting root element of 'domainsnapshot', not '{}'",
                    root.tag_name().name()
                ),
            ));
        }
        let (snap, current) = super::moment::parse_node_snapshot(root)?;
        if dom.snapshots.iter().any(|s| s.name == snap.name) {
            return Err(super::moment::moment_exists(&snap.name));
        }
        let name = snap.name.clone();
        dom.snapshots.push(snap);
        if current {
            if dom.current_snapshot.is_some() {
                return Err(VirError::internal(
                    Domain::VIR_FROM_TEST,
                    "more than one snapshot claims to be active",
                ));
            }
            dom.current_snapshot = Some(name);
        }
    }
    if !super::moment::relations_consistent(&dom.snapshots) {
        return Err(VirError::internal(
            Domain::VIR_FROM_TEST,
            format!(
                "Snapshots have inconsistent relations for domain {}",
                dom.def.name
            ),
        ));
    }
    Ok(())
}

/// virDomainObjListAdd's clash errors.
pub fn clash(existing: &Dom, def: &DomainDef) -> VirError {
    let uuid = crate::core::uuid::format(&existing.def.uuid);
    let msg = if existing.def.name == def.name && existing.def.uuid != def.uuid {
        format!("domain '{}' already exists with uuid {uuid}", def.name)
    } else {
        format!(
            "domain '{}' is already defined with uuid {uuid}",
            existing.def.name
        )
    };
    VirError::detail(Domain::VIR_FROM_DOMAIN, Code::VIR_ERR_OPERATION_FAILED, msg)
}

// --- scope ifnode: a node file's host interfaces and node devices ---

/// The `<interface>` and `<device>` children of `root`, each inline or in its `file=`.
fn load_ifnode(
    root: roxmltree::Node,
    dir: Option<&Path>,
) -> Result<(super::interface::Interfaces, super::nodedev::Devices)> {
    fn each(
        root: roxmltree::Node,
        dir: Option<&Path>,
        tag: &str,
        mut f: impl FnMut(roxmltree::Node) -> Result<()>,
    ) -> Result<()> {
        for n in root
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == tag)
        {
            match n.attribute("file") {
                Some(file) => {
                    let p = match dir {
                        Some(dir) if !file.starts_with('/') => dir.join(file),
                        _ => Path::new(file).to_path_buf(),
                    };
                    let text = parse::read_file(&p)?;
                    let doc = parse::parse(
                        &text,
                        parse::Origin {
                            url: &p.to_string_lossy(),
                            domain: Domain::VIR_FROM_TEST,
                            file: true,
                        },
                    )?;
                    f(doc.root_element())?;
                }
                None => f(n)?,
            }
        }
        Ok(())
    }
    let mut ifaces = super::interface::Interfaces::default();
    each(root, dir, "interface", |n| {
        let def = super::interface::parse_interface_node(n)?;
        let i = ifaces.assign(def);
        ifaces.list[i].active = true;
        Ok(())
    })?;
    let mut devs = super::nodedev::Devices::default();
    each(root, dir, "device", |n| {
        devs.assign(super::nodedev::parse_device_node(n, false)?);
        Ok(())
    })?;
    Ok((ifaces, devs))
}
