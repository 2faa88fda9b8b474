//! C entry points: stream.
//!
//! Entry points of upstream `src/libvirt-stream.c`, and the public stream object: a stream is
//! created unbound by `virStreamNew`, bound to a driver's [`StreamBackend`] by an API such as
//! `virDomainOpenConsole`, and closed by `virStreamFinish`/`virStreamAbort` (or by the driver,
//! through the abort hook, when a console is taken over). After closing, transfers fail with
//! `stream is not open` and Finish/Abort answer 0, as libvirt's in-process fd streams do.
//!
//! Event callbacks are scheduled with a timer of the registered event loop that is armed (0)
//! while the backend reports an event the application asked for and disarmed (-1) otherwise:
//! the backend's waker re-evaluates this from any thread, so the loop wakes as soon as data
//! arrives, and any loop (the built-in one or an application's) can drive the callbacks.
#![allow(non_snake_case, unused_variables)]

use super::abi_types::*;
use super::entry::*;
use super::handle::{self, Object};
use crate::core::event;
use crate::core::stream::{
    EVENT_ERROR, EVENT_HANGUP, EVENT_READABLE, EVENT_WRITABLE, Io, StreamBackend,
};
use parking_lot::Mutex;
use std::ffi::{c_char, c_int, c_longlong, c_uint, c_void};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_STREAMS;

/// `VIR_STREAM_NONBLOCK`.
const STREAM_NONBLOCK: u32 = 1;
/// `VIR_STREAM_RECV_STOP_AT_HOLE`.
const RECV_STOP_AT_HOLE: u32 = 1;
/// libvirt's `VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX`: the buffer of SendAll/RecvAll.
const ALL_CHUNK: usize = 262_120;

/// The registered event callback of a stream.
struct Cb {
    func: virStreamEventCallback,
    opaque: usize,
    ff: virFreeCallback,
    events: i32,
    timer: i32,
    armed: bool,
}

#[derive(Default)]
struct StState {
    backend: Option<Arc<dyn StreamBackend>>,
    closed: bool,
    cb: Option<Cb>,
    /// The application's callback is running from the loop.
    dispatching: bool,
    /// A free function to call once that dispatch returns.
    pending_ff: Option<(virFreeCallback, usize)>,
    /// The abort-time ERROR callback is running: re-entrant Finish/Abort answer 0.
    abort_dispatching: bool,
    abort_cb_called: bool,
}

/// A stream handle (`virStreamPtr`).
pub struct StreamObj {
    refs: AtomicUsize,
    pub conn: Arc<ConnObj>,
    /// As given to `virStreamNew` (not validated, as in libvirt).
    pub flags: u32,
    st: Mutex<StState>,
}

impl Object for StreamObj {
    fn refs(&self) -> &AtomicUsize {
        &self.refs
    }
    fn wrap(this: Arc<Self>) -> handle::Obj {
        handle::Obj::Stream(this)
    }
    fn unwrap(o: &handle::Obj) -> Option<&Arc<Self>> {
        match o {
            handle::Obj::Stream(s) => Some(s),
            _ => None,
        }
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
type Closing = Option<(
    Option<Arc<dyn StreamBackend>>,
    Option<(virFreeCallback, usize)>,
)>;

fn not_open() -> VirError {
    VirError::internal(THIS, "stream is not open")
}

/// Run the application's free callback (when the current catching region ends, if any).
fn call_ff(ff: virFreeCallback, opaque: usize) {
    if let Some(f) = ff {
        call_out(move || {
            // SAFETY: the application's free callback, called once with its own opaque pointer.
            unsafe { f(opaque as *mut c_void) }
        })
    }
}

/// Clears a stream flag if the application's callback unwinds (a forced unwind ending the
/// thread), so later events are still dispatched. Forgotten on the normal path.
struct ResetOnUnwind<'a>(&'a StreamObj, fn(&mut StState));

impl Drop for ResetOnUnwind<'_> {
    fn drop(&mut self) {
        (self.1)(&mut self.0.st.lock());
    }
}

impl StreamObj {
    fn addr(&self) -> usize {
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
    fn open_backend(&self, cx: &Cx) -> Result<Arc<dyn StreamBackend>> {
        let st = self.st.lock();
        match &st.backend {
            None => Err(cx.unsupported()),
            Some(_) if st.closed => Err(not_open()),
            Some(b) => Ok(b.clone()),
        }
    }

    /// The events to report now, or 0.
    fn pending_events(st: &StState) -> i32 {
        let Some(cb) = &st.cb else { return 0 };
        if st.closed || cb.events & (EVENT_READABLE | EVENT_WRITABLE) as i32 == 0 {
            return 0;
        }
        let ready = st.backend.as_ref().map_or(0, |b| b.readiness()) as i32;
        ready & (cb.events | (EVENT_ERROR | EVENT_HANGUP) as i32)
    }

    fn rearm_locked(st: &mut StState) {
        let want = Self::pending_events(st) != 0;
        if let Some(cb) = st.cb.as_mut()
            && want != cb.armed
        {
            cb.armed = want;
            event::update_timeout(cb.timer, if want { 0 } else { -1 });
        }
    }

    /// Re-evaluate whether the callback is due (the backend's waker).
    fn rearm(&self) {
        let mut st = self.st.lock();
        Self::rearm_locked(&mut st);
    }

    /// The timer fired: run the application's callback if an event it wants is there.
    fn dispatch(&self) {
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
    fn drop_cb_locked(st: &mut StState) -> Option<(virFreeCallback, usize)> {
        let cb = st.cb.take()?;
        event::remove_timeout(cb.timer);
        if st.dispatching {
            st.pending_ff = Some((cb.ff, cb.opaque));
            None
        } else {
            Some((cb.ff, cb.opaque))
        }
    }

    /// Close the stream: callback gone, backend finished or aborted.
    fn close(&self, abort: bool) -> Result<c_int> {
        let closing = Self::close_locked(&mut self.st.lock());
        Self::end_close(closing, abort)
    }

    /// The part of closing done under the stream's lock, so no registration can slip in
    /// between deciding to close and closing: mark it closed, drop the callback, take the
    /// backend. `None` if it was closed already.
    fn close_locked(st: &mut StState) -> Closing {
        if st.closed {
            return None;
        }
        st.closed = true;
        let free = Self::drop_cb_locked(st);
        Some((st.backend.clone(), free))
    }

    /// The rest, with the lock released: the free callback and the backend's end.
    fn end_close(closing: Closing, abort: bool) -> Result<c_int> {
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

    fn send(&self, cx: &Cx, data: &[u8]) -> Result<c_int> {
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
            Io::Eof => Err(VirError::system(
                THIS,
                libc::EPIPE,
                "cannot write to stream",
            )),
        }
    }

    fn recv(&self, cx: &Cx, buf: &mut [u8]) -> Result<c_int> {
        if buf.len() > i32::MAX as usize {
            return Err(VirError::system(
                THIS,
                libc::ERANGE,
                "Too many bytes to read from stream",
            ));
        }
        match self.open_backend(cx)?.recv(buf)? {
            Io::Done(n) => Ok(n as c_int),
            Io::WouldBlock => Ok(-2),
            Io::Eof => Ok(0),
        }
    }
}

/// Borrow the caller's buffer.
fn in_slice<'a>(data: *const c_char, n: usize) -> &'a [u8] {
    if n == 0 {
        return &[];
    }
    // SAFETY: the API contract: `data` points to `n` readable bytes for the call's duration.
    unsafe { std::slice::from_raw_parts(data as *const u8, n) }
}

fn out_slice<'a>(data: *mut c_char, n: usize) -> &'a mut [u8] {
    if n == 0 {
        return &mut [];
    }
    // SAFETY: the API contract: `data` points to `n` writable bytes for the call's duration.
    unsafe { std::slice::from_raw_parts_mut(data as *mut u8, n) }
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamAbort(stream: virStreamPtr) -> c_int {
    // Uncaught: the abort may call the application's stream callback (`abort` contains its
    // own logic).
    entry_out(FUNC, THIS, -1, |cx| cx.stream(stream)?.abort())
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamEventAddCallback(
    stream: virStreamPtr,
    events: c_int,
    cb: virStreamEventCallback,
    opaque: *mut c_void,
    ff: virFreeCallback,
) -> c_int {
    // Uncaught: an application's event loop (virEventRegisterImpl) adds the timer; our logic
    // runs in `own`.
    entry_out(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        let mut st = own(FUNC, || {
            let st = s.st.lock();
            if st.backend.is_none() {
                return Err(cx.unsupported());
            }
            if st.closed {
                return Err(not_open());
            }
            if st.cb.is_some() {
                return Err(VirError::internal(
                    THIS,
                    "stream already has a callback registered",
                ));
            }
            // The registration holds a reference on the stream until the loop lets it go.
            handle::add_ref::<StreamObj>(s.addr());
            Ok(st)
        })?;
        let held = s.clone();
        let tick = s.clone();
        let timer = event::add_timeout(
            -1,
            Arc::new(move |_| tick.dispatch()),
            Some(Box::new(move || {
                handle::release_obj(&held);
            })),
        );
        own(FUNC, || {
            if timer < 0 {
                drop(st);
                handle::release_obj(&s);
                return Err(VirError::internal(
                    THIS,
                    "cannot register file watch on stream",
                ));
            }
            st.cb = Some(Cb {
                func: cb,
                opaque: opaque as usize,
                ff,
                events,
                timer,
                armed: false,
            });
            st.abort_cb_called = false;
            StreamObj::rearm_locked(&mut st);
            Ok(0)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamEventRemoveCallback(stream: virStreamPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        let free = {
            let mut st = s.st.lock();
            if st.backend.is_none() {
                return Err(cx.unsupported());
            }
            if st.closed {
                return Err(not_open());
            }
            if st.cb.is_none() {
                return Err(VirError::internal(
                    THIS,
                    "stream does not have a callback registered",
                ));
            }
            StreamObj::drop_cb_locked(&mut st)
        };
        if let Some((ff, op)) = free {
            call_ff(ff, op);
        }
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamEventUpdateCallback(
    stream: virStreamPtr,
    events: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        let mut st = s.st.lock();
        if st.backend.is_none() {
            return Err(cx.unsupported());
        }
        if st.closed {
            return Err(not_open());
        }
        match st.cb.as_mut() {
            None => Err(VirError::internal(
                THIS,
                "stream does not have a callback registered",
            )),
            Some(cb) => {
                cb.events = events;
                StreamObj::rearm_locked(&mut st);
                Ok(0)
            }
        }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamFinish(stream: virStreamPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        {
            let st = s.st.lock();
            if st.backend.is_none() {
                return Err(cx.unsupported());
            }
            if st.abort_dispatching {
                return Ok(0);
            }
        }
        s.close(false)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamFree(stream: virStreamPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        cx.conn = None;
        handle::release_obj(&s);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamNew(conn: virConnectPtr, flags: c_uint) -> virStreamPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        handle::retain_conn(&c);
        let addr = handle::publish(Arc::new(StreamObj {
            refs: AtomicUsize::new(0),
            conn: c,
            flags,
            st: Mutex::new(StState::default()),
        }));
        Ok(addr as virStreamPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamRecv(
    stream: virStreamPtr,
    data: *mut c_char,
    nbytes: usize,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        cx.non_null(data, "data")?;
        s.recv(cx, out_slice(data, nbytes))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamRecvAll(
    stream: virStreamPtr,
    handler: virStreamSinkFunc,
    opaque: *mut c_void,
) -> c_int {
    // Uncaught: the sink is the application's; our logic runs in `own`.
    entry_out(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        let Some(sink) = handler else {
            return Err(VirError::null_arg(THIS, FUNC, "handler"));
        };
        if s.nonblock() {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_OPERATION_INVALID,
                "data sinks cannot be used for non-blocking streams",
            ));
        }
        let mut buf = vec![0u8; ALL_CHUNK];
        loop {
            let got = own(FUNC, || s.recv(cx, &mut buf))?;
            if got < 0 {
                return Err(VirError::generic());
            }
            if got == 0 {
                return Ok(0);
            }
            let mut off = 0usize;
            while off < got as usize {
                // SAFETY: the application's sink, given a slice of our buffer for the call.
                let done = unsafe {
                    sink(
                        s.addr() as virStreamPtr,
                        buf.as_ptr().add(off) as *const c_char,
                        got as usize - off,
                        opaque,
                    )
                };
                if done < 0 {
                    let _ = s.abort();
                    return Err(VirError::generic());
                }
                off += done as usize;
            }
        }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamRecvFlags(
    stream: virStreamPtr,
    data: *mut c_char,
    nbytes: usize,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        cx.non_null(data, "data")?;
        s.open_backend(cx)?;
        VirError::check_flags(THIS, FUNC, flags, RECV_STOP_AT_HOLE)?;
        // A console has no holes: STOP_AT_HOLE never stops.
        s.recv(cx, out_slice(data, nbytes))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamRecvHole(
    stream: virStreamPtr,
    length: *mut c_longlong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        cx.non_null(length, "length")?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamRef(stream: virStreamPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        handle::add_ref::<StreamObj>(s.addr());
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamSend(
    stream: virStreamPtr,
    data: *const c_char,
    nbytes: usize,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        cx.non_null(data, "data")?;
        s.send(cx, in_slice(data, nbytes))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamSendAll(
    stream: virStreamPtr,
    handler: virStreamSourceFunc,
    opaque: *mut c_void,
) -> c_int {
    // Uncaught: the source is the application's; our logic runs in `own`.
    entry_out(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        let Some(source) = handler else {
            return Err(VirError::null_arg(THIS, FUNC, "handler"));
        };
        if s.nonblock() {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_OPERATION_INVALID,
                "data sources cannot be used for non-blocking streams",
            ));
        }
        let mut buf = vec![0u8; ALL_CHUNK];
        loop {
            // SAFETY: the application's source, given our whole buffer to fill.
            let got = unsafe {
                source(
                    s.addr() as virStreamPtr,
                    buf.as_mut_ptr() as *mut c_char,
                    buf.len(),
                    opaque,
                )
            };
            if got < 0 {
                let _ = s.abort();
                return Err(VirError::generic());
            }
            if got == 0 {
                return Ok(0);
            }
            let got = (got as usize).min(buf.len());
            let mut off = 0usize;
            while off < got {
                let done = own(FUNC, || s.send(cx, &buf[off..got]))?;
                if done < 0 {
                    return Err(VirError::generic());
                }
                off += done as usize;
            }
        }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamSendHole(
    stream: virStreamPtr,
    length: c_longlong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamSparseRecvAll(
    stream: virStreamPtr,
    handler: virStreamSinkFunc,
    holeHandler: virStreamSinkHoleFunc,
    opaque: *mut c_void,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamSparseSendAll(
    stream: virStreamPtr,
    handler: virStreamSourceFunc,
    holeHandler: virStreamSourceHoleFunc,
    skipHandler: virStreamSourceSkipFunc,
    opaque: *mut c_void,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}
