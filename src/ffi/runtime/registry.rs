//! The process-wide registry of public object handles.
//!
//! A handle given to C is the address of an `Arc`'d object that is also recorded here. Every API
//! entry resolves the pointer through the registry, so a NULL, stale, foreign or wrong-kind
//! pointer is reported as libvirt reports it and is never dereferenced. References are counted
//! as libvirt counts them (`virXRef`/`virXFree`); the registry entry goes away with the last one,
//! the memory with the last Rust clone. The registry knows no object kind: each kind is a type
//! implementing [`Object`].

use once_cell::sync::Lazy;
use parking_lot::Mutex;
use rustc_hash::FxHashMap;
use std::any::Any;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Behaviour shared by all handle kinds.
pub trait Object: Any + Send + Sync + Sized + 'static {
    fn refs(&self) -> &AtomicUsize;
    /// Called once the last public reference is gone.
    fn dispose(&self) {}
}

const SHARDS: usize = 64;
/// A registered object of any kind; its type says which.
type Obj = Arc<dyn Any + Send + Sync>;
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
    shard(addr).lock().insert(addr, obj);
    addr
}

/// The live object of kind `T` at `addr`, if there is one.
pub fn lookup<T: Object>(addr: usize) -> Option<Arc<T>> {
    if addr == 0 {
        return None;
    }
    let g = shard(addr).lock();
    g.get(&addr).and_then(|o| o.clone().downcast::<T>().ok())
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

/// Record many new objects at once, each with the one reference it was made with, locking each
/// shard once for the whole batch; their addresses are appended to `out`.
pub fn publish_batch<T: Object>(objs: Vec<Arc<T>>, out: &mut Vec<usize>) {
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
    let mut objs: Vec<Option<Arc<T>>> = objs.into_iter().map(Some).collect();
    for s in 0..SHARDS {
        let range = &order[start[s]..start[s + 1]];
        if range.is_empty() {
            continue;
        }
        let mut g = REGISTRY[s].lock();
        for &i in range {
            if let Some(o) = objs[i as usize].take() {
                g.insert(out[base + i as usize], o);
            }
        }
    }
}
