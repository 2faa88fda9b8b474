//! The public stream object behind `virStreamPtr`: a stream is
//! created unbound by `virStreamNew`, bound to a driver's [`StreamBackend`] by an API such as
//! `virDomainOpenConsole`, and closed by `virStreamFinish`/`virStreamAbort` (or by the driver,
//! through the abort hook, when a console is taken over). After closing, transfers fail with
//! `stream is not open` and Finish/Abort answer 0, as libvirt's in-process fd streams do.
//!
//! Event callbacks are scheduled with a timer of the registered event loop that is armed (0)
//! while the backend reports an event the application asked for and disarmed (-1) otherwise:
//! the backend's waker re-evaluates this from any thread, so the loop wakes as soon as data
//! arrives, and any loop (the built-in one or an application's) can drive the callbacks.

use super::entry::*;
use super::handle::{self, Object};
use crate::core::event::{self, LoopWake};
use crate::core::stream::{
    EVENT_ERROR, EVENT_HANGUP, EVENT_READABLE, EVENT_WRITABLE, Io, StreamBackend,
};
use crate::generated::abi_types::*;
use parking_lot::Mutex;
use std::ffi::{c_int, c_void};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

/// This file's error domain (upstream's `VIR_FROM_THIS`).
pub(crate) const THIS: Domain = Domain::VIR_FROM_STREAMS;

/// `VIR_STREAM_NONBLOCK`.
pub(crate) const STREAM_NONBLOCK: u32 = 1;
/// `VIR_STREAM_RECV_STOP_AT_HOLE`.
pub(crate) const RECV_STOP_AT_HOLE: u32 = 1;
/// libvirt's `VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX`: the buffer of SendAll/RecvAll.
pub(crate) const ALL_CHUNK: usize = 262_120;

/// The registered event callback of a stream.
pub(crate) struct Cb {
    pub(crate) func: virStreamEventCallback,
    pub(crate) opaque: usize,
    pub(crate) ff: virFreeCallback,
    pub(crate) events: i32,
    pub(crate) timer: i32,
    pub(crate) armed: bool,
    /// Wakes the loop when the backend's own thread reports a change: the timer is then
    /// re-armed from the loop (a loop that is not thread-safe, asyncio's, never sees a timer
    /// changed from another thread).
    pub(crate) wake: Option<Arc<LoopWake>>,
}

#[derive(Default)]
pub(crate) struct StState {
    pub(crate) backend: Option<Arc<dyn StreamBackend>>,
    pub(crate) closed: bool,
    pub(crate) cb: Option<Cb>,
    /// The application's callback is running from the loop.
    pub(crate) dispatching: bool,
    /// A free function to call once that dispatch returns.
    pub(crate) pending_ff: Option<(virFreeCallback, usize)>,
    /// The abort-time ERROR callback is running: re-entrant Finish/Abort answer 0.
    pub(crate) abort_dispatching: bool,
    pub(crate) abort_cb_called: bool,
}

/// A stream handle (`virStreamPtr`).
pub struct StreamObj {
    pub(crate) refs: AtomicUsize,
    pub conn: Arc<ConnObj>,
    /// As given to `virStreamNew` (not validated, as in libvirt).
    pub flags: u32,
    pub(crate) st: Mutex<StState>,
}

impl Object for StreamObj {
    fn refs(&self) -> &AtomicUsize {
        &self.refs
    }
    fn dispose(&self) {
        // A stream released while still open gives its device back (libvirt leaves that to
        // the application; doing it here keeps a forgotten console from staying busy).
        let backend = {
            let mut st = self.st.lock();
            let open = !st.closed;
            st.closed = true;
            st.backend.take().filter(|_| open)
        };
        if let Some(b) = backend {
            b.set_waker(None);
            b.set_abort_hook(None);
            let _ = b.abort();
        }
        handle::release_obj(&self.conn);
    }
}

/// What closing leaves to do once the stream's lock is released: the backend to end and the
/// free callback to run.
pub(crate) type Closing = Option<(
    Option<Arc<dyn StreamBackend>>,
    Option<(virFreeCallback, usize)>,
)>;

pub(crate) fn not_open() -> VirError {
    VirError::internal(THIS, "stream is not open")
}

/// Run the application's free callback (when the current catching region ends, if any).
pub(crate) fn call_ff(ff: virFreeCallback, opaque: usize) {
    if let Some(f) = ff {
        call_out(move || {
            // SAFETY: the application's free callback, called once with its own opaque pointer.
            unsafe { f(opaque as *mut c_void) }
        })
    }
}

/// Clears a stream flag if the application's callback unwinds (a forced unwind ending the
/// thread), so later events are still dispatched. Forgotten on the normal path.
pub(crate) struct ResetOnUnwind<'a>(&'a StreamObj, fn(&mut StState));

impl Drop for ResetOnUnwind<'_> {
    fn drop(&mut self) {
        (self.1)(&mut self.0.st.lock());
    }
}

impl StreamObj {
    pub(crate) fn addr(&self) -> usize {
        self as *const StreamObj as usize
    }

    pub fn nonblock(&self) -> bool {
        self.flags & STREAM_NONBLOCK != 0
    }

    /// Attach a driver's backend (e.g. from `virDomainOpenConsole`).
    pub fn bind(self: &Arc<Self>, b: Arc<dyn StreamBackend>) {
        let old = {
            let mut st = self.st.lock();
            let old = st.backend.replace(b.clone()).filter(|_| !st.closed);
            st.closed = false;
            st.abort_cb_called = false;
            old
        };
        if let Some(o) = old {
            o.set_waker(None);
            o.set_abort_hook(None);
            let _ = o.abort();
        }
        let w = Arc::downgrade(self);
        b.set_waker(Some(Arc::new(move || {
            if let Some(s) = w.upgrade() {
                s.rearm();
            }
        })));
        let w = Arc::downgrade(self);
        // Last: a backend already ended by its driver runs the hook at once.
        // The hook may run inside an API call's catching region (a driver ending the stream):
        // the abort, which calls the application's callback, waits until that region ends.
        b.set_abort_hook(Some(Arc::new(move || {
            if let Some(s) = w.upgrade() {
                call_out(move || {
                    let _ = s.abort();
                });
            }
        })));
    }

    /// The backend of an open stream; NO_SUPPORT for an unbound one (`api` names the call).
    pub(crate) fn open_backend(&self, cx: &Cx) -> Result<Arc<dyn StreamBackend>> {
        let st = self.st.lock();
        match &st.backend {
            None => Err(cx.unsupported()),
            Some(b) if st.closed => Err(b.closed_error().unwrap_or_else(not_open)),
            Some(b) => Ok(b.clone()),
        }
    }

    /// The events to report now, or 0.
    pub(crate) fn pending_events(st: &StState) -> i32 {
        let Some(cb) = &st.cb else { return 0 };
        if st.closed || cb.events & (EVENT_READABLE | EVENT_WRITABLE) as i32 == 0 {
            return 0;
        }
        let ready = st.backend.as_ref().map_or(0, |b| b.readiness()) as i32;
        ready & (cb.events | (EVENT_ERROR | EVENT_HANGUP) as i32)
    }

    pub(crate) fn rearm_locked(st: &mut StState) {
        let want = Self::pending_events(st) != 0;
        if let Some(cb) = st.cb.as_mut()
            && want != cb.armed
        {
            cb.armed = want;
            event::update_timeout(cb.timer, if want { 0 } else { -1 });
        }
    }

    /// Re-evaluate whether the callback is due: the backend's waker, which may run on the
    /// backend's thread, so through the loop's wake-up when there is one.
    pub(crate) fn rearm(&self) {
        let mut st = self.st.lock();
        match st.cb.as_ref().and_then(|c| c.wake.clone()) {
            Some(w) => {
                drop(st);
                w.wake();
            }
            None => Self::rearm_locked(&mut st),
        }
    }

    /// Re-evaluate whether the callback is due, on the loop (the wake-up's body).
    pub(crate) fn rearm_on_loop(&self) {
        let mut st = self.st.lock();
        Self::rearm_locked(&mut st);
    }

    /// The timer fired: run the application's callback if an event it wants is there.
    pub(crate) fn dispatch(&self) {
        // Our logic contains its panics; the application's callback runs outside.
        let call = guard("virStreamEventCallback", None, || {
            let mut st = self.st.lock();
            let ev = Self::pending_events(&st);
            if ev == 0 || st.dispatching {
                Self::rearm_locked(&mut st);
                return None;
            }
            let cb = st.cb.as_ref()?;
            let call = (cb.func, cb.opaque, ev);
            st.dispatching = true;
            Some(call)
        });
        let Some((func, opaque, ev)) = call else {
            return;
        };
        if let Some(f) = func {
            let reset = ResetOnUnwind(self, |st| st.dispatching = false);
            // SAFETY: the application's stream callback with its own opaque pointer; the
            // stream pointer stays valid because the registration holds a reference.
            unsafe { f(self.addr() as virStreamPtr, ev, opaque as *mut c_void) }
            std::mem::forget(reset);
        }
        let pending = guard("virStreamEventCallback", None, || {
            let mut st = self.st.lock();
            st.dispatching = false;
            let p = st.pending_ff.take();
            Self::rearm_locked(&mut st);
            p
        });
        if let Some((ff, op)) = pending {
            call_ff(ff, op);
        }
    }

    /// Drop the callback registration, running (or deferring) its free function. Returns the
    /// free call to make once the lock is released.
    pub(crate) fn drop_cb_locked(st: &mut StState) -> Option<(virFreeCallback, usize)> {
        let cb = st.cb.take()?;
        event::remove_timeout(cb.timer);
        if let Some(w) = &cb.wake {
            w.remove();
        }
        if st.dispatching {
            st.pending_ff = Some((cb.ff, cb.opaque));
            None
        } else {
            Some((cb.ff, cb.opaque))
        }
    }

    /// Close the stream: callback gone, backend finished or aborted.
    pub(crate) fn close(&self, abort: bool) -> Result<c_int> {
        let closing = Self::close_locked(&mut self.st.lock());
        Self::end_close(closing, abort)
    }

    /// The part of closing done under the stream's lock, so no registration can slip in
    /// between deciding to close and closing: mark it closed, drop the callback, take the
    /// backend. `None` if it was closed already.
    pub(crate) fn close_locked(st: &mut StState) -> Closing {
        if st.closed {
            return None;
        }
        st.closed = true;
        let free = Self::drop_cb_locked(st);
        Some((st.backend.clone(), free))
    }

    /// The rest, with the lock released: the free callback and the backend's end.
    pub(crate) fn end_close(closing: Closing, abort: bool) -> Result<c_int> {
        let Some((backend, free)) = closing else {
            return Ok(0);
        };
        if let Some((ff, op)) = free {
            call_ff(ff, op);
        }
        let Some(b) = backend else { return Ok(0) };
        b.set_waker(None);
        b.set_abort_hook(None);
        if abort { b.abort() } else { b.finish() }.map(|()| 0)
    }

    /// `virStreamAbort` on a bound stream: an application callback watching for data sees
    /// `EVENT_ERROR` once, synchronously, then the stream closes.
    pub fn abort(&self) -> Result<c_int> {
        // Deciding whether a callback is to be told and closing happen under one lock: a
        // callback registered in between would otherwise be dropped without its ERROR. Our
        // logic runs in `own`, the application's callback outside: callers run uncaught.
        let (call, closing) = own("virStreamAbort", || {
            let mut st = self.st.lock();
            // sparse: a remote stream closed already says so again.
            if st.closed
                && !st.abort_dispatching
                && let Some(e) = st.backend.as_ref().and_then(|b| b.closed_error())
            {
                return Err(e);
            }
            if st.closed || st.abort_dispatching || st.backend.is_none() {
                return Ok((None, None));
            }
            let notifies = st
                .backend
                .as_ref()
                .is_some_and(|b| b.abort_notifies_callback());
            match &st.cb {
                Some(cb)
                    if notifies
                        && cb.events & (EVENT_READABLE | EVENT_WRITABLE) as i32 != 0
                        && !st.abort_cb_called =>
                {
                    let call = (cb.func, cb.opaque);
                    st.abort_cb_called = true;
                    st.abort_dispatching = true;
                    Ok((Some(call), None))
                }
                _ => Ok((None, Self::close_locked(&mut st))),
            }
        })?;
        let Some((func, opaque)) = call else {
            return own("virStreamAbort", || Self::end_close(closing, true));
        };
        if let Some(f) = func {
            let reset = ResetOnUnwind(self, |st| st.abort_dispatching = false);
            // SAFETY: the application's stream callback with its own opaque pointer.
            unsafe {
                f(
                    self.addr() as virStreamPtr,
                    EVENT_ERROR as c_int,
                    opaque as *mut c_void,
                )
            }
            std::mem::forget(reset);
        }
        own("virStreamAbort", || {
            let closing = {
                let mut st = self.st.lock();
                st.abort_dispatching = false;
                Self::close_locked(&mut st)
            };
            Self::end_close(closing, true)
        })
    }

    pub(crate) fn send(&self, cx: &Cx, data: &[u8]) -> Result<c_int> {
        if data.len() > i32::MAX as usize {
            return Err(VirError::system(
                THIS,
                libc::ERANGE,
                "Too many bytes to write to stream",
            ));
        }
        match self.open_backend(cx)?.send(data)? {
            Io::Done(n) => Ok(n as c_int),
            Io::WouldBlock => Ok(-2),
            Io::Eof | Io::Hole => Err(VirError::system(
                THIS,
                libc::EPIPE,
                "cannot write to stream",
            )),
        }
    }

    pub(crate) fn recv(&self, cx: &Cx, buf: &mut [u8]) -> Result<c_int> {
        self.recv_flags(cx, buf, false)
    }

    // ---- sparse streams (sparse)

    /// `virStreamRecvFlags`: as `recv`; -3 when asked to stop at a hole and at one.
    pub(crate) fn recv_flags(&self, cx: &Cx, buf: &mut [u8], stop_at_hole: bool) -> Result<c_int> {
        if buf.len() > i32::MAX as usize {
            return Err(VirError::system(
                THIS,
                libc::ERANGE,
                "Too many bytes to read from stream",
            ));
        }
        match self.open_backend(cx)?.recv_flags(buf, stop_at_hole)? {
            Io::Done(n) => Ok(n as c_int),
            Io::WouldBlock => Ok(-2),
            Io::Eof => Ok(0),
            Io::Hole => Ok(-3),
        }
    }

    /// The backend for a hole operation: a closed stream's too when it has its own closed
    /// error (libvirt's client streams check sparseness before their state).
    fn hole_backend(&self, cx: &Cx) -> Result<Arc<dyn StreamBackend>> {
        {
            let st = self.st.lock();
            if let Some(b) = &st.backend
                && st.closed
                && b.closed_error().is_some()
            {
                return Ok(b.clone());
            }
        }
        self.open_backend(cx)
    }

    /// `virStreamRecvHole`: the hole's length, consumed.
    pub(crate) fn recv_hole(&self, cx: &Cx, flags: u32) -> Result<i64> {
        self.hole_backend(cx)?.recv_hole(flags)
    }

    /// `virStreamSendHole`.
    pub(crate) fn send_hole(&self, cx: &Cx, length: i64, flags: u32) -> Result<c_int> {
        self.hole_backend(cx)?.send_hole(length, flags).map(|()| 0)
    }
}

impl Cx {
    /// `virCheckStreamReturn`: a live stream, or INVALID_STREAM from VIR_FROM_STREAMS
    /// (dispatched without a connection). Later errors go to the stream's connection.
    pub fn stream<P>(&mut self, p: *mut P) -> Result<Arc<StreamObj>> {
        self.check(
            p,
            |s: &Arc<StreamObj>| s.conn.clone(),
            Domain::VIR_FROM_STREAMS,
            Code::VIR_ERR_INVALID_STREAM,
        )
    }
}

impl Owned for Arc<StreamObj> {
    fn owner_conn(&self) -> &ConnObj {
        &self.conn
    }
}
