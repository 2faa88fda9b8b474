//! C entry points: stream.
//!
//! Entry points of upstream `src/libvirt-stream.c`; the stream object and its state machine
//! are in [`super::runtime::stream`].
#![allow(non_snake_case, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use super::runtime::handle;
use super::runtime::stream::*;
use crate::core::event::{self, LoopWake};
use parking_lot::Mutex;
use std::ffi::{c_char, c_int, c_longlong, c_uint, c_void};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

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
            // A stream closed under us (a FORCE open took its console) is "not open", whether
            // or not its backend is still attached; only a never-bound one is unsupported.
            if st.closed {
                return Err(not_open());
            }
            if st.backend.is_none() {
                return Err(cx.unsupported());
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
        let weak = Arc::downgrade(&s);
        let wake = (timer >= 0)
            .then(|| {
                LoopWake::new(Arc::new(move || {
                    if let Some(s) = weak.upgrade() {
                        s.rearm_on_loop();
                    }
                }))
            })
            .flatten();
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
                wake,
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
            // sparse: a remote stream finished already says so again.
            if st.closed
                && let Some(e) = st.backend.as_ref().and_then(|b| b.closed_error())
            {
                return Err(e);
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
            let got = inner(cx, "virStreamRecv", |cx| s.recv(cx, &mut buf))?;
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
        // A stream without holes (a console) never stops at one.
        s.recv_flags(cx, out_slice(data, nbytes), flags & RECV_STOP_AT_HOLE != 0)
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
        let s = cx.stream(stream)?;
        cx.non_null(length, "length")?;
        let n = s.recv_hole(cx, flags)?;
        // SAFETY: checked non-NULL above; the caller's `long long` out-parameter.
        unsafe { *length = n };
        Ok(0)
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
                let done = inner(cx, "virStreamSend", |cx| s.send(cx, &buf[off..got]))?;
                if done < 0 {
                    return Err(VirError::generic());
                }
                off += done as usize;
            }
        }
    })
}

// ---- sparse streams (sparse): holes, and the sparse SendAll/RecvAll helpers.

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamSendHole(
    stream: virStreamPtr,
    length: c_longlong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        s.send_hole(cx, length, flags)
    })
}

/// One public stream call made by an *All helper (libvirt calls the public function): its
/// errors name it.
fn inner<T>(cx: &mut Cx, name: &'static str, f: impl FnOnce(&Cx) -> Result<T>) -> Result<T> {
    let outer = std::mem::replace(&mut cx.func, name);
    let r = own(name, || f(cx));
    cx.func = outer;
    r
}

/// The application's handler failed: libvirt's system error with its `errno` (EIO if none).
fn handler_failed(what: &str) -> VirError {
    let errno = std::io::Error::last_os_error()
        .raw_os_error()
        .filter(|&e| e != 0)
        .unwrap_or(libc::EIO);
    VirError::system(THIS, errno, what)
}

/// `errno = 0`, as libvirt's helpers do before calling the application's handlers.
fn clear_errno() {
    // SAFETY: the calling thread's errno location, always valid.
    unsafe { *libc::__errno_location() = 0 };
}

/// The failure path of the *All helpers: the stream is aborted, the first error kept.
fn all_failed(s: &StreamObj, e: VirError) -> VirError {
    let _ = s.abort();
    e
}

/// The non-blocking refusal of the *All helpers (`sink`: the receiving ones).
fn refuse_nonblock(s: &StreamObj, sink: bool) -> Result<()> {
    if !s.nonblock() {
        return Ok(());
    }
    Err(VirError::detail(
        THIS,
        Code::VIR_ERR_OPERATION_INVALID,
        if sink {
            "data sinks cannot be used for non-blocking streams"
        } else {
            "data sources cannot be used for non-blocking streams"
        },
    ))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStreamSparseRecvAll(
    stream: virStreamPtr,
    handler: virStreamSinkFunc,
    holeHandler: virStreamSinkHoleFunc,
    opaque: *mut c_void,
) -> c_int {
    // Uncaught: the sink and hole handler are the application's; our logic runs in `own`.
    entry_out(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        let r = (|| {
            let Some(sink) = handler else {
                return Err(VirError::null_arg(THIS, FUNC, "handler"));
            };
            let Some(hole) = holeHandler else {
                return Err(VirError::null_arg(THIS, FUNC, "holeHandler"));
            };
            refuse_nonblock(&s, true)?;
            let mut buf = vec![0u8; ALL_CHUNK];
            clear_errno();
            loop {
                let got = inner(cx, "virStreamRecvFlags", |cx| {
                    s.recv_flags(cx, &mut buf, true)
                })?;
                if got == -3 {
                    let len = inner(cx, "virStreamRecvHole", |cx| s.recv_hole(cx, 0))?;
                    // SAFETY: the application's hole handler with its own opaque pointer.
                    if unsafe { hole(s.addr() as virStreamPtr, len, opaque) } < 0 {
                        return Err(handler_failed("recv holeHandler failed"));
                    }
                    continue;
                }
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
                        return Err(handler_failed("recv handler failed"));
                    }
                    off += done as usize;
                }
            }
        })();
        r.map_err(|e| all_failed(&s, e))
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
    // Uncaught: the source, hole and skip handlers are the application's; our logic runs in
    // `own`.
    entry_out(FUNC, THIS, -1, |cx| {
        let s = cx.stream(stream)?;
        let r = (|| {
            let Some(source) = handler else {
                return Err(VirError::null_arg(THIS, FUNC, "handler"));
            };
            let Some(hole) = holeHandler else {
                return Err(VirError::null_arg(THIS, FUNC, "holeHandler"));
            };
            let Some(skip) = skipHandler else {
                return Err(VirError::null_arg(THIS, FUNC, "skipHandler"));
            };
            refuse_nonblock(&s, false)?;
            let mut buf = vec![0u8; ALL_CHUNK];
            // Bytes of the current data section still to send.
            let mut data_len: u64 = 0;
            clear_errno();
            loop {
                if data_len == 0 {
                    let mut in_data: c_int = 0;
                    let mut section: c_longlong = 0;
                    // SAFETY: the application's hole handler, given two out-parameters of ours.
                    if unsafe { hole(s.addr() as virStreamPtr, &mut in_data, &mut section, opaque) }
                        < 0
                    {
                        return Err(handler_failed("send holeHandler failed"));
                    }
                    if in_data == 0 && section != 0 {
                        inner(cx, "virStreamSendHole", |cx| s.send_hole(cx, section, 0))?;
                        // SAFETY: the application's skip handler with its own opaque pointer.
                        if unsafe { skip(s.addr() as virStreamPtr, section, opaque) } < 0 {
                            return Err(handler_failed("send skipHandler failed"));
                        }
                        continue;
                    }
                    data_len = section as u64;
                }
                let want = (buf.len() as u64).min(data_len) as usize;
                // SAFETY: the application's source, given `want` bytes of our buffer to fill.
                let got = unsafe {
                    source(
                        s.addr() as virStreamPtr,
                        buf.as_mut_ptr() as *mut c_char,
                        want,
                        opaque,
                    )
                };
                if got < 0 {
                    return Err(handler_failed("send handler failed"));
                }
                if got == 0 {
                    return Ok(0);
                }
                let got = (got as usize).min(want);
                let mut off = 0usize;
                while off < got {
                    let done = inner(cx, "virStreamSend", |cx| s.send(cx, &buf[off..got]))?;
                    if done < 0 {
                        return Err(VirError::generic());
                    }
                    off += done as usize;
                    data_len = data_len.saturating_sub(done as u64);
                }
            }
        })();
        r.map_err(|e| all_failed(&s, e))
    })
}
