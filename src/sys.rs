//! The few operating-system calls the standard library does not offer, wrapped once so that the
//! safe layers (`core`, `drivers`) never need `unsafe`: `poll(2)` for the event loop and for
//! sockets that must be waited on together with a wake-up channel, and the effective user id.

use std::io;
use std::os::fd::RawFd;
use std::time::Duration;

/// `POLLIN`, `POLLOUT`, `POLLERR`, `POLLHUP`, `POLLNVAL`, `POLLPRI` as `i16` bits.
pub(crate) const POLLIN: i16 = libc::POLLIN;
pub(crate) const POLLPRI: i16 = libc::POLLPRI;
pub(crate) const POLLOUT: i16 = libc::POLLOUT;
pub(crate) const POLLERR: i16 = libc::POLLERR;
pub(crate) const POLLHUP: i16 = libc::POLLHUP;
pub(crate) const POLLNVAL: i16 = libc::POLLNVAL;

/// One descriptor to wait on and, after [`poll`], what happened to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PollFd {
    pub fd: RawFd,
    pub events: i16,
    pub revents: i16,
}

/// Wait until one of `fds` is ready or `timeout` passes (`None`: no limit). Returns how many
/// descriptors have `revents` set. `EINTR` is returned as an error of kind `Interrupted`.
pub fn poll(fds: &mut [PollFd], timeout: Option<Duration>) -> io::Result<usize> {
    let ms: libc::c_int = match timeout {
        None => -1,
        Some(d) => {
            // Round up so a 0.5 ms deadline does not become a busy loop.
            let ms = d.as_micros().div_ceil(1000);
            ms.min(i32::MAX as u128) as libc::c_int
        }
    };
    let mut raw: Vec<libc::pollfd> = fds
        .iter()
        .map(|p| libc::pollfd {
            fd: p.fd,
            events: p.events,
            revents: 0,
        })
        .collect();
    // SAFETY: `raw` is a valid, writable array of `raw.len()` pollfd structures for the whole
    // call; poll only reads `fd`/`events` and writes `revents`.
    let n = unsafe { libc::poll(raw.as_mut_ptr(), raw.len() as libc::nfds_t, ms) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    for (p, r) in fds.iter_mut().zip(raw.iter()) {
        p.revents = r.revents;
    }
    Ok(n as usize)
}

/// Wait for one descriptor; returns its `revents` (0 on timeout). `EINTR` is retried.
pub fn wait_fd(fd: RawFd, events: i16, timeout: Option<Duration>) -> io::Result<i16> {
    let mut p = [PollFd {
        fd,
        events,
        revents: 0,
    }];
    loop {
        match poll(&mut p, timeout) {
            Ok(_) => return Ok(p[0].revents),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Whether the process runs as root (effective user id 0).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions, touches no memory of ours and cannot fail.
    unsafe { libc::geteuid() == 0 }
}
