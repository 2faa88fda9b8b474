//! Per-connection client state behind the event and close-callback entry points.
//!
//! Registrations are kept here, on the C side of the driver: each gets a local callback id
//! (counting from 0 per connection), holds a reference on its connection, and owns the
//! application's free callback. Events the driver reports (on its own thread) are queued and
//! handed to the application from a timer on the registered event loop, so callbacks run where
//! the application runs its loop (`virEventRunDefaultImpl`, or a binding's own loop).
#![allow(non_snake_case)]

use super::entry::{call_out, guard};
use super::event_call;
use super::event_regs::{CloseReg, ConnEvents, Reg};
use super::handle::{self, ConnObj};
use crate::core::driver::events::payload_fits;
use crate::core::driver::{Event, EventFamily, EventKey, EventSink};
use crate::core::error::{Result, VirError};
use crate::core::event::LoopDispatch;
use crate::core::{Code, Domain};
use crate::generated::abi_types::*;
use std::ffi::c_void;
use std::sync::{Arc, Weak};

fn none_err(code: Code, detail: String) -> VirError {
    VirError::detail(Domain::VIR_FROM_NONE, code, detail)
}

/// Run the application's free callback, if any (when the current catching region ends).
fn run_free(freecb: virFreeCallback, opaque: usize) {
    if let Some(f) = freecb {
        call_out(move || {
            // SAFETY: the application handed us `f` to be called once with its opaque pointer
            // when the registration ends; the registration was removed, so this is the only
            // call.
            unsafe { f(opaque as *mut c_void) }
        })
    }
}

/// End a registration: its free callback and its connection reference, now or, while
/// callbacks run, when the last one returns.
fn finish_reg(c: &Arc<ConnObj>, freecb: virFreeCallback, opaque: usize) {
    {
        let mut ev = c.events.lock();
        if ev.running > 0 {
            ev.deferred.push((freecb, opaque));
            return;
        }
    }
    let c = c.clone();
    call_out(move || {
        run_free(freecb, opaque);
        handle::release_obj(&c);
    });
}

/// Mark application callbacks as running on `c` until [`Running::finish`]. Dropped without it
/// (a callback unwound: a forced unwind ending the thread), it only lowers the count: no
/// application code runs during an unwind; deferred ends wait for the next finish.
struct Running<'a>(&'a Arc<ConnObj>);

impl<'a> Running<'a> {
    fn new(c: &'a Arc<ConnObj>) -> Self {
        c.events.lock().running += 1;
        Running(c)
    }

    /// Callbacks are done: run the registration ends that waited for them.
    fn finish(self) {
        let c = self.0;
        std::mem::forget(self);
        let later = guard("virConnectDomainEventCallback", Vec::new(), || {
            let mut ev = c.events.lock();
            ev.running -= 1;
            if ev.running == 0 {
                std::mem::take(&mut ev.deferred)
            } else {
                Vec::new()
            }
        });
        for (freecb, opaque) in later {
            run_free(freecb, opaque);
            handle::release_obj(c);
        }
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.events.lock().running -= 1;
    }
}

/// Dispatch everything queued for `conn` (the timer's body).
/// The application's callbacks run outside any `catch_unwind` (a forced unwind out of one must
/// pass); our own logic around them contains its panics.
fn dispatch(conn: &Weak<ConnObj>) {
    const FUNC: &str = "virConnectDomainEventCallback";
    let Some(c) = conn.upgrade() else { return };
    let Some(queue) = guard(FUNC, None, || {
        let (dispatcher, queue) = {
            let ev = c.events.lock();
            (ev.dispatch.clone(), ev.queue.clone())
        };
        if let Some(d) = dispatcher {
            d.settle();
        }
        Some(queue)
    }) else {
        return;
    };
    let running = Running::new(&c);
    loop {
        let next = guard(FUNC, None, || {
            let (id, event) = queue.lock().pop_front()?;
            let reg = {
                let ev = c.events.lock();
                ev.regs
                    .iter()
                    .find(|r| r.id == id)
                    .map(|r| (r.cb, r.opaque))
            };
            Some(reg.map(|(cb, opaque)| (cb, opaque, event)))
        });
        let Some(next) = next else { break };
        let Some((cb, opaque, event)) = next else {
            continue;
        };
        event_call::invoke(&c, cb, opaque, &event);
    }
    running.finish();
}

/// The driver-side callback for registration `id`: queue and wake the timer. The event loop is
/// called without our lock held: a binding's loop (Python's) may hold its own lock while it
/// dispatches our timer, which takes ours. An event of another family or id than the
/// registration's, or whose payload is not its id's, is dropped: the callback is called through
/// that id's signature.
fn sink(conn: Weak<ConnObj>, id: i32) -> EventSink {
    Arc::new(move |e: Event| {
        let Some(c) = conn.upgrade() else { return };
        let dispatcher = {
            let ev = c.events.lock();
            match ev.regs.iter().find(|r| r.id == id) {
                Some(r)
                    if r.family == e.object.family()
                        && r.event_id == e.event_id
                        && payload_fits(r.family, r.event_id, &e.payload)
                        && r.key.as_ref().is_none_or(|k| *k == e.object.key()) => {}
                _ => return,
            }
            ev.queue.lock().push_back((id, e));
            ev.dispatch.clone()
        };
        if let Some(d) = dispatcher {
            d.poke();
        }
    })
}

/// The dispatcher to remove once no registration is left (removed by the caller, unlocked).
fn idle_dispatch(ev: &mut ConnEvents) -> Option<LoopDispatch> {
    if ev.regs.is_empty() {
        ev.queue.lock().clear();
        ev.dispatch.take()
    } else {
        None
    }
}

fn remove(d: Option<LoopDispatch>) {
    if let Some(d) = d {
        d.remove();
    }
}

/// What an application registers: for which family, event id and object (by key), its
/// callback (the address of a generic or legacy callback), opaque and free callback.
pub struct Want {
    pub family: EventFamily,
    pub event_id: i32,
    pub key: Option<EventKey>,
    pub cb: usize,
    pub opaque: usize,
    pub freecb: virFreeCallback,
    /// `virConnectDomainEventRegister` (the legacy lifecycle registration).
    pub legacy: bool,
}

/// `virConnect*EventRegisterAny` / `virConnectDomainEventRegister`: track the registration
/// and subscribe with the family's driver (`driver(sink)` returns the driver's id). The new
/// local callback id.
pub fn register(
    c: &Arc<ConnObj>,
    want: Want,
    driver: impl FnOnce(EventSink) -> Result<i32>,
) -> Result<i32> {
    // The dispatcher (its timer, and for a driver reporting on its own thread a descriptor
    // that wakes the loop), made outside the lock when there is none yet, and outside any
    // catching region: an application's loop (virEventRegisterImpl) makes it.
    let mut spare = None;
    let mut ev = loop {
        let mut ev = c.events.lock();
        if ev.dispatch.is_none() {
            ev.dispatch = spare.take();
        }
        if ev.dispatch.is_some() {
            break ev;
        }
        drop(ev);
        let w = Arc::downgrade(c);
        let from_own_thread = c.conn.hv().events_from_own_thread();
        let Some(d) = LoopDispatch::new(Arc::new(move || dispatch(&w)), from_own_thread) else {
            return Err(none_err(
                Code::VIR_ERR_INTERNAL_ERROR,
                "could not initialize domain event timer".into(),
            ));
        };
        spare = Some(d);
    };
    // The rest is our logic (the timers it removes wait for the region's end).
    super::entry::own("virConnectDomainEventRegisterAny", move || {
        if ev.regs.iter().any(|r| {
            r.cb == want.cb
                && r.family == want.family
                && r.event_id == want.event_id
                && r.key == want.key
                && r.legacy == want.legacy
        }) {
            let idle = idle_dispatch(&mut ev);
            drop(ev);
            remove(idle);
            remove(spare);
            return Err(none_err(
                Code::VIR_ERR_INVALID_ARG,
                "event callback already tracked".into(),
            ));
        }
        // The id is taken now, as libvirt's, even if the driver then refuses.
        let id = c.conn.hv().next_event_callback_id().unwrap_or_else(|| {
            ev.next_id += 1;
            ev.next_id - 1
        });
        // Registered before the driver call so an event for it is not lost; removed on failure.
        ev.regs.push(Reg {
            id,
            family: want.family,
            event_id: want.event_id,
            cb: want.cb,
            opaque: want.opaque,
            freecb: want.freecb,
            key: want.key,
            legacy: want.legacy,
            driver_id: -1,
        });
        drop(ev);
        remove(spare);
        let r = driver(sink(Arc::downgrade(c), id));
        let mut ev = c.events.lock();
        match r {
            Ok(driver_id) => {
                if let Some(reg) = ev.regs.iter_mut().find(|r| r.id == id) {
                    reg.driver_id = driver_id;
                }
                drop(ev);
                handle::retain_conn(c);
                Ok(id)
            }
            Err(e) => {
                ev.regs.retain(|r| r.id != id);
                let idle = idle_dispatch(&mut ev);
                drop(ev);
                remove(idle);
                Err(e)
            }
        }
    })
}

/// Remove a registration found by `pick` and unsubscribe it with `driver(driver_id)`; `missing`
/// is the error when there is none.
fn deregister(
    c: &Arc<ConnObj>,
    pick: impl Fn(&Reg) -> bool,
    missing: impl FnOnce() -> VirError,
    driver: impl FnOnce(i32) -> Result<()>,
) -> Result<()> {
    let (reg, idle) = {
        let mut ev = c.events.lock();
        let Some(pos) = ev.regs.iter().position(pick) else {
            drop(ev);
            // A family the driver has no events for answers NO_SUPPORT, as libvirt checks
            // the driver first (no registration can exist then; -1 is never a driver id).
            return match driver(-1) {
                Err(e) if e.is_unsupported() => Err(e),
                _ => Err(missing()),
            };
        };
        let reg = ev.regs.remove(pos);
        (reg, idle_dispatch(&mut ev))
    };
    remove(idle);
    let r = driver(reg.driver_id);
    finish_reg(c, reg.freecb, reg.opaque);
    r
}

/// `virConnect*EventDeregisterAny`: as libvirt, the id alone finds the registration.
pub fn deregister_id(
    c: &Arc<ConnObj>,
    id: i32,
    driver: impl FnOnce(i32) -> Result<()>,
) -> Result<()> {
    deregister(
        c,
        |r| r.id == id && !r.legacy,
        || c.conn.hv().event_callback_unknown(id),
        driver,
    )
}

/// `virConnectDomainEventDeregister`.
pub fn deregister_legacy(
    c: &Arc<ConnObj>,
    cb: usize,
    driver: impl FnOnce(i32) -> Result<()>,
) -> Result<()> {
    deregister(
        c,
        |r| r.cb == cb && r.legacy,
        || {
            none_err(
                Code::VIR_ERR_INVALID_ARG,
                "could not find event callback for deletion".into(),
            )
        },
        driver,
    )
}

/// `virConnectRegisterCloseCallback`.
pub fn register_close(
    c: &Arc<ConnObj>,
    cb: virConnectCloseFunc,
    opaque: usize,
    freecb: virFreeCallback,
) -> Result<()> {
    let mut ev = c.events.lock();
    if ev.close.is_some() {
        return Err(VirError::new(
            Domain::VIR_FROM_REMOTE,
            Code::VIR_ERR_OPERATION_INVALID,
            Some("A close callback is already registered"),
        ));
    }
    let w = Arc::downgrade(c);
    let fire = Arc::new(move |reason: i32| {
        let Some(c) = w.upgrade() else { return };
        // As libvirt, the registration stays after it fired (the connection is dead, so it
        // fires once); it ends with virConnectUnregisterCloseCallback.
        let (cb, opaque) = {
            let mut ev = c.events.lock();
            let Some(found) = ev.close.as_ref().map(|r| (r.cb, r.opaque)) else {
                return;
            };
            // Counted under the same lock, so an unregistration from here on defers its free.
            ev.running += 1;
            found
        };
        let running = Running(&c);
        let conn_ptr = Arc::as_ptr(&c) as virConnectPtr;
        if let Some(f) = cb {
            // Uncaught: a forced unwind out of the application must pass.
            // SAFETY: the application's close callback, with its connection (kept alive by
            // the registration's reference) and its opaque pointer.
            unsafe { f(conn_ptr, reason, opaque as *mut c_void) }
        }
        running.finish();
    });
    // A driver that never closes by itself keeps nothing, as libvirt.
    if let Some(driver_id) = c.conn.hv().add_close_handler(fire)? {
        ev.close = Some(CloseReg {
            cb,
            opaque,
            freecb,
            driver_id,
        });
        drop(ev);
        handle::retain_conn(c);
    }
    Ok(())
}

/// `virConnectUnregisterCloseCallback`.
pub fn unregister_close(c: &Arc<ConnObj>, cb: virConnectCloseFunc) -> Result<()> {
    c.conn.hv().close_callback_check()?;
    let reg = {
        let mut ev = c.events.lock();
        match &ev.close {
            Some(r) if r.cb.map(|f| f as usize) == cb.map(|f| f as usize) => ev.close.take(),
            None if !c.conn.hv().closes_by_itself() => return Ok(()),
            _ => {
                return Err(VirError::new(
                    Domain::VIR_FROM_REMOTE,
                    Code::VIR_ERR_OPERATION_INVALID,
                    Some("A different callback was requested"),
                ));
            }
        }
    };
    if let Some(reg) = reg {
        c.conn.hv().remove_close_handler(reg.driver_id)?;
        finish_reg(c, reg.freecb, reg.opaque);
    }
    Ok(())
}
