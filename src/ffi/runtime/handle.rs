//! Public object handles.
//!
//! A handle given to C is the address of an `Arc`'d object that is also recorded in a
//! process-wide registry. Every API entry resolves the pointer through the registry, so a NULL,
//! stale, foreign or wrong-kind pointer is reported as libvirt reports it and is never
//! dereferenced. References are counted as libvirt counts them (`virXRef`/`virXFree`); the
//! registry entry goes away with the last one, the memory with the last Rust clone.

use super::error::CError;
use crate::core::connect::Connection;
use crate::core::driver::DomainRef;
use crate::generated::abi_types::virErrorFunc;
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use rustc_hash::FxHashMap;
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
    pub events: Mutex<super::conn_events::ConnEvents>,
}

/// A domain handle (`virDomainPtr`): `{conn, name, uuid, id}` as in libvirt.
pub struct DomObj {
    refs: AtomicUsize,
    pub conn: Arc<ConnObj>,
    pub name: Arc<CStr>,
    pub uuid: [u8; 16],
    /// A snapshot of the id, updated only through this handle (as libvirt's `dom->id`).
    pub id: AtomicI32,
}

impl DomObj {
    /// The driver's view of this handle.
    pub fn dref(&self) -> DomainRef {
        DomainRef {
            name: self.name.clone(),
            uuid: self.uuid,
            id: self.id.load(Ordering::Relaxed),
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

/// Every kind of object the registry can hold.
#[derive(Clone)]
pub enum Obj {
    Conn(Arc<ConnObj>),
    Dom(Arc<DomObj>),
    Snap(Arc<SnapObj>),
    Checkpoint(Arc<CheckpointObj>),
    Stream(Arc<super::stream::StreamObj>),
}

/// Behaviour shared by all handle kinds.
pub trait Object: Send + Sync + Sized + 'static {
    fn refs(&self) -> &AtomicUsize;
    fn wrap(this: Arc<Self>) -> Obj;
    fn unwrap(o: &Obj) -> Option<&Arc<Self>>;
    /// Called once the last public reference is gone.
    fn dispose(&self) {}
}

impl Object for ConnObj {
    fn refs(&self) -> &AtomicUsize {
        &self.refs
    }
    fn wrap(this: Arc<Self>) -> Obj {
        Obj::Conn(this)
    }
    fn unwrap(o: &Obj) -> Option<&Arc<Self>> {
        match o {
            Obj::Conn(c) => Some(c),
            _ => None,
        }
    }
}

impl Object for DomObj {
    fn refs(&self) -> &AtomicUsize {
        &self.refs
    }
    fn wrap(this: Arc<Self>) -> Obj {
        Obj::Dom(this)
    }
    fn unwrap(o: &Obj) -> Option<&Arc<Self>> {
        match o {
            Obj::Dom(d) => Some(d),
            _ => None,
        }
    }
    fn dispose(&self) {
        release_obj(&self.conn);
    }
}

macro_rules! moment_object {
    ($t:ident, $variant:ident) => {
        impl Object for $t {
            fn refs(&self) -> &AtomicUsize {
                &self.0.refs
            }
            fn wrap(this: Arc<Self>) -> Obj {
                Obj::$variant(this)
            }
            fn unwrap(o: &Obj) -> Option<&Arc<Self>> {
                match o {
                    Obj::$variant(m) => Some(m),
                    _ => None,
                }
            }
            fn dispose(&self) {
                release_obj(&self.0.dom);
            }
        }
    };
}
moment_object!(SnapObj, Snap);
moment_object!(CheckpointObj, Checkpoint);

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

const SHARDS: usize = 64;
type Shard = Mutex<FxHashMap<usize, Obj>>;
static REGISTRY: Lazy<[Shard; SHARDS]> =
    Lazy::new(|| std::array::from_fn(|_| Mutex::new(FxHashMap::default())));

fn shard_index(addr: usize) -> usize {
    // Objects are at least 8-aligned; mix the higher bits so neighbours spread out.
    (addr >> 4 ^ addr >> 10) % SHARDS
}

fn shard(addr: usize) -> &'static Shard {
    &REGISTRY[shard_index(addr)]
}

fn addr_of<T>(obj: &Arc<T>) -> usize {
    Arc::as_ptr(obj) as usize
}

/// Record a new object with one reference; returns the address C will see.
pub fn publish<T: Object>(obj: Arc<T>) -> usize {
    obj.refs().store(1, Ordering::Relaxed);
    let addr = addr_of(&obj);
    shard(addr).lock().insert(addr, T::wrap(obj));
    addr
}

/// The live object of kind `T` at `addr`, if there is one.
pub fn lookup<T: Object>(addr: usize) -> Option<Arc<T>> {
    if addr == 0 {
        return None;
    }
    let g = shard(addr).lock();
    g.get(&addr).and_then(T::unwrap).cloned()
}

/// `virXRef`: one more public reference.
pub fn add_ref<T: Object>(addr: usize) -> bool {
    match lookup::<T>(addr) {
        Some(o) => {
            o.refs().fetch_add(1, Ordering::AcqRel);
            true
        }
        None => false,
    }
}

/// `virXFree`/`virConnectClose`: drop one public reference. `None` for a pointer that is not a
/// live `T`; `Some(true)` when that was the last reference.
pub fn release<T: Object>(addr: usize) -> Option<bool> {
    let obj = lookup::<T>(addr)?;
    Some(release_obj(&obj))
}

/// Drop one public reference of an object already in hand.
pub fn release_obj<T: Object>(obj: &Arc<T>) -> bool {
    if obj.refs().fetch_sub(1, Ordering::AcqRel) != 1 {
        return false;
    }
    let addr = addr_of(obj);
    let removed = {
        let mut g = shard(addr).lock();
        // A buggy caller may have revived it through a stale pointer; keep it then.
        if obj.refs().load(Ordering::Acquire) == 0 {
            let r = g.remove(&addr);
            if g.is_empty() {
                // Give an empty shard's table back, so nothing of the registry outlives the
                // last handle (valgrind counts a hash table's interior pointer as a leak).
                g.shrink_to_fit();
            }
            r
        } else {
            None
        }
    };
    if removed.is_some() {
        obj.dispose();
    }
    drop(removed);
    true
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
        name: d.name,
        uuid: d.uuid,
        id: AtomicI32::new(d.id),
    })
}

/// Many domain handles at once (listing): one reference increment on the connection, and each
/// registry shard locked once for the whole batch rather than once per handle.
pub fn new_doms(conn: &Arc<ConnObj>, list: Vec<DomainRef>, out: &mut Vec<usize>) {
    conn.refs.fetch_add(list.len(), Ordering::AcqRel);
    let objs: Vec<Arc<DomObj>> = list.into_iter().map(|d| dom_obj(conn, d)).collect();
    let base = out.len();
    out.extend(objs.iter().map(addr_of));
    // Counting sort of the new handles by shard.
    let mut start = [0usize; SHARDS + 1];
    for a in &out[base..] {
        start[shard_index(*a) + 1] += 1;
    }
    for i in 0..SHARDS {
        start[i + 1] += start[i];
    }
    let mut fill = start;
    let mut order = vec![0u32; objs.len()];
    for (i, a) in out[base..].iter().enumerate() {
        let s = shard_index(*a);
        order[fill[s]] = i as u32;
        fill[s] += 1;
    }
    let mut objs: Vec<Option<Arc<DomObj>>> = objs.into_iter().map(Some).collect();
    for s in 0..SHARDS {
        let range = &order[start[s]..start[s + 1]];
        if range.is_empty() {
            continue;
        }
        let mut g = REGISTRY[s].lock();
        for &i in range {
            if let Some(o) = objs[i as usize].take() {
                g.insert(out[base + i as usize], Obj::Dom(o));
            }
        }
    }
}
