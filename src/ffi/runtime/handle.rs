//! The public object kinds: connections, domains, snapshots and checkpoints (streams are in
//! [`super::stream`]), recorded in the [`registry`](super::registry) as they are handed to C.

use super::errobj::CError;
use super::registry;
pub use super::registry::{Object, add_ref, lookup, publish, release, release_obj};
use crate::core::connect::Connection;
use crate::core::driver::{DomainRef, NetworkRef, PoolRef, VolRef};
use crate::generated::abi_types::virErrorFunc;
use parking_lot::Mutex;
use std::ffi::CStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

/// A connection handle (`virConnectPtr`).
pub struct ConnObj {
    refs: AtomicUsize,
    pub conn: Connection,
    /// The per-connection copy of the last error (`virConnGetLastError`).
    pub err: Mutex<CError>,
    /// `virConnSetErrorFunc`: the handler and its opaque data (as an address).
    pub handler: Mutex<(virErrorFunc, usize)>,
    /// Event and close-callback registrations (`conn_events`).
    pub events: Mutex<super::event_regs::ConnEvents>,
}

/// A domain handle (`virDomainPtr`): `{conn, name, uuid, id}` as in libvirt.
pub struct DomObj {
    refs: AtomicUsize,
    pub conn: Arc<ConnObj>,
    /// The name, and the names it had before a rename through this handle: those stay
    /// allocated with the handle, so a pointer `virDomainGetName` gave out is never left
    /// dangling (libvirt's remote client frees it).
    names: Mutex<(Arc<CStr>, Vec<Arc<CStr>>)>,
    pub uuid: [u8; 16],
    /// A snapshot of the id, updated only through this handle (as libvirt's `dom->id`).
    pub id: AtomicI32,
}

impl DomObj {
    /// The driver's view of this handle.
    pub fn dref(&self) -> DomainRef {
        DomainRef {
            name: self.name(),
            uuid: self.uuid,
            id: self.id.load(Ordering::Relaxed),
        }
    }
    /// The handle's current name.
    pub fn name(&self) -> Arc<CStr> {
        self.names.lock().0.clone()
    }
    /// The handle takes a new name (libvirt's remote client renames its handle after
    /// `virDomainRename`); the old one stays allocated while the handle lives.
    pub fn rename(&self, name: Arc<CStr>) {
        let mut n = self.names.lock();
        let old = std::mem::replace(&mut n.0, name);
        n.1.push(old);
    }
}

/// A network handle (`virNetworkPtr`): `{conn, name, uuid}` as in libvirt.
pub struct NetObj {
    refs: AtomicUsize,
    pub conn: Arc<ConnObj>,
    pub name: std::ffi::CString,
    pub uuid: [u8; 16],
}

impl NetObj {
    /// The driver's view of this handle.
    pub fn nref(&self) -> NetworkRef {
        NetworkRef {
            name: self.name.to_string_lossy().into_owned(),
            uuid: self.uuid,
        }
    }
}

/// A snapshot or checkpoint handle (`virDomainSnapshotPtr`, `virDomainCheckpointPtr`):
/// `{domain, name}`, holding a reference to its domain handle as libvirt does.
pub struct MomentObj {
    refs: AtomicUsize,
    pub dom: Arc<DomObj>,
    pub name: std::ffi::CString,
}

/// Snapshot handles and checkpoint handles are distinct kinds with the same contents.
pub struct SnapObj(pub MomentObj);
pub struct CheckpointObj(pub MomentObj);

impl Object for ConnObj {
    fn refs(&self) -> &AtomicUsize {
        &self.refs
    }
}

impl Object for DomObj {
    fn refs(&self) -> &AtomicUsize {
        &self.refs
    }
    fn dispose(&self) {
        release_obj(&self.conn);
    }
}

impl Object for NetObj {
    fn refs(&self) -> &AtomicUsize {
        &self.refs
    }
    fn dispose(&self) {
        release_obj(&self.conn);
    }
}

macro_rules! moment_object {
    ($t:ident) => {
        impl Object for $t {
            fn refs(&self) -> &AtomicUsize {
                &self.0.refs
            }
            fn dispose(&self) {
                release_obj(&self.0.dom);
            }
        }
    };
}
moment_object!(SnapObj);
moment_object!(CheckpointObj);

fn new_moment(dom: &Arc<DomObj>, name: &str) -> MomentObj {
    dom.refs.fetch_add(1, Ordering::AcqRel);
    MomentObj {
        refs: AtomicUsize::new(0),
        dom: dom.clone(),
        name: std::ffi::CString::new(name).unwrap_or_default(),
    }
}

/// A new snapshot handle on `dom`, holding a reference to it.
pub fn new_snap(dom: &Arc<DomObj>, name: &str) -> usize {
    publish(Arc::new(SnapObj(new_moment(dom, name))))
}

/// A new checkpoint handle on `dom`, holding a reference to it.
pub fn new_checkpoint(dom: &Arc<DomObj>, name: &str) -> usize {
    publish(Arc::new(CheckpointObj(new_moment(dom, name))))
}

/// A new connection handle.
pub fn new_conn(conn: Connection) -> Arc<ConnObj> {
    Arc::new(ConnObj {
        refs: AtomicUsize::new(0),
        conn,
        err: Mutex::new(CError::default()),
        handler: Mutex::new((None, 0)),
        events: Mutex::new(Default::default()),
    })
}

/// One more reference on a connection, held by an object that points to it.
pub fn retain_conn(conn: &Arc<ConnObj>) {
    conn.refs.fetch_add(1, Ordering::AcqRel);
}

/// A new domain handle on `conn`, holding a reference to it.
pub fn new_dom(conn: &Arc<ConnObj>, d: DomainRef) -> usize {
    conn.refs.fetch_add(1, Ordering::AcqRel);
    publish(dom_obj(conn, d))
}

/// A domain handle object with its one public reference; the caller accounts for the
/// reference it holds on `conn`.
fn dom_obj(conn: &Arc<ConnObj>, d: DomainRef) -> Arc<DomObj> {
    Arc::new(DomObj {
        refs: AtomicUsize::new(1),
        conn: conn.clone(),
        names: Mutex::new((d.name, Vec::new())),
        uuid: d.uuid,
        id: AtomicI32::new(d.id),
    })
}

/// Many domain handles at once (listing): one reference increment on the connection, and each
/// registry shard locked once for the whole batch rather than once per handle.
pub fn new_doms(conn: &Arc<ConnObj>, list: Vec<DomainRef>, out: &mut Vec<usize>) {
    conn.refs.fetch_add(list.len(), Ordering::AcqRel);
    let objs: Vec<Arc<DomObj>> = list.into_iter().map(|d| dom_obj(conn, d)).collect();
    registry::publish_batch(objs, out);
}

/// A network handle object with its one public reference; the caller accounts for the
/// reference it holds on `conn`.
fn net_obj(conn: &Arc<ConnObj>, n: NetworkRef) -> Arc<NetObj> {
    Arc::new(NetObj {
        refs: AtomicUsize::new(1),
        conn: conn.clone(),
        name: std::ffi::CString::new(n.name).unwrap_or_default(),
        uuid: n.uuid,
    })
}

/// A new network handle on `conn`, holding a reference to it.
pub fn new_net(conn: &Arc<ConnObj>, n: NetworkRef) -> usize {
    conn.refs.fetch_add(1, Ordering::AcqRel);
    publish(net_obj(conn, n))
}

/// Many network handles at once (listing), as [`new_doms`].
pub fn new_nets(conn: &Arc<ConnObj>, list: Vec<NetworkRef>, out: &mut Vec<usize>) {
    conn.refs.fetch_add(list.len(), Ordering::AcqRel);
    let objs: Vec<Arc<NetObj>> = list.into_iter().map(|n| net_obj(conn, n)).collect();
    registry::publish_batch(objs, out);
}

// --- scope ifnode: host interface and node device handles ---

use crate::core::driver::{InterfaceRef, NodeDeviceRef};

/// A host interface handle (`virInterfacePtr`): `{conn, name, mac}` as in libvirt.
pub struct IfaceObj {
    refs: AtomicUsize,
    pub conn: Arc<ConnObj>,
    pub name: std::ffi::CString,
    pub mac: std::ffi::CString,
}

impl IfaceObj {
    /// The driver's view of this handle.
    pub fn iref(&self) -> InterfaceRef {
        InterfaceRef {
            name: self.name.to_string_lossy().into_owned(),
            mac: self.mac.to_string_lossy().into_owned(),
        }
    }
}

impl Object for IfaceObj {
    fn refs(&self) -> &AtomicUsize {
        &self.refs
    }
    fn dispose(&self) {
        release_obj(&self.conn);
    }
}

fn iface_obj(conn: &Arc<ConnObj>, i: InterfaceRef) -> Arc<IfaceObj> {
    Arc::new(IfaceObj {
        refs: AtomicUsize::new(1),
        conn: conn.clone(),
        name: std::ffi::CString::new(i.name).unwrap_or_default(),
        mac: std::ffi::CString::new(i.mac).unwrap_or_default(),
    })
}

/// A new interface handle on `conn`, holding a reference to it.
pub fn new_iface(conn: &Arc<ConnObj>, i: InterfaceRef) -> usize {
    conn.refs.fetch_add(1, Ordering::AcqRel);
    publish(iface_obj(conn, i))
}

/// Many interface handles at once (listing), as [`new_doms`].
pub fn new_ifaces(conn: &Arc<ConnObj>, list: Vec<InterfaceRef>, out: &mut Vec<usize>) {
    conn.refs.fetch_add(list.len(), Ordering::AcqRel);
    let objs: Vec<Arc<IfaceObj>> = list.into_iter().map(|i| iface_obj(conn, i)).collect();
    registry::publish_batch(objs, out);
}

/// A node device handle (`virNodeDevicePtr`): `{conn, name, parentName}` as in libvirt; the
/// parent is cached in the handle once known (lookup, or the first `virNodeDeviceGetParent`),
/// and the pointer handed out lives as long as the handle.
pub struct NodeDevObj {
    refs: AtomicUsize,
    pub conn: Arc<ConnObj>,
    pub name: std::ffi::CString,
    pub parent: once_cell::sync::OnceCell<std::ffi::CString>,
}

impl NodeDevObj {
    /// The driver's view of this handle.
    pub fn dref(&self) -> NodeDeviceRef {
        NodeDeviceRef {
            name: self.name.to_string_lossy().into_owned(),
            parent: self.parent.get().map(|p| p.to_string_lossy().into_owned()),
        }
    }
}

impl Object for NodeDevObj {
    fn refs(&self) -> &AtomicUsize {
        &self.refs
    }
    fn dispose(&self) {
        release_obj(&self.conn);
    }
}

fn nodedev_obj(conn: &Arc<ConnObj>, d: NodeDeviceRef) -> Arc<NodeDevObj> {
    let parent = once_cell::sync::OnceCell::new();
    if let Some(p) = d.parent {
        let _ = parent.set(std::ffi::CString::new(p).unwrap_or_default());
    }
    Arc::new(NodeDevObj {
        refs: AtomicUsize::new(1),
        conn: conn.clone(),
        name: std::ffi::CString::new(d.name).unwrap_or_default(),
        parent,
    })
}

/// A new node device handle on `conn`, holding a reference to it.
pub fn new_nodedev(conn: &Arc<ConnObj>, d: NodeDeviceRef) -> usize {
    conn.refs.fetch_add(1, Ordering::AcqRel);
    publish(nodedev_obj(conn, d))
}

/// Many node device handles at once (listing), as [`new_doms`].
pub fn new_nodedevs(conn: &Arc<ConnObj>, list: Vec<NodeDeviceRef>, out: &mut Vec<usize>) {
    conn.refs.fetch_add(list.len(), Ordering::AcqRel);
    let objs: Vec<Arc<NodeDevObj>> = list.into_iter().map(|d| nodedev_obj(conn, d)).collect();
    registry::publish_batch(objs, out);
}

// --- scope netsec: network ports, secrets, nwfilters and nwfilter bindings ---

/// A network port handle (`virNetworkPortPtr`): `{net, uuid}`, holding a reference to its
/// network handle as libvirt does.
pub struct NetPortObj {
    refs: AtomicUsize,
    pub net: Arc<NetObj>,
    pub uuid: [u8; 16],
}

/// A secret handle (`virSecretPtr`): `{conn, uuid, usageType, usageID}` as in libvirt.
pub struct SecretObj {
    refs: AtomicUsize,
    pub conn: Arc<ConnObj>,
    pub uuid: [u8; 16],
    pub usage_type: i32,
    pub usage_id: std::ffi::CString,
}

/// An nwfilter handle (`virNWFilterPtr`): `{conn, name, uuid}`.
pub struct NWFilterObj {
    refs: AtomicUsize,
    pub conn: Arc<ConnObj>,
    pub name: std::ffi::CString,
    pub uuid: [u8; 16],
}

/// An nwfilter binding handle (`virNWFilterBindingPtr`): `{conn, portdev, filtername}`.
pub struct NWFilterBindingObj {
    refs: AtomicUsize,
    pub conn: Arc<ConnObj>,
    pub portdev: std::ffi::CString,
    pub filtername: std::ffi::CString,
}

impl Object for NetPortObj {
    fn refs(&self) -> &AtomicUsize {
        &self.refs
    }
    fn dispose(&self) {
        release_obj(&self.net);
    }
}

macro_rules! conn_object {
    ($($t:ident),*) => {$(
        impl Object for $t {
            fn refs(&self) -> &AtomicUsize {
                &self.refs
            }
            fn dispose(&self) {
                release_obj(&self.conn);
            }
        }
    )*};
}
conn_object!(SecretObj, NWFilterObj, NWFilterBindingObj);

fn cstring(s: &str) -> std::ffi::CString {
    std::ffi::CString::new(s).unwrap_or_default()
}

/// A new network port handle on `net`, holding a reference to it.
pub fn new_port(net: &Arc<NetObj>, uuid: [u8; 16]) -> usize {
    net.refs.fetch_add(1, Ordering::AcqRel);
    publish(Arc::new(NetPortObj {
        refs: AtomicUsize::new(1),
        net: net.clone(),
        uuid,
    }))
}

/// A new secret handle on `conn`, holding a reference to it.
pub fn new_secret(conn: &Arc<ConnObj>, s: &crate::core::driver::SecretRef) -> usize {
    conn.refs.fetch_add(1, Ordering::AcqRel);
    publish(Arc::new(SecretObj {
        refs: AtomicUsize::new(1),
        conn: conn.clone(),
        uuid: s.uuid,
        usage_type: s.usage_type,
        usage_id: cstring(&s.usage_id),
    }))
}

/// A new nwfilter handle on `conn`, holding a reference to it.
pub fn new_nwfilter(conn: &Arc<ConnObj>, name: &str, uuid: [u8; 16]) -> usize {
    conn.refs.fetch_add(1, Ordering::AcqRel);
    publish(Arc::new(NWFilterObj {
        refs: AtomicUsize::new(1),
        conn: conn.clone(),
        name: cstring(name),
        uuid,
    }))
}

/// A new nwfilter binding handle on `conn`, holding a reference to it.
pub fn new_nwfilter_binding(conn: &Arc<ConnObj>, portdev: &str, filtername: &str) -> usize {
    conn.refs.fetch_add(1, Ordering::AcqRel);
    publish(Arc::new(NWFilterBindingObj {
        refs: AtomicUsize::new(1),
        conn: conn.clone(),
        portdev: cstring(portdev),
        filtername: cstring(filtername),
    }))
}

// Storage (scope: storage pools and volumes).

/// A storage pool handle (`virStoragePoolPtr`): `{conn, name, uuid}` as in libvirt.
pub struct PoolObj {
    refs: AtomicUsize,
    pub conn: Arc<ConnObj>,
    pub name: std::ffi::CString,
    pub uuid: [u8; 16],
}

impl PoolObj {
    /// The driver's view of this handle.
    pub fn pref(&self) -> PoolRef {
        PoolRef {
            name: self.name.to_string_lossy().into_owned(),
            uuid: self.uuid,
        }
    }
}

/// A storage volume handle (`virStorageVolPtr`): `{conn, pool, name, key}` as in libvirt.
pub struct VolObj {
    refs: AtomicUsize,
    pub conn: Arc<ConnObj>,
    pub pool: std::ffi::CString,
    pub name: std::ffi::CString,
    pub key: std::ffi::CString,
}

impl VolObj {
    /// The driver's view of this handle.
    pub fn vref(&self) -> VolRef {
        VolRef {
            pool: self.pool.to_string_lossy().into_owned(),
            name: self.name.to_string_lossy().into_owned(),
            key: self.key.to_string_lossy().into_owned(),
        }
    }
}

impl Object for PoolObj {
    fn refs(&self) -> &AtomicUsize {
        &self.refs
    }
    fn dispose(&self) {
        release_obj(&self.conn);
    }
}

impl Object for VolObj {
    fn refs(&self) -> &AtomicUsize {
        &self.refs
    }
    fn dispose(&self) {
        release_obj(&self.conn);
    }
}

fn cstring_owned(s: String) -> std::ffi::CString {
    std::ffi::CString::new(s).unwrap_or_default()
}

fn pool_obj(conn: &Arc<ConnObj>, p: PoolRef) -> Arc<PoolObj> {
    Arc::new(PoolObj {
        refs: AtomicUsize::new(1),
        conn: conn.clone(),
        name: cstring_owned(p.name),
        uuid: p.uuid,
    })
}

fn vol_obj(conn: &Arc<ConnObj>, v: VolRef) -> Arc<VolObj> {
    Arc::new(VolObj {
        refs: AtomicUsize::new(1),
        conn: conn.clone(),
        pool: cstring_owned(v.pool),
        name: cstring_owned(v.name),
        key: cstring_owned(v.key),
    })
}

/// A new pool handle on `conn`, holding a reference to it.
pub fn new_pool(conn: &Arc<ConnObj>, p: PoolRef) -> usize {
    conn.refs.fetch_add(1, Ordering::AcqRel);
    publish(pool_obj(conn, p))
}

/// Many pool handles at once (listing), as [`new_doms`].
pub fn new_pools(conn: &Arc<ConnObj>, list: Vec<PoolRef>, out: &mut Vec<usize>) {
    conn.refs.fetch_add(list.len(), Ordering::AcqRel);
    let objs: Vec<Arc<PoolObj>> = list.into_iter().map(|p| pool_obj(conn, p)).collect();
    registry::publish_batch(objs, out);
}

/// A new volume handle on `conn`, holding a reference to it.
pub fn new_vol(conn: &Arc<ConnObj>, v: VolRef) -> usize {
    conn.refs.fetch_add(1, Ordering::AcqRel);
    publish(vol_obj(conn, v))
}

/// Many volume handles at once (listing), as [`new_doms`].
pub fn new_vols(conn: &Arc<ConnObj>, list: Vec<VolRef>, out: &mut Vec<usize>) {
    conn.refs.fetch_add(list.len(), Ordering::AcqRel);
    let objs: Vec<Arc<VolObj>> = list.into_iter().map(|v| vol_obj(conn, v)).collect();
    registry::publish_batch(objs, out);
}
