//! Events of the test driver, for every object family: subscribers of one node (shared by all
//! `test:///default` connections of the process, as libvirt's test driver shares its event
//! state) hear what any connection does to any object.
//!
//! A family emits with [`Bus::emit_event`] once the node lock is released (an
//! [`Event`] with its object ref and payload); domain lifecycle has the [`Pending`] shorthand.

use crate::core::driver::{DomainRef, Event, EventFamily, EventKey, EventObject, EventSink};
use parking_lot::Mutex;

struct Subscriber {
    id: i32,
    family: EventFamily,
    event_id: i32,
    filter: Option<EventKey>,
    cb: EventSink,
}

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
pub(crate) const STOPPED_FROM_SNAPSHOT: (i32, i32) = (5, 6);

#[derive(Default)]
pub struct Bus {
    subs: Mutex<(i32, Vec<Subscriber>)>,
}

/// A domain lifecycle event to send once the node lock is released.
pub type Pending = Option<(DomainRef, (i32, i32))>;

impl Bus {
    /// Subscribe `cb` to `event_id` of `family`, for objects whose key is `filter` (or all).
    pub fn subscribe(
        &self,
        family: EventFamily,
        event_id: i32,
        filter: Option<EventKey>,
        cb: EventSink,
    ) -> i32 {
        let mut s = self.subs.lock();
        let id = s.0;
        s.0 += 1;
        s.1.push(Subscriber {
            id,
            family,
            event_id,
            filter,
            cb,
        });
        id
    }

    /// False if `id` was not subscribed.
    pub fn unsubscribe(&self, id: i32) -> bool {
        let mut s = self.subs.lock();
        let before = s.1.len();
        s.1.retain(|sub| sub.id != id);
        s.1.len() != before
    }

    /// A domain lifecycle event, if any.
    pub fn emit(&self, ev: Pending) {
        if let Some((dom, (event, detail))) = ev {
            self.emit_event(Event::lifecycle(EventObject::Domain(dom), event, detail));
        }
    }

    /// Hand `ev` to every subscriber of its family and id whose filter matches its object.
    pub fn emit_event(&self, ev: Event) {
        let family = ev.object.family();
        let key = ev.object.key();
        let targets: Vec<EventSink> = self
            .subs
            .lock()
            .1
            .iter()
            .filter(|s| {
                s.family == family
                    && s.event_id == ev.event_id
                    && s.filter.as_ref().is_none_or(|f| *f == key)
            })
            .map(|s| s.cb.clone())
            .collect();
        for cb in targets {
            cb(ev.clone());
        }
    }
}

// ---- domain stats & misc (domstats): the events of save, restore and crash dumps.
pub(crate) const STARTED_RESTORED: (i32, i32) = (2, 2);
pub(crate) const STOPPED_CRASHED: (i32, i32) = (5, 2);
