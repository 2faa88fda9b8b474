//! The event loop: libvirt's six-function event interface (handles on file descriptors, timers)
//! behind a trait, the one implementation that is registered for the process, and the built-in
//! poll(2) loop that `virEventRegisterDefaultImpl`/`virEventRunDefaultImpl` provide.
//!
//! Rules kept from libvirt: the first registered implementation stays (later registrations are
//! ignored); without one, adding a handle or timer answers -1; watch and timer numbers start at
//! 1; a timer of -1 is disabled, 0 fires on every iteration; removal never runs the free
//! function in the caller: it runs later in the loop's thread, after the iteration that was
//! dispatching, so a callback may remove itself (or anything else) safely.
//!
//! Any thread may add, update or remove while another runs the loop: a change wakes the loop
//! through a socket pair, so new deadlines and descriptors take effect at once.
//!
//! Callbacks and free functions run outside any `catch_unwind`: they may be the application's,
//! and an application may end its thread with a forced unwind (`pthread_exit`) from inside
//! them, which must pass. The loop's own logic contains its panics ([`contained`]).

use crate::sys::{self, PollFd};
use once_cell::sync::{Lazy, OnceCell};
use parking_lot::Mutex;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `virEventHandleType` bits.
pub(crate) const HANDLE_READABLE: i32 = 1;
pub(crate) const HANDLE_WRITABLE: i32 = 2;
pub(crate) const HANDLE_ERROR: i32 = 4;
pub(crate) const HANDLE_HANGUP: i32 = 8;

/// A handle callback: (watch, fd, events).
pub type HandleCb = Arc<dyn Fn(i32, i32, i32) + Send + Sync>;
/// A timer callback: (timer).
pub type TimeoutCb = Arc<dyn Fn(i32) + Send + Sync>;
/// Runs once when a registration is gone for good. An implementation that fails to add drops
/// it without running it: the caller still owns what it would have freed.
pub type FreeFn = Box<dyn FnOnce() + Send>;

/// libvirt's event loop interface (`virEventRegisterImpl`'s six functions).
pub trait EventImpl: Send + Sync {
    fn add_handle(&self, fd: i32, events: i32, cb: HandleCb, ff: Option<FreeFn>) -> i32;
    fn update_handle(&self, watch: i32, events: i32);
    fn remove_handle(&self, watch: i32) -> i32;
    fn add_timeout(&self, ms: i32, cb: TimeoutCb, ff: Option<FreeFn>) -> i32;
    fn update_timeout(&self, timer: i32, ms: i32);
    fn remove_timeout(&self, timer: i32) -> i32;
}

/// Run our own logic with a Rust panic turned into `fallback`. Never around a callback.
fn contained<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or(fallback)
}

static REGISTERED: OnceCell<Arc<dyn EventImpl>> = OnceCell::new();

/// Make `imp` the process's event loop. Returns false (and changes nothing) if one is already
/// registered, as libvirt ignores a second registration.
pub fn register(imp: Arc<dyn EventImpl>) -> bool {
    REGISTERED.set(imp).is_ok()
}

/// Register the built-in loop (no effect if any loop is registered already).
pub fn register_default() {
    let d: Arc<dyn EventImpl> = default_loop().clone();
    let _ = REGISTERED.set(d);
}

/// The registered implementation, if any.
pub fn current() -> Option<&'static Arc<dyn EventImpl>> {
    REGISTERED.get()
}

pub fn add_handle(fd: i32, events: i32, cb: HandleCb, ff: Option<FreeFn>) -> i32 {
    match current() {
        Some(i) => i.add_handle(fd, events, cb, ff),
        None => -1,
    }
}
pub fn update_handle(watch: i32, events: i32) {
    if let Some(i) = current() {
        i.update_handle(watch, events)
    }
}
pub fn remove_handle(watch: i32) -> i32 {
    current().map_or(-1, |i| i.remove_handle(watch))
}
pub fn add_timeout(ms: i32, cb: TimeoutCb, ff: Option<FreeFn>) -> i32 {
    match current() {
        Some(i) => i.add_timeout(ms, cb, ff),
        None => -1,
    }
}
pub fn update_timeout(timer: i32, ms: i32) {
    if let Some(i) = current() {
        i.update_timeout(timer, ms)
    }
}
pub fn remove_timeout(timer: i32) -> i32 {
    current().map_or(-1, |i| i.remove_timeout(timer))
}

// ---------------------------------------------------------------------------------------------
// Waking the application's loop from a driver's thread.

/// Runs a callback on the application's event loop when another thread asks: the read end
/// of a socket pair watched by the loop (virEventAddHandle), the write end poked by
/// [`LoopWake::wake`]. Any loop wakes for a readable descriptor, where a timer changed from
/// another thread wakes only a thread-safe loop (libvirt-python's asyncio loop is not: libvirt's
/// own remote client reads its socket on the loop, so its events come from there).
pub struct LoopWake {
    rx: UnixStream,
    tx: UnixStream,
    watch: Mutex<i32>,
}

impl LoopWake {
    /// Watch a new socket pair on the registered loop, running `cb` (in the loop) after each
    /// batch of wake-ups. None when no loop is registered or it refuses the handle. The pair
    /// stays open until the loop frees the handle, so a late `wake` never writes to a closed
    /// peer.
    pub fn new(cb: Arc<dyn Fn() + Send + Sync>) -> Option<Arc<LoopWake>> {
        let (rx, tx) = UnixStream::pair().ok()?;
        rx.set_nonblocking(true).ok()?;
        tx.set_nonblocking(true).ok()?;
        let fd = rx.as_raw_fd();
        let w = Arc::new(LoopWake {
            rx,
            tx,
            watch: Mutex::new(-1),
        });
        let seen = w.clone();
        let handle: HandleCb = Arc::new(move |_, _, _| {
            let mut buf = [0u8; 64];
            while matches!((&seen.rx).read(&mut buf), Ok(n) if n > 0) {}
            cb();
        });
        let keep = w.clone();
        let watch = add_handle(
            fd,
            HANDLE_READABLE,
            handle,
            Some(Box::new(move || drop(keep))),
        );
        if watch < 0 {
            return None;
        }
        *w.watch.lock() = watch;
        Some(w)
    }

    /// Have the loop run the callback soon (a full pair means a wake-up is pending already).
    pub fn wake(&self) {
        let _ = (&self.tx).write(&[1]);
    }

    /// Stop watching (the pair closes when the loop frees the handle and the last holder
    /// lets go). Call without locks a loop callback may take.
    pub fn remove(&self) {
        let watch = std::mem::replace(&mut *self.watch.lock(), -1);
        if watch >= 0 {
            remove_handle(watch);
        }
    }
}

/// What dispatches a queue of callbacks on the application's loop: a timer, re-armed to fire
/// at once when something is queued (libvirt's way), and, for a driver that queues from its own
/// thread, a [`LoopWake`] that reaches any loop from there.
#[derive(Clone)]
pub struct LoopDispatch {
    timer: i32,
    wake: Option<Arc<LoopWake>>,
}

impl LoopDispatch {
    /// Register `cb` with the loop. None when the loop refuses the timer (none registered).
    pub fn new(cb: Arc<dyn Fn() + Send + Sync>, from_own_thread: bool) -> Option<LoopDispatch> {
        let on_timer = cb.clone();
        let timer = add_timeout(-1, Arc::new(move |_| on_timer()), None);
        if timer < 0 {
            return None;
        }
        let wake = if from_own_thread {
            LoopWake::new(cb)
        } else {
            None
        };
        Some(LoopDispatch { timer, wake })
    }

    /// Something was queued: have the loop dispatch soon.
    pub fn poke(&self) {
        match &self.wake {
            Some(w) => w.wake(),
            None => update_timeout(self.timer, 0),
        }
    }

    /// The dispatch runs now: the timer need not fire again.
    pub fn settle(&self) {
        update_timeout(self.timer, -1);
    }

    /// Unregister from the loop. Call without locks a loop callback may take.
    pub fn remove(&self) {
        remove_timeout(self.timer);
        if let Some(w) = &self.wake {
            w.remove();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The built-in loop.

struct Handle {
    watch: i32,
    fd: i32,
    events: i32,
    cb: HandleCb,
    ff: Option<FreeFn>,
    removed: bool,
}

struct Timer {
    id: i32,
    /// -1 disabled, otherwise the period in milliseconds.
    ms: i32,
    due: Instant,
    cb: TimeoutCb,
    ff: Option<FreeFn>,
    removed: bool,
}

#[derive(Default)]
struct State {
    handles: Vec<Handle>,
    timers: Vec<Timer>,
    next_watch: i32,
    next_timer: i32,
    /// The loop thread is inside poll(2): a change must wake it.
    polling: bool,
    /// A wake-up byte is in flight.
    woken: bool,
    /// Something was removed and awaits its free function.
    dirty: bool,
}

/// The poll(2) loop behind `virEventRunDefaultImpl`.
pub struct DefaultLoop {
    st: Mutex<State>,
    /// Serializes iterations: one thread runs the loop at a time.
    run: Mutex<()>,
    wake_rx: UnixStream,
    wake_tx: UnixStream,
}

static DEFAULT: Lazy<Arc<DefaultLoop>> = Lazy::new(|| Arc::new(DefaultLoop::new()));

/// The process's built-in loop (created on first use).
pub fn default_loop() -> &'static Arc<DefaultLoop> {
    &DEFAULT
}

fn to_poll(events: i32) -> i16 {
    let mut p = 0;
    if events & HANDLE_READABLE != 0 {
        p |= sys::POLLIN | sys::POLLPRI;
    }
    if events & HANDLE_WRITABLE != 0 {
        p |= sys::POLLOUT;
    }
    p
}

fn from_poll(revents: i16) -> i32 {
    let mut e = 0;
    if revents & (sys::POLLIN | sys::POLLPRI) != 0 {
        e |= HANDLE_READABLE;
    }
    if revents & sys::POLLOUT != 0 {
        e |= HANDLE_WRITABLE;
    }
    if revents & (sys::POLLERR | sys::POLLNVAL) != 0 {
        e |= HANDLE_ERROR;
    }
    if revents & sys::POLLHUP != 0 {
        e |= HANDLE_HANGUP;
    }
    e
}

enum Due {
    Handle(i32, i32, i32, HandleCb),
    Timer(i32, TimeoutCb),
}

impl DefaultLoop {
    fn new() -> DefaultLoop {
        let (wake_rx, wake_tx) = UnixStream::pair().expect("socketpair for the event loop");
        let _ = wake_rx.set_nonblocking(true);
        let _ = wake_tx.set_nonblocking(true);
        DefaultLoop {
            st: Mutex::new(State {
                next_watch: 1,
                next_timer: 1,
                ..Default::default()
            }),
            run: Mutex::new(()),
            wake_rx,
            wake_tx,
        }
    }

    /// Wake the loop if it sleeps in poll(2). Called with the state locked.
    fn wake(&self, st: &mut State) {
        if st.polling && !st.woken {
            st.woken = true;
            let _ = (&self.wake_tx).write(&[1]);
        }
    }

    /// One iteration: wait for the first descriptor or timer, dispatch everything that is
    /// ready, then release what was removed.
    pub fn run_once(&self) -> std::io::Result<()> {
        let _running = self.run.lock();
        let panicked = || Err(std::io::Error::other("event loop: internal error"));
        let due = contained(panicked(), || self.wait())?;
        for d in due {
            match d {
                Due::Timer(id, cb) => {
                    let live = contained(false, || {
                        let st = self.st.lock();
                        st.timers
                            .iter()
                            .any(|t| t.id == id && !t.removed && t.ms >= 0)
                    });
                    if live {
                        cb(id);
                    }
                }
                Due::Handle(watch, fd, ev, cb) => {
                    let ev = contained(0, || {
                        let st = self.st.lock();
                        st.handles
                            .iter()
                            .find(|h| h.watch == watch && !h.removed)
                            .map_or(0, |h| ev & (h.events | HANDLE_ERROR | HANDLE_HANGUP))
                    });
                    if ev != 0 {
                        cb(watch, fd, ev);
                    }
                }
            }
        }
        for f in contained(Vec::new(), || self.take_frees()) {
            f();
        }
        Ok(())
    }

    /// Wait for the first descriptor or timer; what is due, in dispatch order.
    fn wait(&self) -> std::io::Result<Vec<Due>> {
        let mut fds = vec![PollFd {
            fd: self.wake_rx.as_raw_fd(),
            events: sys::POLLIN,
            revents: 0,
        }];
        let mut watches = Vec::new();
        let timeout = {
            let mut st = self.st.lock();
            for h in st.handles.iter().filter(|h| !h.removed && h.events != 0) {
                fds.push(PollFd {
                    fd: h.fd,
                    events: to_poll(h.events),
                    revents: 0,
                });
                watches.push(h.watch);
            }
            let now = Instant::now();
            let next = st
                .timers
                .iter()
                .filter(|t| !t.removed && t.ms >= 0)
                .map(|t| t.due)
                .min();
            st.polling = true;
            if st.dirty {
                // Removals are pending: release them now rather than after a long sleep.
                Some(Duration::ZERO)
            } else {
                next.map(|d| d.saturating_duration_since(now))
            }
        };
        let res = sys::poll(&mut fds, timeout);
        let mut due = Vec::new();
        {
            let mut st = self.st.lock();
            st.polling = false;
            if st.woken || fds[0].revents != 0 {
                let mut buf = [0u8; 64];
                while let Ok(n) = (&self.wake_rx).read(&mut buf) {
                    if n < buf.len() {
                        break;
                    }
                }
                st.woken = false;
            }
            match &res {
                Err(e) if e.kind() != std::io::ErrorKind::Interrupted => return Err(clone_err(e)),
                _ => {}
            }
            let now = Instant::now();
            for t in st.timers.iter_mut() {
                if !t.removed && t.ms >= 0 && t.due <= now {
                    t.due = now + Duration::from_millis(t.ms as u64);
                    due.push(Due::Timer(t.id, t.cb.clone()));
                }
            }
            if res.is_ok() {
                for (p, w) in fds[1..].iter().zip(watches.iter()) {
                    if p.revents == 0 {
                        continue;
                    }
                    if let Some(h) = st.handles.iter().find(|h| h.watch == *w && !h.removed) {
                        due.push(Due::Handle(
                            h.watch,
                            h.fd,
                            from_poll(p.revents),
                            h.cb.clone(),
                        ));
                    }
                }
            }
        }
        Ok(due)
    }

    /// Drop removed registrations; their free functions, for the caller to run unlocked.
    fn take_frees(&self) -> Vec<FreeFn> {
        let mut frees = Vec::new();
        {
            let mut st = self.st.lock();
            if !st.dirty {
                return frees;
            }
            st.dirty = false;
            let mut i = 0;
            while i < st.handles.len() {
                if st.handles[i].removed {
                    let h = st.handles.swap_remove(i);
                    frees.extend(h.ff);
                    // `h.cb` is dropped here, under the lock: it is an Arc whose last owner may
                    // be a dispatch in progress, so nothing user-visible runs.
                } else {
                    i += 1;
                }
            }
            let mut i = 0;
            while i < st.timers.len() {
                if st.timers[i].removed {
                    let t = st.timers.swap_remove(i);
                    frees.extend(t.ff);
                } else {
                    i += 1;
                }
            }
        }
        frees
    }

    /// How many registrations are live (for tests and diagnostics).
    pub fn live(&self) -> (usize, usize) {
        let st = self.st.lock();
        (
            st.handles.iter().filter(|h| !h.removed).count(),
            st.timers.iter().filter(|t| !t.removed).count(),
        )
    }
}

fn clone_err(e: &std::io::Error) -> std::io::Error {
    match e.raw_os_error() {
        Some(n) => std::io::Error::from_raw_os_error(n),
        None => std::io::Error::new(e.kind(), e.to_string()),
    }
}

impl EventImpl for DefaultLoop {
    fn add_handle(&self, fd: i32, events: i32, cb: HandleCb, ff: Option<FreeFn>) -> i32 {
        contained(-1, || {
            if fd < 0 {
                return -1;
            }
            let mut st = self.st.lock();
            let watch = st.next_watch;
            st.next_watch = st.next_watch.checked_add(1).unwrap_or(1);
            st.handles.push(Handle {
                watch,
                fd,
                events,
                cb,
                ff,
                removed: false,
            });
            self.wake(&mut st);
            watch
        })
    }

    fn update_handle(&self, watch: i32, events: i32) {
        contained((), || {
            let mut st = self.st.lock();
            if let Some(h) = st
                .handles
                .iter_mut()
                .find(|h| h.watch == watch && !h.removed)
                && h.events != events
            {
                h.events = events;
                self.wake(&mut st);
            }
        })
    }

    fn remove_handle(&self, watch: i32) -> i32 {
        contained(-1, || {
            let mut st = self.st.lock();
            match st
                .handles
                .iter_mut()
                .find(|h| h.watch == watch && !h.removed)
            {
                Some(h) => {
                    h.removed = true;
                    st.dirty = true;
                    self.wake(&mut st);
                    0
                }
                None => -1,
            }
        })
    }

    fn add_timeout(&self, ms: i32, cb: TimeoutCb, ff: Option<FreeFn>) -> i32 {
        contained(-1, || {
            let mut st = self.st.lock();
            let id = st.next_timer;
            st.next_timer = st.next_timer.checked_add(1).unwrap_or(1);
            st.timers.push(Timer {
                id,
                ms: ms.max(-1),
                due: Instant::now() + Duration::from_millis(ms.max(0) as u64),
                cb,
                ff,
                removed: false,
            });
            if ms >= 0 {
                self.wake(&mut st);
            }
            id
        })
    }

    fn update_timeout(&self, timer: i32, ms: i32) {
        contained((), || {
            let mut st = self.st.lock();
            let ms = ms.max(-1);
            if let Some(t) = st.timers.iter_mut().find(|t| t.id == timer && !t.removed) {
                if t.ms == ms && ms < 0 {
                    return;
                }
                t.ms = ms;
                t.due = Instant::now() + Duration::from_millis(ms.max(0) as u64);
                if ms >= 0 {
                    self.wake(&mut st);
                }
            }
        })
    }

    fn remove_timeout(&self, timer: i32) -> i32 {
        contained(-1, || {
            let mut st = self.st.lock();
            match st.timers.iter_mut().find(|t| t.id == timer && !t.removed) {
                Some(t) => {
                    t.removed = true;
                    st.dirty = true;
                    self.wake(&mut st);
                    0
                }
                None => -1,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn timers_fire_and_free_is_deferred() {
        let l = DefaultLoop::new();
        let hits = Arc::new(AtomicUsize::new(0));
        let freed = Arc::new(AtomicUsize::new(0));
        let h = hits.clone();
        let f = freed.clone();
        let id = l.add_timeout(
            0,
            Arc::new(move |_| {
                h.fetch_add(1, Ordering::SeqCst);
            }),
            Some(Box::new(move || {
                f.fetch_add(1, Ordering::SeqCst);
            })),
        );
        assert_eq!(id, 1);
        l.run_once().unwrap();
        l.run_once().unwrap();
        assert_eq!(hits.load(Ordering::SeqCst), 2);
        assert_eq!(l.remove_timeout(id), 0);
        assert_eq!(l.remove_timeout(id), -1);
        assert_eq!(freed.load(Ordering::SeqCst), 0, "free runs in the loop");
        // The loop has nothing left to wait for except the removal it must process; the
        // removal already woke it.
        l.run_once().unwrap();
        assert_eq!(freed.load(Ordering::SeqCst), 1);
        assert_eq!(hits.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn handle_sees_readable_and_wake_from_other_thread() {
        let l = Arc::new(DefaultLoop::new());
        let (a, b) = UnixStream::pair().unwrap();
        let got = Arc::new(AtomicUsize::new(0));
        let g = got.clone();
        let w = l.add_handle(
            a.as_raw_fd(),
            HANDLE_READABLE,
            Arc::new(move |_, _, ev| {
                g.fetch_or(ev as usize, Ordering::SeqCst);
            }),
            None,
        );
        assert_eq!(w, 1);
        let l2 = l.clone();
        let t = std::thread::spawn(move || {
            for _ in 0..100 {
                l2.run_once().unwrap();
                if got.load(Ordering::SeqCst) != 0 {
                    return got.load(Ordering::SeqCst);
                }
            }
            0
        });
        std::thread::sleep(Duration::from_millis(20));
        (&b).write_all(b"x").unwrap();
        assert_eq!(t.join().unwrap() as i32 & HANDLE_READABLE, HANDLE_READABLE);
        assert_eq!(l.remove_handle(w), 0);
    }
}
