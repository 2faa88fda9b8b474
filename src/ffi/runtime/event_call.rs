//! Calling an application's event callback with one event: the object becomes a fresh public
//! handle (released after the call, as libvirt's dispatch does), the payload becomes the C
//! arguments of its event id's callback type (`virConnectDomainEventCallback`,
//! `virConnectDomainEventRTCChangeCallback`, ..., `virConnectNetworkEventLifecycleCallback`),
//! and the registered generic function is called through that type, as libvirt's
//! `VIR_DOMAIN_EVENT_CALLBACK(...)` casts promise the application.
//!
//! Strings and arrays live in Rust memory for the duration of the call: the callback borrows
//! them (libvirt frees them after the callback returns).
//!
//! A family that gains events adds its object's handle to [`object_handle`]; its lifecycle and
//! argument-less ids are called by the generic arms of [`call`].

use super::entry::guard;
use super::handle::{self, ConnObj, DomObj, NetObj, PoolObj};
use crate::core::driver::events::{GraphicsAddress, ParamValue};
use crate::core::driver::{Event, EventObject, Payload};
use crate::generated::abi_types::*;
use std::ffi::{CString, c_char, c_int, c_longlong, c_uint, c_ulonglong, c_void};
use std::sync::Arc;

const FUNC: &str = "virConnectDomainEventCallback";

/// A C string that lives as long as this value (interior NULs end it, as libvirt's C strings).
fn cstr(s: &str) -> CString {
    let end = s.bytes().position(|b| b == 0).unwrap_or(s.len());
    CString::new(&s.as_bytes()[..end]).unwrap_or_default()
}

fn ptr(s: &CString) -> *const c_char {
    s.as_ptr()
}

fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

/// The public handle for an event's object (one reference, given up by [`release`]).
fn object_handle(c: &Arc<ConnObj>, obj: &EventObject) -> usize {
    match obj {
        EventObject::Domain(d) => handle::new_dom(c, d.clone()),
        EventObject::Network(n) => handle::new_net(c, n.clone()),
        EventObject::NodeDevice(d) => handle::new_nodedev(c, d.clone()),
        EventObject::Secret(s) => handle::new_secret(c, s),
        EventObject::StoragePool(p) => handle::new_pool(c, p.clone()),
    }
}

fn release(obj: &EventObject, addr: usize) {
    match obj {
        EventObject::Domain(_) => {
            if let Some(d) = handle::lookup::<DomObj>(addr) {
                handle::release_obj(&d);
            }
        }
        EventObject::Network(_) => {
            if let Some(n) = handle::lookup::<NetObj>(addr) {
                handle::release_obj(&n);
            }
        }
        EventObject::NodeDevice(_) => {
            if let Some(d) = handle::lookup::<super::handle::NodeDevObj>(addr) {
                handle::release_obj(&d);
            }
        }
        EventObject::Secret(_) => {
            if let Some(s) = handle::lookup::<handle::SecretObj>(addr) {
                handle::release_obj(&s);
            }
        }
        EventObject::StoragePool(_) => {
            if let Some(p) = handle::lookup::<PoolObj>(addr) {
                handle::release_obj(&p);
            }
        }
    }
}

/// `virTypedParameter`s borrowing their strings from `_strings`.
struct CParams {
    list: Vec<virTypedParameter>,
    _strings: Vec<CString>,
}

fn c_params(params: &[(String, ParamValue)]) -> CParams {
    let mut strings = Vec::new();
    let mut list = Vec::with_capacity(params.len());
    for (name, v) in params {
        let mut field = [0 as c_char; VIR_TYPED_PARAM_FIELD_LENGTH];
        for (dst, b) in field
            .iter_mut()
            .zip(name.bytes().take(VIR_TYPED_PARAM_FIELD_LENGTH - 1))
        {
            *dst = b as c_char;
        }
        use virTypedParameterType as T;
        let (t, value) = match v {
            ParamValue::Int(i) => (T::VIR_TYPED_PARAM_INT, _virTypedParameterValue { i: *i }),
            ParamValue::UInt(u) => (T::VIR_TYPED_PARAM_UINT, _virTypedParameterValue { ui: *u }),
            ParamValue::LLong(l) => (T::VIR_TYPED_PARAM_LLONG, _virTypedParameterValue { l: *l }),
            ParamValue::ULLong(u) => (
                T::VIR_TYPED_PARAM_ULLONG,
                _virTypedParameterValue { ul: *u },
            ),
            ParamValue::Double(d) => (T::VIR_TYPED_PARAM_DOUBLE, _virTypedParameterValue { d: *d }),
            ParamValue::Boolean(b) => (
                T::VIR_TYPED_PARAM_BOOLEAN,
                _virTypedParameterValue { b: *b as c_char },
            ),
            ParamValue::String(s) => {
                let s = cstr(s);
                let p = s.as_ptr() as *mut c_char;
                strings.push(s);
                (T::VIR_TYPED_PARAM_STRING, _virTypedParameterValue { s: p })
            }
        };
        list.push(virTypedParameter {
            field,
            r#type: t as c_int,
            value,
        });
    }
    CParams {
        list,
        _strings: strings,
    }
}

/// A graphics address and the strings it points to.
struct CAddr {
    addr: virDomainEventGraphicsAddress,
    _node: CString,
    _service: CString,
}

fn c_addr(a: &GraphicsAddress) -> CAddr {
    let node = cstr(&a.node);
    let service = cstr(&a.service);
    CAddr {
        addr: virDomainEventGraphicsAddress {
            family: a.family,
            node: node.as_ptr() as *mut c_char,
            service: service.as_ptr() as *mut c_char,
        },
        _node: node,
        _service: service,
    }
}

/// Deliver `ev` to the callback `cb` registered with `opaque` on `c`. The callback runs
/// outside any catching region (a forced unwind out of it must pass); building and releasing
/// the handle are ours and contain their panics.
pub(super) fn invoke(c: &Arc<ConnObj>, cb: usize, opaque: usize, ev: &Event) {
    let Some(obj) = guard(FUNC, None, || Some(object_handle(c, &ev.object))) else {
        return;
    };
    let conn = Arc::as_ptr(c) as virConnectPtr;
    call(cb, conn, obj as *mut c_void, ev, opaque as *mut c_void);
    guard(FUNC, (), || release(&ev.object, obj));
}

/// Transmute the registered address to the callback type `$t` and call it.
macro_rules! call_as {
    ($cb:expr, fn($($ty:ty),*) $(-> $ret:ty)?, $($arg:expr),*) => {{
        // SAFETY: `$cb` is the non-NULL function the application registered for this event
        // id; libvirt documents that it is called through this id's callback type (the
        // generic type it was registered as is only a carrier), and the payload was checked
        // to be this id's (`payload_fits`) before it was queued.
        let f: unsafe extern "C-unwind" fn($($ty),*) $(-> $ret)? = unsafe { std::mem::transmute($cb) };
        // SAFETY: live handles, arguments that outlive the call, and the opaque pointer the
        // application registered.
        let _ = unsafe { f($($arg),*) };
    }};
}

type Conn = virConnectPtr;
type Obj = *mut c_void;
type Op = *mut c_void;
type Str = *const c_char;

fn call(cb: usize, conn: Conn, obj: Obj, ev: &Event, op: Op) {
    let domain = matches!(ev.object, EventObject::Domain(_));
    match &ev.payload {
        // virConnectDomainEventCallback returns int; the other families' lifecycle
        // callbacks return nothing.
        Payload::Lifecycle { event, detail } if domain => {
            call_as!(
                cb,
                fn(Conn, Obj, c_int, c_int, Op) -> c_int,
                conn,
                obj,
                *event,
                *detail,
                op
            )
        }
        Payload::Lifecycle { event, detail } => {
            call_as!(
                cb,
                fn(Conn, Obj, c_int, c_int, Op),
                conn,
                obj,
                *event,
                *detail,
                op
            )
        }
        Payload::Plain => call_as!(cb, fn(Conn, Obj, Op), conn, obj, op),
        Payload::RtcChange { utc_offset } => {
            call_as!(
                cb,
                fn(Conn, Obj, c_longlong, Op),
                conn,
                obj,
                *utc_offset,
                op
            )
        }
        Payload::Watchdog { action } => {
            call_as!(cb, fn(Conn, Obj, c_int, Op), conn, obj, *action, op)
        }
        Payload::IoError {
            src_path,
            dev_alias,
            action,
        } => {
            let (s, a) = (cstr(src_path), cstr(dev_alias));
            call_as!(
                cb,
                fn(Conn, Obj, Str, Str, c_int, Op),
                conn,
                obj,
                ptr(&s),
                ptr(&a),
                *action,
                op
            )
        }
        Payload::IoErrorReason {
            src_path,
            dev_alias,
            action,
            reason,
        } => {
            let (s, a, r) = (cstr(src_path), cstr(dev_alias), cstr(reason));
            call_as!(
                cb,
                fn(Conn, Obj, Str, Str, c_int, Str, Op),
                conn,
                obj,
                ptr(&s),
                ptr(&a),
                *action,
                ptr(&r),
                op
            )
        }
        Payload::Graphics {
            phase,
            local,
            remote,
            auth_scheme,
            subject,
        } => {
            let (l, r, scheme) = (c_addr(local), c_addr(remote), cstr(auth_scheme));
            let strings: Vec<(CString, CString)> =
                subject.iter().map(|(t, n)| (cstr(t), cstr(n))).collect();
            let mut ids: Vec<virDomainEventGraphicsSubjectIdentity> = strings
                .iter()
                .map(|(t, n)| virDomainEventGraphicsSubjectIdentity {
                    r#type: t.as_ptr() as *mut c_char,
                    name: n.as_ptr() as *mut c_char,
                })
                .collect();
            let subj = virDomainEventGraphicsSubject {
                nidentity: ids.len() as c_int,
                identities: ids.as_mut_ptr(),
            };
            type Addr = *const virDomainEventGraphicsAddress;
            type Subj = *const virDomainEventGraphicsSubject;
            call_as!(
                cb,
                fn(Conn, Obj, c_int, Addr, Addr, Str, Subj, Op),
                conn,
                obj,
                *phase,
                &l.addr as Addr,
                &r.addr as Addr,
                ptr(&scheme),
                &subj as Subj,
                op
            )
        }
        Payload::BlockJob { disk, kind, status } => {
            let d = cstr(disk);
            call_as!(
                cb,
                fn(Conn, Obj, Str, c_int, c_int, Op),
                conn,
                obj,
                ptr(&d),
                *kind,
                *status,
                op
            )
        }
        Payload::DiskChange {
            old_src,
            new_src,
            dev_alias,
            reason,
        } => {
            let (o, n) = (old_src.as_deref().map(cstr), new_src.as_deref().map(cstr));
            let a = cstr(dev_alias);
            call_as!(
                cb,
                fn(Conn, Obj, Str, Str, Str, c_int, Op),
                conn,
                obj,
                opt_ptr(&o),
                opt_ptr(&n),
                ptr(&a),
                *reason,
                op
            )
        }
        Payload::TrayChange { dev_alias, reason } => {
            let a = cstr(dev_alias);
            call_as!(
                cb,
                fn(Conn, Obj, Str, c_int, Op),
                conn,
                obj,
                ptr(&a),
                *reason,
                op
            )
        }
        Payload::Pm { reason } => call_as!(cb, fn(Conn, Obj, c_int, Op), conn, obj, *reason, op),
        Payload::BalloonChange { actual } => {
            call_as!(cb, fn(Conn, Obj, c_ulonglong, Op), conn, obj, *actual, op)
        }
        Payload::Device { alias } => {
            let a = cstr(alias);
            call_as!(cb, fn(Conn, Obj, Str, Op), conn, obj, ptr(&a), op)
        }
        Payload::Params(params) => {
            let mut p = c_params(params);
            let n = p.list.len() as c_int;
            call_as!(
                cb,
                fn(Conn, Obj, virTypedParameterPtr, c_int, Op),
                conn,
                obj,
                p.list.as_mut_ptr(),
                n,
                op
            )
        }
        Payload::AgentLifecycle { state, reason } => {
            call_as!(
                cb,
                fn(Conn, Obj, c_int, c_int, Op),
                conn,
                obj,
                *state,
                *reason,
                op
            )
        }
        Payload::MigrationIteration { iteration } => {
            call_as!(cb, fn(Conn, Obj, c_int, Op), conn, obj, *iteration, op)
        }
        Payload::MetadataChange { kind, nsuri } => {
            let u = nsuri.as_deref().map(cstr);
            call_as!(
                cb,
                fn(Conn, Obj, c_int, Str, Op),
                conn,
                obj,
                *kind,
                opt_ptr(&u),
                op
            )
        }
        Payload::BlockThreshold {
            dev,
            path,
            threshold,
            excess,
        } => {
            let (d, p) = (cstr(dev), path.as_deref().map(cstr));
            call_as!(
                cb,
                fn(Conn, Obj, Str, Str, c_ulonglong, c_ulonglong, Op),
                conn,
                obj,
                ptr(&d),
                opt_ptr(&p),
                *threshold,
                *excess,
                op
            )
        }
        Payload::MemoryFailure {
            recipient,
            action,
            flags,
        } => call_as!(
            cb,
            fn(Conn, Obj, c_int, c_int, c_uint, Op),
            conn,
            obj,
            *recipient,
            *action,
            *flags,
            op
        ),
        Payload::MemoryDeviceSizeChange { alias, size } => {
            let a = cstr(alias);
            call_as!(
                cb,
                fn(Conn, Obj, Str, c_ulonglong, Op),
                conn,
                obj,
                ptr(&a),
                *size,
                op
            )
        }
    }
}
