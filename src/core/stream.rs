//! Streams as drivers provide them: a bidirectional byte channel bound to a `virStreamPtr` by an
//! API such as `virDomainOpenConsole`. The C layer adds libvirt's checks, blocking modes and
//! event callbacks on top of this.

use super::error::{Code, Domain, Result, VirError};
use std::sync::Arc;

/// The outcome of one transfer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Io {
    /// This many bytes moved.
    Done(usize),
    /// Nothing can move now (a non-blocking stream answers -2).
    WouldBlock,
    /// The other end is finished (recv answers 0).
    Eof,
    /// A receive asked to stop at a hole is at one (`virStreamRecvFlags` answers -3); the
    /// hole's length is for `recv_hole`.
    Hole,
}

/// `VIR_ERR_OPERATION_INVALID` from a stream that carries no holes, in libvirt's words (and
/// error domain) for its non-sparse RPC client streams (`skip`: the sending side's message).
pub fn no_holes(skip: bool) -> VirError {
    VirError::detail(
        Domain::VIR_FROM_RPC,
        Code::VIR_ERR_OPERATION_INVALID,
        if skip {
            "Skipping is not supported with this stream"
        } else {
            "Holes are not supported with this stream"
        },
    )
}

/// Readiness bits, with libvirt's `virStreamEventType` values.
pub(crate) const EVENT_READABLE: u32 = 1;
pub(crate) const EVENT_WRITABLE: u32 = 2;
pub(crate) const EVENT_ERROR: u32 = 4;
pub(crate) const EVENT_HANGUP: u32 = 8;

/// Called by a backend whenever its readiness may have changed. It may be called from any
/// thread (a reader thread, the thread of a peer's API call); it never runs application code,
/// it only schedules the stream's event callback through the registered event loop.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// Given to a backend by the public layer: ends the public stream as `virStreamAbort` would
/// (the application's event callback sees `EVENT_ERROR` once, synchronously, then the stream is
/// closed and `abort()` is called). A driver that ends a stream on its own initiative, such as
/// a console taken over with `VIR_DOMAIN_CONSOLE_FORCE`, calls it in the thread that caused it.
pub type AbortHook = Arc<dyn Fn() + Send + Sync>;

/// One driver-side stream.
pub trait StreamBackend: Send + Sync {
    /// Write some of `data`; blocks unless the stream is non-blocking.
    fn send(&self, data: &[u8]) -> Result<Io>;
    /// Read into `buf`; blocks unless the stream is non-blocking.
    fn recv(&self, buf: &mut [u8]) -> Result<Io>;
    /// Orderly end: no more data will be sent.
    fn finish(&self) -> Result<()>;
    /// Abnormal end.
    fn abort(&self) -> Result<()>;
    /// The events that would be reported now (`EVENT_*` bits).
    fn readiness(&self) -> u32;
    /// Register (or clear) the function to call when readiness may have changed.
    fn set_waker(&self, waker: Option<Waker>);
    /// Register (or clear) the way to abort the public stream (see [`AbortHook`]). Backends
    /// that never end a stream by themselves can ignore it.
    fn set_abort_hook(&self, hook: Option<AbortHook>) {
        let _ = hook;
    }
    /// Whether `virStreamAbort` first shows a watching callback `EVENT_ERROR` (libvirt's
    /// local fd streams do; its remote client streams do not).
    fn abort_notifies_callback(&self) -> bool {
        true
    }

    // ---- sparse streams (sparse): holes, for streams opened sparse (volume upload/download).
    // A stream that carries no holes answers as libvirt's non-sparse client streams do.

    /// Receive as `recv`; with `stop_at_hole`, answer `Io::Hole` when the next thing to read
    /// is a hole instead of handing out its zeroes.
    fn recv_flags(&self, buf: &mut [u8], stop_at_hole: bool) -> Result<Io> {
        let _ = stop_at_hole;
        self.recv(buf)
    }
    /// The length of the hole the stream stands at (0 if none), consumed.
    fn recv_hole(&self, flags: u32) -> Result<i64> {
        let _ = flags;
        Err(no_holes(false))
    }
    /// Send a hole of `length` bytes.
    fn send_hole(&self, length: i64, flags: u32) -> Result<()> {
        let _ = (length, flags);
        Err(no_holes(true))
    }
    /// What transfers and a second finish answer once the public stream is finished or
    /// aborted; `None`: libvirt's local streams' "stream is not open", and finish/abort 0.
    fn closed_error(&self) -> Option<VirError> {
        None
    }
}
