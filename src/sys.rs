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

// --- host/misc (hostmisc): descriptors over a UNIX socket (SCM_RIGHTS), as libvirt's RPC
// passes them: one byte of data carrying one descriptor per message.

/// Send `fd` over the UNIX socket `sock` with a single 0 byte of data. Retries `EINTR`.
pub fn send_fd(sock: RawFd, fd: RawFd) -> io::Result<()> {
    let mut byte = 0u8;
    let mut iov = libc::iovec {
        iov_base: (&mut byte as *mut u8).cast(),
        iov_len: 1,
    };
    // SAFETY: CMSG_SPACE only computes a size.
    let space = unsafe { libc::CMSG_SPACE(std::mem::size_of::<RawFd>() as u32) } as usize;
    let mut cbuf = vec![0u64; space.div_ceil(8)];
    // SAFETY: a zeroed msghdr is valid (no name, no iov, no control) before it is filled.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf.as_mut_ptr().cast();
    msg.msg_controllen = space as _;
    // SAFETY: `msg` has a control buffer of `space` bytes (8-aligned), room for one cmsghdr
    // with one descriptor, so CMSG_FIRSTHDR is non-NULL and CMSG_DATA points inside it.
    unsafe {
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        (*cmsg).cmsg_level = libc::SOL_SOCKET;
        (*cmsg).cmsg_type = libc::SCM_RIGHTS;
        (*cmsg).cmsg_len = libc::CMSG_LEN(std::mem::size_of::<RawFd>() as u32) as _;
        std::ptr::write_unaligned(libc::CMSG_DATA(cmsg) as *mut RawFd, fd);
        msg.msg_controllen = (*cmsg).cmsg_len as _;
    }
    loop {
        // SAFETY: `msg` and everything it points to (iov, byte, control buffer) are alive and
        // valid for the call; sendmsg only reads them.
        let n = unsafe { libc::sendmsg(sock, &msg, libc::MSG_NOSIGNAL) };
        if n == 1 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if n < 0 && e.kind() == io::ErrorKind::Interrupted {
            continue;
        }
        return Err(if n < 0 {
            e
        } else {
            io::Error::from_raw_os_error(libc::EIO)
        });
    }
}

/// Receive one descriptor (close-on-exec) sent by [`send_fd`] (or libvirt's
/// `virSocketSendFD`) from `sock`. End of file or a message without a descriptor is an
/// error (`EIO`/`EBADMSG`); `EINTR` is retried.
pub fn recv_fd(sock: RawFd) -> io::Result<std::os::fd::OwnedFd> {
    use std::os::fd::FromRawFd;
    let mut byte = 0u8;
    let mut iov = libc::iovec {
        iov_base: (&mut byte as *mut u8).cast(),
        iov_len: 1,
    };
    // SAFETY: CMSG_SPACE only computes a size.
    let space = unsafe { libc::CMSG_SPACE(std::mem::size_of::<RawFd>() as u32) } as usize;
    let mut cbuf = vec![0u64; space.div_ceil(8)];
    // SAFETY: a zeroed msghdr is valid before it is filled.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf.as_mut_ptr().cast();
    msg.msg_controllen = space as _;
    let n = loop {
        // SAFETY: `msg` points to a 1-byte buffer and a control buffer of `space` bytes, both
        // alive and writable for the call.
        let n = unsafe { libc::recvmsg(sock, &mut msg, libc::MSG_CMSG_CLOEXEC) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        break n;
    };
    if n == 0 {
        return Err(io::Error::from_raw_os_error(libc::EIO));
    }
    // SAFETY: recvmsg filled `msg` (msg_controllen says how much control data is valid);
    // CMSG_FIRSTHDR checks that length and returns NULL when there is no header.
    unsafe {
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        if cmsg.is_null()
            || (*cmsg).cmsg_level != libc::SOL_SOCKET
            || (*cmsg).cmsg_type != libc::SCM_RIGHTS
            || ((*cmsg).cmsg_len as usize)
                < libc::CMSG_LEN(std::mem::size_of::<RawFd>() as u32) as usize
        {
            return Err(io::Error::from_raw_os_error(libc::EBADMSG));
        }
        let fd = std::ptr::read_unaligned(libc::CMSG_DATA(cmsg) as *const RawFd);
        Ok(std::os::fd::OwnedFd::from_raw_fd(fd))
    }
}

/// `dup(fd)` with close-on-exec, as libvirt copies a caller's descriptor before sending it.
pub fn dup_cloexec(fd: RawFd) -> io::Result<std::os::fd::OwnedFd> {
    use std::os::fd::FromRawFd;
    // SAFETY: fcntl(F_DUPFD_CLOEXEC) takes a descriptor and a minimum number; a bad descriptor
    // is an error return.
    let n = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `n` is a new descriptor nobody else owns.
    Ok(unsafe { std::os::fd::OwnedFd::from_raw_fd(n) })
}

#[cfg(test)]
mod fd_tests {
    use super::*;
    use std::io::{Read, Write};
    use std::os::fd::AsRawFd;
    use std::os::unix::net::UnixStream;

    #[test]
    fn a_descriptor_crosses_a_socket_pair() {
        let (a, b) = UnixStream::pair().unwrap();
        let (mut p, q) = UnixStream::pair().unwrap();
        send_fd(a.as_raw_fd(), q.as_raw_fd()).unwrap();
        drop(q);
        let got = recv_fd(b.as_raw_fd()).unwrap();
        let mut q2 = UnixStream::from(got);
        p.write_all(b"hi").unwrap();
        let mut buf = [0u8; 2];
        q2.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"hi");
        // A plain byte without a descriptor is refused.
        (&a).write_all(&[0]).unwrap();
        assert_eq!(
            recv_fd(b.as_raw_fd()).unwrap_err().raw_os_error(),
            Some(libc::EBADMSG)
        );
        drop(a);
        assert!(recv_fd(b.as_raw_fd()).is_err());
    }
}
