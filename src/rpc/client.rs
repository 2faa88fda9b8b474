//! One RPC connection to a daemon: calls from any thread, matched to their replies by serial,
//! a reader thread that demultiplexes replies, events, stream packets and keepalives, and a
//! keepalive thread that answers the daemon's PINGs and declares a silent peer dead.
//!
//! Every wait is bounded by the connection's death: a dead peer (EOF, I/O error, protocol
//! violation, keepalive timeout) fails every pending call and stream at once.

use super::packet::{self, FrameError, Header, PROG_KEEPALIVE, PROG_REMOTE, Status, Type};
use super::program::Procedure;
use super::stream::{StreamConn, StreamShared};
use super::xdr::{Dec, Enc, Xdr};
use crate::core::error::{Code, Domain};
use crate::core::{Result, VirError};
use crate::generated::proto_procs::keepalive;
use crate::generated::proto_types as t; // hostmisc scope: VIR_NET_MESSAGE_NUM_FDS_MAX
use crate::generated::proto_types::VirNetMessageError;
use parking_lot::{Condvar, Mutex};
use rustc_hash::FxHashMap;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// `virConnectCloseReason`.
pub(crate) const CLOSE_REASON_ERROR: i32 = 0;
pub(crate) const CLOSE_REASON_EOF: i32 = 1;
pub(crate) const CLOSE_REASON_KEEPALIVE: i32 = 2;
pub(crate) const CLOSE_REASON_CLIENT: i32 = 3;

/// A connected byte stream to a daemon.
pub struct Transport {
    pub reader: Box<dyn Read + Send>,
    pub writer: Box<dyn Write + Send>,
    /// Unblocks the reader and writers for good (socket shutdown, child kill).
    pub closer: Box<dyn Fn() + Send + Sync>,
    /// Extra words for a broken stream: end of file, read or write errors (e.g. what ssh
    /// printed on stderr).
    pub eof_detail: Option<Box<dyn Fn() -> Option<String> + Send + Sync>>,
    /// libvirt's notion of a secure / encrypted transport.
    pub secure: bool,
    pub encrypted: bool,
}

/// Keepalive settings: PING after `interval` of silence, dead after `count` unanswered PINGs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keepalive {
    pub interval: Duration,
    pub count: u32,
}

impl Default for Keepalive {
    /// libvirt's defaults (`keepalive_interval = 5`, `keepalive_count = 5`).
    fn default() -> Self {
        Keepalive {
            interval: Duration::from_secs(5),
            count: 5,
        }
    }
}

pub type EventHandler = Arc<dyn Fn(i32, &[u8]) + Send + Sync>;
pub type CloseHandler = Arc<dyn Fn(i32) + Send + Sync>;
/// (program, procedure, payload) of one event MESSAGE.
type EventSender = std::sync::mpsc::Sender<(u32, i32, Vec<u8>)>;

/// libvirt's error when a thread cannot be made.
fn thread_error(e: std::io::Error) -> VirError {
    VirError::system(
        Domain::VIR_FROM_RPC,
        e.raw_os_error().unwrap_or(libc::EAGAIN),
        "Unable to create thread",
    )
}

/// The event thread's queue: none until the first event; `closed` once the connection died.
#[derive(Default)]
struct EventSlot {
    tx: Option<EventSender>,
    closed: bool,
}
/// libs scope: the event handlers of programs other than remote (the QEMU program's monitor
/// events), by program number.
type ProgramHandlers = Arc<Mutex<Vec<(u32, EventHandler)>>>;

#[derive(Default)]
struct CallSlot {
    result: Mutex<Option<Result<Vec<u8>>>>,
    cv: Condvar,
    /// hostmisc scope: the descriptors a REPLY_WITH_FDS brought, taken with the result.
    fds: Mutex<Vec<OwnedFd>>,
}

impl CallSlot {
    fn fill(&self, r: Result<Vec<u8>>) {
        *self.result.lock() = Some(r);
        self.cv.notify_all();
    }
}

#[derive(Default)]
struct Table {
    calls: FxHashMap<u32, Arc<CallSlot>>,
    streams: FxHashMap<u32, Arc<StreamShared>>,
    /// Set once, when the connection dies; nothing is added afterwards.
    dead: Option<VirError>,
    /// Whether a caller has been told why the connection died. A peer that dies before the
    /// first call is sent (an ssh child that could not connect) must still explain itself
    /// to that call; later calls only hear that the socket is closed.
    reported: bool,
}

struct KaState {
    cfg: Option<Keepalive>,
    pong_due: bool,
    stop: bool,
}

pub(crate) struct Inner {
    writer: Mutex<Box<dyn Write + Send>>,
    closer: Box<dyn Fn() + Send + Sync>,
    eof_detail: Option<Box<dyn Fn() -> Option<String> + Send + Sync>>,
    serial: AtomicU32,
    table: Mutex<Table>,
    dead: AtomicBool,
    closing: AtomicBool,
    events: Arc<Mutex<Option<EventHandler>>>,
    program_events: ProgramHandlers,
    /// Events go to their own thread, so a handler may make calls on this connection. The
    /// thread starts with the first event: a connection that never hears one (most of them)
    /// costs no thread for it.
    event_tx: Mutex<EventSlot>,
    close_handlers: Mutex<Vec<(u64, CloseHandler)>>,
    next_handler: AtomicU64,
    ka: Mutex<KaState>,
    ka_cv: Condvar,
    /// Nanoseconds since `epoch` at which the last packet arrived.
    last_rx: AtomicU64,
    epoch: Instant,
    pub secure: bool,
    pub encrypted: bool,
    /// hostmisc scope: the AF_UNIX socket descriptors travel over (`virNetSocketHasPassFD`);
    /// unset for every other transport.
    fd_sock: once_cell::sync::OnceCell<OwnedFd>,
}

/// A handle on one connection. Cloning shares it; `close` (or dropping the last `Client`
/// handle made by `connect`) shuts it down.
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl Drop for Client {
    fn drop(&mut self) {
        self.inner.shutdown();
    }
}

fn closed_error() -> VirError {
    VirError::new(
        Domain::VIR_FROM_RPC,
        Code::VIR_ERR_INTERNAL_ERROR,
        Some("client socket is closed"),
    )
}

/// The error a daemon sent; one without a message reads "Unknown error", as libvirt's client
/// shows it.
fn server_error(body: &[u8]) -> VirError {
    let mut e = decode_error(body);
    if e.message.is_none() {
        e.message = Some("Unknown error".to_string());
    }
    e
}

/// A failed write. As libvirt's, it never carries the transport's stderr: only reads do. (When
/// ssh exits before the first call is written, libvirt says "Cannot write data: Broken pipe".)
fn write_error(e: &std::io::Error) -> VirError {
    VirError::system(
        Domain::VIR_FROM_RPC,
        e.raw_os_error().unwrap_or(libc::EIO),
        "Cannot write data",
    )
}

fn rpc_error(msg: impl AsRef<str>) -> VirError {
    VirError::new(Domain::VIR_FROM_RPC, Code::VIR_ERR_RPC, Some(msg.as_ref()))
}

impl Client {
    /// Start the reader and keepalive threads over `t`. Keepalive is on from the start (with
    /// `ka`, or libvirt's defaults), so even the handshake cannot hang on a silent peer.
    pub fn connect(t: Transport, ka: Option<Keepalive>) -> Result<Client> {
        let inner = Arc::new(Inner {
            writer: Mutex::new(t.writer),
            closer: t.closer,
            eof_detail: t.eof_detail,
            serial: AtomicU32::new(0),
            table: Mutex::new(Table::default()),
            dead: AtomicBool::new(false),
            closing: AtomicBool::new(false),
            events: Arc::new(Mutex::new(None)),
            event_tx: Mutex::new(EventSlot::default()),
            program_events: Arc::new(Mutex::new(Vec::new())),
            close_handlers: Mutex::new(Vec::new()),
            next_handler: AtomicU64::new(1),
            ka: Mutex::new(KaState {
                cfg: ka,
                pong_due: false,
                stop: false,
            }),
            ka_cv: Condvar::new(),
            last_rx: AtomicU64::new(0),
            epoch: Instant::now(),
            secure: t.secure,
            encrypted: t.encrypted,
            fd_sock: once_cell::sync::OnceCell::new(),
        });
        let mut reader = t.reader;
        let r = inner.clone();
        let spawn_err = thread_error;
        std::thread::Builder::new()
            .name("oxvirt-rpc-rx".into())
            .spawn(move || r.reader_loop(&mut *reader))
            .map_err(spawn_err)?;
        let k = inner.clone();
        if let Err(e) = std::thread::Builder::new()
            .name("oxvirt-rpc-ka".into())
            .spawn(move || k.keepalive_loop())
        {
            inner.shutdown();
            return Err(spawn_err(e));
        }
        Ok(Client { inner })
    }

    /// Call `proc_` of the remote program with an encoded argument payload; the reply payload
    /// on success, the daemon's error (or the connection's) otherwise.
    pub fn call(&self, proc_: i32, args: &[u8]) -> Result<Vec<u8>> {
        self.inner.call(PROG_REMOTE, proc_, args, None, None)
    }

    /// As `call`, giving up after `timeout`.
    pub fn call_timeout(&self, proc_: i32, args: &[u8], timeout: Duration) -> Result<Vec<u8>> {
        self.inner
            .call(PROG_REMOTE, proc_, args, Some(timeout), None)
    }

    /// Call a procedure that opens a stream; the stream is registered before the call goes out
    /// so no packet behind the reply can be lost.
    pub fn call_stream(&self, proc_: i32, args: &[u8]) -> Result<(Vec<u8>, Arc<StreamShared>)> {
        let st = Arc::new(StreamShared::new(proc_));
        let reply = self
            .inner
            .call(PROG_REMOTE, proc_, args, None, Some(st.clone()))?;
        Ok((reply, st))
    }

    /// Call procedure `P`: its arguments encoded, its reply decoded completely.
    pub fn call_proc<P: Procedure>(&self, args: &P::Args) -> Result<P::Ret> {
        let reply = self
            .inner
            .call(P::PROG, P::NUM, &args.to_xdr(), None, None)?;
        decode_reply::<P::Ret>(&reply)
    }

    /// As `call_proc`, giving up after `timeout`.
    pub fn call_proc_timeout<P: Procedure>(
        &self,
        args: &P::Args,
        timeout: Duration,
    ) -> Result<P::Ret> {
        let reply = self
            .inner
            .call(P::PROG, P::NUM, &args.to_xdr(), Some(timeout), None)?;
        decode_reply::<P::Ret>(&reply)
    }

    /// As `call_stream`, typed: procedure `P` opens a stream.
    pub fn call_proc_stream<P: Procedure>(
        &self,
        args: &P::Args,
    ) -> Result<(P::Ret, Arc<StreamShared>)> {
        let st = Arc::new(StreamShared::new(P::NUM));
        let reply = self
            .inner
            .call(P::PROG, P::NUM, &args.to_xdr(), None, Some(st.clone()))?;
        Ok((decode_reply::<P::Ret>(&reply)?, st))
    }

    // ---- host/misc (hostmisc): descriptor passing.
    /// The connection runs over this AF_UNIX socket (a duplicate of the transport's), so
    /// descriptors can travel with calls and replies.
    pub fn set_fd_socket(&self, fd: OwnedFd) {
        let _ = self.inner.fd_sock.set(fd);
    }

    /// `virNetClientHasPassFD`.
    pub fn has_pass_fd(&self) -> bool {
        self.inner.fd_sock.get().is_some()
    }

    /// Call procedure `P` passing `fds` (a CALL_WITH_FDS when there are any); the decoded
    /// reply and the descriptors a REPLY_WITH_FDS brought back.
    pub fn call_proc_with_fds<P: Procedure>(
        &self,
        args: &P::Args,
        fds: &[RawFd],
    ) -> Result<(P::Ret, Vec<OwnedFd>)> {
        let (reply, got) =
            self.inner
                .call_full(P::PROG, P::NUM, &args.to_xdr(), None, None, fds)?;
        Ok((decode_reply::<P::Ret>(&reply)?, got))
    }
    // ---- end of host/misc (hostmisc)

    /// The connection as a stream's channel to the daemon.
    pub(crate) fn stream_conn(&self) -> Arc<dyn StreamConn> {
        self.inner.clone()
    }

    pub fn set_event_handler(&self, h: Option<EventHandler>) {
        *self.inner.events.lock() = h;
    }

    /// libs scope: the handler of program `prog`'s event messages (not the remote program's,
    /// see `set_event_handler`), replacing any earlier one.
    pub fn set_program_event_handler(&self, prog: u32, h: EventHandler) {
        let mut hs = self.inner.program_events.lock();
        hs.retain(|(p, _)| *p != prog);
        hs.push((prog, h));
    }

    pub fn add_close_handler(&self, h: CloseHandler) -> u64 {
        let id = self.inner.next_handler.fetch_add(1, Ordering::Relaxed);
        self.inner.close_handlers.lock().push((id, h));
        id
    }

    pub fn remove_close_handler(&self, id: u64) -> bool {
        let mut v = self.inner.close_handlers.lock();
        let before = v.len();
        v.retain(|(i, _)| *i != id);
        v.len() != before
    }

    /// Change (or, with `None`, stop) the client's own keepalive.
    pub fn set_keepalive(&self, ka: Option<Keepalive>) {
        let mut k = self.inner.ka.lock();
        k.cfg = ka;
        self.inner.ka_cv.notify_all();
    }

    pub fn is_alive(&self) -> bool {
        !self.inner.dead.load(Ordering::Acquire)
    }

    pub fn is_secure(&self) -> bool {
        self.inner.secure
    }

    pub fn is_encrypted(&self) -> bool {
        self.inner.encrypted
    }

    /// Shut the connection down now; pending calls fail.
    pub fn close(&self) {
        self.inner.shutdown();
    }
}

/// Build an argument payload.
pub fn args(f: impl FnOnce(&mut Enc)) -> Vec<u8> {
    let mut e = Enc::new();
    f(&mut e);
    e.into_inner()
}

/// Decode a reply payload completely with `f`; anything malformed is an RPC error.
pub fn decode<T>(
    payload: &[u8],
    f: impl FnOnce(&mut Dec<'_>) -> super::xdr::XResult<T>,
) -> Result<T> {
    // Bytes after the value are ignored, as libvirt's XDR decoding of a payload does.
    let mut d = Dec::new(payload);
    f(&mut d).map_err(decode_failure)
}

/// Decode a whole reply payload as a `T`.
pub fn decode_reply<T: Xdr>(payload: &[u8]) -> Result<T> {
    // Bytes after the value are ignored, as libvirt's XDR decoding of a payload does.
    T::dec(&mut Dec::new(payload)).map_err(decode_failure)
}

/// The error a daemon sent (`virNetMessageError`), exactly as sent; a payload that is no
/// error is itself the error.
pub fn decode_error(payload: &[u8]) -> VirError {
    match decode_reply::<VirNetMessageError>(payload) {
        Ok(e) => e.into(),
        Err(e) => e,
    }
}

/// The error for a payload that did not decode (libvirt: VIR_ERR_RPC "Unable to decode message
/// payload").
pub fn decode_failure(what: impl std::fmt::Display) -> VirError {
    let mut e = VirError::new(
        Domain::VIR_FROM_RPC,
        Code::VIR_ERR_RPC,
        Some("Unable to decode message payload"),
    );
    e.message = Some(format!("{}: {what}", e.message()));
    e
}

/// libvirt's client maps the server's "unknown procedure" to NO_SUPPORT.
fn map_unknown_procedure(e: VirError) -> VirError {
    if e.code == Code::VIR_ERR_RPC as i32
        && e.message
            .as_deref()
            .is_some_and(|m| m.starts_with("unknown procedure"))
    {
        let mut n = e;
        n.code = Code::VIR_ERR_NO_SUPPORT as i32;
        return n;
    }
    e
}

impl Inner {
    fn now_ns(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64
    }

    pub(crate) fn next_serial(&self) -> u32 {
        self.serial.fetch_add(1, Ordering::Relaxed)
    }

    fn call(
        &self,
        prog: u32,
        proc_: i32,
        args: &[u8],
        timeout: Option<Duration>,
        stream: Option<Arc<StreamShared>>,
    ) -> Result<Vec<u8>> {
        self.call_full(prog, proc_, args, timeout, stream, &[])
            .map(|(reply, _)| reply)
    }

    /// `call`, passing `fds` after the packet (hostmisc scope) and returning the descriptors
    /// of the reply.
    fn call_full(
        &self,
        prog: u32,
        proc_: i32,
        args: &[u8],
        timeout: Option<Duration>,
        stream: Option<Arc<StreamShared>>,
        fds: &[RawFd],
    ) -> Result<(Vec<u8>, Vec<OwnedFd>)> {
        if fds.len() > t::VIR_NET_MESSAGE_NUM_FDS_MAX as usize {
            return Err(rpc_error(format!(
                "Too many FDs to send {}, expected {} maximum",
                fds.len(),
                t::VIR_NET_MESSAGE_NUM_FDS_MAX
            )));
        }
        // libvirt sends duplicates, close-on-exec, and fails before anything goes out.
        let mut dups = Vec::with_capacity(fds.len());
        for fd in fds {
            dups.push(crate::sys::dup_cloexec(*fd).map_err(|e| {
                VirError::system(
                    Domain::VIR_FROM_RPC,
                    e.raw_os_error().unwrap_or(libc::EBADF),
                    &format!("Cannot duplicate FD {fd}"),
                )
            })?);
        }
        let with_fds;
        let args = if dups.is_empty() {
            args
        } else {
            let mut v = Vec::with_capacity(args.len() + 4);
            v.extend_from_slice(&(dups.len() as u32).to_be_bytes());
            v.extend_from_slice(args);
            with_fds = v;
            &with_fds[..]
        };
        if args.len() > packet::PAYLOAD_MAX {
            return Err(rpc_error(format!(
                "message payload of {} bytes is too large, maximum {}",
                args.len(),
                packet::PAYLOAD_MAX
            )));
        }
        let slot = Arc::new(CallSlot::default());
        let serial = self.next_serial();
        {
            let mut t = self.table.lock();
            if let Some(why) = t.dead.clone() {
                if t.reported || self.closing.load(Ordering::Acquire) {
                    return Err(closed_error());
                }
                t.reported = true;
                return Err(why);
            }
            t.calls.insert(serial, slot.clone());
            if let Some(st) = &stream {
                st.set_serial(serial);
                t.streams.insert(serial, st.clone());
            }
        }
        let kind = if dups.is_empty() {
            Type::Call
        } else {
            Type::CallWithFds
        };
        let h = Header::new(prog, proc_, kind, serial, Status::Ok);
        crate::vir_debug!(
            "rpc.netclient",
            "virNetClientSendWithReply",
            "RPC call: prog={prog} vers=1 proc={proc_} serial={serial} len={}",
            args.len()
        );
        if let Err(e) = self.send_with_fds(&packet::encode(&h, args), &dups) {
            let mut t = self.table.lock();
            t.calls.remove(&serial);
            t.streams.remove(&serial);
            return Err(e);
        }
        let deadline = timeout.map(|d| Instant::now() + d);
        let mut r = slot.result.lock();
        loop {
            if let Some(res) = r.take() {
                drop(r);
                crate::vir_debug!(
                    "rpc.netclient",
                    "virNetClientSendWithReply",
                    "RPC reply: prog={prog} proc={proc_} serial={serial} {}",
                    match &res {
                        Ok(p) => format!("status=ok len={}", p.len()),
                        Err(e) => format!("status=error code={} message={}", e.code, e.message()),
                    }
                );
                if res.is_err() && stream.is_some() {
                    self.table.lock().streams.remove(&serial);
                }
                let got = std::mem::take(&mut *slot.fds.lock());
                return res.map(|r| (r, got)).map_err(map_unknown_procedure);
            }
            match deadline {
                None => {
                    slot.cv.wait(&mut r);
                }
                Some(d) => {
                    if slot.cv.wait_until(&mut r, d).timed_out() && r.is_none() {
                        drop(r);
                        let mut t = self.table.lock();
                        t.calls.remove(&serial);
                        t.streams.remove(&serial);
                        return Err(VirError::new(
                            Domain::VIR_FROM_RPC,
                            Code::VIR_ERR_RPC,
                            Some("timed out waiting for a reply from the daemon"),
                        ));
                    }
                }
            }
        }
    }

    /// hostmisc scope: write one whole packet, then its descriptors (one SCM_RIGHTS message
    /// each) under the same writer lock, so nothing comes between them. A transport that
    /// cannot carry descriptors fails the way libvirt's does: after the packet, and for good.
    fn send_with_fds(&self, pkt: &[u8], fds: &[OwnedFd]) -> Result<()> {
        if fds.is_empty() {
            return self.send(pkt);
        }
        if self.dead.load(Ordering::Acquire) {
            return Err(closed_error());
        }
        let res = {
            let mut w = self.writer.lock();
            match w.write_all(pkt).and_then(|_| w.flush()) {
                Err(e) => Err(write_error(&e)),
                Ok(()) => match self.fd_sock.get() {
                    None => Err(VirError::new(
                        Domain::VIR_FROM_RPC,
                        Code::VIR_ERR_INTERNAL_ERROR,
                        Some("Sending file descriptors is not supported on this socket"),
                    )),
                    Some(sock) => fds.iter().try_for_each(|fd| {
                        crate::sys::send_fd(sock.as_raw_fd(), fd.as_raw_fd()).map_err(|e| {
                            VirError::system(
                                Domain::VIR_FROM_RPC,
                                e.raw_os_error().unwrap_or(libc::EIO),
                                &format!("Failed to send file descriptor {}", fd.as_raw_fd()),
                            )
                        })
                    }),
                },
            }
        };
        if let Err(err) = res {
            self.die(err.clone(), CLOSE_REASON_ERROR);
            return Err(if self.closing.load(Ordering::Acquire) {
                closed_error()
            } else {
                err
            });
        }
        Ok(())
    }

    /// Write one whole packet. A failed write kills the connection.
    pub(crate) fn send(&self, pkt: &[u8]) -> Result<()> {
        if self.dead.load(Ordering::Acquire) {
            return Err(closed_error());
        }
        let res = {
            let mut w = self.writer.lock();
            w.write_all(pkt).and_then(|_| w.flush())
        };
        if let Err(e) = res {
            let err = write_error(&e);
            self.die(err.clone(), CLOSE_REASON_ERROR);
            return Err(if self.closing.load(Ordering::Acquire) {
                closed_error()
            } else {
                err
            });
        }
        Ok(())
    }

    /// The connection is gone: remember why, unblock everything, tell everyone once.
    fn die(&self, err: VirError, reason: i32) {
        let (calls, streams) = {
            let mut t = self.table.lock();
            if t.dead.is_some() {
                return;
            }
            t.dead = Some(err.clone());
            t.reported = !t.calls.is_empty() || !t.streams.is_empty();
            self.dead.store(true, Ordering::Release);
            (std::mem::take(&mut t.calls), std::mem::take(&mut t.streams))
        };
        (self.closer)();
        for (_, slot) in calls {
            slot.fill(Err(err.clone()));
        }
        for (_, st) in streams {
            st.connection_lost(err.clone());
        }
        {
            let mut k = self.ka.lock();
            k.stop = true;
            self.ka_cv.notify_all();
        }
        // Events already queued are still delivered; then the event thread ends.
        {
            let mut slot = self.event_tx.lock();
            slot.closed = true;
            slot.tx.take();
        }
        let reason = if self.closing.load(Ordering::Acquire) {
            CLOSE_REASON_CLIENT
        } else {
            reason
        };
        let handlers: Vec<CloseHandler> = self
            .close_handlers
            .lock()
            .iter()
            .map(|(_, h)| h.clone())
            .collect();
        for h in handlers {
            h(reason);
        }
    }

    fn shutdown(&self) {
        self.closing.store(true, Ordering::Release);
        self.die(closed_error(), CLOSE_REASON_CLIENT);
    }

    fn reader_loop(self: Arc<Self>, r: &mut dyn Read) {
        let mut buf = Vec::with_capacity(64 * 1024);
        loop {
            match packet::read_packet(r, &mut buf) {
                Ok(()) => {}
                Err(e) => {
                    if self.closing.load(Ordering::Acquire) {
                        self.die(closed_error(), CLOSE_REASON_CLIENT);
                        return;
                    }
                    let (err, reason) = self.frame_error(e);
                    self.die(err, reason);
                    return;
                }
            }
            self.last_rx.store(self.now_ns(), Ordering::Release);
            let (h, payload) = match packet::split(&buf) {
                Ok(x) => x,
                Err(e) => {
                    let (err, reason) = self.frame_error(e);
                    self.die(err, reason);
                    return;
                }
            };
            if let Err(e) = self.dispatch(&h, payload) {
                self.die(e, CLOSE_REASON_ERROR);
                return;
            }
            // Keep the buffer from pinning a huge allocation after one large packet.
            if buf.capacity() > 4 * 1024 * 1024 {
                buf = Vec::with_capacity(64 * 1024);
            }
        }
    }

    /// A system error about reading the stream, with the transport's own words (ssh's stderr)
    /// when it has some: "WHAT: DETAIL: strerror".
    fn io_error(&self, errno: i32, what: &str) -> VirError {
        match self.eof_detail.as_ref().and_then(|f| f()) {
            Some(extra) if !extra.is_empty() => {
                VirError::system(Domain::VIR_FROM_RPC, errno, &format!("{what}: {extra}"))
            }
            _ => VirError::system(Domain::VIR_FROM_RPC, errno, what),
        }
    }

    fn frame_error(&self, e: FrameError) -> (VirError, i32) {
        match e {
            FrameError::Eof => (
                self.io_error(libc::EIO, "End of file while reading data"),
                CLOSE_REASON_EOF,
            ),
            FrameError::Io(e) => (
                self.io_error(e.raw_os_error().unwrap_or(libc::EIO), "Cannot recv data"),
                CLOSE_REASON_ERROR,
            ),
            FrameError::BadLength(n) => {
                let n = n as usize;
                let msg = if n < packet::LEN_SIZE + packet::HEADER_SIZE {
                    format!(
                        "packet {} bytes received from server too small, want {}",
                        n.saturating_sub(packet::LEN_SIZE),
                        packet::HEADER_SIZE
                    )
                } else {
                    format!(
                        "packet {} bytes received from server too large, want {}",
                        n - packet::LEN_SIZE,
                        packet::MESSAGE_MAX
                    )
                };
                (rpc_error(msg), CLOSE_REASON_ERROR)
            }
            FrameError::BadHeader(x) => (
                rpc_error(format!("Unable to decode message header: {x}")),
                CLOSE_REASON_ERROR,
            ),
        }
    }

    /// The thread that runs event handlers, in arrival order, off the reader thread.
    fn start_event_thread(&self) -> Result<EventSender> {
        let (tx, rx) = std::sync::mpsc::channel::<(u32, i32, Vec<u8>)>();
        let handler = self.events.clone();
        let program_handlers = self.program_events.clone();
        std::thread::Builder::new()
            .name("oxvirt-rpc-ev".into())
            .spawn(move || {
                // Ends when the connection dies (the sender is dropped then).
                while let Ok((prog, proc_, payload)) = rx.recv() {
                    let h = if prog == PROG_REMOTE {
                        handler.lock().clone()
                    } else {
                        let hs = program_handlers.lock();
                        hs.iter().find(|(p, _)| *p == prog).map(|(_, h)| h.clone())
                    };
                    if let Some(f) = h {
                        f(proc_, &payload);
                    }
                }
            })
            .map_err(thread_error)?;
        Ok(tx)
    }

    fn dispatch(&self, h: &Header, payload: &[u8]) -> Result<()> {
        if h.vers != packet::PROTOCOL_VERSION {
            return Err(rpc_error(format!(
                "unexpected program version {} for program {:#x}",
                h.vers, h.prog
            )));
        }
        if h.prog == PROG_KEEPALIVE {
            if h.kind == Type::Message && h.proc_ == keepalive::Ping::NUM {
                let mut k = self.ka.lock();
                k.pong_due = true;
                self.ka_cv.notify_all();
            }
            return Ok(());
        }
        // libs scope: the QEMU, LXC and admin programs answer over the same client; their
        // messages go to their own handlers (`set_program_event_handler`).
        if !packet::known_program(h.prog) {
            return Err(rpc_error(format!("unknown program {:#x}", h.prog)));
        }
        match h.kind {
            Type::Reply | Type::ReplyWithFds => {
                let mut body = payload;
                let mut fds = Vec::new();
                if h.kind == Type::ReplyWithFds {
                    // hostmisc scope: the count, then each descriptor out of band.
                    let mut d = Dec::new(body);
                    let n = d
                        .u32()
                        .map_err(|_| rpc_error("Unable to decode number of FDs"))?;
                    body = &body[4..];
                    fds = self.recv_fds(n)?;
                }
                let slot = self.table.lock().calls.remove(&h.serial);
                let Some(slot) = slot else {
                    return Err(rpc_error(format!(
                        "no call waiting for reply with prog {} vers {} serial {}",
                        h.prog, h.vers, h.serial
                    )));
                };
                let res = match h.status {
                    Status::Ok => Ok(body.to_vec()),
                    Status::Error => Err(server_error(body)),
                    // libvirt fails this call only; the connection stays up.
                    Status::Continue => Err(rpc_error("Unexpected message status 2")),
                };
                *slot.fds.lock() = fds;
                slot.fill(res);
                Ok(())
            }
            Type::Message => {
                let mut slot = self.event_tx.lock();
                if slot.tx.is_none() && !slot.closed {
                    slot.tx = Some(self.start_event_thread()?);
                }
                if let Some(tx) = slot.tx.as_ref() {
                    let _ = tx.send((h.prog, h.proc_, payload.to_vec()));
                }
                Ok(())
            }
            Type::Stream | Type::StreamHole => {
                let st = self.table.lock().streams.get(&h.serial).cloned();
                let Some(st) = st else {
                    // Late packets of a finished stream are ignored, as libvirt does.
                    return Ok(());
                };
                if st.proc_ != h.proc_ {
                    return Ok(());
                }
                let done = if h.kind == Type::StreamHole {
                    // Queued in order with the data; checked (sparse or not) when read.
                    st.server_hole(payload);
                    false
                } else {
                    match h.status {
                        Status::Continue => {
                            st.server_data(payload);
                            false
                        }
                        Status::Ok => {
                            st.server_ok();
                            st.is_closing()
                        }
                        Status::Error => {
                            st.server_error(server_error(payload));
                            true
                        }
                    }
                };
                if done {
                    self.table.lock().streams.remove(&h.serial);
                }
                Ok(())
            }
            Type::Call | Type::CallWithFds => Err(rpc_error("got unexpected RPC call")),
        }
    }

    /// hostmisc scope: the `n` descriptors of a REPLY_WITH_FDS, read right behind its packet.
    fn recv_fds(&self, n: u32) -> Result<Vec<OwnedFd>> {
        if n > t::VIR_NET_MESSAGE_NUM_FDS_MAX {
            return Err(rpc_error(format!(
                "Received too many FDs {n}, expected {} maximum",
                t::VIR_NET_MESSAGE_NUM_FDS_MAX
            )));
        }
        if n == 0 {
            return Ok(Vec::new());
        }
        let Some(sock) = self.fd_sock.get() else {
            return Err(VirError::new(
                Domain::VIR_FROM_RPC,
                Code::VIR_ERR_INTERNAL_ERROR,
                Some("Receiving file descriptors is not supported on this socket"),
            ));
        };
        (0..n)
            .map(|_| {
                crate::sys::recv_fd(sock.as_raw_fd()).map_err(|e| {
                    VirError::system(
                        Domain::VIR_FROM_RPC,
                        e.raw_os_error().unwrap_or(libc::EIO),
                        "Failed to recv file descriptor",
                    )
                })
            })
            .collect()
    }

    fn keepalive_loop(self: Arc<Self>) {
        let mut pings: u32 = 0;
        // `last_rx` starts at 0, the creation of the connection: silence counts from there.
        let mut seen = self.last_rx.load(Ordering::Acquire);
        loop {
            let (cfg, pong) = {
                let mut k = self.ka.lock();
                if k.stop {
                    return;
                }
                if !k.pong_due {
                    let wait = match k.cfg {
                        None => Duration::from_secs(3600),
                        Some(c) => {
                            let lr = self.last_rx.load(Ordering::Acquire);
                            let due = lr + (c.interval.as_nanos() as u64) * (pings as u64 + 1);
                            Duration::from_nanos(due.saturating_sub(self.now_ns()))
                        }
                    };
                    if !wait.is_zero() {
                        self.ka_cv.wait_for(&mut k, wait);
                    }
                    if k.stop {
                        return;
                    }
                }
                let pong = std::mem::take(&mut k.pong_due);
                (k.cfg, pong)
            };
            if pong {
                let h = Header::new(
                    PROG_KEEPALIVE,
                    keepalive::Pong::NUM,
                    Type::Message,
                    0,
                    Status::Ok,
                );
                self.try_send(&packet::encode(&h, &[]));
            }
            let Some(c) = cfg else {
                continue;
            };
            let lr = self.last_rx.load(Ordering::Acquire);
            if lr != seen {
                seen = lr;
                pings = 0;
            }
            let idle = self.now_ns().saturating_sub(lr);
            let step = c.interval.as_nanos() as u64;
            if idle >= step * (pings as u64 + 1) {
                if pings >= c.count {
                    self.die(
                        VirError::new(
                            Domain::VIR_FROM_RPC,
                            Code::VIR_ERR_INTERNAL_ERROR,
                            Some("connection closed due to keepalive timeout"),
                        ),
                        CLOSE_REASON_KEEPALIVE,
                    );
                    return;
                }
                let h = Header::new(
                    PROG_KEEPALIVE,
                    keepalive::Ping::NUM,
                    Type::Message,
                    0,
                    Status::Ok,
                );
                self.try_send(&packet::encode(&h, &[]));
                pings += 1;
            }
        }
    }

    /// Keepalive writes never wait long behind a stuck writer: a peer that does not read is
    /// as dead as one that does not answer.
    fn try_send(&self, pkt: &[u8]) {
        if self.dead.load(Ordering::Acquire) {
            return;
        }
        if let Some(mut w) = self.writer.try_lock_for(Duration::from_secs(1))
            && let Err(e) = w.write_all(pkt).and_then(|_| w.flush())
        {
            drop(w);
            self.die(write_error(&e), CLOSE_REASON_ERROR);
        }
    }
}

/// What a stream needs of its connection: a way to send its packets, and to be forgotten.
impl StreamConn for Inner {
    fn send_stream_packet(
        &self,
        proc_: i32,
        serial: u32,
        status: Status,
        data: &[u8],
    ) -> Result<()> {
        let h = Header::new(PROG_REMOTE, proc_, Type::Stream, serial, status);
        self.send(&packet::encode(&h, data))
    }

    fn send_stream_hole(&self, proc_: i32, serial: u32, payload: &[u8]) -> Result<()> {
        let h = Header::new(
            PROG_REMOTE,
            proc_,
            Type::StreamHole,
            serial,
            Status::Continue,
        );
        self.send(&packet::encode(&h, payload))
    }

    fn forget_stream(&self, serial: u32) {
        self.table.lock().streams.remove(&serial);
    }
}
