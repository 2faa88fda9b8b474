//! libvirt's error model in safe Rust: numbers, domains, message templates and the way each
//! reporting path fills the `str1`/`str2`/`int1` fields.

pub use super::abi_consts::virErrorDomain as Domain;
pub use super::abi_consts::virErrorNumber as Code;

/// `VIR_ERR_ERROR`, the level of every error the library reports.
pub(crate) const LEVEL_ERROR: i32 = 2;

/// The error domain of [`VirError::unsupported`] until its entry point names it: no real one.
const UNSUPPORTED_MARK: i32 = -1;

/// One libvirt error, as `virError` carries it minus the deprecated object pointers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirError {
    pub code: i32,
    pub domain: i32,
    pub level: i32,
    pub message: Option<String>,
    pub str1: Option<String>,
    pub str2: Option<String>,
    pub str3: Option<String>,
    pub int1: i32,
    pub int2: i32,
}

pub type Result<T> = std::result::Result<T, VirError>;

impl VirError {
    /// What `virReportError(code, "%s", detail)` produces: the message is the code's template
    /// filled with the detail, `str1` the template itself, `str2` the detail, ints -1.
    pub fn new(domain: Domain, code: Code, detail: Option<&str>) -> Self {
        let (plain, with) = templates(code);
        let (message, str1) = match detail {
            Some(d) => (with.replacen("%s", d, 1), with.to_string()),
            None => (plain.to_string(), plain.to_string()),
        };
        VirError {
            code: code as i32,
            domain: domain as i32,
            level: LEVEL_ERROR,
            message: Some(message),
            str1: Some(str1),
            str2: detail.map(str::to_string),
            str3: None,
            int1: -1,
            int2: -1,
        }
    }

    /// `virReportError` with a formatted detail.
    pub fn detail(domain: Domain, code: Code, detail: impl AsRef<str>) -> Self {
        Self::new(domain, code, Some(detail.as_ref()))
    }

    /// What the argument checks (`virReportInvalidArg`, `virCheckFlags`) produce: the raw text
    /// without the "invalid argument: " prefix, `str1` the function, `str2` the argument.
    pub fn invalid_arg(domain: Domain, func: &str, arg: &str, message: String) -> Self {
        VirError {
            code: Code::VIR_ERR_INVALID_ARG as i32,
            domain: domain as i32,
            level: LEVEL_ERROR,
            message: Some(message),
            str1: Some(func.to_string()),
            str2: Some(arg.to_string()),
            str3: None,
            int1: 0,
            int2: 0,
        }
    }

    /// `virCheckNonNullArg`: "ARG in FUNC must not be NULL".
    pub fn null_arg(domain: Domain, func: &str, arg: &str) -> Self {
        Self::invalid_arg(
            domain,
            func,
            arg,
            format!("{arg} in {func} must not be NULL"),
        )
    }

    /// `virCheckFlags`: only the bits outside `supported` are named.
    pub fn check_flags(domain: Domain, func: &str, flags: u32, supported: u32) -> Result<()> {
        let bad = flags & !supported;
        if bad == 0 {
            return Ok(());
        }
        Err(Self::invalid_arg(
            domain,
            func,
            "flags",
            format!("unsupported flags (0x{bad:x}) in function {func}"),
        ))
    }

    /// `virReportUnsupportedError`: NO_SUPPORT with the API name as detail.
    pub fn no_support(domain: Domain, func: &str) -> Self {
        Self::new(domain, Code::VIR_ERR_NO_SUPPORT, Some(func))
    }

    /// What a driver method without an implementation answers. The entry point that called it
    /// reports it as [`VirError::no_support`] with its own public name and error domain
    /// ([`VirError::is_unsupported`] tells it apart).
    pub fn unsupported() -> Self {
        VirError {
            domain: UNSUPPORTED_MARK,
            ..Self::new(Domain::VIR_FROM_NONE, Code::VIR_ERR_NO_SUPPORT, None)
        }
    }

    /// Whether this is [`VirError::unsupported`], still to be named by its entry point.
    pub fn is_unsupported(&self) -> bool {
        self.domain == UNSUPPORTED_MARK && self.code == Code::VIR_ERR_NO_SUPPORT as i32
    }

    /// The error an API reports when it fails without having said why.
    pub fn generic() -> Self {
        VirError {
            code: Code::VIR_ERR_INTERNAL_ERROR as i32,
            domain: Domain::VIR_FROM_NONE as i32,
            level: LEVEL_ERROR,
            message: Some("An error occurred, but the cause is unknown".to_string()),
            str1: None,
            str2: None,
            str3: None,
            int1: 0,
            int2: 0,
        }
    }

    /// `virReportSystemError`: "detail: strerror(errno)", code SYSTEM_ERROR, int1 = errno.
    pub fn system(domain: Domain, errno: i32, detail: &str) -> Self {
        let text = std::io::Error::from_raw_os_error(errno).to_string();
        // std appends " (os error N)"; libvirt prints strerror() alone.
        let text = match text.rfind(" (os error") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        let msg = format!("{detail}: {text}");
        VirError {
            code: Code::VIR_ERR_SYSTEM_ERROR as i32,
            domain: domain as i32,
            level: LEVEL_ERROR,
            message: Some(msg.clone()),
            str1: Some("%s".to_string()),
            str2: Some(msg),
            str3: None,
            int1: errno,
            int2: -1,
        }
    }

    pub fn internal(domain: Domain, detail: impl AsRef<str>) -> Self {
        Self::detail(domain, Code::VIR_ERR_INTERNAL_ERROR, detail)
    }

    pub fn message(&self) -> &str {
        self.message.as_deref().unwrap_or("")
    }
}

/// The printed name of an error domain, as libvirt's default handler shows it.
pub fn domain_name(domain: i32) -> Option<&'static str> {
    DOMAIN_NAMES.get(usize::try_from(domain).ok()?).copied()
}

const DOMAIN_NAMES: [&str; 73] = [
    "",
    "Xen Driver",
    "Xen Daemon",
    "Xen Store",
    "S-Expression",
    "XML Util",
    "Domain",
    "XML-RPC",
    "Proxy Daemon",
    "Config File",
    "QEMU Driver",
    "Network",
    "Test Driver",
    "Remote Driver",
    "OpenVZ Driver",
    "Xen XM Driver",
    "Linux Statistics",
    "LXC Driver",
    "Storage Driver",
    "Network Driver",
    "Domain Config",
    "User Mode Linux Driver",
    "Node Device Driver",
    "Xen Inotify Driver",
    "Security Driver",
    "VirtualBox Driver",
    "Network Interface Driver",
    "Open Nebula Driver",
    "ESX Driver",
    "Power Hypervisor Driver",
    "Secrets Driver",
    "CPU Driver",
    "XenAPI Driver",
    "Network Filter Driver",
    "Lifecycle Hook",
    "Domain Snapshot",
    "Audit Utils",
    "Sysinfo Utils",
    "I/O Stream Utils",
    "VMware Driver",
    "Event Loop",
    "Xen Light Driver",
    "Lock Driver",
    "Hyper-V Driver",
    "Capabilities Utils",
    "URI Utils",
    "Authentication Utils",
    "DBus Utils",
    "Parallels Cloud Server",
    "Device Config",
    "SSH transport layer",
    "Lock Space",
    "Init control",
    "Identity",
    "Cgroup",
    "Access Manager",
    "Systemd",
    "Bhyve",
    "Crypto",
    "Firewall",
    "Polkit",
    "Thread jobs",
    "Admin Interface",
    "Log Manager",
    "Xen XL Config",
    "Perf",
    "Libssh transport layer",
    "Resource control",
    "FirewallD",
    "Domain Checkpoint",
    "TPM",
    "BPF",
    "Cloud-Hypervisor Driver",
];

/// The two message templates of an error code: without and with a detail.
pub fn templates(code: Code) -> (&'static str, &'static str) {
    MESSAGES
        .get(code as usize)
        .copied()
        .unwrap_or(("unknown error", "unknown error: %s"))
}

// Indexed by virErrorNumber; libvirt 9.0.0's texts.
const MESSAGES: [(&str, &str); 111] = [
    ("", ""),
    ("internal error", "internal error: %s"),
    ("out of memory", "out of memory: %s"),
    (
        "this function is not supported by the connection driver",
        "this function is not supported by the connection driver: %s",
    ),
    ("unknown host", "unknown host %s"),
    (
        "no connection driver available",
        "no connection driver available for %s",
    ),
    (
        "invalid connection pointer in",
        "invalid connection pointer in %s",
    ),
    ("invalid domain pointer in", "invalid domain pointer in %s"),
    ("invalid argument", "invalid argument: %s"),
    ("operation failed", "operation failed: %s"),
    ("GET operation failed", "GET operation failed: %s"),
    ("POST operation failed", "POST operation failed: %s"),
    (
        "got unknown HTTP error code",
        "got unknown HTTP error code %s",
    ),
    (
        "failed to serialize S-Expr",
        "failed to serialize S-Expr: %s",
    ),
    (
        "could not use Xen hypervisor entry",
        "could not use Xen hypervisor entry %s",
    ),
    ("failed Xen syscall", "failed Xen syscall %s"),
    ("unknown OS type", "unknown OS type %s"),
    (
        "missing kernel information",
        "missing kernel information: %s",
    ),
    (
        "missing root device information",
        "missing root device information in %s",
    ),
    (
        "missing source information for device",
        "missing source information for device %s",
    ),
    (
        "missing target information for device",
        "missing target information for device %s",
    ),
    ("missing name information", "missing name information in %s"),
    (
        "missing operating system information",
        "missing operating system information for %s",
    ),
    (
        "missing devices information",
        "missing devices information for %s",
    ),
    (
        "could not connect to Xen Store",
        "could not connect to Xen Store %s",
    ),
    (
        "too many drivers registered",
        "too many drivers registered in %s",
    ),
    ("library call failed", "library call failed: %s"),
    (
        "XML description is invalid or not well formed",
        "XML error: %s",
    ),
    ("this domain exists already", "domain %s exists already"),
    (
        "operation forbidden for read only access",
        "operation forbidden: %s",
    ),
    (
        "failed to open configuration file",
        "failed to open configuration file %s",
    ),
    (
        "failed to read configuration file",
        "failed to read configuration file %s",
    ),
    (
        "failed to parse configuration file",
        "failed to parse configuration file %s",
    ),
    (
        "configuration file syntax error",
        "configuration file syntax error: %s",
    ),
    (
        "failed to write configuration file",
        "failed to write configuration file: %s",
    ),
    ("parser error", "%s"),
    (
        "invalid network pointer in",
        "invalid network pointer in %s",
    ),
    ("this network exists already", "network %s exists already"),
    ("system call error", "%s"),
    ("RPC error", "%s"),
    ("GNUTLS call error", "%s"),
    (
        "Failed to find the network",
        "Failed to find the network: %s",
    ),
    ("Domain not found", "Domain not found: %s"),
    ("Network not found", "Network not found: %s"),
    ("invalid MAC address", "invalid MAC address: %s"),
    ("authentication failed", "authentication failed: %s"),
    (
        "invalid storage pool pointer in",
        "invalid storage pool pointer in %s",
    ),
    (
        "invalid storage volume pointer in",
        "invalid storage volume pointer in %s",
    ),
    (
        "Failed to find a storage driver",
        "Failed to find a storage driver: %s",
    ),
    ("Storage pool not found", "Storage pool not found: %s"),
    ("Storage volume not found", "Storage volume not found: %s"),
    (
        "Failed to find a node driver",
        "Failed to find a node driver: %s",
    ),
    (
        "invalid node device pointer",
        "invalid node device pointer in %s",
    ),
    ("Node device not found", "Node device not found: %s"),
    ("Security model not found", "Security model not found: %s"),
    (
        "Requested operation is not valid",
        "Requested operation is not valid: %s",
    ),
    (
        "Failed to find the interface",
        "Failed to find the interface: %s",
    ),
    ("Interface not found", "Interface not found: %s"),
    (
        "invalid interface pointer in",
        "invalid interface pointer in %s",
    ),
    (
        "multiple matching interfaces found",
        "multiple matching interfaces found: %s",
    ),
    (
        "Failed to start the nwfilter driver",
        "Failed to start the nwfilter driver: %s",
    ),
    ("Invalid network filter", "Invalid network filter: %s"),
    ("Network filter not found", "Network filter not found: %s"),
    (
        "Error while building firewall",
        "Error while building firewall: %s",
    ),
    (
        "Failed to find a secret storage driver",
        "Failed to find a secret storage driver: %s",
    ),
    ("Invalid secret", "Invalid secret: %s"),
    ("Secret not found", "Secret not found: %s"),
    ("unsupported configuration", "unsupported configuration: %s"),
    (
        "Timed out during operation",
        "Timed out during operation: %s",
    ),
    (
        "Failed to make domain persistent after migration",
        "Failed to make domain persistent after migration: %s",
    ),
    (
        "Hook script execution failed",
        "Hook script execution failed: %s",
    ),
    ("Invalid domain snapshot", "Invalid domain snapshot: %s"),
    ("Domain snapshot not found", "Domain snapshot not found: %s"),
    ("invalid stream pointer", "invalid stream pointer in %s"),
    ("argument unsupported", "argument unsupported: %s"),
    ("Storage pool probe failed", "Storage pool probe failed: %s"),
    (
        "Storage pool already built",
        "Storage pool already built: %s",
    ),
    ("revert requires force", "revert requires force: %s"),
    ("operation aborted", "operation aborted: %s"),
    ("authentication cancelled", "authentication cancelled: %s"),
    ("metadata not found", "metadata not found: %s"),
    ("Unsafe migration", "Unsafe migration: %s"),
    ("numerical overflow", "numerical overflow: %s"),
    ("block copy still active", "block copy still active: %s"),
    ("Operation not supported", "Operation not supported: %s"),
    ("SSH transport error", "SSH transport error: %s"),
    (
        "Guest agent is not responding",
        "Guest agent is not responding: %s",
    ),
    ("resource busy", "resource busy: %s"),
    ("access denied", "access denied: %s"),
    ("error from service", "error from service: %s"),
    (
        "this storage volume exists already",
        "storage volume %s exists already",
    ),
    (
        "the CPU is incompatible with host CPU",
        "the CPU is incompatible with host CPU: %s",
    ),
    (
        "XML document failed to validate against schema",
        "XML document failed to validate against schema: %s",
    ),
    (
        "migration successfully aborted",
        "migration successfully aborted: %s",
    ),
    (
        "authentication unavailable",
        "authentication unavailable: %s",
    ),
    ("Server not found", "Server not found: %s"),
    ("Client not found", "Client not found: %s"),
    (
        "guest agent replied with wrong id to guest-sync command",
        "guest agent replied with wrong id to guest-sync command: %s",
    ),
    ("libssh transport error", "libssh transport error: %s"),
    ("device not found", "device not found: %s"),
    (
        "Invalid network filter binding",
        "Invalid network filter binding: %s",
    ),
    (
        "Network filter binding not found",
        "Network filter binding not found: %s",
    ),
    ("Invalid domain checkpoint", "Invalid domain checkpoint: %s"),
    (
        "Domain checkpoint not found",
        "Domain checkpoint not found: %s",
    ),
    (
        "Domain backup job id not found",
        "Domain backup job id not found: %s",
    ),
    (
        "Invalid network port pointer",
        "Invalid network port pointer: %s",
    ),
    (
        "this network port exists already",
        "network port %s exists already",
    ),
    ("network port not found", "network port not found: %s"),
    ("no hostname found", "no hostname found: %s"),
    ("checkpoint inconsistent", "checkpoint inconsistent: %s"),
    (
        "multiple matching domains found",
        "multiple matching domains found: %s",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_covers_every_code_of_9_0_0() {
        // The last code of 9.0.0 is VIR_ERR_MULTIPLE_DOMAINS.
        assert_eq!(MESSAGES.len(), Code::VIR_ERR_MULTIPLE_DOMAINS as usize + 1);
        assert_eq!(DOMAIN_NAMES.len(), Domain::VIR_FROM_CH as usize + 1);
    }

    #[test]
    fn report_fills_fields_like_libvirt() {
        let e = VirError::new(
            Domain::VIR_FROM_DOMAIN,
            Code::VIR_ERR_NO_SUPPORT,
            Some("virX"),
        );
        assert_eq!(
            e.message(),
            "this function is not supported by the connection driver: virX"
        );
        assert_eq!(
            e.str1.as_deref(),
            Some("this function is not supported by the connection driver: %s")
        );
        assert_eq!((e.int1, e.int2), (-1, -1));
        let f = VirError::check_flags(Domain::VIR_FROM_TEST, "f", 0x1_0001, 0xffff).unwrap_err();
        assert_eq!(f.message(), "unsupported flags (0x10000) in function f");
        assert_eq!((f.int1, f.int2), (0, 0));
    }
}
