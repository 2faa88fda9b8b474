//! Reaching a daemon: which transport a URI asks for, which socket or host it names, the name
//! sent in CONNECT_OPEN, and the byte streams themselves (UNIX socket, TCP, ssh child process).

use crate::core::error::{Code, Domain};
use crate::core::uri::Uri;
use crate::core::{Result, VirError};
use crate::rpc::Transport;
use parking_lot::Mutex;
use std::io::Read;
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

pub(crate) const SOCKET_DIR: &str = "/var/run/libvirt";
pub(crate) const TCP_PORT: u32 = 16509;
pub(crate) const TLS_PORT: u32 = 16514;

/// Query parameters the client consumes; all others travel to the daemon in the name.
const CLIENT_PARAMS: &[&str] = &[
    "name",
    "command",
    "socket",
    "auth",
    "sshauth",
    "netcat",
    "keyfile",
    "pkipath",
    "known_hosts",
    "known_hosts_verify",
    "tls_priority",
    "mode",
    "proxy",
    "no_sanity",
    "no_verify",
    "no_tty",
    "authfile",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Unix,
    Tcp,
    Tls,
    Ssh,
    /// `+ext`: a command's stdin and stdout (`?command=`).
    Ext,
}

/// Everything `open` needs to know, derived from the URI alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub kind: Kind,
    pub host: Option<String>,
    pub port: Option<u32>,
    pub user: Option<String>,
    /// `?socket=`, or the default socket for this URI.
    pub socket: String,
    /// Whether `?socket=` was given.
    pub socket_given: bool,
    /// Whether the URI's path is `/session` (a per-user daemon).
    pub session: bool,
    /// The name sent in CONNECT_OPEN (`None` = NULL, never used by the client; "" = daemon picks).
    pub name: String,
    pub params: Vec<(String, String)>,
}

impl Plan {
    /// A client parameter's value; the last one wins when it is repeated, as in libvirt.
    pub fn param(&self, k: &str) -> Option<&str> {
        self.params
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.as_str())
    }
    /// A boolean parameter: every occurrence must be an integer; the last one wins.
    pub fn flag(&self, k: &str) -> Result<bool> {
        let mut on = false;
        for (_, v) in self
            .params
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(k))
        {
            on = match v.trim().parse::<i64>() {
                Ok(n) => n != 0,
                Err(_) => {
                    return Err(VirError::detail(
                        Domain::VIR_FROM_REMOTE,
                        Code::VIR_ERR_INVALID_ARG,
                        format!("Failed to parse value of URI component {k}"),
                    ));
                }
            };
        }
        Ok(on)
    }
}

pub(crate) fn is_root() -> bool {
    crate::sys::is_root()
}

/// The local daemon's socket for a URI without `?socket=`: the system socket (the per-driver
/// daemon's if present, else libvirtd's), or the per-user one for session URIs of a non-root user.
fn default_socket(driver: &str, path: &str, readonly: bool) -> String {
    let ro = if readonly { "-ro" } else { "" };
    let session = !is_root() && (path == "/session" || driver == "test");
    if session {
        let base = std::env::var("XDG_RUNTIME_DIR")
            .ok()
            .filter(|s| !s.is_empty())
            .map(|d| format!("{d}/libvirt"))
            .unwrap_or_else(|| {
                format!(
                    "{}/.cache/libvirt",
                    std::env::var("HOME").unwrap_or_default()
                )
            });
        return format!("{base}/libvirt-sock");
    }
    if !driver.is_empty() && driver != "remote" {
        let direct = format!("{SOCKET_DIR}/virt{driver}d-sock{ro}");
        if std::path::Path::new(&direct).exists() {
            return direct;
        }
    }
    format!("{SOCKET_DIR}/libvirt-sock{ro}")
}

/// Percent-encode a query value the way libvirt re-formats passed-through parameters.
fn escape(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

pub fn plan(uri: Option<&Uri>, readonly: bool) -> Result<Plan> {
    let Some(u) = uri else {
        return Ok(Plan {
            kind: Kind::Unix,
            host: None,
            port: None,
            user: None,
            socket: default_socket("", "", readonly),
            socket_given: false,
            session: false,
            name: String::new(),
            params: Vec::new(),
        });
    };
    let params = u.params();
    let kind = match u.transport() {
        None if u.server.is_some() => Kind::Tls,
        None => Kind::Unix,
        Some(t) => match t.to_ascii_lowercase().as_str() {
            "unix" => Kind::Unix,
            "tcp" => Kind::Tcp,
            "tls" => Kind::Tls,
            "ssh" | "libssh" | "libssh2" => Kind::Ssh,
            "ext" => Kind::Ext,
            _ => {
                return Err(VirError::detail(
                    Domain::VIR_FROM_REMOTE,
                    Code::VIR_ERR_INVALID_ARG,
                    "remote_open: transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)",
                ));
            }
        },
    };
    if kind == Kind::Unix
        && let Some(s) = &u.server
    {
        return Err(VirError::detail(
            Domain::VIR_FROM_REMOTE,
            Code::VIR_ERR_INVALID_ARG,
            format!("using unix socket and remote server '{s}' is not supported."),
        ));
    }
    let get = |k: &str| {
        params
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.clone())
    };
    let driver = u.driver().to_string();
    let name = if let Some(n) = get("name") {
        n
    } else if driver == "remote" {
        String::new()
    } else {
        let pass: Vec<String> = params
            .iter()
            .filter(|(k, _)| !CLIENT_PARAMS.iter().any(|c| c.eq_ignore_ascii_case(k)))
            .map(|(k, v)| format!("{}={}", escape(k), escape(v)))
            .collect();
        Uri {
            scheme: driver.clone(),
            path: u.path.clone(),
            query: (!pass.is_empty()).then(|| pass.join("&")),
            fragment: u.fragment.clone(),
            ..Default::default()
        }
        .format()
    };
    let socket_given = get("socket").is_some();
    let socket = get("socket").unwrap_or_else(|| default_socket(&driver, &u.path, readonly));
    Ok(Plan {
        kind,
        host: u.server.clone(),
        port: u.port,
        user: u.user.clone(),
        socket,
        socket_given,
        session: u.path == "/session",
        name,
        params,
    })
}

fn socket_transport<S>(s: S, secure: bool) -> Result<Transport>
where
    S: std::io::Read + std::io::Write + Send + Sync + 'static + Clone2,
{
    let r = s.clone2()?;
    let w = s.clone2()?;
    Ok(Transport {
        reader: Box::new(r),
        writer: Box::new(w),
        closer: Box::new(move || s.shut()),
        eof_detail: None,
        secure,
        encrypted: false,
    })
}

/// What a socket type must offer to serve as a transport.
pub trait Clone2: Sized {
    fn clone2(&self) -> Result<Self>;
    fn shut(&self);
}

fn clone_error(e: std::io::Error) -> VirError {
    VirError::system(
        Domain::VIR_FROM_RPC,
        e.raw_os_error().unwrap_or(libc::EIO),
        "Unable to duplicate socket",
    )
}

impl Clone2 for UnixStream {
    fn clone2(&self) -> Result<Self> {
        self.try_clone().map_err(clone_error)
    }
    fn shut(&self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

impl Clone2 for TcpStream {
    fn clone2(&self) -> Result<Self> {
        self.try_clone().map_err(clone_error)
    }
    fn shut(&self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

pub fn connect_unix(path: &str) -> Result<Transport> {
    socket_transport(unix_stream(path)?, true)
}

// ---- host/misc (hostmisc)
/// `connect_unix`, plus a duplicate of the socket for passing descriptors (SCM_RIGHTS).
pub fn connect_unix_passing(path: &str) -> Result<(Transport, std::os::fd::OwnedFd)> {
    let s = unix_stream(path)?;
    let dup = s.clone2()?;
    Ok((socket_transport(s, true)?, dup.into()))
}
// ---- end of host/misc (hostmisc)

fn unix_stream(path: &str) -> Result<UnixStream> {
    // An empty path leaves libvirt's sockaddr_un all zeros, which Linux reads as the abstract
    // name of 107 NUL bytes (normally nobody's: ECONNREFUSED); the standard library would
    // refuse the empty path itself with EINVAL.
    let s = if path.is_empty() {
        <std::os::unix::net::SocketAddr as std::os::linux::net::SocketAddrExt>::from_abstract_name(
            [0u8; 107],
        )
        .and_then(|a| UnixStream::connect_addr(&a))
    } else {
        UnixStream::connect(path)
    };
    s.map_err(|e| {
        VirError::system(
            Domain::VIR_FROM_RPC,
            e.raw_os_error().unwrap_or(libc::EIO),
            &format!("Failed to connect socket to '{path}'"),
        )
    })
}

pub fn connect_tcp(host: &str, port: u32) -> Result<Transport> {
    socket_transport(tcp_stream(host, port)?, false)
}

/// What libvirt prints for a failed lookup: `gai_strerror`'s text, without the prefix the
/// standard library adds.
fn gai_text(e: &std::io::Error) -> String {
    let t = e.to_string();
    t.strip_prefix("failed to lookup address information: ")
        .map(str::to_string)
        .unwrap_or(t)
}

/// A connected TCP socket to `host:port`, trying each address in turn.
pub fn tcp_stream(host: &str, port: u32) -> Result<TcpStream> {
    let target = format!("{host}:{port}");
    let fail = |e: std::io::Error| {
        VirError::system(
            Domain::VIR_FROM_RPC,
            e.raw_os_error().unwrap_or(libc::EIO),
            &format!("unable to connect to server at '{target}'"),
        )
    };
    // glibc's getaddrinfo keeps the low 16 bits of a numeric service beyond 65535, and
    // libvirt passes the URI's port through as such a service.
    let addrs: Vec<_> = (host, port as u16)
        .to_socket_addrs()
        .map_err(|e| {
            VirError::detail(
                Domain::VIR_FROM_RPC,
                Code::VIR_ERR_SYSTEM_ERROR,
                format!(
                    "Unable to resolve address '{host}' service '{port}': {}",
                    gai_text(&e)
                ),
            )
        })?
        .collect();
    let mut last = None;
    for a in addrs {
        match TcpStream::connect_timeout(&a, Duration::from_secs(30)) {
            Ok(s) => {
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(fail(last.unwrap_or_else(|| {
        std::io::Error::from_raw_os_error(libc::EADDRNOTAVAIL)
    })))
}

/// Quote `s` for /bin/sh as libvirt does: unchanged unless it holds a shell metacharacter (or is
/// empty), else in single quotes with each `'` written as `'\''`.
fn sh_escape(s: &str) -> String {
    const META: &[char] = &[
        '\r', '\t', '\n', ' ', '!', '"', '#', '$', '&', '\'', '(', ')', '*', ';', '<', '>', '?',
        '[', '\\', ']', '^', '`', '{', '|', '}', '~',
    ];
    if s.is_empty() {
        return "''".into();
    }
    if !s.contains(META) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Quoted twice: sshd hands the command to the user's shell, which runs `sh -c '...'`.
fn sh_escape2(s: &str) -> String {
    sh_escape(&sh_escape(s))
}

/// How the far side reaches the daemon (the URI's `proxy=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Proxy {
    /// virt-ssh-helper when the far side has it, else netcat.
    Auto,
    Netcat,
    /// virt-ssh-helper only.
    Native,
}

/// The command ssh runs on the far side, byte for byte what libvirt 9.0.0 sends: virt-ssh-helper
/// (which finds the daemon's socket itself) or netcat on the socket, or the first that exists.
pub fn ssh_remote_command(p: &Plan, readonly: bool) -> Result<String> {
    let mut proxy = match p.param("proxy") {
        Some(v) => match v {
            "auto" => Proxy::Auto,
            "netcat" => Proxy::Netcat,
            "native" => Proxy::Native,
            _ => {
                return Err(VirError::detail(
                    Domain::VIR_FROM_REMOTE,
                    Code::VIR_ERR_INVALID_ARG,
                    format!("Unnkown proxy type '{v}'"),
                ));
            }
        },
        // An explicit socket needs netcat (the helper picks its own); a non-root user's session
        // daemon's socket can only be found on the far side.
        None if p.socket_given => Proxy::Netcat,
        None if p.session && !is_root() => Proxy::Native,
        None => Proxy::Auto,
    };
    let netcat = p.param("netcat");
    if proxy == Proxy::Auto && netcat.is_some() {
        proxy = Proxy::Netcat;
    }
    let sock = if p.socket_given {
        p.socket.clone()
    } else {
        let ro = if readonly { "-ro" } else { "" };
        format!("{SOCKET_DIR}/libvirt-sock{ro}")
    };
    let nc = sh_escape2(netcat.unwrap_or("nc"));
    let nccmd = format!(
        "if '{nc}' -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;'{nc}' $ARG -U {sock}"
    );
    let helper = format!(
        "virt-ssh-helper{}'{}'",
        if readonly { " -r " } else { " " },
        sh_escape2(&p.name)
    );
    Ok(match proxy {
        Proxy::Auto => format!(
            "sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     {helper}; else    {nccmd}; fi'"
        ),
        Proxy::Netcat => format!("sh -c '{nccmd}'"),
        Proxy::Native => {
            if netcat.is_some() {
                return Err(VirError::detail(
                    Domain::VIR_FROM_RPC,
                    Code::VIR_ERR_INVALID_ARG,
                    "netcat path not valid with native proxy mode",
                ));
            }
            format!("sh -c '{helper}'")
        }
    })
}

/// The argv of the ssh child, as libvirt builds it.
pub fn ssh_argv(p: &Plan, readonly: bool) -> Result<Vec<String>> {
    let mut v = vec![p.param("command").unwrap_or("ssh").to_string()];
    if let Some(port) = p.port {
        v.extend(["-p".into(), port.to_string()]);
    }
    if let Some(u) = &p.user {
        v.extend(["-l".into(), u.clone()]);
    }
    if let Some(k) = p.param("keyfile") {
        v.extend(["-i".into(), k.to_string()]);
    }
    v.extend(["-T".into(), "-e".into(), "none".into()]);
    if p.flag("no_tty")? {
        v.extend(["-o".into(), "BatchMode=yes".into()]);
    }
    if p.flag("no_verify")? {
        v.extend(["-o".into(), "StrictHostKeyChecking=no".into()]);
    }
    v.push("--".into());
    v.push(p.host.clone().unwrap_or_else(|| "localhost".into()));
    v.push(ssh_remote_command(p, readonly)?);
    Ok(v)
}

/// A command name without a slash is looked up in PATH first, as libvirt does (a path is run as
/// it is, whatever it names).
fn find_program(name: &str) -> Result<String> {
    use std::os::unix::fs::PermissionsExt;
    if name.contains('/') {
        return Ok(name.to_string());
    }
    let path = std::env::var("PATH").unwrap_or_else(|_| "/bin:/usr/bin".into());
    for dir in path.split(':').filter(|d| !d.is_empty()) {
        let cand = format!("{dir}/{name}");
        if let Ok(m) = std::fs::metadata(&cand)
            && m.is_file()
            && m.permissions().mode() & 0o111 != 0
        {
            return Ok(cand);
        }
    }
    Err(VirError::system(
        Domain::VIR_FROM_NONE,
        libc::ENOENT,
        &format!("Cannot find '{name}' in path"),
    ))
}

pub fn connect_ssh(p: &Plan, readonly: bool) -> Result<Transport> {
    let argv = ssh_argv(p, readonly)?;
    connect_command(&argv, None, true)
}

/// The environment libvirt gives a command it runs (virCommandAddEnvPassCommon): `LC_ALL=C`
/// and a few variables passed through, nothing else.
fn common_env() -> Vec<(String, String)> {
    let mut env = vec![("LC_ALL".to_string(), "C".to_string())];
    for k in [
        "LD_PRELOAD",
        "LD_LIBRARY_PATH",
        "DYLD_INSERT_LIBRARIES",
        "DYLD_FORCE_FLAT_NAMESPACE",
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "TMPDIR",
    ] {
        if let Some(v) = std::env::var_os(k) {
            env.push((k.to_string(), v.to_string_lossy().into_owned()));
        }
    }
    env
}

/// `+ext`: run `?command=` (no arguments, no shell) and talk over its stdin and stdout, as
/// libvirt does; the channel does not count as secure (libvirt cannot vouch for the command).
pub fn connect_ext(p: &Plan) -> Result<Transport> {
    let Some(cmd) = p.param("command") else {
        return Err(VirError::detail(
            Domain::VIR_FROM_REMOTE,
            Code::VIR_ERR_INVALID_ARG,
            "remote_open: for 'ext' transport, command is required",
        ));
    };
    connect_command(&[cmd.to_string()], Some(common_env()), false)
}

/// Run `argv` with its stdin and stdout on one end of a socket pair (and, with `env`, only that
/// environment), and talk to the daemon over the other end.
fn connect_command(
    argv: &[String],
    env: Option<Vec<(String, String)>>,
    secure: bool,
) -> Result<Transport> {
    // The child's stdin and stdout are one end of a socket pair, as libvirt does it: when it
    // exits without reading what was sent (ssh's authentication refused), reads see
    // ECONNRESET, not EOF.
    let sock_err = |e: std::io::Error| {
        VirError::system(
            Domain::VIR_FROM_RPC,
            e.raw_os_error().unwrap_or(libc::EIO),
            "unable to create socket pair",
        )
    };
    let program = find_program(&argv[0])?;
    let (ours, theirs) = UnixStream::pair().map_err(sock_err)?;
    let theirs_out = theirs.try_clone().map_err(sock_err)?;
    let spawned = {
        // The command (holding the child's ends) is dropped right after the spawn, so that the
        // child's exit is seen as the end of the stream.
        let mut cmd = Command::new(&program);
        if let Some(env) = &env {
            cmd.env_clear().envs(env.iter().map(|(k, v)| (k, v)));
        }
        cmd.args(&argv[1..])
            .stdin(Stdio::from(std::os::fd::OwnedFd::from(theirs)))
            .stdout(Stdio::from(std::os::fd::OwnedFd::from(theirs_out)))
            .stderr(Stdio::piped());
        cmd.spawn()
    };
    let mut child = spawned.map_err(|e| {
        // libvirt forks first and the child reports the failed exec on its stderr and exits,
        // unread: the caller sees that text with the reset of the socket pair.
        let why =
            std::io::Error::from_raw_os_error(e.raw_os_error().unwrap_or(libc::EIO)).to_string();
        let why = why.rfind(" (os error").map_or(why.as_str(), |i| &why[..i]);
        VirError::system(
            Domain::VIR_FROM_RPC,
            libc::ECONNRESET,
            &format!("Cannot recv data: libvirt:  error : cannot execute binary {program}: {why}"),
        )
    })?;
    let stderr = child.stderr.take();
    let (reader, writer) = match (ours.try_clone(), ours.try_clone()) {
        (Ok(r), Ok(w)) => (r, w),
        (Err(e), _) | (_, Err(e)) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(clone_error(e));
        }
    };
    // Keep what ssh says on stderr (bounded) to explain an early end of stream.
    let errtext: Arc<(Mutex<(String, bool)>, parking_lot::Condvar)> = Arc::default();
    if let Some(mut e) = stderr {
        let t = errtext.clone();
        let _ = std::thread::Builder::new()
            .name("oxvirt-ssh-err".into())
            .spawn(move || {
                let mut buf = [0u8; 1024];
                while let Ok(n) = e.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let mut s = t.0.lock();
                    if s.0.len() < 8192 {
                        s.0.push_str(&String::from_utf8_lossy(&buf[..n]));
                    }
                }
                t.0.lock().1 = true;
                t.1.notify_all();
            });
    } else {
        errtext.0.lock().1 = true;
    }
    let child: Arc<Mutex<Child>> = Arc::new(Mutex::new(child));
    let c2 = child.clone();
    let gate = Arc::new(FirstWrite::default());
    let g2 = gate.clone();
    Ok(Transport {
        reader: Box::new(GatedReader {
            inner: reader,
            gate: gate.clone(),
            open: false,
        }),
        writer: Box::new(GatedWriter {
            inner: writer,
            gate,
            opened: false,
        }),
        closer: Box::new(move || {
            g2.open();
            ours.shut();
            let mut c = c2.lock();
            let _ = c.kill();
            let _ = c.wait();
        }),
        eof_detail: Some(Box::new(move || {
            // Wait (briefly) for ssh's last words on stderr.
            let mut g = errtext.0.lock();
            let deadline = std::time::Instant::now() + Duration::from_secs(2);
            while !g.1 {
                if errtext.1.wait_until(&mut g, deadline).timed_out() {
                    break;
                }
            }
            let s = g.0.trim().to_string();
            (!s.is_empty()).then_some(s)
        })),
        secure,
        encrypted: false,
    })
}

/// Whether the first packet has gone to ssh: until then its output is not read.
///
/// libvirt's client writes its first call and only then reads, so an ssh that is gone before
/// that write (its exec failed, or it could not connect) shows as the write's EPIPE, and one
/// that exits later, leaving the call unread, as the read's ECONNRESET with its stderr. A
/// reader running from the start would instead see the end of the stream first, a third
/// outcome libvirt never reports. Opened by the first successful write, or by the closer (a
/// failed write kills the connection with its own error before the reader can look).
#[derive(Default)]
struct FirstWrite {
    written: Mutex<bool>,
    cv: parking_lot::Condvar,
}

impl FirstWrite {
    fn open(&self) {
        *self.written.lock() = true;
        self.cv.notify_all();
    }
    fn wait(&self) {
        let mut w = self.written.lock();
        while !*w {
            self.cv.wait(&mut w);
        }
    }
}

struct GatedReader {
    inner: UnixStream,
    gate: Arc<FirstWrite>,
    open: bool,
}

impl Read for GatedReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.open {
            self.gate.wait();
            self.open = true;
        }
        self.inner.read(buf)
    }
}

struct GatedWriter {
    inner: UnixStream,
    gate: Arc<FirstWrite>,
    opened: bool,
}

impl std::io::Write for GatedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        if !self.opened {
            self.gate.open();
            self.opened = true;
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(u: &str) -> String {
        plan(Some(&Uri::parse(u).unwrap()), false).unwrap().name
    }

    #[test]
    fn names_sent_in_connect_open() {
        assert_eq!(name("qemu+ssh://root@host:2222/system"), "qemu:///system");
        assert_eq!(name("qemu+ssh://host/session"), "qemu:///session");
        assert_eq!(
            name("test+ssh://alice@host/default?socket=/var/run/libvirt/custom-sock"),
            "test:///default"
        );
        assert_eq!(
            name("test+tcp://127.0.0.1:26510/default"),
            "test:///default"
        );
        assert_eq!(
            name("test+unix:///default?socket=/x&foo=bar"),
            "test:///default?foo=bar"
        );
        assert_eq!(name("remote+unix:///system"), "");
        assert_eq!(name("qemu+unix:///system?name=lxc:///"), "lxc:///");
    }

    #[test]
    fn transports_and_sockets() {
        let p = plan(
            Some(&Uri::parse("qemu://host.example/system").unwrap()),
            false,
        )
        .unwrap();
        assert_eq!(p.kind, Kind::Tls);
        let p = plan(
            Some(&Uri::parse("test+unix:///default?socket=/s").unwrap()),
            true,
        )
        .unwrap();
        assert_eq!((p.kind, p.socket.as_str()), (Kind::Unix, "/s"));
        let e = plan(Some(&Uri::parse("qemu+unix://h/system").unwrap()), false).unwrap_err();
        assert_eq!(
            e.message(),
            "invalid argument: using unix socket and remote server 'h' is not supported."
        );
        let p = plan(
            Some(&Uri::parse("test+ext:///default?command=/bin/true&x=1").unwrap()),
            false,
        )
        .unwrap();
        assert_eq!(
            (p.kind.clone(), p.param("command"), p.name.as_str()),
            (Kind::Ext, Some("/bin/true"), "test:///default?x=1")
        );
        let p = plan(Some(&Uri::parse("test+ext:///default").unwrap()), false).unwrap();
        assert_eq!(
            connect_ext(&p).err().unwrap().message(),
            "invalid argument: remote_open: for 'ext' transport, command is required"
        );
        assert!(common_env().iter().any(|(k, v)| k == "LC_ALL" && v == "C"));
        let e = plan(Some(&Uri::parse("qemu+bogus:///system").unwrap()), false).unwrap_err();
        assert_eq!(e.code, Code::VIR_ERR_INVALID_ARG as i32);
        if is_root() {
            let p = plan(Some(&Uri::parse("qemu:///system").unwrap()), true).unwrap();
            assert!(p.socket.ends_with("-sock-ro"));
        }
    }

    #[test]
    fn ssh_command_line() {
        let p = plan(
            Some(&Uri::parse("qemu+ssh://root@host:2222/system?no_tty=1&no_verify=1").unwrap()),
            false,
        )
        .unwrap();
        let v = ssh_argv(&p, false).unwrap();
        assert_eq!(
            v[..14],
            [
                "ssh",
                "-p",
                "2222",
                "-l",
                "root",
                "-T",
                "-e",
                "none",
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=no",
                "--",
                "host"
            ]
        );
        // libvirt 9.0.0's auto proxy command, byte for byte (checked against it through a real
        // sshd by tests/python/test_remote_ssh.py).
        assert_eq!(
            v[14],
            "sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     \
             virt-ssh-helper 'qemu:///system'; else    if 'nc' -q 2>&1 | grep \"requires an \
             argument\" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;'nc' $ARG -U \
             /var/run/libvirt/libvirt-sock; fi'"
        );
        let p = plan(
            Some(&Uri::parse("test+ssh://h/default?socket=/tmp/x").unwrap()),
            true,
        )
        .unwrap();
        let cmd = ssh_remote_command(&p, true).unwrap();
        assert!(!cmd.contains("virt-ssh-helper"));
        assert!(cmd.ends_with("$ARG -U /tmp/x'"));
        // Names with shell metacharacters are quoted twice (once per shell on the far side).
        let p = plan(
            Some(&Uri::parse("test+ssh://h/default?foo=bar&proxy=native").unwrap()),
            true,
        )
        .unwrap();
        assert_eq!(
            ssh_remote_command(&p, true).unwrap(),
            r#"sh -c 'virt-ssh-helper -r '''\''test:///default?foo=bar'\'''''"#
        );
        let p = plan(
            Some(&Uri::parse("test+ssh://h/default?proxy=native&netcat=nc").unwrap()),
            false,
        )
        .unwrap();
        assert_eq!(
            ssh_remote_command(&p, false).unwrap_err().message(),
            "invalid argument: netcat path not valid with native proxy mode"
        );
        // Repeated parameters: the last wins, every one must parse.
        let p = plan(
            Some(&Uri::parse("test+ssh://h/default?no_tty=1&no_tty=0").unwrap()),
            false,
        )
        .unwrap();
        assert!(!p.flag("no_tty").unwrap());
        let p = plan(
            Some(&Uri::parse("test+ssh://h/default?no_tty=x&no_tty=1").unwrap()),
            false,
        )
        .unwrap();
        assert!(p.flag("no_tty").is_err());
    }
}
