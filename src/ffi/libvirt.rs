//! C entry points of upstream `src/libvirt.c`: initialisation, version, opening and closing
//! connections, and the default authentication callbacks.
#![allow(non_snake_case, non_upper_case_globals)]

use super::abi_types::*;
use super::runtime::entry::*;
use super::runtime::handle;
use super::runtime::mem::{self, arg_str};
use crate::core::LIBVIR_VERSION_NUMBER;
use crate::core::connect::{Authenticator, Credential};
use std::ffi::{CStr, CString, c_char, c_int, c_uint, c_ulong, c_void};
use std::io::{BufRead, Write};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_NONE;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInitialize() -> c_int {
    entry(FUNC, THIS, -1, |_| initialize())
}

/// libvirt's one-time initialisation can fail: an invalid logging configuration
/// (`LIBVIRT_DEBUG`, `LIBVIRT_LOG_FILTERS`, `LIBVIRT_LOG_OUTPUTS`) makes `virInitialize`, and
/// the calls that initialise (open, `virGetVersion`), fail with its error.
fn initialize() -> Result<c_int> {
    match crate::core::log::init_error() {
        Some(e) => Err(e),
        None => Ok(0),
    }
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virGetVersion(
    libVer: *mut c_ulong,
    r#type: *const c_char,
    typeVer: *mut c_ulong,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        initialize()?;
        if libVer.is_null() {
            return Err(VirError::generic());
        }
        // SAFETY: non-NULL out-parameters point to writable `unsigned long`s (API contract).
        unsafe {
            *libVer = LIBVIR_VERSION_NUMBER as c_ulong;
            if !typeVer.is_null() {
                *typeVer = LIBVIR_VERSION_NUMBER as c_ulong;
            }
        }
        let _ = r#type;
        Ok(0)
    })
}

fn open(
    cx: &mut Cx,
    name: *const c_char,
    flags: c_uint,
    auth: Option<&dyn Authenticator>,
) -> Result<virConnectPtr> {
    initialize()?;
    // SAFETY: `name` is NULL or a C string valid for this call (API contract).
    let name = unsafe { arg_str(name) };
    let conn = crate::drivers::open(name.as_deref(), flags, auth)?;
    let c = handle::new_conn(conn);
    cx.conn = None;
    Ok(handle::publish(c) as virConnectPtr)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectOpen(name: *const c_char) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        open(cx, name, 0, None)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectOpenReadOnly(name: *const c_char) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        open(cx, name, 1, None)
    })
}

/// The application's `virConnectAuth`, seen as an [`Authenticator`].
struct CAuth<'a>(&'a virConnectAuth);

impl Authenticator for CAuth<'_> {
    fn credtypes(&self) -> Vec<i32> {
        if self.0.credtype.is_null() {
            return Vec::new();
        }
        // SAFETY: `credtype` points to `ncredtype` ints (virConnectAuth contract).
        unsafe { std::slice::from_raw_parts(self.0.credtype, self.0.ncredtype as usize) }.to_vec()
    }

    fn has_callback(&self) -> bool {
        self.0.cb.is_some()
    }

    fn ask(&self, creds: &mut [Credential]) -> bool {
        let Some(cb) = self.0.cb else {
            return false;
        };
        let texts: Vec<[Option<CString>; 3]> = creds
            .iter()
            .map(|c| {
                [
                    CString::new(c.prompt.clone()).ok(),
                    c.challenge.clone().and_then(|s| CString::new(s).ok()),
                    c.default.clone().and_then(|s| CString::new(s).ok()),
                ]
            })
            .collect();
        let ptr = |o: &Option<CString>| o.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
        let mut raw: Vec<virConnectCredential> = creds
            .iter()
            .zip(&texts)
            .map(|(c, t)| virConnectCredential {
                r#type: c.kind,
                prompt: ptr(&t[0]),
                challenge: ptr(&t[1]),
                defresult: ptr(&t[2]),
                result: std::ptr::null_mut(),
                resultlen: 0,
            })
            .collect();
        // SAFETY: the application's callback receives an array of `raw.len()` credentials whose
        // strings live in `texts` until it returns.
        let rc = unsafe { cb(raw.as_mut_ptr(), raw.len() as c_uint, self.0.cbdata) };
        for (c, r) in creds.iter_mut().zip(&raw) {
            if !r.result.is_null() {
                if rc >= 0 {
                    // libvirt reads the answer as a NUL-terminated string and ignores
                    // `resultlen`, which callbacks often leave 0 or set too large.
                    // SAFETY: the callback stored a malloc'd NUL-terminated string.
                    let text = unsafe { CStr::from_ptr(r.result) };
                    c.result = Some(text.to_string_lossy().into_owned());
                }
                mem::free(r.result);
            }
        }
        rc >= 0
    }
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectOpenAuth(
    name: *const c_char,
    auth: virConnectAuthPtr,
    flags: c_uint,
) -> virConnectPtr {
    // SAFETY: `auth` is NULL or a valid virConnectAuth for the duration of the call.
    let a = unsafe { auth.as_ref() }.map(CAuth);
    if a.as_ref().is_some_and(|a| a.0.cb.is_some()) {
        // Uncaught: the driver asks the application's auth callback for credentials in the
        // middle of its own logic, so a Rust panic in this open is not contained.
        return entry_out(FUNC, THIS, std::ptr::null_mut(), |cx| {
            open(cx, name, flags, a.as_ref().map(|a| a as &dyn Authenticator))
        });
    }
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        open(cx, name, flags, a.as_ref().map(|a| a as &dyn Authenticator))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectClose(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.conn = None;
        Ok(if handle::release_obj(&c) { 0 } else { 1 })
    })
}

/// The credential types the default callback answers.
static mut DEFAULT_CRED_TYPES: [c_int; 6] = [
    virConnectCredentialType::VIR_CRED_AUTHNAME as c_int,
    virConnectCredentialType::VIR_CRED_ECHOPROMPT as c_int,
    virConnectCredentialType::VIR_CRED_REALM as c_int,
    virConnectCredentialType::VIR_CRED_PASSPHRASE as c_int,
    virConnectCredentialType::VIR_CRED_NOECHOPROMPT as c_int,
    virConnectCredentialType::VIR_CRED_EXTERNAL as c_int,
];

/// Ask on the terminal: echoed for names and prompts, hidden for secrets.
unsafe extern "C-unwind" fn default_auth_cb(
    cred: *mut virConnectCredential,
    ncred: c_uint,
    _cbdata: *mut c_void,
) -> c_int {
    if cred.is_null() {
        return -1;
    }
    // SAFETY: libvirt passes an array of `ncred` credentials.
    let creds = unsafe { std::slice::from_raw_parts_mut(cred, ncred as usize) };
    for c in creds {
        let prompt = if c.prompt.is_null() {
            String::new()
        } else {
            // SAFETY: prompts are NUL-terminated strings.
            unsafe { CStr::from_ptr(c.prompt) }
                .to_string_lossy()
                .into_owned()
        };
        let secret = c.r#type == virConnectCredentialType::VIR_CRED_PASSPHRASE as c_int
            || c.r#type == virConnectCredentialType::VIR_CRED_NOECHOPROMPT as c_int;
        if c.r#type == virConnectCredentialType::VIR_CRED_EXTERNAL as c_int {
            continue;
        }
        let _ = write!(std::io::stderr(), "{prompt}: ");
        let _ = std::io::stderr().flush();
        let line = if secret { read_hidden() } else { read_line() };
        let Some(line) = line else {
            return -1;
        };
        let line = if line.is_empty() && !c.defresult.is_null() {
            // SAFETY: the default result is a NUL-terminated string.
            unsafe { CStr::from_ptr(c.defresult) }
                .to_string_lossy()
                .into_owned()
        } else {
            line
        };
        c.resultlen = line.len() as c_uint;
        c.result = mem::strdup(&line);
    }
    0
}

fn read_line() -> Option<String> {
    let mut s = String::new();
    std::io::stdin().lock().read_line(&mut s).ok()?;
    Some(s.trim_end_matches(['\n', '\r']).to_string())
}

fn read_hidden() -> Option<String> {
    // SAFETY: tcgetattr/tcsetattr on stdin with a zeroed termios buffer they fill in.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        let tty = libc::tcgetattr(0, &mut t) == 0;
        if tty {
            let mut quiet = t;
            quiet.c_lflag &= !libc::ECHO;
            libc::tcsetattr(0, libc::TCSANOW, &quiet);
        }
        let r = read_line();
        if tty {
            libc::tcsetattr(0, libc::TCSANOW, &t);
            let _ = writeln!(std::io::stderr());
        }
        r
    }
}

static mut DEFAULT_AUTH: virConnectAuth = virConnectAuth {
    credtype: &raw mut DEFAULT_CRED_TYPES as *mut c_int,
    ncredtype: 6,
    cb: Some(default_auth_cb),
    cbdata: std::ptr::null_mut(),
};

// Declares the variable for the header. The exported `virConnectAuthPtrDefault` itself is
// defined below in assembly, because a data symbol published with `--defsym` has no size and
// executables that copy-relocate it would read nothing.
#[apply(export)]
#[unsafe(no_mangle)]
pub static mut virConnectAuthPtrDefault: virConnectAuthPtr = &raw mut DEFAULT_AUTH;

std::arch::global_asm!(
    ".pushsection .data.rel.oxvirt_auth_default, \"aw\"",
    ".globl virConnectAuthPtrDefault",
    ".type virConnectAuthPtrDefault, @object",
    ".size virConnectAuthPtrDefault, 8",
    ".p2align 3",
    "virConnectAuthPtrDefault:",
    ".quad {auth}",
    ".popsection",
    auth = sym DEFAULT_AUTH,
);
