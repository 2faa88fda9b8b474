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
pub(crate) const TCP_PORT: u16 = 16509;
pub(crate) const TLS_PORT: u16 = 16514;

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
}

/// Everything `open` needs to know, derived from the URI alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub kind: Kind,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub user: Option<String>,
    /// `?socket=`, or the default socket for this URI.
    pub socket: String,
    /// Whether `?socket=` was given.
    pub socket_given: bool,
    /// The name sent in CONNECT_OPEN (`None` = NULL, never used by the client; "" = daemon picks).
    pub name: String,
    pub params: Vec<(String, String)>,
}

impl Plan {
    pub fn param(&self, k: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.as_str())
    }
    pub fn flag(&self, k: &str) -> Result<bool> {
        match self.param(k) {
            None => Ok(false),
            Some(v) => match v.trim().parse::<i64>() {
                Ok(n) => Ok(n != 0),
                Err(_) => Err(VirError::detail(
                    Domain::VIR_FROM_REMOTE,
                    Code::VIR_ERR_INVALID_ARG,
                    format!("Failed to parse value of URI component {k}"),
                )),
            },
        }
    }
}

pub(crate) fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
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
            "ext" => {
                return Err(VirError::detail(
                    Domain::VIR_FROM_REMOTE,
                    Code::VIR_ERR_NO_SUPPORT,
                    "the ext transport",
                ));
            }
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
    let s = UnixStream::connect(path).map_err(|e| {
        VirError::system(
            Domain::VIR_FROM_RPC,
            e.raw_os_error().unwrap_or(libc::EIO),
            &format!("Failed to connect socket to '{path}'"),
        )
    })?;
    socket_transport(s, true)
}

pub fn connect_tcp(host: &str, port: u16) -> Result<Transport> {
    socket_transport(tcp_stream(host, port)?, false)
}

/// A connected TCP socket to `host:port`, trying each address in turn.
pub fn tcp_stream(host: &str, port: u16) -> Result<TcpStream> {
    let target = format!("{host}:{port}");
    let fail = |e: std::io::Error| {
        VirError::system(
            Domain::VIR_FROM_RPC,
            e.raw_os_error().unwrap_or(libc::EIO),
            &format!("unable to connect to server at '{target}'"),
        )
    };
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|e| {
            VirError::detail(
                Domain::VIR_FROM_RPC,
                Code::VIR_ERR_SYSTEM_ERROR,
                format!("Unable to resolve address '{host}' service '{port}': {e}"),
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

/// Single-quote for a POSIX shell.
fn shq(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The command ssh runs on the far side: virt-ssh-helper when it exists (and no socket was
/// named), else netcat on the daemon's socket.
pub fn ssh_remote_command(p: &Plan, readonly: bool) -> String {
    let netcat = p.param("netcat").unwrap_or("nc");
    let sock = if p.socket_given {
        p.socket.clone()
    } else {
        let ro = if readonly { "-ro" } else { "" };
        format!("{SOCKET_DIR}/libvirt-sock{ro}")
    };
    let nc = format!(
        "if {nc} -q 2>&1 | grep 'requires an argument' >/dev/null 2>&1; then ARG=-q0; else ARG=; fi; {nc} $ARG -U {sock}",
        nc = shq(netcat),
        sock = shq(&sock)
    );
    let proxy = p.param("proxy").unwrap_or("auto");
    let script = if p.socket_given || proxy == "netcat" || p.param("netcat").is_some() {
        nc
    } else {
        let helper = format!(
            "virt-ssh-helper{} {}",
            if readonly { " -r" } else { "" },
            shq(&p.name)
        );
        if proxy == "native" {
            helper
        } else {
            format!("if command -v virt-ssh-helper >/dev/null 2>&1; then {helper}; else {nc}; fi")
        }
    };
    format!("sh -c {}", shq(&script))
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
    v.push(ssh_remote_command(p, readonly));
    Ok(v)
}

pub fn connect_ssh(p: &Plan, readonly: bool) -> Result<Transport> {
    let argv = ssh_argv(p, readonly)?;
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            VirError::system(
                Domain::VIR_FROM_RPC,
                e.raw_os_error().unwrap_or(libc::EIO),
                &format!("Cannot run {}", argv[0]),
            )
        })?;
    let stdin = child.stdin.take();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let (Some(stdin), Some(stdout)) = (stdin, stdout) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(VirError::internal(
            Domain::VIR_FROM_RPC,
            "ssh child without pipes",
        ));
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
    Ok(Transport {
        reader: Box::new(stdout),
        writer: Box::new(stdin),
        closer: Box::new(move || {
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
        secure: true,
        encrypted: false,
    })
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
        // The remote shell sees `sh -c '<script>'`; inner quotes are escaped for it.
        assert!(v[14].starts_with("sh -c '"));
        assert!(v[14].contains(r#"virt-ssh-helper '\''qemu:///system'\''"#));
        assert!(v[14].contains(r#"-U '\''/var/run/libvirt/libvirt-sock'\''"#));
        let p = plan(
            Some(&Uri::parse("test+ssh://h/default?socket=/tmp/x").unwrap()),
            true,
        )
        .unwrap();
        let cmd = ssh_remote_command(&p, true);
        assert!(!cmd.contains("virt-ssh-helper"));
        assert!(cmd.contains("/tmp/x"));
    }
}
