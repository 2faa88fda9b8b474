//! libs scope: the registrations behind `virConnectDomainQemuMonitorEventRegister` /
//! `...Deregister` (libvirt-qemu.so.0).
//!
//! As the domain events of [`super::conn_events`]: each registration takes its callback id from
//! the connection's event counter (libvirt keeps one list for both), holds a reference on its
//! connection and owns the application's free callback; events the driver reports on its own
//! thread are queued and handed to the application from a timer on the registered event loop.
//! One difference from libvirt: a free callback whose registration ends from inside its own
//! event callback runs when that deregistration returns, not after the event callback.

use super::entry::{call_out, guard, own};
use super::handle::{self, ConnObj, DomObj};
use crate::core::driver::{DomainRef, QemuMonitorEventCallback};
use crate::core::error::{Result, VirError};
use crate::core::event::LoopDispatch;
use crate::core::{Code, Domain};
use crate::generated::abi_types::*;
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::ffi::{CString, c_char, c_longlong, c_uint, c_void};
use std::sync::Arc;

/// `virConnectDomainQemuMonitorEventCallback`, as an address is kept.
type Callback = unsafe extern "C-unwind" fn(
    virConnectPtr,
    virDomainPtr,
    *const c_char,
    c_longlong,
    c_uint,
    *const c_char,
    *mut c_void,
);

struct Reg {
    conn: Arc<ConnObj>,
    id: i32,
    /// The domain it is restricted to (libvirt's key), by UUID.
    uuid: Option<[u8; 16]>,
    cb: usize,
    opaque: usize,
    freecb: virFreeCallback,
    driver_id: i32,
}

/// One event waiting for the loop: connection, local id, domain, name, seconds, micros, details.
type Queued = (usize, i32, DomainRef, String, i64, u32, Option<String>);

#[derive(Default)]
struct State {
    regs: Vec<Reg>,
    queue: VecDeque<Queued>,
    /// What dispatches the queue on the loop (with a wake-up: monitor events come from the
    /// remote driver's reader thread).
    dispatch: Option<LoopDispatch>,
}

static STATE: Lazy<Mutex<State>> = Lazy::new(|| Mutex::new(State::default()));

fn monitor_conn_addr(c: &Arc<ConnObj>) -> usize {
    Arc::as_ptr(c) as usize
}

/// The timer's body: hand every queued event to its registration's callback.
fn dispatch_monitor_events() {
    const FUNC: &str = "virConnectDomainQemuMonitorEventCallback";
    if let Some(d) = guard(FUNC, None, || STATE.lock().dispatch.clone()) {
        d.settle();
    }
    loop {
        let next = guard(FUNC, None, || {
            let mut st = STATE.lock();
            let (c, id, dom, name, secs, micros, details) = st.queue.pop_front()?;
            let reg = st
                .regs
                .iter()
                .find(|r| monitor_conn_addr(&r.conn) == c && r.id == id)
                .map(|r| (r.conn.clone(), r.cb, r.opaque));
            Some(reg.map(|r| (r, dom, name, secs, micros, details)))
        });
        let Some(next) = next else { break };
        let Some(((conn, cb, opaque), dom, name, secs, micros, details)) = next else {
            continue;
        };
        let Some((dom_addr, name, details)) = guard(FUNC, None, || {
            let name = CString::new(name).ok()?;
            let details = match details {
                Some(d) => Some(CString::new(d).ok()?),
                None => None,
            };
            Some((handle::new_dom(&conn, dom), name, details))
        }) else {
            continue;
        };
        // SAFETY: `cb` is the non-NULL virConnectDomainQemuMonitorEventCallback the
        // application registered for this id.
        let f: Callback = unsafe { std::mem::transmute::<usize, Callback>(cb) };
        // SAFETY: the application's callback with live handles, NUL-terminated strings that
        // outlive the call and its opaque pointer. Uncaught: a forced unwind must pass.
        unsafe {
            f(
                Arc::as_ptr(&conn) as virConnectPtr,
                dom_addr as virDomainPtr,
                name.as_ptr(),
                secs,
                micros,
                details.as_ref().map_or(std::ptr::null(), |d| d.as_ptr()),
                opaque as *mut c_void,
            )
        };
        guard(FUNC, (), || {
            if let Some(d) = handle::lookup::<DomObj>(dom_addr) {
                handle::release_obj(&d);
            }
        });
    }
}

/// The driver-side receiver of registration `id` on `c`: queue and wake the timer.
fn monitor_sink(c: usize, id: i32) -> QemuMonitorEventCallback {
    Arc::new(move |dom, name, secs, micros, details| {
        let dispatcher = {
            let mut st = STATE.lock();
            if !st
                .regs
                .iter()
                .any(|r| monitor_conn_addr(&r.conn) == c && r.id == id)
            {
                return;
            }
            st.queue
                .push_back((c, id, dom, name, secs, micros, details));
            st.dispatch.clone()
        };
        if let Some(d) = dispatcher {
            d.poke();
        }
    })
}

/// The dispatcher to remove once no registration is left (removed by the caller, unlocked).
fn monitor_idle_dispatch(st: &mut State) -> Option<LoopDispatch> {
    if st.regs.is_empty() {
        st.queue.clear();
        st.dispatch.take()
    } else {
        None
    }
}

/// `virConnectDomainQemuMonitorEventRegister` after its argument checks: the new callback id.
/// Runs uncaught (the timer is made by the application's event loop); our logic is in `own`.
/// The driver is asked first, so a driver without monitor events answers NO_SUPPORT whether
/// or not an event loop is registered, as libvirt's.
pub fn register_monitor(
    c: &Arc<ConnObj>,
    dom: Option<&Arc<DomObj>>,
    event_name: Option<String>,
    cb: usize,
    opaque: usize,
    freecb: virFreeCallback,
    flags: u32,
) -> Result<i32> {
    const FUNC: &str = "virConnectDomainQemuMonitorEventRegister";
    let id = own(FUNC, || {
        // A driver without monitor events refuses before any id is taken.
        if !c.conn.hv().serves_qemu_monitor_events() {
            return Err(VirError::unsupported());
        }
        let uuid = dom.map(|d| d.dref().uuid);
        let mut st = STATE.lock();
        // libvirt's client event state: without an event name there is no filter, and the
        // same callback for the same domain (or all) is refused if already registered.
        if event_name.is_none()
            && st
                .regs
                .iter()
                .any(|r| Arc::ptr_eq(&r.conn, c) && r.cb == cb && r.uuid == uuid)
        {
            return Err(VirError::detail(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_INVALID_ARG,
                "event callback already tracked",
            ));
        }
        // The id is taken now (after that check, as libvirt's), even if the driver refuses.
        let id = {
            let mut ev = c.events.lock();
            c.conn.hv().next_event_callback_id().unwrap_or_else(|| {
                ev.next_id += 1;
                ev.next_id - 1
            })
        };
        // Registered before the driver call so an event for it is not lost.
        st.regs.push(Reg {
            conn: c.clone(),
            id,
            uuid,
            cb,
            opaque,
            freecb,
            driver_id: -1,
        });
        drop(st);
        let dref = dom.map(|d| d.dref());
        let r = c.conn.hv().connect_domain_qemu_monitor_event_register(
            dref.as_ref(),
            event_name.as_deref(),
            flags,
            monitor_sink(monitor_conn_addr(c), id),
        );
        let mut st = STATE.lock();
        match r {
            Ok(driver_id) => {
                if let Some(reg) = st
                    .regs
                    .iter_mut()
                    .find(|r| Arc::ptr_eq(&r.conn, c) && r.id == id)
                {
                    reg.driver_id = driver_id;
                }
                Ok(id)
            }
            Err(e) => {
                st.regs.retain(|r| !(Arc::ptr_eq(&r.conn, c) && r.id == id));
                Err(e)
            }
        }
    })?;
    // The dispatcher, made outside the lock and outside any catching region.
    if STATE.lock().dispatch.is_none() {
        let mut made = LoopDispatch::new(Arc::new(dispatch_monitor_events), true);
        let to_poke = own(FUNC, || {
            let mut st = STATE.lock();
            if made.is_none() {
                let pos = st
                    .regs
                    .iter()
                    .position(|r| Arc::ptr_eq(&r.conn, c) && r.id == id);
                let driver_id = pos.map(|p| st.regs.remove(p).driver_id);
                drop(st);
                if let Some(d) = driver_id {
                    let _ = c.conn.hv().connect_domain_qemu_monitor_event_deregister(d);
                }
                return Err(VirError::detail(
                    Domain::VIR_FROM_NONE,
                    Code::VIR_ERR_INTERNAL_ERROR,
                    "could not initialize domain event timer",
                ));
            }
            if st.dispatch.is_some() {
                return Ok(None); // another registration made one meanwhile
            }
            st.dispatch = made.take();
            // Events that came before the dispatcher: dispatch them (the loop is called
            // unlocked).
            Ok(st.dispatch.clone().filter(|_| !st.queue.is_empty()))
        })?;
        if let Some(extra) = made {
            extra.remove();
        }
        if let Some(d) = to_poke {
            d.poke();
        }
    }
    own(FUNC, || {
        handle::retain_conn(c);
        Ok(id)
    })
}

/// `virConnectDomainQemuMonitorEventDeregister` after its argument checks.
pub fn deregister_monitor(c: &Arc<ConnObj>, id: i32) -> Result<()> {
    let (reg, idle) = {
        let mut st = STATE.lock();
        let Some(pos) = st
            .regs
            .iter()
            .position(|r| Arc::ptr_eq(&r.conn, c) && r.id == id)
        else {
            if !c.conn.hv().serves_qemu_monitor_events() {
                return Err(VirError::unsupported());
            }
            return Err(c.conn.hv().event_callback_unknown(id));
        };
        let reg = st.regs.remove(pos);
        (reg, monitor_idle_dispatch(&mut st))
    };
    if let Some(d) = idle {
        d.remove();
    }
    let r = c
        .conn
        .hv()
        .connect_domain_qemu_monitor_event_deregister(reg.driver_id);
    let (freecb, opaque, conn) = (reg.freecb, reg.opaque, reg.conn);
    call_out(move || {
        if let Some(f) = freecb {
            // SAFETY: the application's free callback, called once with its opaque pointer
            // now that the registration is gone.
            unsafe { f(opaque as *mut c_void) }
        }
        handle::release_obj(&conn);
    });
    r
}
