//! C entry points: secret.
//!
//! Entry points of upstream `src/libvirt-secret.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry); the entry points of this file not written
//! yet are generated stubs (`src/generated/ffi_stubs.rs`) that answer `VIR_ERR_NO_SUPPORT`.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`), for the first entry point written here.
#[allow(dead_code)]
const THIS: Domain = Domain::VIR_FROM_SECRET;

use super::runtime::handle;
use super::runtime::mem::{self, arg_str};
use super::runtime::outparams::{
    give_array, read_uuid, write_names, write_uuid, write_uuid_string,
};
use crate::core::driver::{SecretDriver, SecretRef};
use crate::core::uuid;
use std::sync::Arc;

/// The secret driver of the connection `c`.
fn drv(c: &ConnObj) -> &dyn SecretDriver {
    &*c.conn.drivers.secret
}

/// A C string argument, owned.
///
/// # Safety
/// `p` is non-NULL and a C string valid for this call.
unsafe fn text(p: *const c_char) -> String {
    // SAFETY: as the caller promises.
    unsafe { arg_str(p) }.unwrap_or_default().into_owned()
}

fn give(c: &Arc<ConnObj>, s: &SecretRef) -> virSecretPtr {
    handle::new_secret(c, s) as virSecretPtr
}

fn sref(s: &SecretObj) -> SecretRef {
    SecretRef {
        uuid: s.uuid,
        usage_type: s.usage_type,
        usage_id: s.usage_id.to_string_lossy().into_owned(),
    }
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfSecrets(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        drv(&*cx.connect(conn)?).connect_num_of_secrets()
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListSecrets(
    conn: virConnectPtr,
    uuids: *mut *mut c_char,
    maxuuids: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        if uuids.is_null() && maxuuids > 0 {
            cx.non_null(uuids, "uuids")?;
        }
        cx.non_negative(maxuuids as i64, "maxuuids")?;
        let list = drv(&c).connect_list_secrets(maxuuids as usize)?;
        // SAFETY: `uuids` has room for `maxuuids` pointers and the driver returned at most
        // that many.
        unsafe { write_names(uuids, &list) };
        Ok(list.len() as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllSecrets(
    conn: virConnectPtr,
    secrets: *mut *mut virSecretPtr,
    flags: c_uint,
) -> c_int {
    if !secrets.is_null() {
        // SAFETY: a non-NULL `secrets` points to a caller-owned pointer; libvirt clears it
        // before anything can fail.
        unsafe { *secrets = std::ptr::null_mut() };
    }
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let list = drv(&c).connect_list_all_secrets(flags)?;
        let n = list.len();
        if !secrets.is_null() {
            let handles = list.iter().map(|s| handle::new_secret(&c, s)).collect();
            // SAFETY: checked non-NULL above.
            unsafe { give_array::<SecretObj, _>(secrets, handles)? };
        }
        Ok(n as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretLookupByUUID(
    conn: virConnectPtr,
    uuid: *const c_uchar,
) -> virSecretPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(uuid, "uuid")?;
        // SAFETY: checked non-NULL; a raw UUID is 16 bytes.
        let u = unsafe { read_uuid(uuid) };
        Ok(give(&c, &drv(&c).secret_lookup_by_uuid(&u)?))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretLookupByUUIDString(
    conn: virConnectPtr,
    uuidstr: *const c_char,
) -> virSecretPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(uuidstr, "uuidstr")?;
        let u = uuid::parse(&{
            // SAFETY: checked non-NULL; a C string valid for this call.
            unsafe { text(uuidstr) }
        })
        .ok_or_else(|| {
            VirError::invalid_arg(
                THIS,
                FUNC,
                "uuidstr",
                format!("uuidstr in {FUNC} must be a valid UUID"),
            )
        })?;
        Ok(give(&c, &drv(&c).secret_lookup_by_uuid(&u)?))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretLookupByUsage(
    conn: virConnectPtr,
    usageType: c_int,
    usageID: *const c_char,
) -> virSecretPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(usageID, "usageID")?;
        let id = {
            // SAFETY: checked non-NULL; a C string valid for this call.
            unsafe { text(usageID) }
        };
        Ok(give(&c, &drv(&c).secret_lookup_by_usage(usageType, &id)?))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretDefineXML(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virSecretPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        cx.non_null(xml, "xml")?;
        let xml = {
            // SAFETY: checked non-NULL; a C string valid for this call.
            unsafe { text(xml) }
        };
        Ok(give(&c, &drv(&c).secret_define_xml(&xml, flags)?))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetConnect(secret: virSecretPtr) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let s = cx.secret(secret)?;
        Ok(Arc::as_ptr(&s.conn) as virConnectPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetUUID(secret: virSecretPtr, uuid: *mut c_uchar) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.secret(secret)?;
        cx.non_null(uuid, "uuid")?;
        // SAFETY: checked non-NULL; the caller provides VIR_UUID_BUFLEN (16) bytes.
        unsafe { write_uuid(uuid, &s.uuid) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetUUIDString(secret: virSecretPtr, buf: *mut c_char) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.secret(secret)?;
        cx.non_null(buf, "buf")?;
        // SAFETY: checked non-NULL; the caller provides VIR_UUID_STRING_BUFLEN (37) bytes.
        unsafe { write_uuid_string(buf, &s.uuid) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetUsageType(secret: virSecretPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| Ok(cx.secret(secret)?.usage_type))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetUsageID(secret: virSecretPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        // The id lives in the handle, which the caller keeps alive while using it.
        Ok(cx.secret(secret)?.usage_id.as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetXMLDesc(secret: virSecretPtr, flags: c_uint) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let s = cx.secret(secret)?;
        Ok(mem::strdup(
            &drv(&s.conn).secret_get_xml_desc(&sref(&s), flags)?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretSetValue(
    secret: virSecretPtr,
    value: *const c_uchar,
    value_size: usize,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.secret(secret)?;
        cx.writable(&s.conn)?;
        cx.non_null(value, "value")?;
        // SAFETY: checked non-NULL; the caller passes `value_size` readable bytes.
        let bytes = unsafe { std::slice::from_raw_parts(value, value_size) };
        drv(&s.conn).secret_set_value(&sref(&s), bytes, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetValue(
    secret: virSecretPtr,
    value_size: *mut usize,
    flags: c_uint,
) -> *mut c_uchar {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let s = cx.secret(secret)?;
        cx.writable(&s.conn)?;
        cx.non_null(value_size, "value_size")?;
        let v = drv(&s.conn).secret_get_value(&sref(&s), flags)?;
        let p = mem::malloc_array(&v);
        if p.is_null() {
            return Err(VirError::new(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_NO_MEMORY,
                None,
            ));
        }
        // SAFETY: checked non-NULL; the caller passes room for one size_t.
        unsafe { *value_size = v.len() };
        Ok(p)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretUndefine(secret: virSecretPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.secret(secret)?;
        cx.writable(&s.conn)?;
        drv(&s.conn).secret_undefine(&sref(&s))?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretRef(secret: virSecretPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.secret(secret)?;
        handle::add_ref::<SecretObj>(Arc::as_ptr(&s) as usize);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretFree(secret: virSecretPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.secret(secret)?;
        handle::release_obj(&s);
        Ok(0)
    })
}

// --- scope netsec: secret events ---

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectSecretEventRegisterAny(
    conn: virConnectPtr,
    secret: virSecretPtr,
    eventID: c_int,
    cb: virConnectSecretEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    use crate::core::driver::events::secret_id;
    use crate::core::driver::{EventFamily, EventKey};
    // Uncaught: an application's event loop adds the dispatch timer (see conn_events::register).
    entry_out(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let s = if secret.is_null() {
            None
        } else {
            let s = cx.secret(secret)?;
            if !Arc::ptr_eq(&s.conn, &c) {
                return Err(VirError::invalid_arg(
                    THIS,
                    FUNC,
                    "secret",
                    format!(
                        "secret '{}' in {FUNC} must match connection",
                        uuid::format(&s.uuid)
                    ),
                ));
            }
            Some(sref(&s))
        };
        let Some(f) = cb else {
            return Err(VirError::null_arg(THIS, FUNC, "cb"));
        };
        cx.non_negative(eventID as i64, "eventID")?;
        if eventID >= secret_id::LAST {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "eventID",
                format!("eventID in {FUNC} must be less than {}", secret_id::LAST),
            ));
        }
        let want = super::runtime::conn_events::Want {
            family: EventFamily::Secret,
            event_id: eventID,
            key: s.as_ref().map(|s| EventKey::Uuid(s.uuid)),
            cb: f as usize,
            opaque: opaque as usize,
            freecb,
            legacy: false,
        };
        super::runtime::conn_events::register(&c, want, |sink| {
            drv(&c).connect_secret_event_register_any(s.as_ref(), eventID, sink)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectSecretEventDeregisterAny(
    conn: virConnectPtr,
    callbackID: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.non_negative(callbackID as i64, "callbackID")?;
        if !drv(&c).has_secret_events() {
            return Err(cx.unsupported());
        }
        super::runtime::conn_events::deregister_id(&c, callbackID, |id| {
            drv(&c).connect_secret_event_deregister_any(id)
        })?;
        Ok(0)
    })
}
