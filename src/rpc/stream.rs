//! RPC streams: the data channel a call such as DOMAIN_OPEN_CONSOLE opens on the connection,
//! keyed by the call's serial. Data flows both ways as STREAM packets; the server marks its EOF
//! with an empty CONTINUE, the client ends with OK (finish) or ERROR (abort) and the server
//! confirms with OK; a server ERROR carries a `remote_error` and ends the stream.

use super::packet::Status;
use crate::core::error::{Code, Domain};
use crate::core::stream::{EVENT_READABLE, EVENT_WRITABLE, Io, StreamBackend, Waker};
use crate::core::{Result, VirError};
use parking_lot::{Condvar, Mutex};
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// Largest data packet oxvirt sends (the daemon accepts up to the payload maximum; libvirt's
/// own client sends at most this much per packet).
const SEND_CHUNK: usize = 262_120;
/// How long finish/abort wait for the daemon's confirmation.
const CONFIRM_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// One incoming packet of a stream, in the order the server sent them.
enum Rx {
    Data(Vec<u8>),
    /// A STREAM_HOLE packet: its `virNetStreamHole` (length, flags), or `None` if it did not
    /// decode.
    Hole(Option<(i64, u32)>),
}

#[derive(Default)]
struct State {
    rx: VecDeque<Rx>,
    /// Bytes of `rx.front()` already handed out.
    rx_off: usize,
    /// The hole taken from the queue and not yet read past (libvirt's `holeLength`).
    hole: i64,
    eof: bool,
    err: Option<VirError>,
    /// `err` is the daemon's own error for this stream (e.g. evicted by a FORCE open), which
    /// finish and abort report too; a lost connection is not reported by abort.
    err_from_server: bool,
    /// Finish or abort was sent; waiting for the server's confirmation.
    closing: bool,
    /// The server's answer to finish/abort.
    confirm: Option<Result<()>>,
    /// Finished or aborted for good on this side.
    done: bool,
    waker: Option<Waker>,
}

/// The part of a stream the reader thread feeds.
pub struct StreamShared {
    pub proc_: i32,
    serial: AtomicU32,
    st: Mutex<State>,
    cv: Condvar,
}

impl StreamShared {
    pub(crate) fn new(proc_: i32) -> Self {
        StreamShared {
            proc_,
            serial: AtomicU32::new(0),
            st: Mutex::new(State::default()),
            cv: Condvar::new(),
        }
    }

    pub(crate) fn set_serial(&self, s: u32) {
        self.serial.store(s, Ordering::Relaxed);
    }

    pub fn serial(&self) -> u32 {
        self.serial.load(Ordering::Relaxed)
    }

    fn wake(&self, st: parking_lot::MutexGuard<'_, State>) {
        let w = st.waker.clone();
        drop(st);
        self.cv.notify_all();
        if let Some(w) = w {
            w();
        }
    }

    pub(crate) fn server_data(&self, data: &[u8]) {
        let mut st = self.st.lock();
        if data.is_empty() {
            st.eof = true;
        } else if !st.done {
            st.rx.push_back(Rx::Data(data.to_vec()));
        }
        self.wake(st);
    }

    /// A STREAM_HOLE packet: queued in order with the data, checked when it is read.
    pub(crate) fn server_hole(&self, payload: &[u8]) {
        let mut d = super::xdr::Dec::new(payload);
        let hole = (|| Some((d.i64().ok()?, d.u32().ok()?)))();
        let mut st = self.st.lock();
        if !st.done {
            st.rx.push_back(Rx::Hole(hole));
        }
        self.wake(st);
    }

    pub(crate) fn server_ok(&self) {
        let mut st = self.st.lock();
        if st.closing {
            st.confirm = Some(Ok(()));
        } else {
            st.eof = true;
        }
        self.wake(st);
    }

    pub(crate) fn server_error(&self, e: VirError) {
        let mut st = self.st.lock();
        if st.closing {
            st.confirm = Some(Err(e.clone()));
        }
        if st.err.is_none() {
            st.err = Some(e);
            st.err_from_server = true;
        }
        self.wake(st);
    }

    pub(crate) fn connection_lost(&self, e: VirError) {
        let mut st = self.st.lock();
        if st.closing && st.confirm.is_none() {
            st.confirm = Some(Err(e.clone()));
        }
        if st.err.is_none() {
            st.err = Some(e);
        }
        self.wake(st);
    }

    pub(crate) fn is_closing(&self) -> bool {
        self.st.lock().closing
    }
}

/// The connection a stream runs on, as the stream sees it (the RPC client implements it; this
/// module knows nothing else of the client).
pub trait StreamConn: Send + Sync {
    /// Send one STREAM packet of the call `serial` (data, finish or abort); no reply.
    fn send_stream_packet(
        &self,
        proc_: i32,
        serial: u32,
        status: Status,
        data: &[u8],
    ) -> Result<()>;
    /// Send one STREAM_HOLE packet (a `virNetStreamHole` payload) of the call `serial`.
    fn send_stream_hole(&self, proc_: i32, serial: u32, payload: &[u8]) -> Result<()>;
    /// The stream ended: packets for it are dropped from now on.
    fn forget_stream(&self, serial: u32);
}

/// A stream as a driver hands it to the stream layer.
pub struct RpcStream {
    conn: Arc<dyn StreamConn>,
    shared: Arc<StreamShared>,
    nonblock: bool,
    /// Opened sparse (libvirt's `allowSkip`): holes may go both ways.
    sparse: bool,
}

/// libvirt's client stream once closed (virNetClientStreamCheckState).
fn closed() -> VirError {
    VirError::new(
        Domain::VIR_FROM_RPC,
        Code::VIR_ERR_OPERATION_FAILED,
        Some("stream is closed"),
    )
}

fn stream_error(msg: &str) -> VirError {
    VirError::new(Domain::VIR_FROM_STREAMS, Code::VIR_ERR_RPC, Some(msg))
}

impl RpcStream {
    pub(crate) fn new(
        conn: Arc<dyn StreamConn>,
        shared: Arc<StreamShared>,
        nonblock: bool,
    ) -> Self {
        RpcStream {
            conn,
            shared,
            nonblock,
            sparse: false,
        }
    }

    /// A stream on which holes may travel both ways (a volume transfer opened with the
    /// SPARSE_STREAM flag).
    pub(crate) fn new_sparse(
        conn: Arc<dyn StreamConn>,
        shared: Arc<StreamShared>,
        nonblock: bool,
    ) -> Self {
        RpcStream {
            conn,
            shared,
            nonblock,
            sparse: true,
        }
    }

    /// Take the hole packet at the head of the queue into `st.hole` (libvirt's
    /// `virNetClientStreamHandleHole`).
    fn take_hole(&self, st: &mut State) -> Result<()> {
        let Some(Rx::Hole(h)) = st.rx.pop_front() else {
            return Ok(());
        };
        st.rx_off = 0;
        if !self.sparse {
            return Err(stream_error("Unexpected stream hole"));
        }
        let Some((length, flags)) = h else {
            return Err(VirError::internal(
                Domain::VIR_FROM_RPC,
                "Malformed stream hole packet",
            ));
        };
        if flags != 0 {
            return Err(VirError::check_flags(
                Domain::VIR_FROM_RPC,
                "virNetClientStreamSetHole",
                flags,
                0,
            )
            .unwrap_err());
        }
        if length <= 0 {
            return Err(VirError::invalid_arg(
                Domain::VIR_FROM_RPC,
                "virNetClientStreamSetHole",
                "length",
                "length in virNetClientStreamSetHole must be greater than zero".to_string(),
            ));
        }
        if st.hole != 0 {
            return Err(VirError::internal(
                Domain::VIR_FROM_RPC,
                format!("unprocessed hole of size {} already in the queue", st.hole),
            ));
        }
        st.hole = length;
        Ok(())
    }

    /// The stream's own error, or "not open" once it is closed on this side.
    fn check_state(st: &State) -> Result<()> {
        if let Some(e) = &st.err {
            return Err(e.clone());
        }
        if st.done {
            return Err(closed());
        }
        Ok(())
    }

    /// Send finish (OK) or abort (ERROR) and wait for the server's confirmation.
    fn close_with(&self, status: Status) -> Result<()> {
        let serial = self.shared.serial();
        {
            let mut st = self.shared.st.lock();
            if st.done {
                return Err(stream_error("stream is not open"));
            }
            st.done = true;
            if let Some(e) = st.err.clone() {
                // The server already ended the stream; nothing more goes on the wire.
                let from_server = st.err_from_server;
                drop(st);
                self.conn.forget_stream(serial);
                return if status == Status::Error && !from_server {
                    Ok(())
                } else {
                    Err(e)
                };
            }
            st.closing = true;
        }
        if let Err(e) = self
            .conn
            .send_stream_packet(self.shared.proc_, serial, status, &[])
        {
            self.conn.forget_stream(serial);
            return if status == Status::Error {
                Ok(())
            } else {
                Err(e)
            };
        }
        // The daemon always confirms; if it never does, give up rather than hang.
        let deadline = std::time::Instant::now() + CONFIRM_TIMEOUT;
        let mut st = self.shared.st.lock();
        while st.confirm.is_none() {
            if self.shared.cv.wait_until(&mut st, deadline).timed_out() {
                break;
            }
        }
        let r = st
            .confirm
            .take()
            .unwrap_or_else(|| Err(stream_error("timed out waiting for the stream to close")));
        drop(st);
        self.conn.forget_stream(serial);
        match r {
            Ok(()) => Ok(()),
            // An abort cannot fail because the peer is gone.
            Err(_) if status == Status::Error => Ok(()),
            Err(e) => Err(e),
        }
    }
}

impl Drop for RpcStream {
    fn drop(&mut self) {
        let st = self.shared.st.lock();
        let open = !st.done && st.err.is_none();
        drop(st);
        let serial = self.shared.serial();
        if open {
            // An abandoned stream is aborted without waiting for the confirmation.
            let _ = self
                .conn
                .send_stream_packet(self.shared.proc_, serial, Status::Error, &[]);
        }
        self.conn.forget_stream(serial);
    }
}

impl StreamBackend for RpcStream {
    fn send(&self, data: &[u8]) -> Result<Io> {
        {
            let st = self.shared.st.lock();
            if let Some(e) = &st.err {
                return Err(e.clone());
            }
            if st.done {
                return Err(stream_error("stream is not open"));
            }
        }
        for chunk in data.chunks(SEND_CHUNK) {
            self.conn.send_stream_packet(
                self.shared.proc_,
                self.shared.serial(),
                Status::Continue,
                chunk,
            )?;
        }
        Ok(Io::Done(data.len()))
    }

    fn recv(&self, buf: &mut [u8]) -> Result<Io> {
        self.recv_flags(buf, false)
    }

    fn recv_flags(&self, buf: &mut [u8], stop_at_hole: bool) -> Result<Io> {
        let mut st = self.shared.st.lock();
        loop {
            if matches!(st.rx.front(), Some(Rx::Hole(_))) && st.hole == 0 {
                self.take_hole(&mut st)?;
            }
            let data_next = matches!(st.rx.front(), Some(Rx::Data(_)));
            if st.hole > 0 || data_next {
                let mut n = 0;
                if st.hole > 0 {
                    if stop_at_hole {
                        return Ok(Io::Hole);
                    }
                    // Hand the hole out as zeroes.
                    let take = (st.hole as u64).min(buf.len() as u64) as usize;
                    buf[..take].fill(0);
                    st.hole -= take as i64;
                    n = take;
                }
                while n < buf.len() {
                    let off = st.rx_off;
                    let Some(Rx::Data(front)) = st.rx.front() else {
                        break;
                    };
                    let take = (front.len() - off).min(buf.len() - n);
                    buf[n..n + take].copy_from_slice(&front[off..off + take]);
                    n += take;
                    if off + take == front.len() {
                        st.rx.pop_front();
                        st.rx_off = 0;
                    } else {
                        st.rx_off = off + take;
                    }
                }
                return Ok(Io::Done(n));
            }
            if !st.rx.is_empty() {
                // A hole packet still to take (after the current hole): go round.
                continue;
            }
            if let Some(e) = &st.err {
                return Err(e.clone());
            }
            if st.eof {
                return Ok(Io::Eof);
            }
            if st.done {
                return Err(stream_error("stream is not open"));
            }
            if buf.is_empty() {
                return Ok(Io::Done(0));
            }
            if self.nonblock {
                return Ok(Io::WouldBlock);
            }
            self.shared.cv.wait(&mut st);
        }
    }

    fn recv_hole(&self, flags: u32) -> Result<i64> {
        VirError::check_flags(Domain::VIR_FROM_REMOTE, "remoteStreamRecvHole", flags, 0)?;
        if !self.sparse {
            return Err(crate::core::stream::no_holes(false));
        }
        let mut st = self.shared.st.lock();
        Self::check_state(&st)?;
        Ok(std::mem::take(&mut st.hole))
    }

    fn send_hole(&self, length: i64, flags: u32) -> Result<()> {
        if !self.sparse {
            return Err(crate::core::stream::no_holes(true));
        }
        Self::check_state(&self.shared.st.lock())?;
        let mut e = super::xdr::Enc::new();
        e.i64(length).u32(flags);
        self.conn
            .send_stream_hole(self.shared.proc_, self.shared.serial(), &e.into_inner())
    }

    fn finish(&self) -> Result<()> {
        self.close_with(Status::Ok)
    }

    fn abort(&self) -> Result<()> {
        self.close_with(Status::Error)
    }

    fn readiness(&self) -> u32 {
        let st = self.shared.st.lock();
        let mut ev = 0;
        if !st.rx.is_empty() || st.hole > 0 || st.eof || st.err.is_some() {
            ev |= EVENT_READABLE;
        }
        if st.err.is_none() && !st.done {
            ev |= EVENT_WRITABLE;
        }
        ev
    }

    fn set_waker(&self, waker: Option<Waker>) {
        self.shared.st.lock().waker = waker;
    }

    fn abort_notifies_callback(&self) -> bool {
        false
    }

    fn closed_error(&self) -> Option<VirError> {
        // libvirt's client stream once closed (virNetClientStreamCheckState).
        Some(closed())
    }
}
