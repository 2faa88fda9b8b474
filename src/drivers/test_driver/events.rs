//! Domain lifecycle events of the test driver: subscribers of one node (shared by all
//! `test:///default` connections of the process, as libvirt's test driver shares its state)
//! hear what any connection does to any domain.

use crate::core::driver::DomainRef;
use parking_lot::Mutex;
use std::sync::Arc;

type Callback = Arc<dyn Fn(DomainRef, i32, i32) + Send + Sync>;
type Subscriber = (i32, Option<[u8; 16]>, Callback);

// virDomainEventType and the details the test driver reports.
pub(crate) const DEFINED: (i32, i32) = (0, 0);
pub(crate) const DEFINED_UPDATED: (i32, i32) = (0, 1);
pub(crate) const UNDEFINED: (i32, i32) = (1, 0);
pub(crate) const STARTED_BOOTED: (i32, i32) = (2, 0);
pub(crate) const SUSPENDED_PAUSED: (i32, i32) = (3, 0);
pub(crate) const RESUMED_UNPAUSED: (i32, i32) = (4, 0);
pub(crate) const STOPPED_SHUTDOWN: (i32, i32) = (5, 0);
pub(crate) const STOPPED_DESTROYED: (i32, i32) = (5, 1);
pub(crate) const STOPPED_SAVED: (i32, i32) = (5, 4);

#[derive(Default)]
pub struct Bus {
    subs: Mutex<(i32, Vec<Subscriber>)>,
}

/// An event to send once the node lock is released.
pub type Pending = Option<(DomainRef, (i32, i32))>;

impl Bus {
    pub fn subscribe(&self, uuid: Option<[u8; 16]>, cb: Callback) -> i32 {
        let mut s = self.subs.lock();
        let id = s.0;
        s.0 += 1;
        s.1.push((id, uuid, cb));
        id
    }

    /// False if `id` was not subscribed.
    pub fn unsubscribe(&self, id: i32) -> bool {
        let mut s = self.subs.lock();
        let before = s.1.len();
        s.1.retain(|(i, _, _)| *i != id);
        s.1.len() != before
    }

    pub fn emit(&self, ev: Pending) {
        let Some((dom, (event, detail))) = ev else {
            return;
        };
        let targets: Vec<Callback> = self
            .subs
            .lock()
            .1
            .iter()
            .filter(|(_, u, _)| u.is_none_or(|u| u == dom.uuid))
            .map(|(_, _, cb)| cb.clone())
            .collect();
        for cb in targets {
            cb(dom.clone(), event, detail);
        }
    }
}

// ---- domain stats & misc (domstats): the events of save, restore and crash dumps.
pub(crate) const STARTED_RESTORED: (i32, i32) = (2, 1);
pub(crate) const STOPPED_CRASHED: (i32, i32) = (5, 2);
