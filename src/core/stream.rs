//! Streams as drivers provide them: a bidirectional byte channel bound to a `virStreamPtr` by an
//! API such as `virDomainOpenConsole`. The C layer adds libvirt's checks, blocking modes and
//! event callbacks on top of this.

use super::error::Result;
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
}
