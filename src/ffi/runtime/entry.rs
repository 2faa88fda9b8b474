//! The one way into the library from C: [`entry`] resets the thread's last error, runs the body
//! with panics caught, and turns an `Err` into libvirt's per-function error value after
//! dispatching the error (thread error, connection copy, handler).
//!
//! Application code (callbacks) never runs inside a panic-catching region: `catch_unwind` also
//! stops foreign and forced unwinds (CPython ends daemon threads at exit with `pthread_exit`,
//! from inside our callbacks), and a stopped forced unwind aborts the process. So:
//! - [`entry`] catches around the body; the body must not call application code whose result
//!   it needs. Fire-and-forget calls ([`call_out`]: free callbacks, an application loop's
//!   update/remove) made inside a catching region wait until the outermost region has ended.
//! - [`entry_out`] is for bodies that call application code and need its result (event loop
//!   iteration, stream handlers, registrations on an application's loop, auth): the body runs
//!   uncaught and wraps its own logic in [`own`].
//! - The error handler runs after the catching region, in `entry` and `entry_out` alike.

pub use super::handle::{CheckpointObj, ConnObj, DomObj, NetObj, PoolObj, SnapObj, VolObj};
pub use super::handle::{IfaceObj, NodeDevObj};
pub use crate::core::{Code, Domain, VirError};
pub use macro_rules_attribute::apply;

use super::error::{dispatch, reset_last, set_last};
use super::handle;
use std::cell::{Cell, RefCell};
use std::ffi::{c_uint, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

type Later = Box<dyn FnOnce()>;

thread_local! {
    /// How many panic-catching regions this thread is inside.
    static CATCHING: Cell<usize> = const { Cell::new(0) };
    /// Application calls deferred until the outermost catching region ends.
    static LATER: RefCell<Vec<Later>> = const { RefCell::new(Vec::new()) };
}

/// Run `f` with Rust panics caught; then, outside any catching region, the calls it deferred.
fn catching<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    CATCHING.with(|c| c.set(c.get() + 1));
    let r = catch_unwind(AssertUnwindSafe(f));
    let depth = CATCHING.with(|c| {
        let d = c.get() - 1;
        c.set(d);
        d
    });
    if depth == 0 {
        // One at a time, so a call that defers more (it cannot: it runs uncaught) or that
        // unwinds leaves the rest in a consistent list.
        while let Some(f) = LATER.with(|l| {
            let mut l = l.borrow_mut();
            if l.is_empty() {
                None
            } else {
                Some(l.remove(0))
            }
        }) {
            f();
        }
    }
    r
}

/// Whether this thread is inside a panic-catching region (application code must not run).
pub fn in_catching_region() -> bool {
    CATCHING.with(|c| c.get() > 0)
}

/// Call application code whose result nobody needs: now, or, inside a catching region, as soon
/// as the outermost one ends (still within the same API call).
pub fn call_out(f: impl FnOnce() + 'static) {
    if in_catching_region() {
        LATER.with(|l| l.borrow_mut().push(Box::new(f)));
    } else {
        f();
    }
}

/// Our own logic inside an [`entry_out`] body (or a callback path): a Rust panic becomes
/// INTERNAL_ERROR. `f` must not call application code for a result.
pub fn own<T>(func: &'static str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catching(f) {
        Ok(r) => r,
        Err(_) => Err(VirError::internal(
            Domain::VIR_FROM_NONE,
            format!("panic in {func}"),
        )),
    }
}

/// Like [`guard`] for callback paths that return nothing: a Rust panic in `f` is swallowed.
pub fn contain(f: impl FnOnce()) {
    let _ = catching(f);
}

pub type Result<T> = std::result::Result<T, VirError>;

/// The context of one API call: its name, its file's error domain, and the connection errors
/// are dispatched to once the call has resolved one.
pub struct Cx {
    pub func: &'static str,
    pub this: Domain,
    pub conn: Option<Arc<ConnObj>>,
    /// Set by the few checks that return without dispatching (`virCheck…Return`): the error
    /// becomes the thread's last error but no handler runs.
    pub quiet: bool,
}

/// Run a public API's body (see the module documentation). `fail` is what the function returns
/// on error: -1, NULL, 0 or `(unsigned)-1`, per libvirt's declaration.
pub fn entry<T>(
    func: &'static str,
    this: Domain,
    fail: T,
    body: impl FnOnce(&mut Cx) -> Result<T>,
) -> T {
    reset_last();
    let mut cx = Cx {
        func,
        this,
        conn: None,
        quiet: false,
    };
    let outcome = own(func, || body(&mut cx));
    finish(cx, outcome, fail)
}

/// [`entry`] for a body that calls application code for a result: the body runs uncaught (so a
/// forced unwind out of the application passes) and wraps its own logic in [`own`].
pub fn entry_out<T>(
    func: &'static str,
    this: Domain,
    fail: T,
    body: impl FnOnce(&mut Cx) -> Result<T>,
) -> T {
    reset_last();
    let mut cx = Cx {
        func,
        this,
        conn: None,
        quiet: false,
    };
    let outcome = body(&mut cx);
    finish(cx, outcome, fail)
}

/// The error half of an entry: dispatch (handler included) outside any catching region.
fn finish<T>(cx: Cx, outcome: Result<T>, fail: T) -> T {
    let err = match outcome {
        Ok(v) => return v,
        // A driver method without an implementation: named by this entry point.
        Err(e) if e.is_unsupported() => cx.unsupported(),
        Err(e) => e,
    };
    // libvirt logs an error (at error level) when logging outputs were set explicitly.
    if crate::core::log::has_outputs() {
        crate::core::log::message(
            "util.error",
            crate::core::log::Priority::Error,
            cx.func,
            line!(),
            format_args!("{}", err.message()),
        );
    }
    if cx.quiet {
        set_last(&err);
    } else {
        dispatch(&err, cx.conn.as_ref());
    }
    fail
}

/// For the few entry points that only inspect state (the error API): panics are caught, the
/// last error is left alone.
pub fn guard<T>(_func: &'static str, fail: T, body: impl FnOnce() -> T) -> T {
    catching(body).unwrap_or(fail)
}

impl Cx {
    /// `virReportUnsupportedError()` from this function.
    pub fn unsupported(&self) -> VirError {
        VirError::no_support(self.this, self.func)
    }

    /// The `virCheck<Object>Return` shape shared by every object kind: a live `T` at `p`,
    /// whose connection later errors are dispatched to; otherwise `code` from `domain`,
    /// dispatched without a connection.
    pub(crate) fn check<T: handle::Object, P>(
        &mut self,
        p: *mut P,
        owner: impl FnOnce(&Arc<T>) -> Arc<ConnObj>,
        domain: Domain,
        code: Code,
    ) -> Result<Arc<T>> {
        match handle::lookup::<T>(p as usize) {
            Some(o) => {
                self.conn = Some(owner(&o));
                Ok(o)
            }
            None => Err(VirError::new(domain, code, Some(self.func))),
        }
    }

    /// `virCheckConnectReturn`: a live connection, or INVALID_CONN from this file's domain.
    pub fn connect<P>(&mut self, p: *mut P) -> Result<Arc<ConnObj>> {
        let this = self.this;
        self.check(
            p,
            |c: &Arc<ConnObj>| c.clone(),
            this,
            Code::VIR_ERR_INVALID_CONN,
        )
    }

    /// `virCheckDomainReturn`: a live domain, or INVALID_DOMAIN from VIR_FROM_DOM.
    pub fn domain<P>(&mut self, p: *mut P) -> Result<Arc<DomObj>> {
        self.check(
            p,
            |d: &Arc<DomObj>| d.conn.clone(),
            Domain::VIR_FROM_DOM,
            Code::VIR_ERR_INVALID_DOMAIN,
        )
    }

    /// `virCheckDomainSnapshotReturn`: a live snapshot, or INVALID_DOMAIN_SNAPSHOT.
    pub fn snapshot<P>(&mut self, p: *mut P) -> Result<Arc<SnapObj>> {
        self.check(
            p,
            |s: &Arc<SnapObj>| s.0.dom.conn.clone(),
            Domain::VIR_FROM_DOMAIN_SNAPSHOT,
            Code::VIR_ERR_INVALID_DOMAIN_SNAPSHOT,
        )
    }

    /// `virCheckDomainCheckpointReturn`: a live checkpoint, or INVALID_DOMAIN_CHECKPOINT.
    pub fn checkpoint<P>(&mut self, p: *mut P) -> Result<Arc<CheckpointObj>> {
        self.check(
            p,
            |c: &Arc<CheckpointObj>| c.0.dom.conn.clone(),
            Domain::VIR_FROM_DOMAIN_CHECKPOINT,
            Code::VIR_ERR_INVALID_DOMAIN_CHECKPOINT,
        )
    }

    /// `virCheckNetworkReturn`: a live network, or INVALID_NETWORK from VIR_FROM_NETWORK.
    pub fn network<P>(&mut self, p: *mut P) -> Result<Arc<NetObj>> {
        self.check(
            p,
            |n: &Arc<NetObj>| n.conn.clone(),
            Domain::VIR_FROM_NETWORK,
            Code::VIR_ERR_INVALID_NETWORK,
        )
    }

    /// `virCheckReadOnlyGoto`.
    pub fn writable(&self, c: &ConnObj) -> Result<()> {
        if c.conn.readonly {
            return Err(VirError::detail(
                self.this,
                Code::VIR_ERR_OPERATION_DENIED,
                format!("read only access prevents {}", self.func),
            ));
        }
        Ok(())
    }

    /// `virCheckNonNullArgGoto`.
    pub fn non_null<P>(&self, p: *const P, name: &str) -> Result<()> {
        if p.is_null() {
            return Err(VirError::null_arg(self.this, self.func, name));
        }
        Ok(())
    }

    /// `virCheckNonNegativeArgGoto`.
    pub fn non_negative(&self, v: i64, name: &str) -> Result<()> {
        if v < 0 {
            return Err(VirError::invalid_arg(
                self.this,
                self.func,
                name,
                format!("{name} in {} must be zero or greater", self.func),
            ));
        }
        Ok(())
    }
}

/// `VIR_EXCLUSIVE_FLAGS_GOTO`: two flags that may not be given together.
pub fn exclusive(this: Domain, flags: c_uint, a: (c_uint, &str), b: (c_uint, &str)) -> Result<()> {
    if flags & a.0 != 0 && flags & b.0 != 0 {
        return Err(VirError::invalid_arg(
            this,
            "",
            "flags",
            format!("Flags '{}' and '{}' are mutually exclusive", a.1, b.1),
        ));
    }
    Ok(())
}

/// `VIR_REQUIRE_FLAG_GOTO`: flag `a` needs flag `b`.
pub fn require_flag(
    this: Domain,
    flags: c_uint,
    a: (c_uint, &str),
    b: (c_uint, &str),
) -> Result<()> {
    if flags & a.0 != 0 && flags & b.0 == 0 {
        return Err(VirError::invalid_arg(
            this,
            "",
            "flags",
            format!("Flag '{}' is required by flag '{}'", b.1, a.1),
        ));
    }
    Ok(())
}

// --- scope ifnode: interface and node device checks ---
impl Cx {
    /// `virCheckInterfaceReturn`: a live interface, or INVALID_INTERFACE from
    /// VIR_FROM_INTERFACE.
    pub fn interface<P>(&mut self, p: *mut P) -> Result<Arc<super::handle::IfaceObj>> {
        self.check(
            p,
            |i: &Arc<super::handle::IfaceObj>| i.conn.clone(),
            Domain::VIR_FROM_INTERFACE,
            Code::VIR_ERR_INVALID_INTERFACE,
        )
    }

    /// `virCheckNodeDeviceReturn`: a live node device, or INVALID_NODE_DEVICE from
    /// VIR_FROM_NODEDEV.
    pub fn nodedevice<P>(&mut self, p: *mut P) -> Result<Arc<super::handle::NodeDevObj>> {
        self.check(
            p,
            |d: &Arc<super::handle::NodeDevObj>| d.conn.clone(),
            Domain::VIR_FROM_NODEDEV,
            Code::VIR_ERR_INVALID_NODE_DEVICE,
        )
    }
}

impl Owned for Arc<super::handle::IfaceObj> {
    fn owner_conn(&self) -> &ConnObj {
        &self.conn
    }
}

impl Owned for Arc<super::handle::NodeDevObj> {
    fn owner_conn(&self) -> &ConnObj {
        &self.conn
    }
}

// Checks for object kinds oxvirt never creates yet: any non-NULL pointer is still looked up
// (and can only fail), so a stray pointer gets the kind's own error.
macro_rules! never_live {
    ($($fn:ident => $dom:ident, $code:ident;)*) => {
        impl Cx {
            $(
                pub fn $fn<P>(&mut self, _p: *mut P) -> Result<std::convert::Infallible> {
                    Err(VirError::new(Domain::$dom, Code::$code, Some(self.func)))
                }
            )*
        }
    };
}

never_live! {}

// --- scope netsec: network ports, secrets, nwfilters and nwfilter bindings ---
pub use super::handle::{NWFilterBindingObj, NWFilterObj, NetPortObj, SecretObj};

impl Cx {
    /// `virCheckNetworkPortReturn`: a live port, or INVALID_NETWORK_PORT.
    pub fn networkport<P>(&mut self, p: *mut P) -> Result<Arc<handle::NetPortObj>> {
        self.check(
            p,
            |o: &Arc<handle::NetPortObj>| o.net.conn.clone(),
            Domain::VIR_FROM_NETWORK,
            Code::VIR_ERR_INVALID_NETWORK_PORT,
        )
    }

    /// `virCheckSecretReturn`: a live secret, or INVALID_SECRET.
    pub fn secret<P>(&mut self, p: *mut P) -> Result<Arc<handle::SecretObj>> {
        self.check(
            p,
            |o: &Arc<handle::SecretObj>| o.conn.clone(),
            Domain::VIR_FROM_SECRET,
            Code::VIR_ERR_INVALID_SECRET,
        )
    }

    /// `virCheckNWFilterReturn`: a live nwfilter, or INVALID_NWFILTER.
    pub fn nwfilter<P>(&mut self, p: *mut P) -> Result<Arc<handle::NWFilterObj>> {
        self.check(
            p,
            |o: &Arc<handle::NWFilterObj>| o.conn.clone(),
            Domain::VIR_FROM_NWFILTER,
            Code::VIR_ERR_INVALID_NWFILTER,
        )
    }

    /// `virCheckNWFilterBindingReturn`: a live binding, or INVALID_NWFILTER_BINDING.
    pub fn nwfilterbinding<P>(&mut self, p: *mut P) -> Result<Arc<handle::NWFilterBindingObj>> {
        self.check(
            p,
            |o: &Arc<handle::NWFilterBindingObj>| o.conn.clone(),
            Domain::VIR_FROM_NWFILTER,
            Code::VIR_ERR_INVALID_NWFILTER_BINDING,
        )
    }
}

impl Owned for Arc<handle::NetPortObj> {
    fn owner_conn(&self) -> &ConnObj {
        &self.net.conn
    }
}

impl Owned for Arc<handle::SecretObj> {
    fn owner_conn(&self) -> &ConnObj {
        &self.conn
    }
}

impl Owned for Arc<handle::NWFilterObj> {
    fn owner_conn(&self) -> &ConnObj {
        &self.conn
    }
}

impl Owned for Arc<handle::NWFilterBindingObj> {
    fn owner_conn(&self) -> &ConnObj {
        &self.conn
    }
}

/// An object handle's connection, for `virCheckReadOnlyGoto` on the connection an object
/// belongs to.
pub trait Owned {
    fn owner_conn(&self) -> &ConnObj;
}

impl Owned for Arc<ConnObj> {
    fn owner_conn(&self) -> &ConnObj {
        self
    }
}

impl Owned for Arc<DomObj> {
    fn owner_conn(&self) -> &ConnObj {
        &self.conn
    }
}

impl Owned for Arc<NetObj> {
    fn owner_conn(&self) -> &ConnObj {
        &self.conn
    }
}

impl Owned for Arc<SnapObj> {
    fn owner_conn(&self) -> &ConnObj {
        &self.0.dom.conn
    }
}

impl Owned for Arc<CheckpointObj> {
    fn owner_conn(&self) -> &ConnObj {
        &self.0.dom.conn
    }
}

// Storage (scope: storage pools and volumes): the handle checks and their owners.
impl Cx {
    /// `virCheckStoragePoolReturn`: a live pool, or INVALID_STORAGE_POOL from VIR_FROM_STORAGE.
    pub fn storagepool<P>(&mut self, p: *mut P) -> Result<Arc<PoolObj>> {
        self.check(
            p,
            |o: &Arc<PoolObj>| o.conn.clone(),
            Domain::VIR_FROM_STORAGE,
            Code::VIR_ERR_INVALID_STORAGE_POOL,
        )
    }

    /// `virCheckStorageVolReturn`: a live volume, or INVALID_STORAGE_VOL from VIR_FROM_STORAGE.
    pub fn storagevol<P>(&mut self, p: *mut P) -> Result<Arc<VolObj>> {
        self.check(
            p,
            |o: &Arc<VolObj>| o.conn.clone(),
            Domain::VIR_FROM_STORAGE,
            Code::VIR_ERR_INVALID_STORAGE_VOL,
        )
    }
}

impl Owned for Arc<PoolObj> {
    fn owner_conn(&self) -> &ConnObj {
        &self.conn
    }
}

impl Owned for Arc<VolObj> {
    fn owner_conn(&self) -> &ConnObj {
        &self.conn
    }
}

/// Kinds that cannot be live yet (see `never_live!`).
impl Owned for std::convert::Infallible {
    fn owner_conn(&self) -> &ConnObj {
        match *self {}
    }
}

/// The connection `o` belongs to.
pub fn owner<T: Owned>(o: &T) -> &ConnObj {
    o.owner_conn()
}

/// An opaque `void *` the caller passed in, carried as an address.
pub fn opaque(p: *mut c_void) -> usize {
    p as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_internal_error_and_the_failure_value() {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let r: i32 = entry("virTestPanic", Domain::VIR_FROM_DOMAIN, -1, |_| {
            panic!("boom")
        });
        std::panic::set_hook(prev);
        assert_eq!(r, -1);
        let e = crate::ffi::runtime::error::last_ptr();
        assert!(!e.is_null());
        // SAFETY: non-NULL, the thread's own error object.
        let e = unsafe { &*e };
        assert_eq!(e.code, Code::VIR_ERR_INTERNAL_ERROR as i32);
    }

    /// The code of the thread's last error, 0 when there is none (what `virGetLastErrorCode`
    /// answers).
    fn last_code() -> i32 {
        let p = crate::ffi::runtime::error::last_ptr();
        if p.is_null() {
            return 0;
        }
        // SAFETY: non-NULL, the thread's own error object.
        unsafe { (*p).code }
    }

    #[test]
    fn success_resets_the_thread_error() {
        let _: i32 = entry("virTestFail", Domain::VIR_FROM_DOMAIN, -1, |cx| {
            Err(cx.unsupported())
        });
        assert_ne!(last_code(), 0);
        let r: i32 = entry("virTestOk", Domain::VIR_FROM_DOMAIN, -1, |_| Ok(7));
        assert_eq!(r, 7);
        assert_eq!(last_code(), 0);
    }
}
