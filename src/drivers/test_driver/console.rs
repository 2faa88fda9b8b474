//! Consoles of the test driver: what `virDomainOpenConsole` reaches on a running test domain.
//!
//! Every `<serial>`, `<console>` and `<parallel>` of a domain is a character device with an
//! alias (`serialN`, `consoleN`, `parallelN` by position, unless the XML names one). A
//! `<console>` whose target is a serial port (the default for hvm) is the same device as that
//! serial port, as with qemu, so `serial0` and `console0` of `test:///default` are one device.
//!
//! Behind a `pty` device is a built-in guest that echoes every byte, like a terminal with echo
//! on: a send puts the bytes straight into the session's output ring, a recv takes them out
//! (one copy each way, no thread). Behind a `<serial type='unix'><source mode='connect'
//! path='…'/>` device is a real UNIX socket the test driver connects to when the console is
//! opened, so any program listening there plays the guest.
//!
//! Exclusivity follows libvirt's qemu driver (virChrdevOpen): one session per device; a second
//! open fails with OPERATION_FAILED `Active console session exists for this domain` (error
//! domain VIR_FROM_TEST, where qemu says VIR_FROM_QEMU), unless it passes FORCE, which aborts
//! the holder through the public stream's abort hook (its callback sees ERROR once, in the
//! forcing thread). SAFE is accepted and changes nothing: exclusion is always enforced.
//!
//! The lifecycle code calls [`Registry::domain_stopped`] when a domain stops: every session of
//! that domain hangs up (recv drains what is buffered, then answers 0; readiness reports
//! READABLE|HANGUP), and its devices become free for the next run.

use super::xml::DomainDef;
use crate::core::stream::{
    AbortHook, EVENT_HANGUP, EVENT_READABLE, EVENT_WRITABLE, Io, StreamBackend, Waker,
};
use crate::core::{Code, Domain, Result, VirError};
use crate::sys;
use parking_lot::{Condvar, Mutex, MutexGuard};
use rustc_hash::FxHashMap;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Weak};

/// `VIR_DOMAIN_CONSOLE_FORCE`, `VIR_DOMAIN_CONSOLE_SAFE`.
pub(crate) const CONSOLE_FORCE: u32 = 1;
pub(crate) const CONSOLE_SAFE: u32 = 2;

/// Output buffered for the client by the echo guest (a full ring blocks the sender).
const ECHO_RING: usize = 1 << 20;
/// Output buffered from a socket guest before the reader stops reading it.
const SOCKET_RING: usize = 256 << 10;

// ---------------------------------------------------------------------------------------------
// Character devices of a definition.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A pseudo-terminal: the built-in echo guest.
    Pty,
    /// A UNIX socket the driver connects to.
    UnixConnect(String),
    /// Anything else (file, null, tcp, unix bind…): not usable as a console.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CharDev {
    /// serial, console or parallel.
    pub kind: &'static str,
    pub alias: String,
    /// The device that is really opened: its own alias, or that of the serial port a
    /// serial-target console stands for.
    pub key: String,
    pub source: Source,
}

fn source_of(dev_type: Option<&str>, mode: Option<&str>, path: Option<&str>) -> Source {
    match (dev_type, mode, path) {
        (Some("pty"), _, _) => Source::Pty,
        (Some("unix"), None | Some("connect"), Some(p)) => Source::UnixConnect(p.to_string()),
        _ => Source::Other,
    }
}

/// `<target type=… port=…>` of a device's XML.
fn target_of(xml: &str) -> (Option<String>, Option<u32>) {
    let Ok(doc) = roxmltree::Document::parse(xml) else {
        return (None, None);
    };
    let t = doc
        .root_element()
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "target");
    (
        t.and_then(|t| t.attribute("type")).map(str::to_string),
        t.and_then(|t| t.attribute("port"))
            .and_then(|p| p.trim().parse().ok()),
    )
}

/// The character devices of `def`: consoles first, then serials, then parallels (the order in
/// which libvirt searches them by alias).
pub fn char_devices(def: &DomainDef) -> Vec<CharDev> {
    let mut serials = Vec::new();
    let mut consoles = Vec::new();
    let mut parallels = Vec::new();
    // (port, alias, source) of each serial, for consoles that stand for one.
    let mut serial_ports = Vec::new();
    for d in &def.devices {
        let source = source_of(
            d.dev_type.as_deref(),
            d.source_mode.as_deref(),
            d.source_path.as_deref(),
        );
        match d.kind.as_str() {
            "serial" => {
                let i = serials.len();
                let alias = d.alias.clone().unwrap_or_else(|| format!("serial{i}"));
                let port = target_of(&d.xml).1.unwrap_or(i as u32);
                serial_ports.push((port, alias.clone(), source.clone()));
                serials.push(CharDev {
                    kind: "serial",
                    key: alias.clone(),
                    alias,
                    source,
                });
            }
            "console" => {
                let i = consoles.len();
                let alias = d.alias.clone().unwrap_or_else(|| format!("console{i}"));
                let (ttype, port) = target_of(&d.xml);
                consoles.push((alias, ttype, port.unwrap_or(0), source));
            }
            "parallel" => {
                let i = parallels.len();
                let alias = d.alias.clone().unwrap_or_else(|| format!("parallel{i}"));
                parallels.push(CharDev {
                    kind: "parallel",
                    key: alias.clone(),
                    alias,
                    source,
                });
            }
            _ => {}
        }
    }
    let serial_default = def.os_type == "hvm";
    let mut out: Vec<CharDev> = consoles
        .into_iter()
        .map(|(alias, ttype, port, source)| {
            let serial_target = match ttype.as_deref() {
                Some("serial") => true,
                None => serial_default,
                Some(_) => false,
            };
            match serial_ports
                .iter()
                .find(|(p, _, _)| serial_target && *p == port)
            {
                Some((_, skey, ssrc)) => CharDev {
                    kind: "console",
                    alias,
                    key: skey.clone(),
                    source: ssrc.clone(),
                },
                None => CharDev {
                    kind: "console",
                    key: alias.clone(),
                    alias,
                    source,
                },
            }
        })
        .collect();
    out.extend(serials);
    out.extend(parallels);
    out
}

/// qemuDomainOpenConsole's choice: by alias among consoles, serials, parallels; without a
/// name, the first console, else the first serial.
pub fn select<'a>(devs: &'a [CharDev], dev_name: Option<&str>) -> Result<&'a CharDev> {
    let found = match dev_name {
        Some(n) => devs.iter().find(|d| d.alias == n),
        None => devs
            .iter()
            .find(|d| d.kind == "console")
            .or_else(|| devs.iter().find(|d| d.kind == "serial")),
    };
    let Some(dev) = found else {
        return Err(VirError::internal(
            Domain::VIR_FROM_TEST,
            format!(
                "cannot find character device {}",
                dev_name.unwrap_or("(null)")
            ),
        ));
    };
    if dev.source == Source::Other {
        return Err(VirError::internal(
            Domain::VIR_FROM_TEST,
            format!(
                "character device {} is not using a PTY",
                dev_name.unwrap_or(&dev.alias)
            ),
        ));
    }
    Ok(dev)
}

// ---------------------------------------------------------------------------------------------
// A byte ring.

struct Ring {
    buf: Vec<u8>,
    head: usize,
    len: usize,
}

impl Ring {
    fn new(cap: usize) -> Ring {
        Ring {
            buf: vec![0; cap],
            head: 0,
            len: 0,
        }
    }
    fn cap(&self) -> usize {
        self.buf.len()
    }
    fn is_empty(&self) -> bool {
        self.len == 0
    }
    fn is_full(&self) -> bool {
        self.len == self.cap()
    }
    /// Copy in as much of `data` as fits.
    fn push(&mut self, data: &[u8]) -> usize {
        let n = data.len().min(self.cap() - self.len);
        let tail = (self.head + self.len) % self.cap();
        let first = n.min(self.cap() - tail);
        self.buf[tail..tail + first].copy_from_slice(&data[..first]);
        self.buf[..n - first].copy_from_slice(&data[first..n]);
        self.len += n;
        n
    }
    /// Copy out as much as `out` holds.
    fn pop(&mut self, out: &mut [u8]) -> usize {
        let n = out.len().min(self.len);
        let first = n.min(self.cap() - self.head);
        out[..first].copy_from_slice(&self.buf[self.head..self.head + first]);
        out[first..n].copy_from_slice(&self.buf[..n - first]);
        self.head = (self.head + n) % self.cap();
        self.len -= n;
        if self.len == 0 {
            self.head = 0;
        }
        n
    }
    /// The contiguous free space after the data (for reading a socket straight in).
    fn free_slice(&mut self) -> &mut [u8] {
        let cap = self.cap();
        if self.len == cap {
            return &mut [];
        }
        let tail = (self.head + self.len) % cap;
        let end = if tail >= self.head { cap } else { self.head };
        &mut self.buf[tail..end]
    }
    fn commit(&mut self, n: usize) {
        self.len += n;
    }
}

// ---------------------------------------------------------------------------------------------
// Sessions.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Open,
    /// The guest went away (domain stopped, socket closed): EOF after the buffered data.
    Hangup,
    /// Finished, aborted or taken over: nothing works any more.
    Closed,
}

struct Inner {
    out: Ring,
    state: State,
    waker: Option<Waker>,
    hook: Option<AbortHook>,
    /// Taken over before the public layer gave us its hook: run it as soon as it comes.
    evicted: bool,
    /// A non-blocking send to the socket would have blocked: report WRITABLE only once the
    /// reader thread sees the socket writable again.
    want_write: bool,
}

enum Guest {
    Echo,
    Socket {
        sock: UnixStream,
        /// Wakes the reader thread (close, want_write).
        poke_tx: UnixStream,
        poke_rx: UnixStream,
    },
}

/// One console session: the driver side of one open console stream.
pub struct Session {
    inner: Mutex<Inner>,
    cv: Condvar,
    nonblock: bool,
    guest: Guest,
    registry: Weak<Registry>,
    slot: SlotKey,
}

fn io_error(what: &str, e: &std::io::Error) -> VirError {
    VirError::system(
        Domain::VIR_FROM_STREAMS,
        e.raw_os_error().unwrap_or(libc::EIO),
        what,
    )
}

fn not_open() -> VirError {
    VirError::internal(Domain::VIR_FROM_STREAMS, "stream is not open")
}

impl Session {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock()
    }

    fn wake(waker: Option<Waker>) {
        if let Some(w) = waker {
            w();
        }
    }

    fn poke(&self) {
        if let Guest::Socket { poke_tx, .. } = &self.guest {
            let _ = (&*poke_tx).write(&[1]);
        }
    }

    /// End the session for good (finish, abort, takeover without hook).
    fn close(&self) {
        let waker = {
            let mut g = self.lock();
            if g.state == State::Closed {
                return;
            }
            g.state = State::Closed;
            g.hook = None;
            g.waker.take()
        };
        self.cv.notify_all();
        if let Guest::Socket { sock, .. } = &self.guest {
            let _ = sock.shutdown(std::net::Shutdown::Both);
        }
        self.poke();
        if let Some(r) = self.registry.upgrade() {
            r.release(self);
        }
        drop(waker);
    }

    /// Taken over by a FORCE open: abort the public stream (or remember to).
    fn evict(&self) {
        let hook = {
            let mut g = self.lock();
            if g.state == State::Closed {
                return;
            }
            match g.hook.clone() {
                Some(h) => Some(h),
                None => {
                    g.evicted = true;
                    None
                }
            }
        };
        match hook {
            Some(h) => h(),
            None => self.close(),
        }
    }

    /// The guest is gone.
    fn hangup(&self) {
        let waker = {
            let mut g = self.lock();
            if g.state != State::Open {
                return;
            }
            g.state = State::Hangup;
            g.waker.clone()
        };
        self.cv.notify_all();
        if let Guest::Socket { sock, .. } = &self.guest {
            let _ = sock.shutdown(std::net::Shutdown::Both);
        }
        self.poke();
        Self::wake(waker);
    }

    /// The socket guest's reader: socket → ring, until close or EOF.
    fn reader(self: Arc<Self>) {
        let Guest::Socket { sock, poke_rx, .. } = &self.guest else {
            return;
        };
        loop {
            let (space, want_write) = {
                let g = self.lock();
                if g.state != State::Open {
                    return;
                }
                (!g.out.is_full(), g.want_write)
            };
            let mut fds = [
                sys::PollFd {
                    fd: sock.as_raw_fd(),
                    events: (if space { sys::POLLIN } else { 0 })
                        | (if want_write { sys::POLLOUT } else { 0 }),
                    revents: 0,
                },
                sys::PollFd {
                    fd: poke_rx.as_raw_fd(),
                    events: sys::POLLIN,
                    revents: 0,
                },
            ];
            if let Err(e) = sys::poll(&mut fds, None) {
                if e.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                self.hangup();
                return;
            }
            if fds[1].revents != 0 {
                let mut b = [0u8; 64];
                let _ = (&*poke_rx).read(&mut b);
            }
            let mut wake = false;
            let mut g = self.lock();
            if g.state != State::Open {
                return;
            }
            if fds[0].revents & sys::POLLOUT != 0 && g.want_write {
                g.want_write = false;
                wake = true;
            }
            if fds[0].revents & (sys::POLLIN | sys::POLLHUP | sys::POLLERR) != 0 && !g.out.is_full()
            {
                let was_empty = g.out.is_empty();
                let r = (&*sock).read(g.out.free_slice());
                match r {
                    Ok(0) => {
                        drop(g);
                        self.hangup();
                        return;
                    }
                    Ok(n) => {
                        g.out.commit(n);
                        wake |= was_empty;
                        self.cv.notify_all();
                    }
                    Err(e)
                        if e.kind() == std::io::ErrorKind::WouldBlock
                            || e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => {
                        drop(g);
                        self.hangup();
                        return;
                    }
                }
            }
            let waker = if wake { g.waker.clone() } else { None };
            drop(g);
            Self::wake(waker);
        }
    }
}

impl StreamBackend for Session {
    fn send(&self, data: &[u8]) -> Result<Io> {
        match &self.guest {
            Guest::Echo => {
                let mut g = self.lock();
                loop {
                    match g.state {
                        State::Closed => return Err(not_open()),
                        State::Hangup => {
                            return Err(VirError::system(
                                Domain::VIR_FROM_STREAMS,
                                libc::EIO,
                                "cannot write to stream",
                            ));
                        }
                        State::Open => {}
                    }
                    if data.is_empty() {
                        return Ok(Io::Done(0));
                    }
                    if !g.out.is_full() {
                        break;
                    }
                    if self.nonblock {
                        return Ok(Io::WouldBlock);
                    }
                    self.cv.wait(&mut g);
                }
                let was_empty = g.out.is_empty();
                let n = g.out.push(data);
                let waker = if was_empty { g.waker.clone() } else { None };
                drop(g);
                if !self.nonblock {
                    self.cv.notify_all();
                }
                Self::wake(waker);
                Ok(Io::Done(n))
            }
            Guest::Socket { sock, .. } => loop {
                match self.lock().state {
                    State::Closed => return Err(not_open()),
                    State::Hangup => {
                        return Err(VirError::system(
                            Domain::VIR_FROM_STREAMS,
                            libc::EIO,
                            "cannot write to stream",
                        ));
                    }
                    State::Open => {}
                }
                match (&*sock).write(data) {
                    Ok(n) => return Ok(Io::Done(n)),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        if self.nonblock {
                            self.lock().want_write = true;
                            self.poke();
                            return Ok(Io::WouldBlock);
                        }
                        let _ = sys::wait_fd(
                            sock.as_raw_fd(),
                            sys::POLLOUT,
                            Some(std::time::Duration::from_millis(200)),
                        );
                    }
                    Err(e) => return Err(io_error("cannot write to stream", &e)),
                }
            },
        }
    }

    fn recv(&self, buf: &mut [u8]) -> Result<Io> {
        let mut g = self.lock();
        loop {
            if g.state == State::Closed {
                return Err(not_open());
            }
            if !g.out.is_empty() {
                break;
            }
            if g.state == State::Hangup {
                return Ok(Io::Eof);
            }
            if buf.is_empty() {
                return Ok(Io::Done(0));
            }
            if self.nonblock {
                return Ok(Io::WouldBlock);
            }
            self.cv.wait(&mut g);
        }
        let was_full = g.out.is_full();
        let n = g.out.pop(buf);
        let waker = match self.guest {
            Guest::Echo if was_full => g.waker.clone(),
            _ => None,
        };
        drop(g);
        if was_full {
            // A blocked sender (echo) or the socket reader waits for room.
            self.cv.notify_all();
        }
        Self::wake(waker);
        Ok(Io::Done(n))
    }

    fn finish(&self) -> Result<()> {
        self.close();
        Ok(())
    }

    fn abort(&self) -> Result<()> {
        self.close();
        Ok(())
    }

    fn readiness(&self) -> u32 {
        let g = self.lock();
        let mut r = 0;
        if !g.out.is_empty() {
            r |= EVENT_READABLE;
        }
        match g.state {
            State::Open => {
                let writable = match self.guest {
                    Guest::Echo => !g.out.is_full(),
                    Guest::Socket { .. } => !g.want_write,
                };
                if writable {
                    r |= EVENT_WRITABLE;
                }
            }
            State::Hangup => r |= EVENT_READABLE | EVENT_HANGUP,
            State::Closed => {}
        }
        r
    }

    fn set_waker(&self, waker: Option<Waker>) {
        let mut g = self.lock();
        if g.state != State::Closed {
            g.waker = waker;
        }
    }

    fn set_abort_hook(&self, hook: Option<AbortHook>) {
        let run_now = {
            let mut g = self.lock();
            if g.evicted {
                g.evicted = false;
                hook
            } else {
                if g.state != State::Closed {
                    g.hook = hook;
                }
                None
            }
        };
        if let Some(h) = run_now {
            h();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The registry of open devices (one per node).

/// A device of a domain: (uuid, device key).
type SlotKey = ([u8; 16], String);

/// Which device of which domain is held by which session.
#[derive(Default)]
pub struct Registry {
    slots: Mutex<FxHashMap<SlotKey, Arc<Session>>>,
}

impl Registry {
    pub fn new() -> Arc<Registry> {
        Arc::new(Registry::default())
    }

    /// Open a session on `dev` of domain `uuid` (which the caller has checked is running,
    /// and keeps running until this returns). Returns the new session and the one it took
    /// over; the caller evicts the latter once it holds no lock.
    pub fn open(
        self: &Arc<Self>,
        uuid: &[u8; 16],
        dev: &CharDev,
        flags: u32,
        nonblock: bool,
    ) -> Result<(Arc<Session>, Option<Arc<Session>>)> {
        let key = (*uuid, dev.key.clone());
        let force = flags & CONSOLE_FORCE != 0;
        if !force && self.slots.lock().contains_key(&key) {
            return Err(busy());
        }
        let guest = match &dev.source {
            Source::Pty => Guest::Echo,
            Source::UnixConnect(path) => {
                let sock = UnixStream::connect(path).map_err(|e| {
                    VirError::system(
                        Domain::VIR_FROM_TEST,
                        e.raw_os_error().unwrap_or(libc::EIO),
                        &format!("failed to connect to console socket '{path}'"),
                    )
                })?;
                let (poke_tx, poke_rx) = UnixStream::pair()
                    .and_then(|p| {
                        sock.set_nonblocking(true)?;
                        p.0.set_nonblocking(true)?;
                        p.1.set_nonblocking(true)?;
                        Ok(p)
                    })
                    .map_err(|e| io_error("cannot set up console socket", &e))?;
                Guest::Socket {
                    sock,
                    poke_tx,
                    poke_rx,
                }
            }
            Source::Other => unreachable!("select() rejects these"),
        };
        let cap = match guest {
            Guest::Echo => ECHO_RING,
            Guest::Socket { .. } => SOCKET_RING,
        };
        let s = Arc::new(Session {
            inner: Mutex::new(Inner {
                out: Ring::new(cap),
                state: State::Open,
                waker: None,
                hook: None,
                evicted: false,
                want_write: false,
            }),
            cv: Condvar::new(),
            nonblock,
            guest,
            registry: Arc::downgrade(self),
            slot: key.clone(),
        });
        let old = {
            let mut slots = self.slots.lock();
            if !force && slots.contains_key(&key) {
                drop(slots);
                s.close();
                return Err(busy());
            }
            slots.insert(key, s.clone())
        };
        if matches!(s.guest, Guest::Socket { .. }) {
            let r = s.clone();
            let spawned = std::thread::Builder::new()
                .name("test-console".into())
                .spawn(move || r.reader());
            if let Err(e) = spawned {
                s.close();
                return Err(io_error("cannot start console reader", &e));
            }
        }
        Ok((s, old))
    }

    /// A session ended: free its device unless someone else holds it by now.
    fn release(&self, s: &Session) {
        let mut slots = self.slots.lock();
        if slots
            .get(&s.slot)
            .is_some_and(|cur| std::ptr::eq(Arc::as_ptr(cur), s))
        {
            slots.remove(&s.slot);
        }
    }

    /// The hook for the lifecycle code: domain `uuid` stopped (destroy, shutdown, crash…).
    /// Every open console of it hangs up and its devices are free again. Safe to call with or
    /// without the node's lock held; it runs no application code.
    pub fn domain_stopped(&self, uuid: &[u8; 16]) {
        let gone: Vec<Arc<Session>> = {
            let mut slots = self.slots.lock();
            let keys: Vec<_> = slots.keys().filter(|k| &k.0 == uuid).cloned().collect();
            keys.into_iter().filter_map(|k| slots.remove(&k)).collect()
        };
        for s in gone {
            s.hangup();
        }
    }

    /// How many devices are held (tests).
    pub fn held(&self) -> usize {
        self.slots.lock().len()
    }
}

/// Evict the session a FORCE open took over (no lock may be held: application code runs).
pub fn evict(old: Option<Arc<Session>>) {
    if let Some(o) = old {
        o.evict();
    }
}

fn busy() -> VirError {
    VirError::detail(
        Domain::VIR_FROM_TEST,
        Code::VIR_ERR_OPERATION_FAILED,
        "Active console session exists for this domain",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_wraps() {
        let mut r = Ring::new(8);
        assert_eq!(r.push(b"abcdef"), 6);
        let mut o = [0u8; 4];
        assert_eq!(r.pop(&mut o), 4);
        assert_eq!(&o, b"abcd");
        assert_eq!(r.push(b"123456789"), 6);
        assert!(r.is_full());
        let mut o = [0u8; 16];
        assert_eq!(r.pop(&mut o), 8);
        assert_eq!(&o[..8], b"ef123456");
        assert!(r.is_empty());
    }

    #[test]
    fn echo_session_exclusive_and_force() {
        let reg = Registry::new();
        let dev = CharDev {
            kind: "serial",
            alias: "serial0".into(),
            key: "serial0".into(),
            source: Source::Pty,
        };
        let u = [1u8; 16];
        let (a, none) = reg.open(&u, &dev, 0, true).unwrap();
        assert!(none.is_none());
        let e = reg.open(&u, &dev, CONSOLE_SAFE, true).err().unwrap();
        assert_eq!(e.code, Code::VIR_ERR_OPERATION_FAILED as i32);
        assert_eq!(a.send(b"hi").unwrap(), Io::Done(2));
        let mut b = [0u8; 8];
        assert_eq!(a.recv(&mut b).unwrap(), Io::Done(2));
        assert_eq!(a.recv(&mut b).unwrap(), Io::WouldBlock);
        let (b2, old) = reg.open(&u, &dev, CONSOLE_FORCE, true).unwrap();
        evict(old);
        assert!(a.recv(&mut b).is_err());
        assert_eq!(reg.held(), 1);
        reg.domain_stopped(&u);
        assert_eq!(reg.held(), 0);
        assert_eq!(b2.recv(&mut b).unwrap(), Io::Eof);
        assert_eq!(b2.readiness() & EVENT_HANGUP, EVENT_HANGUP);
    }
}
