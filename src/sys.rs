//! The few operating-system calls the standard library does not offer, wrapped once so that the
//! safe layers (`core`, `drivers`) never need `unsafe`: `poll(2)` for the event loop and for
//! sockets that must be waited on together with a wake-up channel; user and thread ids, the host
//! name, the password database's home directory and syslog for configuration and logging.

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

/// `geteuid()`.
pub fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// The kernel's id of the calling thread (`gettid()`, what libvirt's log lines show).
pub fn thread_id() -> u64 {
    // SAFETY: gettid has no preconditions and cannot fail.
    unsafe { libc::gettid() as u64 }
}

/// The host name (`gethostname()`), or "localhost".
pub fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: `buf` is writable for `buf.len()` bytes; gethostname NUL-terminates within it
    // when the name fits, and the last byte is kept 0 below for when it does not.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr() as *mut libc::c_char, buf.len() - 1) };
    if rc != 0 {
        return "localhost".to_string();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

/// The home directory of the effective user from the password database (`getpwuid_r`).
pub fn passwd_home() -> Option<std::path::PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let mut buf = vec![0u8; 4096];
    // SAFETY: a zeroed passwd is a valid out-parameter (pointers NULL).
    let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
    let mut out: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid and writable for the sizes given; on success `out` points
    // to `pw`, whose strings point into `buf`, both alive until we return.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::geteuid(),
            &mut pw,
            buf.as_mut_ptr() as *mut libc::c_char,
            buf.len(),
            &mut out,
        )
    };
    if rc != 0 || out.is_null() || pw.pw_dir.is_null() {
        return None;
    }
    // SAFETY: pw_dir is a NUL-terminated string inside `buf` (checked non-NULL above).
    let dir = unsafe { std::ffi::CStr::from_ptr(pw.pw_dir) };
    Some(std::path::PathBuf::from(std::ffi::OsStr::from_bytes(
        dir.to_bytes(),
    )))
}

/// `openlog(ident, 0, 0)`; the identifier stays alive for every later [`syslog`].
pub fn openlog(ident: &str) {
    static IDENT: std::sync::Mutex<Option<std::ffi::CString>> = std::sync::Mutex::new(None);
    let Ok(c) = std::ffi::CString::new(ident) else {
        return;
    };
    let mut held = IDENT.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: `c` is a valid C string; it is kept in IDENT (replacing, and so freeing, the
    // previous one only after openlog has switched to the new one).
    unsafe { libc::openlog(c.as_ptr(), 0, 0) };
    *held = Some(c);
}

/// `syslog(priority, "%s", msg)`.
pub fn syslog(priority: libc::c_int, msg: &str) {
    let Ok(c) = std::ffi::CString::new(msg.replace('\0', " ")) else {
        return;
    };
    // SAFETY: a constant "%s" format with one valid C string argument.
    unsafe { libc::syslog(priority, c"%s".as_ptr(), c.as_ptr()) };
}

/// syslog priorities for libvirt's levels.
pub const LOG_DEBUG: libc::c_int = libc::LOG_DEBUG;
pub const LOG_INFO: libc::c_int = libc::LOG_INFO;
pub const LOG_WARNING: libc::c_int = libc::LOG_WARNING;
pub const LOG_ERR: libc::c_int = libc::LOG_ERR;

/// Whether the process runs as root (effective user id 0).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions, touches no memory of ours and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

// --- libs scope: virDomainLxcEnterNamespace.
/// Join the namespace `fd` refers to (`setns(fd, 0)`).
pub fn setns(fd: RawFd) -> io::Result<()> {
    // SAFETY: setns takes a descriptor and a flag word; a bad descriptor is an error return.
    if unsafe { libc::setns(fd, 0) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Close a descriptor this process owns (one handed over through the C API).
pub fn close_fd(fd: RawFd) {
    // SAFETY: closing a descriptor has no memory effects; a bad one is an error return.
    unsafe { libc::close(fd) };
}
