//! libvirt's logging as its client library does it: a default priority (`LIBVIRT_DEBUG`),
//! filters (`LIBVIRT_LOG_FILTERS`, "PRIO:MATCH ..."; the first whose match is a substring of the
//! message's source, e.g. `libvirt.domain` or `rpc.netclient`, sets that source's priority; a
//! leading `+` is accepted and ignored as by libvirt 9.0.0), outputs (`LIBVIRT_LOG_OUTPUTS`,
//! "PRIO:stderr", "PRIO:file:PATH", "PRIO:syslog:IDENT"; "PRIO:journald" goes to syslog, which
//! journald collects), and libvirt's line format:
//!
//! `2026-12-01 11:17:33.382+0000: 16347: debug : virConnectOpen:1133 : name=test:///default`
//!
//! with the "libvirt version" and "hostname" lines first on each output. Priorities: 1 debug,
//! 2 info, 3 warning, 4 error; default 3. Without outputs, messages go to stderr.
//!
//! Beyond libvirt 9.0.0's client library (which reads them only in the daemons' files): the
//! client `libvirt.conf` may set `log_level`, `log_filters` and `log_outputs`; the environment
//! takes precedence over each.
//!
//! Zero cost when off: [`enabled`] is one relaxed atomic load and a compare against the lowest
//! priority any source can pass; nothing is formatted unless it passes.

use super::conf::{Conf, Value};
use super::{Code, Domain, Result, VirError};
use parking_lot::Mutex;
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

/// libvirt's log priorities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Priority {
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
}

impl Priority {
    fn from_number(s: &str) -> Option<Priority> {
        match s.parse::<u32>().ok()? {
            1 => Some(Priority::Debug),
            2 => Some(Priority::Info),
            3 => Some(Priority::Warn),
            4 => Some(Priority::Error),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Priority::Debug => "debug",
            Priority::Info => "info",
            Priority::Warn => "warning",
            Priority::Error => "error",
        }
    }

    fn syslog(self) -> i32 {
        match self {
            Priority::Debug => crate::sys::LOG_DEBUG,
            Priority::Info => crate::sys::LOG_INFO,
            Priority::Warn => crate::sys::LOG_WARNING,
            Priority::Error => crate::sys::LOG_ERR,
        }
    }
}

/// Not configured yet.
const UNSET: u8 = 0;
/// Lowest priority any message can pass (Debug..=Error), once configured.
static THRESHOLD: AtomicU8 = AtomicU8::new(UNSET);
/// Outputs were configured explicitly.
static HAS_OUTPUTS: AtomicBool = AtomicBool::new(false);

/// Whether a message of priority `p` could be emitted (some source passes it). Cheap.
#[inline]
pub fn enabled(p: Priority) -> bool {
    let t = THRESHOLD.load(Ordering::Relaxed);
    if t == UNSET {
        return configure_once() <= p as u8;
    }
    p as u8 >= t
}

struct Filter {
    /// The glob `*MATCH*`, as libvirt matches it.
    pattern: String,
    priority: Priority,
}

enum Dest {
    Stderr,
    File(std::fs::File),
    Syslog,
}

struct Output {
    priority: Priority,
    dest: Dest,
    /// The version and hostname lines are still to be written.
    init_pending: bool,
}

struct State {
    default: Priority,
    filters: Vec<Filter>,
    outputs: Vec<Output>,
    stderr_init_pending: bool,
    /// The configuration was invalid: initialisation fails with this, as libvirt's
    /// `virInitialize` does.
    error: Option<VirError>,
}

static STATE: Mutex<State> = Mutex::new(State {
    default: Priority::Warn,
    filters: Vec::new(),
    outputs: Vec::new(),
    stderr_init_pending: true,
    error: None,
});

static ONCE: std::sync::Once = std::sync::Once::new();

fn configure_once() -> u8 {
    ONCE.call_once(|| {
        let conf = super::conf::load_client_conf().ok().flatten();
        let mut st = STATE.lock();
        if let Err(e) = configure(&mut st, conf.as_ref(), &|k| std::env::var(k).ok()) {
            st.error = Some(e);
        }
        HAS_OUTPUTS.store(!st.outputs.is_empty(), Ordering::Relaxed);
        THRESHOLD.store(threshold(&st), Ordering::Relaxed);
    });
    THRESHOLD.load(Ordering::Relaxed)
}

/// The error an invalid logging configuration makes library initialisation fail with.
pub fn init_error() -> Option<VirError> {
    configure_once();
    STATE.lock().error.clone()
}

/// Whether outputs were configured explicitly (errors are logged only then, as by libvirt).
pub fn has_outputs() -> bool {
    configure_once();
    HAS_OUTPUTS.load(Ordering::Relaxed)
}

fn threshold(st: &State) -> u8 {
    st.filters
        .iter()
        .map(|f| f.priority)
        .chain(std::iter::once(st.default))
        .min()
        .unwrap_or(Priority::Warn) as u8
}

fn invalid(msg: String) -> VirError {
    VirError::detail(Domain::VIR_FROM_NONE, Code::VIR_ERR_INVALID_ARG, msg)
}

/// Apply `libvirt.conf`'s settings, then the environment's (`env` looks a variable up).
fn configure(
    st: &mut State,
    conf: Option<&Conf>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<()> {
    let from_conf = |name: &str| -> Option<String> {
        match conf?.get(name)? {
            Value::Str(s) => Some(s.clone()),
            Value::Long(n) => Some(n.to_string()),
            Value::List(_) => None,
        }
    };
    let pick = |var: &str, key: &str| {
        env(var)
            .filter(|s| !s.is_empty())
            .or_else(|| from_conf(key).filter(|s| !s.is_empty()))
    };
    if let Some(level) = pick("LIBVIRT_DEBUG", "log_level") {
        st.default = parse_default_priority(&level)?;
    }
    if let Some(filters) = pick("LIBVIRT_LOG_FILTERS", "log_filters") {
        st.filters = parse_filters(&filters)?;
    }
    if let Some(outputs) = pick("LIBVIRT_LOG_OUTPUTS", "log_outputs") {
        st.outputs = parse_outputs(&outputs)?;
    }
    Ok(())
}

/// `LIBVIRT_DEBUG`: 1-4 or debug/info/warning/error.
fn parse_default_priority(s: &str) -> Result<Priority> {
    match s {
        "1" | "debug" => Ok(Priority::Debug),
        "2" | "info" => Ok(Priority::Info),
        "3" | "warning" => Ok(Priority::Warn),
        "4" | "error" => Ok(Priority::Error),
        _ => Err(invalid(format!(
            "Failed to set logging priority, argument '{s}' is invalid"
        ))),
    }
}

fn parse_filters(s: &str) -> Result<Vec<Filter>> {
    let mut out = Vec::new();
    for item in s.split_ascii_whitespace() {
        let mut tokens = item.split(':');
        let (Some(prio), Some(m)) = (tokens.next(), tokens.next()) else {
            return Err(invalid(format!("Malformed format for filter '{item}'")));
        };
        let priority = Priority::from_number(prio)
            .ok_or_else(|| invalid(format!("Invalid priority '{prio}' for filter '{item}'")))?;
        let name = m.strip_prefix('+').unwrap_or(m);
        if name.is_empty() {
            return Err(invalid(format!("Invalid match string '{m}'")));
        }
        out.push(Filter {
            pattern: format!("*{name}*"),
            priority,
        });
    }
    Ok(out)
}

fn parse_outputs(s: &str) -> Result<Vec<Output>> {
    let mut out = Vec::new();
    for item in s.split_ascii_whitespace() {
        let tokens: Vec<&str> = item.split(':').collect();
        if tokens.len() < 2 {
            return Err(invalid(format!("Malformed format for log output '{item}'")));
        }
        let priority = Priority::from_number(tokens[0]).ok_or_else(|| {
            invalid(format!(
                "Invalid log priority '{}' for log output '{item}'",
                tokens[0]
            ))
        })?;
        let dest = tokens[1];
        let want = match dest {
            "stderr" | "journald" => 2,
            "file" | "syslog" => 3,
            _ => {
                return Err(invalid(format!(
                    "Invalid log destination '{dest}' for log output '{item}'"
                )));
            }
        };
        if tokens.len() != want {
            return Err(invalid(format!(
                "Log output '{item}' does not meet the format requirements for destination type '{dest}'"
            )));
        }
        let dest = match dest {
            "stderr" => Dest::Stderr,
            "file" => {
                let path = std::path::absolute(tokens[2]).unwrap_or_else(|_| tokens[2].into());
                let mut opts = std::fs::OpenOptions::new();
                std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
                let f = opts.create(true).append(true).open(&path).map_err(|e| {
                    VirError::system(
                        Domain::VIR_FROM_NONE,
                        e.raw_os_error().unwrap_or(libc::EIO),
                        &format!("failed to open {}", path.display()),
                    )
                })?;
                Dest::File(f)
            }
            "syslog" => {
                crate::sys::openlog(tokens[2]);
                Dest::Syslog
            }
            _ => {
                crate::sys::openlog("libvirt");
                Dest::Syslog
            }
        };
        out.push(Output {
            priority,
            dest,
            init_pending: true,
        });
    }
    Ok(out)
}

/// `g_pattern_match_simple`: `*` any run, `?` any one character.
fn glob(pattern: &[u8], s: &[u8]) -> bool {
    let (mut p, mut i) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while i < s.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == s[i]) {
            p += 1;
            i += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some(p);
            mark = i;
            p += 1;
        } else if let Some(sp) = star {
            p = sp + 1;
            mark += 1;
            i = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// Whether a message of priority `p` from `source` passes the filters (before formatting it).
pub fn source_enabled(source: &str, p: Priority) -> bool {
    if !enabled(p) {
        return false;
    }
    let st = STATE.lock();
    p >= source_priority(&st, source)
}

fn source_priority(st: &State, source: &str) -> Priority {
    st.filters
        .iter()
        .find(|f| glob(f.pattern.as_bytes(), source.as_bytes()))
        .map_or(st.default, |f| f.priority)
}

/// Emit a message from `source` (libvirt's category names: `libvirt`, `libvirt.domain`,
/// `rpc.netclient`, ...), reported by `func` at `line`.
pub fn message(source: &str, p: Priority, func: &str, line: u32, msg: std::fmt::Arguments) {
    if !enabled(p) {
        return;
    }
    let mut st = STATE.lock();
    if p < source_priority(&st, source) {
        return;
    }
    let tid = crate::sys::thread_id();
    let mut body = String::new();
    let _ = writeln!(body, "{tid}: {} : {func}:{line} : {msg}", p.name());
    let stamp = timestamp();
    let init = [
        format!(
            "{tid}: info : libvirt version: 9.0.0, package: {} (oxvirt)\n",
            env!("CARGO_PKG_VERSION")
        ),
        format!("{tid}: info : hostname: {}\n", crate::sys::hostname()),
    ];
    let st = &mut *st;
    if st.outputs.is_empty() {
        let mut err = std::io::stderr().lock();
        if std::mem::take(&mut st.stderr_init_pending) {
            for l in &init {
                let _ = write!(err, "{stamp}: {l}");
            }
        }
        let _ = write!(err, "{stamp}: {body}");
        return;
    }
    for o in st.outputs.iter_mut().filter(|o| p >= o.priority) {
        let first = std::mem::take(&mut o.init_pending);
        let lines: Vec<(Priority, &str)> = if first {
            init.iter()
                .map(|l| (Priority::Info, l.as_str()))
                .chain(std::iter::once((p, body.as_str())))
                .collect()
        } else {
            vec![(p, body.as_str())]
        };
        for (lp, l) in lines {
            match &mut o.dest {
                Dest::Stderr => {
                    let _ = write!(std::io::stderr().lock(), "{stamp}: {l}");
                }
                Dest::File(f) => {
                    let _ = f.write_all(format!("{stamp}: {l}").as_bytes());
                }
                Dest::Syslog => crate::sys::syslog(lp.syslog(), l),
            }
        }
    }
}

/// `VIR_DEBUG` for a source: formats only when the message can pass.
#[macro_export]
macro_rules! vir_debug {
    ($source:expr, $func:expr, $($arg:tt)+) => {
        if $crate::core::log::enabled($crate::core::log::Priority::Debug) {
            $crate::core::log::message(
                $source,
                $crate::core::log::Priority::Debug,
                $func,
                line!(),
                format_args!($($arg)+),
            );
        }
    };
}

/// "YYYY-MM-DD HH:MM:SS.mmm+0000", UTC, as libvirt's log lines start.
fn timestamp() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86400), secs.rem_euclid(86400));
    // Days since 1970-01-01 to a civil date (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:03}+0000",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        now.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State {
            default: Priority::Warn,
            filters: Vec::new(),
            outputs: Vec::new(),
            stderr_init_pending: true,
            error: None,
        }
    }

    #[test]
    fn glob_matches_like_glib() {
        assert!(glob(b"*libvirt*", b"libvirt.domain"));
        assert!(glob(b"*rpc*", b"rpc.netclient"));
        assert!(glob(b"*util.conf*", b"util.conf"));
        assert!(!glob(b"*rpc*", b"libvirt.domain"));
        assert!(glob(b"*lib?irt*", b"libvirt"));
    }

    #[test]
    fn environment_syntax_and_libvirts_errors() {
        let mut st = state();
        let env = |k: &str| match k {
            "LIBVIRT_DEBUG" => Some("info".to_string()),
            "LIBVIRT_LOG_FILTERS" => Some("1:libvirt 4:+rpc".to_string()),
            "LIBVIRT_LOG_OUTPUTS" => Some("2:stderr".to_string()),
            _ => None,
        };
        configure(&mut st, None, &env).unwrap();
        assert_eq!(st.default, Priority::Info);
        assert_eq!(st.filters.len(), 2);
        assert_eq!(st.filters[1].pattern, "*rpc*");
        assert_eq!(st.filters[1].priority, Priority::Error);
        assert_eq!(threshold(&st), 1);
        assert_eq!(st.outputs.len(), 1);

        let msg = |k: &'static str, v: &'static str| {
            let mut st = state();
            let e = configure(&mut st, None, &|q| (q == k).then(|| v.to_string())).unwrap_err();
            e.message().to_string()
        };
        assert_eq!(
            msg("LIBVIRT_DEBUG", "bogus"),
            "invalid argument: Failed to set logging priority, argument 'bogus' is invalid"
        );
        assert_eq!(
            msg("LIBVIRT_LOG_OUTPUTS", "bogus"),
            "invalid argument: Malformed format for log output 'bogus'"
        );
        assert_eq!(
            msg("LIBVIRT_LOG_FILTERS", "9:x"),
            "invalid argument: Invalid priority '9' for filter '9:x'"
        );
        assert_eq!(
            msg("LIBVIRT_LOG_OUTPUTS", "1:file"),
            "invalid argument: Log output '1:file' does not meet the format requirements for destination type 'file'"
        );
        assert_eq!(
            msg("LIBVIRT_LOG_FILTERS", "1:+"),
            "invalid argument: Invalid match string '+'"
        );
    }

    #[test]
    fn conf_settings_yield_to_the_environment() {
        let conf = Conf::parse("c", "log_filters = \"1:rpc\"\nlog_level = 2\n").unwrap();
        let mut st = state();
        configure(&mut st, Some(&conf), &|k| {
            (k == "LIBVIRT_LOG_FILTERS").then(|| "3:libvirt".to_string())
        })
        .unwrap();
        assert_eq!(st.default, Priority::Info);
        assert_eq!(st.filters[0].pattern, "*libvirt*");
    }

    #[test]
    fn timestamp_shape() {
        let t = timestamp();
        assert_eq!(t.len(), "2026-12-01 11:17:33.382+0000".len(), "{t}");
        assert!(t.ends_with("+0000"));
        assert_eq!(&t[4..5], "-");
        assert_eq!(&t[10..11], " ");
    }
}
