//! C entry points: domain.
//!
//! Entry points of upstream `src/libvirt-domain.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry); the entry points of this file not written
//! yet are generated stubs (`src/generated/ffi_stubs.rs`) that answer `VIR_ERR_NO_SUPPORT`.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::conn_events::Want;
use super::runtime::entry::*;
use super::runtime::handle;
use super::runtime::mem::{self, arg_str};
use super::runtime::typed_out::{params_count_in, params_count_out};
use crate::core::driver::events::domain_id;
use crate::core::driver::{EventFamily, EventKey};
use crate::core::driver::{TypedParam, TypedValue}; // pin scope
use crate::core::uuid;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_DOMAIN;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectDomainEventDeregister(
    conn: virConnectPtr,
    cb: virConnectDomainEventCallback,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let Some(f) = cb else {
            return Err(VirError::null_arg(THIS, FUNC, "cb"));
        };
        super::runtime::conn_events::deregister_legacy(&c, f as usize, |id| {
            c.conn.hv().connect_domain_event_deregister_any(id)
        })?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectDomainEventDeregisterAny(
    conn: virConnectPtr,
    callbackID: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.non_negative(callbackID as i64, "callbackID")?;
        super::runtime::conn_events::deregister_id(&c, callbackID, |id| {
            c.conn.hv().connect_domain_event_deregister_any(id)
        })?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectDomainEventRegister(
    conn: virConnectPtr,
    cb: virConnectDomainEventCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    // Uncaught: an application's event loop adds the dispatch timer (see register_lifecycle).
    entry_out(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let Some(f) = cb else {
            return Err(VirError::null_arg(THIS, FUNC, "cb"));
        };
        let want = Want {
            family: EventFamily::Domain,
            event_id: domain_id::LIFECYCLE,
            key: None,
            cb: f as usize,
            opaque: opaque as usize,
            freecb,
            legacy: true,
        };
        super::runtime::conn_events::register(&c, want, |sink| {
            c.conn
                .hv()
                .connect_domain_event_register_any(None, domain_id::LIFECYCLE, sink)
        })?;
        Ok(0)
    })
}

/// `VIR_DOMAIN_EVENT_ID_LAST` in libvirt 9.0.0.
const EVENT_ID_LAST: c_int = domain_id::LAST;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectDomainEventRegisterAny(
    conn: virConnectPtr,
    dom: virDomainPtr,
    eventID: c_int,
    cb: virConnectDomainEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    // Uncaught: an application's event loop adds the dispatch timer (see register_lifecycle).
    entry_out(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let d = if dom.is_null() {
            None
        } else {
            let d = cx.domain(dom)?;
            if !Arc::ptr_eq(&d.conn, &c) {
                return Err(VirError::invalid_arg(
                    THIS,
                    FUNC,
                    "dom",
                    format!(
                        "domain '{}' in {FUNC} must match connection",
                        d.name().to_string_lossy()
                    ),
                ));
            }
            Some(d)
        };
        let Some(f) = cb else {
            return Err(VirError::null_arg(THIS, FUNC, "cb"));
        };
        cx.non_negative(eventID as i64, "eventID")?;
        if eventID >= EVENT_ID_LAST {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "eventID",
                format!("eventID in {FUNC} must be less than {EVENT_ID_LAST}"),
            ));
        }
        let dref = d.as_ref().map(|d| d.dref());
        let want = Want {
            family: EventFamily::Domain,
            event_id: eventID,
            key: dref.as_ref().map(|d| EventKey::Uuid(d.uuid)),
            cb: f as usize,
            opaque: opaque as usize,
            freecb,
            legacy: false,
        };
        super::runtime::conn_events::register(&c, want, |sink| {
            c.conn
                .hv()
                .connect_domain_event_register_any(dref.as_ref(), eventID, sink)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllDomains(
    conn: virConnectPtr,
    domains: *mut *mut virDomainPtr,
    flags: c_uint,
) -> c_int {
    if !domains.is_null() {
        // SAFETY: a non-NULL `domains` points to a caller-owned pointer; libvirt clears it
        // before anything can fail.
        unsafe { *domains = std::ptr::null_mut() };
    }
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        if domains.is_null() {
            return Ok(c.conn.hv().count_all_domains(flags)? as c_int);
        }
        let list = c.conn.hv().list_all_domains(flags)?;
        let n = list.len();
        let mut ptrs: Vec<usize> = Vec::with_capacity(n + 1);
        handle::new_doms(&c, list, &mut ptrs);
        ptrs.push(0);
        let arr = mem::malloc_array(&ptrs) as *mut virDomainPtr;
        if arr.is_null() {
            for p in &ptrs[..n] {
                handle::release::<DomObj>(*p);
            }
            return Err(VirError::new(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_NO_MEMORY,
                None,
            ));
        }
        // SAFETY: checked non-NULL above; the caller receives the malloc'd array.
        unsafe { *domains = arr };
        Ok(n as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListDefinedDomains(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        super::runtime::outparams::check_names(cx, names, maxnames)?;
        let list = c.conn.hv().list_defined_domains(maxnames as usize)?;
        // SAFETY: checked above: `names` has room for `maxnames` pointers.
        Ok(unsafe {
            super::runtime::outparams::write_names_at_most(names, maxnames as usize, &list)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListDomains(
    conn: virConnectPtr,
    ids: *mut c_int,
    maxids: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        if ids.is_null() && maxids > 0 {
            cx.non_null(ids, "ids")?;
        }
        cx.non_negative(maxids as i64, "maxids")?;
        let list = c.conn.hv().list_domains(maxids as usize)?;
        for (i, id) in list.iter().enumerate() {
            // SAFETY: `ids` has room for `maxids` ints and `list` holds at most that many.
            unsafe { *ids.add(i) = *id };
        }
        Ok(list.len() as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfDefinedDomains(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?.conn.hv().num_of_defined_domains()
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfDomains(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?.conn.hv().num_of_domains()
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCreate(domain: virDomainPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        let id = d.conn.conn.hv().domain_create(&d.dref(), 0)?;
        d.id.store(id, Ordering::Relaxed);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCreateLinux(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virDomainPtr {
    // libvirt's old name for virDomainCreateXML: same behaviour, same error texts.
    virDomainCreateXML(conn, xmlDesc, flags)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCreateWithFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        let id = d.conn.conn.hv().domain_create(&d.dref(), flags)?;
        d.id.store(id, Ordering::Relaxed);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCreateXML(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(xmlDesc, "xmlDesc")?;
        cx.writable(&c)?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let xml = unsafe { arg_str(xmlDesc) }.unwrap_or_default();
        let d = c.conn.hv().domain_create_xml(&xml, flags)?;
        Ok(handle::new_dom(&c, d) as virDomainPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainDefineXML(
    conn: virConnectPtr,
    xml: *const c_char,
) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        cx.non_null(xml, "xml")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let text = unsafe { arg_str(xml) }.unwrap_or_default();
        let d = c.conn.hv().domain_define_xml(&text, 0)?;
        Ok(handle::new_dom(&c, d) as virDomainPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainDefineXMLFlags(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        cx.non_null(xml, "xml")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let text = unsafe { arg_str(xml) }.unwrap_or_default();
        let d = c.conn.hv().domain_define_xml(&text, flags)?;
        Ok(handle::new_dom(&c, d) as virDomainPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainDestroy(domain: virDomainPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        let id = d.conn.conn.hv().domain_destroy(&d.dref(), 0)?;
        d.id.store(id, Ordering::Relaxed);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainDestroyFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        let id = d.conn.conn.hv().domain_destroy(&d.dref(), flags)?;
        d.id.store(id, Ordering::Relaxed);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainFree(domain: virDomainPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        handle::release_obj(&d);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetAutostart(
    domain: virDomainPtr,
    autostart: *mut c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(autostart, "autostart")?;
        let v = d.conn.conn.hv().domain_get_autostart(&d.dref())?;
        // SAFETY: checked non-NULL; the caller passes room for one int.
        unsafe { *autostart = v as c_int };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetConnect(dom: virDomainPtr) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(dom)?;
        Ok(Arc::as_ptr(&d.conn) as virConnectPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetID(domain: virDomainPtr) -> c_uint {
    entry(FUNC, THIS, c_uint::MAX, |cx| {
        Ok(cx.domain(domain)?.id.load(Ordering::Relaxed) as c_uint)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetInfo(domain: virDomainPtr, info: virDomainInfoPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(info, "info")?;
        let zero = virDomainInfo {
            state: 0,
            maxMem: 0,
            memory: 0,
            nrVirtCpu: 0,
            cpuTime: 0,
        };
        // SAFETY: checked non-NULL; libvirt clears the caller's struct before asking the driver.
        unsafe { std::ptr::write(info, zero) };
        let i = d.conn.conn.hv().domain_get_info(&d.dref())?;
        let out = virDomainInfo {
            state: i.state,
            maxMem: i.max_mem as c_ulong,
            memory: i.memory as c_ulong,
            nrVirtCpu: i.nr_virt_cpu,
            cpuTime: i.cpu_time,
        };
        // SAFETY: as above.
        unsafe { std::ptr::write(info, out) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetMaxMemory(domain: virDomainPtr) -> c_ulong {
    entry(FUNC, THIS, 0, |cx| {
        let d = cx.domain(domain)?;
        let m = d.conn.conn.hv().domain_get_max_memory(&d.dref())?;
        if m == 0 {
            return Err(VirError::generic());
        }
        Ok(m as c_ulong)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetName(domain: virDomainPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        // The name lives in the handle, which the caller keeps alive while using it.
        Ok(cx.domain(domain)?.name().as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetOSType(domain: virDomainPtr) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        Ok(mem::strdup(
            &d.conn.conn.hv().domain_get_os_type(&d.dref())?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetState(
    domain: virDomainPtr,
    state: *mut c_int,
    reason: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(state, "state")?;
        let (s, r) = d.conn.conn.hv().domain_get_state(&d.dref(), flags)?;
        // SAFETY: `state` checked non-NULL; `reason` is optional; both caller-owned ints.
        unsafe {
            *state = s;
            if !reason.is_null() {
                *reason = r;
            }
        }
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetUUID(domain: virDomainPtr, uuid: *mut c_uchar) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        if uuid.is_null() {
            // libvirt returns here without dispatching the error.
            cx.conn = None;
            cx.quiet = true;
            cx.non_null(uuid, "uuid")?;
        }
        // SAFETY: checked non-NULL; the caller provides VIR_UUID_BUFLEN (16) bytes.
        unsafe { std::ptr::copy_nonoverlapping(d.uuid.as_ptr(), uuid, 16) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetUUIDString(domain: virDomainPtr, buf: *mut c_char) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(buf, "buf")?;
        let s = uuid::format(&d.uuid);
        // SAFETY: checked non-NULL; the caller provides VIR_UUID_STRING_BUFLEN (37) bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(s.as_ptr() as *const c_char, buf, 36);
            *buf.add(36) = 0;
        }
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetXMLDesc(domain: virDomainPtr, flags: c_uint) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        // libvirt refuses both the secrets and the migratable form to a read-only connection.
        let guarded = virDomainXMLFlags::VIR_DOMAIN_XML_SECURE as c_uint
            | virDomainXMLFlags::VIR_DOMAIN_XML_MIGRATABLE as c_uint;
        if d.conn.conn.readonly && flags & guarded != 0 {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_OPERATION_DENIED,
                "virDomainGetXMLDesc with secure flag",
            ));
        }
        Ok(mem::strdup(
            &d.conn.conn.hv().domain_get_xml_desc(&d.dref(), flags)?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainHasManagedSaveImage(dom: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        let v = d
            .conn
            .conn
            .hv()
            .domain_has_managed_save_image(&d.dref(), flags)?;
        Ok(v as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainIsActive(dom: virDomainPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        Ok(d.conn.conn.hv().domain_is_active(&d.dref())? as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainIsPersistent(dom: virDomainPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        Ok(d.conn.conn.hv().domain_is_persistent(&d.dref())? as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainIsUpdated(dom: virDomainPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        Ok(d.conn.conn.hv().domain_is_updated(&d.dref())? as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainLookupByID(conn: virConnectPtr, id: c_int) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_negative(id as i64, "id")?;
        let d = c.conn.hv().lookup_by_id(id)?;
        Ok(handle::new_dom(&c, d) as virDomainPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(name, "name")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let name = unsafe { arg_str(name) }.unwrap_or_default();
        let d = c.conn.hv().lookup_by_name(&name)?;
        Ok(handle::new_dom(&c, d) as virDomainPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainLookupByUUID(
    conn: virConnectPtr,
    uuid: *const c_uchar,
) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(uuid, "uuid")?;
        let mut u = [0u8; 16];
        // SAFETY: checked non-NULL; a raw UUID is VIR_UUID_BUFLEN (16) bytes.
        unsafe { std::ptr::copy_nonoverlapping(uuid, u.as_mut_ptr(), 16) };
        let d = c.conn.hv().lookup_by_uuid(&u)?;
        Ok(handle::new_dom(&c, d) as virDomainPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainLookupByUUIDString(
    conn: virConnectPtr,
    uuidstr: *const c_char,
) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(uuidstr, "uuidstr")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let s = unsafe { arg_str(uuidstr) }.unwrap_or_default();
        let u = uuid::parse(&s).ok_or_else(|| {
            VirError::invalid_arg(THIS, FUNC, "uuidstr", "Invalid UUID".to_string())
        })?;
        let d = c.conn.hv().lookup_by_uuid(&u)?;
        Ok(handle::new_dom(&c, d) as virDomainPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainManagedSave(dom: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.writable(&d.conn)?;
        exclusive(
            THIS,
            flags,
            (2, "VIR_DOMAIN_SAVE_RUNNING"),
            (4, "VIR_DOMAIN_SAVE_PAUSED"),
        )?;
        let id = d.conn.conn.hv().domain_managed_save(&d.dref(), flags)?;
        d.id.store(id, Ordering::Relaxed);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainManagedSaveRemove(dom: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.writable(&d.conn)?;
        d.conn
            .conn
            .hv()
            .domain_managed_save_remove(&d.dref(), flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainOpenConsole(
    dom: virDomainPtr,
    dev_name: *const c_char,
    st: virStreamPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        let s = cx.stream(st)?;
        cx.conn = Some(d.conn.clone());
        cx.writable(&d.conn)?;
        if !Arc::ptr_eq(&s.conn, &d.conn) {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "conn",
                format!(
                    "stream must match connection of domain '{}'",
                    d.name().to_string_lossy()
                ),
            ));
        }
        // SAFETY: `dev_name` is NULL or a NUL-terminated string valid for this call.
        let name = unsafe { super::runtime::mem::arg_str(dev_name) };
        let backend = d.conn.conn.hv().domain_open_console(
            &d.dref(),
            name.as_deref(),
            flags,
            s.nonblock(),
        )?;
        s.bind(backend);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainReboot(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        let drv = d.conn.conn.hv();
        drv.domain_reboot(&d.dref(), flags)?;
        // A reboot whose on_reboot action stops the domain resets the calling handle's id.
        if !drv.domain_is_active(&d.dref()).unwrap_or(false) {
            d.id.store(-1, Ordering::Relaxed);
        }
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainRef(domain: virDomainPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        handle::add_ref::<DomObj>(Arc::as_ptr(&d) as usize);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainResume(domain: virDomainPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        d.conn.conn.hv().domain_resume(&d.dref())?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetAutostart(domain: virDomainPtr, autostart: c_int) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        d.conn
            .conn
            .hv()
            .domain_set_autostart(&d.dref(), autostart != 0)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainShutdown(domain: virDomainPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        let id = d.conn.conn.hv().domain_shutdown(&d.dref(), 0)?;
        d.id.store(id, Ordering::Relaxed);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainShutdownFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        let id = d.conn.conn.hv().domain_shutdown(&d.dref(), flags)?;
        d.id.store(id, Ordering::Relaxed);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSuspend(domain: virDomainPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        d.conn.conn.hv().domain_suspend(&d.dref())?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainUndefine(domain: virDomainPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        d.conn.conn.hv().domain_undefine(&d.dref(), 0)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainUndefineFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        d.conn.conn.hv().domain_undefine(&d.dref(), flags)?;
        Ok(0)
    })
}

// ---- domain tuning (domtune): vCPUs, memory, lifecycle actions, guest time and hostname,
// control state, security label, scheduler type.

/// `virDomainModificationImpact` and the vCPU/memory flags the public checks name.
const TUNE_AFFECT_CONFIG: c_uint = 2;
const TUNE_VCPU_MAXIMUM: c_uint = 4;
const TUNE_VCPU_GUEST: c_uint = 8;
/// `VIR_DOMAIN_LIFECYCLE_LAST`, `VIR_DOMAIN_LIFECYCLE_ACTION_LAST` in libvirt 9.0.0.
const TUNE_LIFECYCLE_LAST: c_uint = 3;
const TUNE_LIFECYCLE_ACTION_LAST: c_uint = 6;

/// `virCheckPositiveArgGoto`.
fn tune_positive(v: i64, func: &str, name: &str) -> Result<()> {
    if v <= 0 {
        return Err(VirError::invalid_arg(
            THIS,
            func,
            name,
            format!("{name} in {func} must be greater than zero"),
        ));
    }
    Ok(())
}

/// `virCheckNonZeroArgGoto`.
fn tune_non_zero(v: u64, func: &str, name: &str) -> Result<()> {
    if v == 0 {
        return Err(VirError::invalid_arg(
            THIS,
            func,
            name,
            format!("{name} in {func} must not be zero"),
        ));
    }
    Ok(())
}

/// The memory size checks every `virDomainSetMemory*` makes (`virMemoryMaxValue(true)`).
fn tune_memory_arg(memory: c_ulong, func: &str) -> Result<()> {
    tune_non_zero(memory, func, "memory")?;
    if (i64::MAX as u64) / 1024 <= memory {
        return Err(VirError::detail(
            THIS,
            Code::VIR_ERR_OVERFLOW,
            format!("input too large: {memory}"),
        ));
    }
    Ok(())
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetVcpus(
    domain: virDomainPtr,
    info: virVcpuInfoPtr,
    maxinfo: c_int,
    cpumaps: *mut c_uchar,
    maplen: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(info, "info")?;
        tune_positive(maxinfo.into(), FUNC, "maxinfo")?;
        if !cpumaps.is_null() {
            tune_positive(maplen.into(), FUNC, "maplen")?;
        } else if maplen != 0 {
            // virCheckZeroArgGoto: libvirt's text says "not zero" for a non-zero value.
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "maplen",
                format!("maplen in {FUNC} must not be zero"),
            ));
        }
        if !cpumaps.is_null() && maxinfo.checked_mul(maplen).is_none() {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_OVERFLOW,
                format!("input too large: {maxinfo} * {maplen}"),
            ));
        }
        let v = d
            .conn
            .conn
            .hv()
            .domain_get_vcpus(&d.dref(), maxinfo, maplen)?;
        let n = v.info.len().min(maxinfo as usize);
        let cleared = v.cleared.min(maxinfo as usize);
        let room = maxinfo as usize * maplen as usize;
        // SAFETY: `info` is non-NULL and the caller provides `maxinfo` entries; `cpumaps`,
        // when non-NULL, provides `maxinfo * maplen` bytes (libvirt's contract).
        unsafe {
            std::ptr::write_bytes(info, 0, cleared);
            for (i, vi) in v.info.iter().take(n).enumerate() {
                let p = info.add(i);
                (*p).number = vi.number;
                (*p).state = vi.state;
                (*p).cpuTime = vi.cpu_time;
                (*p).cpu = vi.cpu;
            }
            if !cpumaps.is_null() {
                std::ptr::write_bytes(cpumaps, 0, (cleared * maplen as usize).min(room));
                let m = v.cpumaps.len().min(room);
                std::ptr::copy_nonoverlapping(v.cpumaps.as_ptr(), cpumaps, m);
            }
        }
        Ok(n as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetVcpusFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        if flags & TUNE_VCPU_GUEST != 0 {
            cx.writable(&d.conn)?;
        }
        exclusive(
            THIS,
            flags,
            (1, "VIR_DOMAIN_AFFECT_LIVE"),
            (TUNE_AFFECT_CONFIG, "VIR_DOMAIN_AFFECT_CONFIG"),
        )?;
        d.conn.conn.hv().domain_get_vcpus_flags(&d.dref(), flags)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetMaxVcpus(domain: virDomainPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        d.conn.conn.hv().domain_get_max_vcpus(&d.dref())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetVcpus(domain: virDomainPtr, nvcpus: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        tune_non_zero(nvcpus.into(), FUNC, "nvcpus")?;
        d.conn.conn.hv().domain_set_vcpus(&d.dref(), nvcpus)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetVcpusFlags(
    domain: virDomainPtr,
    nvcpus: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        require_flag(
            THIS,
            flags,
            (TUNE_VCPU_MAXIMUM, "VIR_DOMAIN_VCPU_MAXIMUM"),
            (TUNE_AFFECT_CONFIG, "VIR_DOMAIN_AFFECT_CONFIG"),
        )?;
        exclusive(
            THIS,
            flags,
            (TUNE_VCPU_GUEST, "VIR_DOMAIN_VCPU_GUEST"),
            (TUNE_AFFECT_CONFIG, "VIR_DOMAIN_AFFECT_CONFIG"),
        )?;
        tune_non_zero(nvcpus.into(), FUNC, "nvcpus")?;
        d.conn
            .conn
            .hv()
            .domain_set_vcpus_flags(&d.dref(), nvcpus, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetMemory(domain: virDomainPtr, memory: c_ulong) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        tune_memory_arg(memory, FUNC)?;
        d.conn.conn.hv().domain_set_memory(&d.dref(), memory)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetMaxMemory(domain: virDomainPtr, memory: c_ulong) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        tune_memory_arg(memory, FUNC)?;
        d.conn.conn.hv().domain_set_max_memory(&d.dref(), memory)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetMemoryFlags(
    domain: virDomainPtr,
    memory: c_ulong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        tune_memory_arg(memory, FUNC)?;
        d.conn
            .conn
            .hv()
            .domain_set_memory_flags(&d.dref(), memory, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetLifecycleAction(
    domain: virDomainPtr,
    r#type: c_uint,
    action: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        if r#type >= TUNE_LIFECYCLE_LAST {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_INVALID_ARG,
                format!("invalid lifecycle type '{}'", r#type),
            ));
        }
        if action >= TUNE_LIFECYCLE_ACTION_LAST {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_INVALID_ARG,
                format!("invalid lifecycle action '{action}'"),
            ));
        }
        d.conn
            .conn
            .hv()
            .domain_set_lifecycle_action(&d.dref(), r#type, action, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetHostname(domain: virDomainPtr, flags: c_uint) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        Ok(mem::strdup(
            &d.conn.conn.hv().domain_get_hostname(&d.dref(), flags)?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetTime(
    dom: virDomainPtr,
    seconds: *mut c_longlong,
    nseconds: *mut c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.writable(&d.conn)?;
        let (s, ns) = d.conn.conn.hv().domain_get_time(&d.dref(), flags)?;
        // SAFETY: libvirt does not check these; NULL ones are skipped rather than written.
        unsafe {
            if !seconds.is_null() {
                *seconds = s;
            }
            if !nseconds.is_null() {
                *nseconds = ns;
            }
        }
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetTime(
    dom: virDomainPtr,
    seconds: c_longlong,
    nseconds: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.writable(&d.conn)?;
        d.conn
            .conn
            .hv()
            .domain_set_time(&d.dref(), seconds, nseconds, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetUserPassword(
    dom: virDomainPtr,
    user: *const c_char,
    password: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.writable(&d.conn)?;
        cx.non_null(user, "user")?;
        cx.non_null(password, "password")?;
        // SAFETY: both checked non-NULL; C strings of the caller.
        let (u, p) = unsafe { (arg_str(user), arg_str(password)) };
        d.conn.conn.hv().domain_set_user_password(
            &d.dref(),
            u.as_deref().unwrap_or(""),
            p.as_deref().unwrap_or(""),
            flags,
        )?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetControlInfo(
    domain: virDomainPtr,
    info: virDomainControlInfoPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(info, "info")?;
        let i = d.conn.conn.hv().domain_get_control_info(&d.dref(), flags)?;
        let out = virDomainControlInfo {
            state: i.state,
            details: i.details,
            stateTime: i.state_time,
        };
        // SAFETY: checked non-NULL; the caller's struct.
        unsafe { std::ptr::write(info, out) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetSecurityLabel(
    domain: virDomainPtr,
    seclabel: virSecurityLabelPtr,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(seclabel, "seclabel")?;
        // SAFETY: checked non-NULL; the drivers clear the caller's struct first.
        unsafe { std::ptr::write_bytes(seclabel, 0, 1) };
        let l = d.conn.conn.hv().domain_get_security_label(&d.dref())?;
        let b = l.label.as_bytes();
        // SAFETY: as above; the label fits its buffer with its NUL (the drivers check).
        unsafe {
            let n = b.len().min((*seclabel).label.len() - 1);
            for (i, c) in b.iter().take(n).enumerate() {
                (*seclabel).label[i] = *c as c_char;
            }
            (*seclabel).enforcing = l.enforcing;
        }
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetSchedulerType(
    domain: virDomainPtr,
    nparams: *mut c_int,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        let (t, n) = d.conn.conn.hv().domain_get_scheduler_type(&d.dref())?;
        if !nparams.is_null() {
            // SAFETY: non-NULL; the caller's int.
            unsafe { *nparams = n };
        }
        Ok(mem::strdup(&t))
    })
}

/// `virDomainMetadataType` values the public checks distinguish.
const TUNE_METADATA_DESCRIPTION: c_int = 0;
const TUNE_METADATA_TITLE: c_int = 1;
const TUNE_METADATA_ELEMENT: c_int = 2;

/// `virCheckNullArgGoto`.
fn tune_null(p: *const c_char, func: &str, name: &str) -> Result<()> {
    if !p.is_null() {
        return Err(VirError::invalid_arg(
            THIS,
            func,
            name,
            format!("{name} in {func} must be NULL"),
        ));
    }
    Ok(())
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetMetadata(
    domain: virDomainPtr,
    r#type: c_int,
    uri: *const c_char,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        exclusive(
            THIS,
            flags,
            (1, "VIR_DOMAIN_AFFECT_LIVE"),
            (TUNE_AFFECT_CONFIG, "VIR_DOMAIN_AFFECT_CONFIG"),
        )?;
        match r#type {
            TUNE_METADATA_TITLE | TUNE_METADATA_DESCRIPTION => tune_null(uri, FUNC, "uri")?,
            TUNE_METADATA_ELEMENT => cx.non_null(uri, "uri")?,
            _ => {}
        }
        // SAFETY: NULL or the caller's C string.
        let u = unsafe { arg_str(uri) };
        Ok(mem::strdup(&d.conn.conn.hv().domain_get_metadata(
            &d.dref(),
            r#type,
            u.as_deref(),
            flags,
        )?))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetMetadata(
    domain: virDomainPtr,
    r#type: c_int,
    metadata: *const c_char,
    key: *const c_char,
    uri: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        // SAFETY: each NULL or the caller's C string.
        let (m, k, u) = unsafe { (arg_str(metadata), arg_str(key), arg_str(uri)) };
        match r#type {
            TUNE_METADATA_TITLE | TUNE_METADATA_DESCRIPTION => {
                if r#type == TUNE_METADATA_TITLE && m.as_deref().is_some_and(|t| t.contains('\n')) {
                    return Err(VirError::invalid_arg(
                        THIS,
                        FUNC,
                        "metadata",
                        "metadata title can't contain newlines".to_string(),
                    ));
                }
                tune_null(uri, FUNC, "uri")?;
                tune_null(key, FUNC, "key")?;
            }
            TUNE_METADATA_ELEMENT => {
                cx.non_null(uri, "uri")?;
                if !metadata.is_null() {
                    cx.non_null(key, "key")?;
                }
            }
            _ => {}
        }
        d.conn.conn.hv().domain_set_metadata(
            &d.dref(),
            r#type,
            m.as_deref(),
            k.as_deref(),
            u.as_deref(),
            flags,
        )?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetMessages(
    domain: virDomainPtr,
    msgs: *mut *mut *mut c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(msgs, "msgs")?;
        let v = d.conn.conn.hv().domain_get_messages(&d.dref(), flags)?;
        // A NULL-terminated array of malloc'd strings, as libvirt hands back.
        let mut ptrs: Vec<*mut c_char> = v.iter().map(|m| mem::strdup(m)).collect();
        ptrs.push(std::ptr::null_mut());
        let arr = mem::malloc_array(&ptrs);
        if arr.is_null() {
            ptrs.into_iter().for_each(mem::free);
            return Err(VirError::generic());
        }
        // SAFETY: checked non-NULL; the caller's pointer slot.
        unsafe { *msgs = arr };
        Ok(v.len() as c_int)
    })
}

// ---- domain stats & misc (domstats)

use crate::generated::abi_consts::{VIR_DOMAIN_CORE_DUMP_FORMAT_LAST, VIR_DOMAIN_MEMORY_STAT_LAST};

/// `virCheckNullArgGoto`.
fn null_required<P>(cx: &Cx, p: *const P, name: &str) -> Result<()> {
    if !p.is_null() {
        return Err(VirError::invalid_arg(
            THIS,
            cx.func,
            name,
            format!("{name} in {} must be NULL", cx.func),
        ));
    }
    Ok(())
}

/// `virCheckNonEmptyStringArgGoto`: the string, checked.
fn non_empty_str(cx: &Cx, p: *const c_char, name: &str) -> Result<String> {
    cx.non_null(p, name)?;
    // SAFETY: checked non-NULL; a C string valid for this call.
    let s = unsafe { arg_str(p) }.unwrap_or_default().into_owned();
    if s.is_empty() {
        return Err(VirError::invalid_arg(
            THIS,
            cx.func,
            name,
            format!("string {name} in {} must not be empty", cx.func),
        ));
    }
    Ok(s)
}

/// A checked non-NULL string argument.
fn str_arg(cx: &Cx, p: *const c_char, name: &str) -> Result<String> {
    cx.non_null(p, name)?;
    // SAFETY: checked non-NULL; a C string valid for this call.
    Ok(unsafe { arg_str(p) }.unwrap_or_default().into_owned())
}

/// An optional string argument.
fn opt_str(p: *const c_char) -> Option<String> {
    // SAFETY: NULL or a C string valid for this call.
    unsafe { arg_str(p) }.map(|s| s.into_owned())
}

/// `g_canonicalize_filename(path, NULL)`: absolute (from the working directory) with `.`,
/// `..` and repeated slashes resolved lexically, as libvirt passes save and dump paths on.
fn canonical_path(path: &str) -> String {
    let full = if path.starts_with('/') {
        path.to_string()
    } else {
        let cwd = std::env::current_dir()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "/".into());
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for c in full.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

const SAVE_RUNNING: (c_uint, &str) = (2, "VIR_DOMAIN_SAVE_RUNNING");
const SAVE_PAUSED: (c_uint, &str) = (4, "VIR_DOMAIN_SAVE_PAUSED");
const DUMP_CRASH: (c_uint, &str) = (1, "VIR_DUMP_CRASH");
const DUMP_LIVE: (c_uint, &str) = (2, "VIR_DUMP_LIVE");
const DUMP_RESET: (c_uint, &str) = (8, "VIR_DUMP_RESET");

fn dump_flags_exclusive(flags: c_uint) -> Result<()> {
    exclusive(THIS, flags, DUMP_CRASH, DUMP_LIVE)?;
    exclusive(THIS, flags, DUMP_CRASH, DUMP_RESET)?;
    exclusive(THIS, flags, DUMP_LIVE, DUMP_RESET)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainBlockStats(
    dom: virDomainPtr,
    disk: *const c_char,
    stats: virDomainBlockStatsPtr,
    size: usize,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        let path = str_arg(cx, disk, "disk")?;
        cx.non_null(stats, "stats")?;
        let room = std::mem::size_of::<virDomainBlockStatsStruct>();
        if size > room {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "size",
                format!("size must not exceed {room}"),
            ));
        }
        let s = d.conn.conn.hv().domain_block_stats(&d.dref(), &path)?;
        let full = virDomainBlockStatsStruct {
            rd_req: s.rd_req,
            rd_bytes: s.rd_bytes,
            wr_req: s.wr_req,
            wr_bytes: s.wr_bytes,
            errs: s.errs,
        };
        // SAFETY: checked non-NULL; the caller provides `size` (<= the struct's size) bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(
                &full as *const virDomainBlockStatsStruct as *const u8,
                stats as *mut u8,
                size,
            )
        };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainInterfaceStats(
    dom: virDomainPtr,
    device: *const c_char,
    stats: virDomainInterfaceStatsPtr,
    size: usize,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        let dev = str_arg(cx, device, "device")?;
        cx.non_null(stats, "stats")?;
        let room = std::mem::size_of::<virDomainInterfaceStatsStruct>();
        if size > room {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "size",
                format!("size must not exceed {room}"),
            ));
        }
        let s = d.conn.conn.hv().domain_interface_stats(&d.dref(), &dev)?;
        let full = virDomainInterfaceStatsStruct {
            rx_bytes: s.rx_bytes,
            rx_packets: s.rx_packets,
            rx_errs: s.rx_errs,
            rx_drop: s.rx_drop,
            tx_bytes: s.tx_bytes,
            tx_packets: s.tx_packets,
            tx_errs: s.tx_errs,
            tx_drop: s.tx_drop,
        };
        // SAFETY: checked non-NULL; the caller provides `size` (<= the struct's size) bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(
                &full as *const virDomainInterfaceStatsStruct as *const u8,
                stats as *mut u8,
                size,
            )
        };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMemoryStats(
    dom: virDomainPtr,
    stats: virDomainMemoryStatPtr,
    nr_stats: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        if stats.is_null() || nr_stats == 0 {
            return Ok(0);
        }
        let nr = nr_stats.min(VIR_DOMAIN_MEMORY_STAT_LAST as c_uint);
        let list = d.conn.conn.hv().domain_memory_stats(&d.dref(), nr, flags)?;
        let list = &list[..list.len().min(nr as usize)];
        for (i, (tag, val)) in list.iter().enumerate() {
            // SAFETY: the caller provides `nr_stats` >= `nr` > i entries.
            unsafe {
                *stats.add(i) = virDomainMemoryStatStruct {
                    tag: *tag,
                    val: *val,
                }
            };
        }
        Ok(list.len() as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetBlockInfo(
    domain: virDomainPtr,
    disk: *const c_char,
    info: virDomainBlockInfoPtr,
    flags: c_uint,
) -> c_int {
    if !info.is_null() {
        // SAFETY: a non-NULL `info` is the caller's struct; libvirt clears it first of all.
        unsafe {
            std::ptr::write(
                info,
                virDomainBlockInfo {
                    capacity: 0,
                    allocation: 0,
                    physical: 0,
                },
            )
        };
    }
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        let path = non_empty_str(cx, disk, "disk")?;
        cx.non_null(info, "info")?;
        let b = d
            .conn
            .conn
            .hv()
            .domain_get_block_info(&d.dref(), &path, flags)?;
        // SAFETY: checked non-NULL; the caller's struct.
        unsafe {
            std::ptr::write(
                info,
                virDomainBlockInfo {
                    capacity: b.capacity,
                    allocation: b.allocation,
                    physical: b.physical,
                },
            )
        };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetCPUStats(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_uint,
    start_cpu: c_int,
    ncpus: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        if start_cpu == -1 {
            if ncpus != 1 {
                return Err(VirError::invalid_arg(
                    THIS,
                    FUNC,
                    "start_cpu",
                    "ncpus must be 1 when start_cpu is -1".into(),
                ));
            }
        } else {
            cx.non_negative(start_cpu as i64, "start_cpu")?;
        }
        if nparams != 0 {
            cx.non_null(params, "params")?;
        } else {
            null_required(cx, params, "params")?;
        }
        if ncpus == 0 {
            null_required(cx, params, "params")?;
        }
        if nparams != 0 && ncpus > c_uint::MAX / nparams {
            return Err(VirError::detail(
                Domain::VIR_FROM_DOMAIN,
                Code::VIR_ERR_OVERFLOW,
                format!("input too large: {nparams} * {ncpus}"),
            ));
        }
        // Every driver oxvirt has takes string parameters (VIR_TYPED_PARAM_STRING_OKAY).
        let flags = flags | (1 << 2);
        let r =
            d.conn
                .conn
                .hv()
                .domain_get_cpu_stats(&d.dref(), nparams, start_cpu, ncpus, flags)?;
        if !params.is_null() {
            let room = nparams as usize * ncpus as usize;
            // SAFETY: the caller provides `nparams * ncpus` parameters at `params`.
            let slots = unsafe { std::slice::from_raw_parts_mut(params, room) };
            for (i, p) in r.params.iter().take(room).enumerate() {
                match p {
                    Some(p) => super::runtime::typed_out::assign(&mut slots[i], p)?,
                    None => slots[i] = super::runtime::typed_out::zeroed(),
                }
            }
        }
        Ok(r.ret)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetDiskErrors(
    dom: virDomainPtr,
    errors: virDomainDiskErrorPtr,
    maxerrors: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        if errors.is_null() && maxerrors > 0 {
            cx.non_null(errors, "errors")?;
        }
        let (n, list) = d.conn.conn.hv().domain_get_disk_errors(
            &d.dref(),
            maxerrors,
            !errors.is_null(),
            flags,
        )?;
        if errors.is_null() {
            return Ok(n);
        }
        let list = &list[..list.len().min(maxerrors as usize)];
        for (i, (disk, err)) in list.iter().enumerate() {
            // SAFETY: the caller provides `maxerrors` > i entries; it frees each `disk`.
            unsafe {
                *errors.add(i) = virDomainDiskError {
                    disk: mem::strdup(disk),
                    error: *err,
                }
            };
        }
        Ok(list.len() as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainFSTrim(
    dom: virDomainPtr,
    mountPoint: *const c_char,
    minimum: c_ulonglong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.writable(&d.conn)?;
        let m = opt_str(mountPoint);
        d.conn
            .conn
            .hv()
            .domain_fs_trim(&d.dref(), m.as_deref(), minimum, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainInjectNMI(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        d.conn.conn.hv().domain_inject_nmi(&d.dref(), flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainReset(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        d.conn.conn.hv().domain_reset(&d.dref(), flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSendProcessSignal(
    domain: virDomainPtr,
    pid_value: c_longlong,
    signum: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        if pid_value == 0 {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "pid_value",
                format!("pid_value in {FUNC} must not be zero"),
            ));
        }
        cx.writable(&d.conn)?;
        d.conn
            .conn
            .hv()
            .domain_send_process_signal(&d.dref(), pid_value, signum, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMemoryPeek(
    dom: virDomainPtr,
    start: c_ulonglong,
    size: usize,
    buffer: *mut c_void,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.writable(&d.conn)?;
        exclusive(
            THIS,
            flags,
            (1, "VIR_MEMORY_VIRTUAL"),
            (2, "VIR_MEMORY_PHYSICAL"),
        )?;
        if size > 0 {
            cx.non_null(buffer, "buffer")?;
        }
        let bytes = d
            .conn
            .conn
            .hv()
            .domain_memory_peek(&d.dref(), start, size, flags)?;
        let n = bytes.len().min(size);
        // SAFETY: the caller provides `size` bytes at `buffer` (non-NULL when size > 0).
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buffer as *mut u8, n) };
        Ok(0)
    })
}

/// Hand stats records to the caller: a NULL-terminated, `malloc`'d array of `malloc`'d
/// records, each with its own domain handle and parameter array.
fn stats_records_out(
    c: &Arc<ConnObj>,
    recs: Vec<crate::core::driver::DomainStatsRecord>,
    out: *mut *mut virDomainStatsRecordPtr,
) -> Result<c_int> {
    let n = recs.len();
    let mut ptrs: Vec<virDomainStatsRecordPtr> = Vec::with_capacity(n + 1);
    let mut fail = None;
    for r in recs {
        let params = match super::runtime::typed_out::malloc_params(&r.params) {
            Ok(p) => p,
            Err(e) => {
                fail = Some(e);
                break;
            }
        };
        let rec = virDomainStatsRecord {
            dom: handle::new_dom(c, r.dom) as virDomainPtr,
            params,
            nparams: r.params.len() as c_int,
        };
        // SAFETY: malloc has no preconditions; the result is checked for NULL before use.
        let p = unsafe { libc::malloc(std::mem::size_of::<virDomainStatsRecord>()) }
            as virDomainStatsRecordPtr;
        if !p.is_null() {
            // SAFETY: `p` has room for one record and is malloc-aligned.
            unsafe { std::ptr::write(p, rec) };
        } else {
            free_record(rec);
            fail = Some(VirError::new(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_NO_MEMORY,
                None,
            ));
            break;
        }
        ptrs.push(p);
    }
    ptrs.push(std::ptr::null_mut());
    let arr = if fail.is_none() {
        mem::malloc_array(&ptrs)
    } else {
        std::ptr::null_mut()
    };
    if arr.is_null() {
        for p in &ptrs[..ptrs.len() - 1] {
            // SAFETY: each record was malloc'd above and is not shared yet.
            free_record(unsafe { std::ptr::read(*p) });
            mem::free(*p);
        }
        return Err(fail.unwrap_or_else(|| {
            VirError::new(Domain::VIR_FROM_NONE, Code::VIR_ERR_NO_MEMORY, None)
        }));
    }
    // SAFETY: checked non-NULL by the caller's entry point; the caller owns the array.
    unsafe { *out = arr };
    Ok(n as c_int)
}

/// Release one record's parameters and domain handle (not the record's own memory).
fn free_record(rec: virDomainStatsRecord) {
    if !rec.params.is_null() {
        // SAFETY: `params` holds `nparams` parameters written by `malloc_params`.
        let slots =
            unsafe { std::slice::from_raw_parts_mut(rec.params, rec.nparams.max(0) as usize) };
        super::runtime::typed_out::clear(slots);
        mem::free(rec.params);
    }
    if !rec.dom.is_null() {
        handle::release::<DomObj>(rec.dom as usize);
    }
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetAllDomainStats(
    conn: virConnectPtr,
    stats: c_uint,
    retStats: *mut *mut virDomainStatsRecordPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(retStats, "retStats")?;
        let recs = c
            .conn
            .hv()
            .connect_get_all_domain_stats(&[], stats, flags)?;
        stats_records_out(&c, recs, retStats)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainListGetStats(
    doms: *mut virDomainPtr,
    stats: c_uint,
    retStats: *mut *mut virDomainStatsRecordPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.non_null(doms, "doms")?;
        cx.non_null(retStats, "retStats")?;
        // SAFETY: `doms` is a NULL-terminated array of domain pointers (API contract).
        let first = unsafe { *doms };
        if first.is_null() {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_INVALID_ARG,
                format!("doms array in {FUNC} must contain at least one domain"),
            ));
        }
        let d0 = cx.domain(first)?;
        let c = d0.conn.clone();
        let mut refs = Vec::new();
        let mut i = 0;
        loop {
            // SAFETY: as above; the walk stops at the terminating NULL.
            let p = unsafe { *doms.add(i) };
            if p.is_null() {
                break;
            }
            let d = cx.domain(p)?;
            if !Arc::ptr_eq(&d.conn, &c) {
                return Err(VirError::detail(
                    THIS,
                    Code::VIR_ERR_INVALID_ARG,
                    "domains in 'doms' array must belong to a single connection",
                ));
            }
            refs.push(d.dref());
            i += 1;
        }
        let recs = c
            .conn
            .hv()
            .connect_get_all_domain_stats(&refs, stats, flags)?;
        stats_records_out(&c, recs, retStats)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainStatsRecordListFree(stats: *mut virDomainStatsRecordPtr) {
    // libvirt's free function leaves the last error alone.
    guard(FUNC, (), || {
        if stats.is_null() {
            return;
        }
        let mut i = 0;
        loop {
            // SAFETY: a NULL-terminated array from virConnectGetAllDomainStats.
            let p = unsafe { *stats.add(i) };
            if p.is_null() {
                break;
            }
            // SAFETY: each record was malloc'd by stats_records_out; it is read once here.
            free_record(unsafe { std::ptr::read(p) });
            mem::free(p);
            i += 1;
        }
        mem::free(stats);
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSave(domain: virDomainPtr, to: *const c_char) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        let to = str_arg(cx, to, "to")?;
        let id = d
            .conn
            .conn
            .hv()
            .domain_save(&d.dref(), &canonical_path(&to))?;
        d.id.store(id, Ordering::Relaxed);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSaveFlags(
    domain: virDomainPtr,
    to: *const c_char,
    dxml: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        let to = str_arg(cx, to, "to")?;
        exclusive(THIS, flags, SAVE_RUNNING, SAVE_PAUSED)?;
        let dxml = opt_str(dxml);
        let id = d.conn.conn.hv().domain_save_flags(
            &d.dref(),
            &canonical_path(&to),
            dxml.as_deref(),
            flags,
        )?;
        d.id.store(id, Ordering::Relaxed);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainRestore(conn: virConnectPtr, from: *const c_char) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        let from = str_arg(cx, from, "from")?;
        c.conn.hv().domain_restore(&canonical_path(&from))?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainRestoreFlags(
    conn: virConnectPtr,
    from: *const c_char,
    dxml: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        let from = str_arg(cx, from, "from")?;
        exclusive(THIS, flags, SAVE_RUNNING, SAVE_PAUSED)?;
        let dxml = opt_str(dxml);
        c.conn
            .hv()
            .domain_restore_flags(&canonical_path(&from), dxml.as_deref(), flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSaveImageGetXMLDesc(
    conn: virConnectPtr,
    file: *const c_char,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        let file = str_arg(cx, file, "file")?;
        cx.writable(&c)?;
        let xml = c
            .conn
            .hv()
            .domain_save_image_get_xml_desc(&canonical_path(&file), flags)?;
        Ok(mem::strdup(&xml))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSaveImageDefineXML(
    conn: virConnectPtr,
    file: *const c_char,
    dxml: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        let file = str_arg(cx, file, "file")?;
        let dxml = str_arg(cx, dxml, "dxml")?;
        exclusive(THIS, flags, SAVE_RUNNING, SAVE_PAUSED)?;
        c.conn
            .hv()
            .domain_save_image_define_xml(&canonical_path(&file), &dxml, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCoreDump(
    domain: virDomainPtr,
    to: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        let to = str_arg(cx, to, "to")?;
        dump_flags_exclusive(flags)?;
        let id = d
            .conn
            .conn
            .hv()
            .domain_core_dump(&d.dref(), &canonical_path(&to), flags)?;
        d.id.store(id, Ordering::Relaxed);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCoreDumpWithFormat(
    domain: virDomainPtr,
    to: *const c_char,
    dumpformat: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        let to = str_arg(cx, to, "to")?;
        if dumpformat >= VIR_DOMAIN_CORE_DUMP_FORMAT_LAST as c_uint {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "flags",
                format!("dumpformat '{}' is not supported", dumpformat as c_int),
            ));
        }
        dump_flags_exclusive(flags)?;
        let id = d.conn.conn.hv().domain_core_dump_with_format(
            &d.dref(),
            &canonical_path(&to),
            dumpformat,
            flags,
        )?;
        d.id.store(id, Ordering::Relaxed);
        Ok(0)
    })
}

/// The checks FSFreeze and FSThaw share; the mount points as strings.
fn mountpoints_arg(
    cx: &Cx,
    d: &DomObj,
    mountpoints: *mut *const c_char,
    n: c_uint,
) -> Result<Vec<String>> {
    cx.writable(&d.conn)?;
    if mountpoints.is_null() && n > 0 {
        cx.non_null(mountpoints, "mountpoints")?;
    }
    Ok((0..n as usize)
        // SAFETY: the caller passes `n` C strings at `mountpoints` (non-NULL when n > 0).
        .map(|i| opt_str(unsafe { *mountpoints.add(i) }).unwrap_or_default())
        .collect())
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainFSFreeze(
    dom: virDomainPtr,
    mountpoints: *mut *const c_char,
    nmountpoints: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        let m = mountpoints_arg(cx, &d, mountpoints, nmountpoints)?;
        d.conn.conn.hv().domain_fs_freeze(&d.dref(), &m, flags)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainFSThaw(
    dom: virDomainPtr,
    mountpoints: *mut *const c_char,
    nmountpoints: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        let m = mountpoints_arg(cx, &d, mountpoints, nmountpoints)?;
        d.conn.conn.hv().domain_fs_thaw(&d.dref(), &m, flags)
    })
}

// ---- typed-parameter tuning (params): the getters and setters of typed-parameter tunables,
// with libvirt's public checks in its order. Setters read the caller's array through the one
// conversion of `runtime::typed_in`; getters write through `runtime::typed_out`.

/// `VIR_TYPED_PARAM_STRING_OKAY`: every driver of oxvirt takes string parameters
/// (`VIR_DRV_FEATURE_TYPED_PARAM_STRING`), so the public layer always adds it.
const PARAMS_STRING_OKAY: c_uint = 1 << 2;

/// `VIR_EXCLUSIVE_FLAGS_GOTO(VIR_DOMAIN_AFFECT_LIVE, VIR_DOMAIN_AFFECT_CONFIG)`.
fn params_live_config(flags: c_uint) -> Result<()> {
    exclusive(
        THIS,
        flags,
        (1, "VIR_DOMAIN_AFFECT_LIVE"),
        (2, "VIR_DOMAIN_AFFECT_CONFIG"),
    )
}

/// A setter's parameters, read once through the shared conversion.
fn params_in(
    cx: &Cx,
    params: virTypedParameterPtr,
    nparams: c_int,
) -> Result<Vec<crate::core::driver::TypedParam>> {
    // SAFETY: the caller checked `params` non-NULL; it holds `nparams` parameters.
    // virTypedParameterValidateSet reports from libvirt.c, whose error domain is none.
    unsafe {
        super::runtime::typed_in::read_params(Domain::VIR_FROM_NONE, cx.func, params, nparams)
    }
}

/// `virCheckPositiveArgGoto` for `nparams`.
fn params_positive(cx: &Cx, n: c_int) -> Result<()> {
    tune_positive(n.into(), cx.func, "nparams")
}

/// Give a driver's list to a caller that frees it with `virTypedParamsFree`.
fn params_give(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    list: &[crate::core::driver::TypedParam],
) -> Result<c_int> {
    let arr = super::runtime::typed_out::malloc_params(list)?;
    // SAFETY: both checked non-NULL by the caller; the caller's out-parameters.
    unsafe {
        *params = arr;
        *nparams = list.len() as c_int;
    }
    Ok(0)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetSchedulerParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(params, "params")?;
        cx.non_null(nparams, "nparams")?;
        // SAFETY: checked non-NULL; the caller's int.
        let n = unsafe { *nparams };
        tune_positive(n.into(), FUNC, "*nparams")?;
        let r = d
            .conn
            .conn
            .hv()
            .domain_get_scheduler_parameters(&d.dref(), n)?;
        params_count_out(params, nparams, n, r)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetSchedulerParametersFlags(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(params, "params")?;
        cx.non_null(nparams, "nparams")?;
        // SAFETY: checked non-NULL; the caller's int.
        let n = unsafe { *nparams };
        tune_positive(n.into(), FUNC, "*nparams")?;
        let flags = flags | PARAMS_STRING_OKAY;
        params_live_config(flags)?;
        let r = d
            .conn
            .conn
            .hv()
            .domain_get_scheduler_parameters_flags(&d.dref(), n, flags)?;
        params_count_out(params, nparams, n, r)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetSchedulerParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        cx.non_null(params, "params")?;
        cx.non_negative(nparams.into(), "nparams")?;
        let list = params_in(cx, params, nparams)?;
        d.conn
            .conn
            .hv()
            .domain_set_scheduler_parameters(&d.dref(), &list)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetSchedulerParametersFlags(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        cx.non_null(params, "params")?;
        cx.non_negative(nparams.into(), "nparams")?;
        let list = params_in(cx, params, nparams)?;
        d.conn
            .conn
            .hv()
            .domain_set_scheduler_parameters_flags(&d.dref(), &list, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetMemoryParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        let n = params_count_in(cx, params, nparams)?;
        let flags = flags | PARAMS_STRING_OKAY;
        params_live_config(flags)?;
        let r = d
            .conn
            .conn
            .hv()
            .domain_get_memory_parameters(&d.dref(), n, flags)?;
        params_count_out(params, nparams, n, r)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetMemoryParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        cx.non_null(params, "params")?;
        params_positive(cx, nparams)?;
        let list = params_in(cx, params, nparams)?;
        d.conn
            .conn
            .hv()
            .domain_set_memory_parameters(&d.dref(), &list, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetNumaParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        let n = params_count_in(cx, params, nparams)?;
        let flags = flags | PARAMS_STRING_OKAY;
        let r = d
            .conn
            .conn
            .hv()
            .domain_get_numa_parameters(&d.dref(), n, flags)?;
        params_count_out(params, nparams, n, r)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetNumaParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        cx.non_null(params, "params")?;
        params_positive(cx, nparams)?;
        let list = params_in(cx, params, nparams)?;
        d.conn
            .conn
            .hv()
            .domain_set_numa_parameters(&d.dref(), &list, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetBlkioParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        let n = params_count_in(cx, params, nparams)?;
        let flags = flags | PARAMS_STRING_OKAY;
        params_live_config(flags)?;
        let r = d
            .conn
            .conn
            .hv()
            .domain_get_blkio_parameters(&d.dref(), n, flags)?;
        params_count_out(params, nparams, n, r)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetBlkioParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        cx.non_null(params, "params")?;
        cx.non_negative(nparams.into(), "nparams")?;
        let list = params_in(cx, params, nparams)?;
        d.conn
            .conn
            .hv()
            .domain_set_blkio_parameters(&d.dref(), &list, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetInterfaceParameters(
    domain: virDomainPtr,
    device: *const c_char,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        let n = params_count_in(cx, params, nparams)?;
        let flags = flags | PARAMS_STRING_OKAY;
        // SAFETY: NULL or a C string valid for this call.
        let device = unsafe { arg_str(device) }.map(|s| s.into_owned());
        let r = d.conn.conn.hv().domain_get_interface_parameters(
            &d.dref(),
            device.as_deref(),
            n,
            flags,
        )?;
        params_count_out(params, nparams, n, r)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetInterfaceParameters(
    domain: virDomainPtr,
    device: *const c_char,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        cx.non_null(params, "params")?;
        params_positive(cx, nparams)?;
        let list = params_in(cx, params, nparams)?;
        // SAFETY: NULL or a C string valid for this call.
        let device = unsafe { arg_str(device) }.map(|s| s.into_owned());
        d.conn.conn.hv().domain_set_interface_parameters(
            &d.dref(),
            device.as_deref(),
            &list,
            flags,
        )?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetBlockIoTune(
    dom: virDomainPtr,
    disk: *const c_char,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        let n = params_count_in(cx, params, nparams)?;
        if n != 0 {
            cx.non_null(disk, "disk")?;
        }
        let flags = flags | PARAMS_STRING_OKAY;
        params_live_config(flags)?;
        // SAFETY: NULL or a C string valid for this call.
        let disk = unsafe { arg_str(disk) }.map(|s| s.into_owned());
        let r = d
            .conn
            .conn
            .hv()
            .domain_get_block_io_tune(&d.dref(), disk.as_deref(), n, flags)?;
        params_count_out(params, nparams, n, r)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetBlockIoTune(
    dom: virDomainPtr,
    disk: *const c_char,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.writable(&d.conn)?;
        cx.non_null(disk, "disk")?;
        params_positive(cx, nparams)?;
        cx.non_null(params, "params")?;
        let list = params_in(cx, params, nparams)?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let disk = unsafe { arg_str(disk) }.unwrap_or_default().into_owned();
        d.conn
            .conn
            .hv()
            .domain_set_block_io_tune(&d.dref(), &disk, &list, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetPerfEvents(
    domain: virDomainPtr,
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(params, "params")?;
        cx.non_null(nparams, "nparams")?;
        let list = d.conn.conn.hv().domain_get_perf_events(&d.dref(), flags)?;
        params_give(params, nparams, &list)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetPerfEvents(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        cx.non_null(params, "params")?;
        params_positive(cx, nparams)?;
        let list = params_in(cx, params, nparams)?;
        d.conn
            .conn
            .hv()
            .domain_set_perf_events(&d.dref(), &list, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetLaunchSecurityInfo(
    domain: virDomainPtr,
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(params, "params")?;
        cx.non_null(nparams, "nparams")?;
        cx.writable(&d.conn)?;
        let flags = flags | PARAMS_STRING_OKAY;
        let list = d
            .conn
            .conn
            .hv()
            .domain_get_launch_security_info(&d.dref(), flags)?;
        params_give(params, nparams, &list)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetMemoryStatsPeriod(
    domain: virDomainPtr,
    period: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        cx.non_negative(period.into(), "period")?;
        d.conn
            .conn
            .hv()
            .domain_set_memory_stats_period(&d.dref(), period, flags)?;
        Ok(0)
    })
}
// ---- end of typed-parameter tuning (params)

// ---- pinning/iothreads/misc (pin): vCPU/emulator/IOThread pinning, IOThreads, rename,
// screenshot, send-key and migration to a URI, with libvirt's public checks in its order.

/// The caller's CPU map: `maplen` bytes at `cpumap` (both checked by the caller).
fn pin_map<'a>(cpumap: *const c_uchar, maplen: c_int) -> &'a [u8] {
    // SAFETY: `cpumap` is non-NULL and the caller provides `maplen > 0` bytes (libvirt's
    // contract, checked non-NULL and positive before this is called).
    unsafe { std::slice::from_raw_parts(cpumap, maplen as usize) }
}

/// `virCheckNonNullArgGoto(cpumap)` then `virCheckPositiveArgGoto(maplen)`.
fn pin_map_args(cx: &Cx, cpumap: *const c_uchar, maplen: c_int, func: &str) -> Result<()> {
    cx.non_null(cpumap, "cpumap")?;
    tune_positive(maplen.into(), func, "maplen")
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainPinVcpu(
    domain: virDomainPtr,
    vcpu: c_uint,
    cpumap: *mut c_uchar,
    maplen: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        pin_map_args(cx, cpumap, maplen, FUNC)?;
        let map = pin_map(cpumap, maplen);
        d.conn.conn.hv().domain_pin_vcpu(&d.dref(), vcpu, map)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainPinVcpuFlags(
    domain: virDomainPtr,
    vcpu: c_uint,
    cpumap: *mut c_uchar,
    maplen: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        pin_map_args(cx, cpumap, maplen, FUNC)?;
        let map = pin_map(cpumap, maplen);
        d.conn
            .conn
            .hv()
            .domain_pin_vcpu_flags(&d.dref(), vcpu, map, flags)?;
        Ok(0)
    })
}

/// `VIR_EXCLUSIVE_FLAGS_GOTO(VIR_DOMAIN_AFFECT_LIVE, VIR_DOMAIN_AFFECT_CONFIG)`.
fn pin_live_or_config(flags: c_uint) -> Result<()> {
    exclusive(
        THIS,
        flags,
        (1, "VIR_DOMAIN_AFFECT_LIVE"),
        (2, "VIR_DOMAIN_AFFECT_CONFIG"),
    )
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetVcpuPinInfo(
    domain: virDomainPtr,
    ncpumaps: c_int,
    cpumaps: *mut c_uchar,
    maplen: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        if cpumaps.is_null() && ncpumaps > 0 {
            return Err(VirError::null_arg(THIS, FUNC, "cpumaps"));
        }
        tune_positive(ncpumaps.into(), FUNC, "ncpumaps")?;
        tune_positive(maplen.into(), FUNC, "maplen")?;
        if ncpumaps.checked_mul(maplen).is_none() {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_OVERFLOW,
                format!("input too large: {ncpumaps} * {maplen}"),
            ));
        }
        pin_live_or_config(flags)?;
        let (n, maps) =
            d.conn
                .conn
                .hv()
                .domain_get_vcpu_pin_info(&d.dref(), ncpumaps, maplen, flags)?;
        let room = ncpumaps as usize * maplen as usize;
        // SAFETY: `cpumaps` is non-NULL (ncpumaps > 0 was checked) and holds
        // `ncpumaps * maplen` bytes (libvirt's contract); at most that many are written.
        unsafe {
            std::ptr::copy_nonoverlapping(maps.as_ptr(), cpumaps, maps.len().min(room));
        }
        Ok(n)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainPinEmulator(
    domain: virDomainPtr,
    cpumap: *mut c_uchar,
    maplen: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        pin_map_args(cx, cpumap, maplen, FUNC)?;
        let map = pin_map(cpumap, maplen);
        d.conn
            .conn
            .hv()
            .domain_pin_emulator(&d.dref(), map, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetEmulatorPinInfo(
    domain: virDomainPtr,
    cpumap: *mut c_uchar,
    maplen: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        pin_map_args(cx, cpumap, maplen, FUNC)?;
        pin_live_or_config(flags)?;
        let (r, map) = d
            .conn
            .conn
            .hv()
            .domain_get_emulator_pin_info(&d.dref(), maplen, flags)?;
        // SAFETY: `cpumap` is non-NULL and holds `maplen` bytes (libvirt's contract).
        unsafe {
            std::ptr::copy_nonoverlapping(map.as_ptr(), cpumap, map.len().min(maplen as usize));
        }
        Ok(r)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetIOThreadInfo(
    dom: virDomainPtr,
    info: *mut *mut virDomainIOThreadInfoPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.non_null(info, "info")?;
        pin_live_or_config(flags)?;
        let list = d
            .conn
            .conn
            .hv()
            .domain_get_iothread_info(&d.dref(), flags)?;
        if list.is_empty() {
            return Ok(0);
        }
        let oom = || VirError::new(Domain::VIR_FROM_NONE, Code::VIR_ERR_NO_MEMORY, None);
        let mut ptrs: Vec<virDomainIOThreadInfoPtr> = Vec::with_capacity(list.len());
        for t in &list {
            let map = mem::malloc_array(&t.cpumap);
            // SAFETY: malloc has no preconditions; the result is checked for NULL below.
            let one = unsafe { libc::malloc(std::mem::size_of::<virDomainIOThreadInfo>()) }
                as virDomainIOThreadInfoPtr;
            if map.is_null() || one.is_null() {
                mem::free(map);
                mem::free(one);
                for p in ptrs {
                    virDomainIOThreadInfoFree(p);
                }
                return Err(oom());
            }
            // SAFETY: `one` is a fresh allocation of one struct, written whole.
            unsafe {
                one.write(virDomainIOThreadInfo {
                    iothread_id: t.iothread_id,
                    cpumap: map,
                    cpumaplen: t.cpumap.len() as c_int,
                })
            };
            ptrs.push(one);
        }
        let arr = mem::malloc_array(&ptrs);
        if arr.is_null() {
            for p in ptrs {
                virDomainIOThreadInfoFree(p);
            }
            return Err(oom());
        }
        // SAFETY: `info` was checked non-NULL; the caller frees the array and its entries.
        unsafe { *info = arr };
        Ok(list.len() as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainIOThreadInfoFree(info: virDomainIOThreadInfoPtr) {
    if info.is_null() {
        return;
    }
    // SAFETY: `info` and its map came from `virDomainGetIOThreadInfo` (malloc'd), or are
    // the caller's responsibility as in libvirt.
    unsafe {
        libc::free((*info).cpumap as *mut c_void);
        libc::free(info as *mut c_void);
    }
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainPinIOThread(
    domain: virDomainPtr,
    iothread_id: c_uint,
    cpumap: *mut c_uchar,
    maplen: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        pin_map_args(cx, cpumap, maplen, FUNC)?;
        let map = pin_map(cpumap, maplen);
        d.conn
            .conn
            .hv()
            .domain_pin_iothread(&d.dref(), iothread_id, map, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainAddIOThread(
    domain: virDomainPtr,
    iothread_id: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        d.conn
            .conn
            .hv()
            .domain_add_iothread(&d.dref(), iothread_id, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainDelIOThread(
    domain: virDomainPtr,
    iothread_id: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        tune_non_zero(iothread_id.into(), FUNC, "iothread_id")?;
        d.conn
            .conn
            .hv()
            .domain_del_iothread(&d.dref(), iothread_id, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetIOThreadParams(
    domain: virDomainPtr,
    iothread_id: c_uint,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        cx.non_null(params, "params")?;
        tune_positive(nparams.into(), FUNC, "nparams")?;
        let hv = d.conn.conn.hv();
        let list = params_in(cx, params, nparams)?;
        hv.domain_set_iothread_params(&d.dref(), iothread_id, &list, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainRename(
    dom: virDomainPtr,
    new_name: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        // SAFETY: `new_name` is NULL or a NUL-terminated string valid for this call.
        let name = unsafe { arg_str(new_name) };
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "new_name",
                if new_name.is_null() {
                    format!("new_name in {FUNC} must not be NULL")
                } else {
                    format!("string new_name in {FUNC} must not be empty")
                },
            ));
        };
        cx.writable(&d.conn)?;
        // As libvirt: through the remote driver the caller's handle takes the new name; the
        // in-process test driver leaves it alone (see the trait method).
        if d.conn.conn.hv().domain_rename(&d.dref(), &name, flags)? {
            d.rename(Arc::from(
                std::ffi::CString::new(name.as_bytes()).unwrap_or_default(),
            ));
        }
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainScreenshot(
    domain: virDomainPtr,
    stream: virStreamPtr,
    screen: c_uint,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        let s = cx.stream(stream)?;
        cx.conn = Some(d.conn.clone());
        cx.writable(&d.conn)?;
        if !Arc::ptr_eq(&s.conn, &d.conn) {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "stream",
                format!(
                    "stream must match connection of domain '{}'",
                    d.name().to_string_lossy()
                ),
            ));
        }
        let (mime, backend) =
            d.conn
                .conn
                .hv()
                .domain_screenshot(&d.dref(), screen, flags, s.nonblock())?;
        s.bind(backend);
        let p = mem::strdup(&mime);
        if p.is_null() {
            return Err(VirError::new(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_NO_MEMORY,
                None,
            ));
        }
        Ok(p)
    })
}

/// `VIR_KEYCODE_SET_LAST` and `VIR_DOMAIN_SEND_KEY_MAX_KEYS`.
const PIN_KEYCODE_SET_LAST: c_uint = 10;
const PIN_SEND_KEY_MAX_KEYS: c_int = 16;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSendKey(
    domain: virDomainPtr,
    codeset: c_uint,
    holdtime: c_uint,
    keycodes: *mut c_uint,
    nkeycodes: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        cx.non_null(keycodes, "keycodes")?;
        tune_positive(nkeycodes.into(), FUNC, "nkeycodes")?;
        if codeset >= PIN_KEYCODE_SET_LAST {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "codeset",
                format!("Unsupported codeset '{}'", codeset as c_int),
            ));
        }
        if nkeycodes > PIN_SEND_KEY_MAX_KEYS {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "nkeycodes",
                format!("nkeycodes must be <= {PIN_SEND_KEY_MAX_KEYS}"),
            ));
        }
        // SAFETY: `keycodes` is non-NULL and holds `nkeycodes` (1..=16) entries.
        let keys = unsafe { std::slice::from_raw_parts(keycodes, nkeycodes as usize) };
        d.conn
            .conn
            .hv()
            .domain_send_key(&d.dref(), codeset, holdtime, keys, flags)?;
        Ok(0)
    })
}

// virMigrateFlags and the virDrvFeature values the unmanaged migration checks use.
const PIN_MIGRATE_PEER2PEER: c_uint = 1 << 1;
const PIN_MIGRATE_TUNNELLED: c_uint = 1 << 2;
const PIN_MIGRATE_NON_SHARED_DISK: c_uint = 1 << 6;
const PIN_MIGRATE_NON_SHARED_INC: c_uint = 1 << 7;
const PIN_MIGRATE_OFFLINE: c_uint = 1 << 10;
const PIN_MIGRATE_PARALLEL: c_uint = 1 << 17;
const PIN_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES: c_uint = 1 << 18;
/// The migration flags the entry points check, with the names libvirt's messages give them.
const MIG_F_TUNNELLED: (c_uint, &str) = (PIN_MIGRATE_TUNNELLED, "VIR_MIGRATE_TUNNELLED");
const MIG_F_PARALLEL: (c_uint, &str) = (PIN_MIGRATE_PARALLEL, "VIR_MIGRATE_PARALLEL");
const MIG_F_NON_SHARED_DISK: (c_uint, &str) =
    (PIN_MIGRATE_NON_SHARED_DISK, "VIR_MIGRATE_NON_SHARED_DISK");
const MIG_F_NON_SHARED_INC: (c_uint, &str) =
    (PIN_MIGRATE_NON_SHARED_INC, "VIR_MIGRATE_NON_SHARED_INC");
const MIG_F_SYNC_WRITES: (c_uint, &str) = (
    PIN_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES,
    "VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES",
);
const MIG_F_NON_SHARED_EITHER: (c_uint, &str) = (
    PIN_MIGRATE_NON_SHARED_DISK | PIN_MIGRATE_NON_SHARED_INC,
    "VIR_MIGRATE_NON_SHARED_DISK | VIR_MIGRATE_NON_SHARED_INC",
);
const PIN_FEATURE_MIGRATION_P2P: i32 = 4;
const PIN_FEATURE_MIGRATION_DIRECT: i32 = 5;
const PIN_FEATURE_MIGRATION_OFFLINE: i32 = 12;
const PIN_FEATURE_MIGRATION_PARAMS: i32 = 13;

/// What `virDomainMigrateToURI`, `…2` and `…3` share after their own argument checks: the
/// tunnelled/parallel exclusion, `virDomainMigrateUnmanagedCheckCompat` and the driver's
/// migration. `p2p_uri` is the destination connection URI the P2P flag needs (`None` when the
/// variant lets it be NULL: checked here after the compatibility checks, as libvirt does).
fn pin_migrate_unmanaged(
    d: &handle::DomObj,
    flags: c_ulong,
    p2p_uri_missing: bool,
    func: &str,
) -> Result<()> {
    let flags = flags as c_uint;
    exclusive(THIS, flags, MIG_F_TUNNELLED, MIG_F_PARALLEL)?;
    exclusive(THIS, flags, MIG_F_NON_SHARED_DISK, MIG_F_NON_SHARED_INC)?;
    require_flag(THIS, flags, MIG_F_SYNC_WRITES, MIG_F_NON_SHARED_EITHER)?;
    let hv = d.conn.conn.hv();
    let unsupported = |what: &str| {
        VirError::detail(
            THIS,
            Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
            format!("{what} migration is not supported by the source host"),
        )
    };
    if flags & PIN_MIGRATE_OFFLINE != 0
        && !hv.connect_supports_feature(PIN_FEATURE_MIGRATION_OFFLINE)?
    {
        return Err(unsupported("offline"));
    }
    if flags & PIN_MIGRATE_PEER2PEER != 0 {
        if !hv.connect_supports_feature(PIN_FEATURE_MIGRATION_P2P)? {
            return Err(unsupported("p2p"));
        }
    } else if !hv.connect_supports_feature(PIN_FEATURE_MIGRATION_DIRECT)? {
        return Err(unsupported("direct"));
    }
    if flags & PIN_MIGRATE_PEER2PEER != 0 && p2p_uri_missing {
        return Err(VirError::null_arg(THIS, func, "dconnuri"));
    }
    Ok(())
}

/// `virDomainMigrateUnmanagedParams`: a peer-to-peer migration to a driver with the
/// MIGRATION_PARAMS feature is one Perform3Params call (the source daemon runs the protocol);
/// the client-driven Perform3/Perform protocols are not written (NO_SUPPORT).
fn migrate_unmanaged_params(
    d: &handle::DomObj,
    dconnuri: Option<&str>,
    params: &[TypedParam],
    flags: c_uint,
) -> Result<()> {
    let hv = d.conn.conn.hv();
    if flags & PIN_MIGRATE_PEER2PEER != 0 {
        let uri = dconnuri.unwrap_or_default();
        migrate_check_not_local(uri)?;
        if hv.connect_supports_feature(PIN_FEATURE_MIGRATION_PARAMS)? {
            return hv.domain_migrate_perform3_params(&d.dref(), dconnuri, params, flags);
        }
    }
    Err(VirError::unsupported())
}

/// `virDomainMigrateCheckNotLocal`: a destination on "localhost", or without a server unless
/// it is an explicit `+unix` socket, is refused.
fn migrate_check_not_local(dconnuri: &str) -> Result<()> {
    let u = crate::core::uri::Uri::parse(dconnuri)?;
    let unix_socket = u.scheme.find('+').map(|i| &u.scheme[i..]) == Some("+unix")
        && u.query.as_deref().is_some_and(|q| {
            q.split('&')
                .any(|kv| kv.split('=').next() == Some("socket"))
        });
    let server = u.server.as_deref().filter(|s| !s.is_empty());
    if server.is_some_and(|s| s.starts_with("localhost")) || (server.is_none() && !unix_socket) {
        return Err(VirError::invalid_arg(
            THIS,
            "virDomainMigrateCheckNotLocal",
            "dconnuri",
            "Attempt to migrate guest to the same host".to_string(),
        ));
    }
    Ok(())
}

/// `virDomainMigrateUnmanaged`: the older entry points' arguments as migration parameters.
fn migrate_unmanaged(
    d: &handle::DomObj,
    xmlin: Option<String>,
    flags: c_uint,
    dname: Option<String>,
    dconnuri: Option<&str>,
    miguri: Option<String>,
    bandwidth: u64,
) -> Result<()> {
    let mut list = Vec::new();
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            list.push(TypedParam::new(k, TypedValue::String(v)));
        }
    };
    add("migrate_uri", miguri);
    add("destination_name", dname);
    add("destination_xml", xmlin);
    list.push(TypedParam::new("bandwidth", TypedValue::ULLong(bandwidth)));
    migrate_unmanaged_params(d, dconnuri, &list, flags)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMigrateToURI(
    domain: virDomainPtr,
    duri: *const c_char,
    flags: c_ulong,
    dname: *const c_char,
    bandwidth: c_ulong,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        cx.non_null(duri, "duri")?;
        pin_migrate_unmanaged(&d, flags, false, FUNC)?;
        let duri = opt_str(duri);
        let p2p = flags as c_uint & PIN_MIGRATE_PEER2PEER != 0;
        let (dconnuri, miguri) = if p2p { (duri, None) } else { (None, duri) };
        migrate_unmanaged(
            &d,
            None,
            flags as c_uint,
            opt_str(dname),
            dconnuri.as_deref(),
            miguri,
            bandwidth as u64,
        )?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMigrateToURI2(
    domain: virDomainPtr,
    dconnuri: *const c_char,
    miguri: *const c_char,
    dxml: *const c_char,
    flags: c_ulong,
    dname: *const c_char,
    bandwidth: c_ulong,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        pin_migrate_unmanaged(&d, flags, dconnuri.is_null(), FUNC)?;
        let p2p = flags as c_uint & PIN_MIGRATE_PEER2PEER != 0;
        let dconnuri = if p2p { opt_str(dconnuri) } else { None };
        migrate_unmanaged(
            &d,
            opt_str(dxml),
            flags as c_uint,
            opt_str(dname),
            dconnuri.as_deref(),
            opt_str(miguri),
            bandwidth as u64,
        )?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMigrateToURI3(
    domain: virDomainPtr,
    dconnuri: *const c_char,
    params: virTypedParameterPtr,
    nparams: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        pin_migrate_unmanaged(&d, flags.into(), dconnuri.is_null(), FUNC)?;
        let list = params_any(cx, params, nparams as c_int)?;
        let dconnuri = if flags & PIN_MIGRATE_PEER2PEER != 0 {
            opt_str(dconnuri)
        } else {
            None
        };
        migrate_unmanaged_params(&d, dconnuri.as_deref(), &list, flags)?;
        Ok(0)
    })
}
// ---- end of pin scope

// ---- host/misc (hostmisc): guest filesystems and addresses, security label lists, SSH
// keys, and the calls that pass file descriptors.

/// `VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT`.
const ADDRESSES_SRC_AGENT: c_uint = 1;
/// `VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND`, `..._REMOVE`.
const SSH_KEYS_SET_APPEND: c_uint = 1 << 0;
const SSH_KEYS_SET_REMOVE: c_uint = 1 << 1;

/// The `VIR_DRV_FEATURE_FD_PASSING` check of the calls that pass descriptors.
fn fd_passing_check(conn: &ConnObj) -> Result<()> {
    if conn.conn.hv().supports_fd_passing()? {
        Ok(())
    } else {
        Err(VirError::detail(
            THIS,
            Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
            "fd passing is not supported by this connection",
        ))
    }
}

/// The caller's descriptors (`nfiles` of them at `files`; none for NULL).
///
/// # Safety
/// `files` is NULL or points to `nfiles` ints.
unsafe fn files_arg<'a>(files: *const c_int, nfiles: c_uint) -> &'a [c_int] {
    if files.is_null() || nfiles == 0 {
        &[]
    } else {
        // SAFETY: guaranteed by the caller.
        unsafe { std::slice::from_raw_parts(files, nfiles as usize) }
    }
}

/// A `malloc`'d array holding `items` (plain C records that are not `Copy` in Rust); at least
/// one element is allocated, so the result is NULL only when out of memory.
fn malloc_records<T>(items: Vec<T>) -> *mut T {
    let n = items.len().max(1);
    let Some(size) = n.checked_mul(std::mem::size_of::<T>()) else {
        return std::ptr::null_mut();
    };
    // SAFETY: malloc has no preconditions; the result is checked for NULL before use.
    let p = unsafe { libc::malloc(size) } as *mut T;
    if p.is_null() {
        return p;
    }
    for (i, it) in items.into_iter().enumerate() {
        // SAFETY: `p` has room for `n >= items.len()` malloc-aligned elements of `T`.
        unsafe { p.add(i).write(it) };
    }
    p
}

fn free_fs_info(info: virDomainFSInfoPtr) {
    if info.is_null() {
        return;
    }
    // SAFETY: `info` came from virDomainGetFSInfo (malloc'd by fs_info_out) and is read once.
    let i = unsafe { std::ptr::read(info) };
    mem::free(i.mountpoint);
    mem::free(i.name);
    mem::free(i.fstype);
    for k in 0..i.ndevAlias {
        // SAFETY: `devAlias` holds `ndevAlias` malloc'd strings.
        mem::free(unsafe { *i.devAlias.add(k) });
    }
    mem::free(i.devAlias);
    mem::free(info);
}

fn fs_info_out(list: &[crate::core::driver::FsInfo]) -> Result<*mut virDomainFSInfoPtr> {
    let mut ptrs: Vec<virDomainFSInfoPtr> = Vec::with_capacity(list.len());
    for f in list {
        let aliases: Vec<*mut c_char> = f.dev_aliases.iter().map(|a| mem::strdup(a)).collect();
        let rec = virDomainFSInfo {
            mountpoint: mem::strdup(&f.mountpoint),
            name: mem::strdup(&f.name),
            fstype: mem::strdup(&f.fstype),
            ndevAlias: aliases.len(),
            devAlias: if aliases.is_empty() {
                std::ptr::null_mut()
            } else {
                mem::malloc_array(&aliases)
            },
        };
        ptrs.push(malloc_records(vec![rec]));
    }
    if ptrs.is_empty() {
        return Ok(std::ptr::null_mut());
    }
    Ok(mem::malloc_array(&ptrs))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetFSInfo(
    dom: virDomainPtr,
    info: *mut *mut virDomainFSInfoPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.writable(&d.conn)?;
        cx.non_null(info, "info")?;
        // SAFETY: checked non-NULL; the caller's out-parameter.
        unsafe { *info = std::ptr::null_mut() };
        let list = d.conn.conn.hv().domain_get_fs_info(&d.dref(), flags)?;
        let out = fs_info_out(&list)?;
        // SAFETY: as above.
        unsafe { *info = out };
        Ok(list.len() as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainFSInfoFree(info: virDomainFSInfoPtr) {
    // libvirt's free function leaves the last error alone.
    guard(FUNC, (), || free_fs_info(info))
}

fn free_interface(iface: virDomainInterfacePtr) {
    if iface.is_null() {
        return;
    }
    // SAFETY: `iface` came from virDomainInterfaceAddresses (iface_out) and is read once.
    let i = unsafe { std::ptr::read(iface) };
    mem::free(i.name);
    mem::free(i.hwaddr);
    for k in 0..i.naddrs as usize {
        // SAFETY: `addrs` holds `naddrs` entries with malloc'd `addr` strings.
        mem::free(unsafe { (*i.addrs.add(k)).addr });
    }
    mem::free(i.addrs);
    mem::free(iface);
}

fn ifaces_out(list: &[crate::core::driver::GuestInterface]) -> *mut virDomainInterfacePtr {
    let ptrs: Vec<virDomainInterfacePtr> = list
        .iter()
        .map(|g| {
            let addrs: Vec<virDomainIPAddress> = g
                .addrs
                .iter()
                .map(|a| virDomainIPAddress {
                    r#type: a.kind,
                    addr: mem::strdup(&a.addr),
                    prefix: a.prefix,
                })
                .collect();
            let rec = virDomainInterface {
                name: mem::strdup(&g.name),
                hwaddr: mem::strdup_opt(g.hwaddr.as_deref()),
                naddrs: addrs.len() as c_uint,
                addrs: if addrs.is_empty() {
                    std::ptr::null_mut()
                } else {
                    malloc_records(addrs)
                },
            };
            malloc_records(vec![rec])
        })
        .collect();
    if ptrs.is_empty() {
        // g_new0 of no elements.
        return std::ptr::null_mut();
    }
    malloc_records(ptrs)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainInterfaceAddresses(
    dom: virDomainPtr,
    ifaces: *mut *mut virDomainInterfacePtr,
    source: c_uint,
    flags: c_uint,
) -> c_int {
    if !ifaces.is_null() {
        // SAFETY: non-NULL; libvirt clears the out-parameter before checking the domain.
        unsafe { *ifaces = std::ptr::null_mut() };
    }
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.non_null(ifaces, "ifaces")?;
        if source == ADDRESSES_SRC_AGENT {
            cx.writable(&d.conn)?;
        }
        let list = d
            .conn
            .conn
            .hv()
            .domain_interface_addresses(&d.dref(), source, flags)?;
        // SAFETY: checked non-NULL; the caller's out-parameter.
        unsafe { *ifaces = ifaces_out(&list) };
        Ok(list.len() as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainInterfaceFree(iface: virDomainInterfacePtr) {
    // libvirt's free function leaves the last error alone.
    guard(FUNC, (), || free_interface(iface))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCreateWithFiles(
    domain: virDomainPtr,
    nfiles: c_uint,
    files: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        if nfiles > 0 {
            fd_passing_check(&d.conn)?;
        }
        // SAFETY: the caller passes `nfiles` descriptors at `files`.
        let fds = unsafe { files_arg(files, nfiles) };
        let id = d
            .conn
            .conn
            .hv()
            .domain_create_with_files(&d.dref(), fds, flags)?;
        d.id.store(id, Ordering::Relaxed);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCreateXMLWithFiles(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    nfiles: c_uint,
    files: *mut c_int,
    flags: c_uint,
) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(xmlDesc, "xmlDesc")?;
        cx.writable(&c)?;
        if nfiles > 0 {
            fd_passing_check(&c)?;
        }
        // SAFETY: checked non-NULL; a C string valid for this call.
        let xml = unsafe { arg_str(xmlDesc) }.unwrap_or_default();
        // SAFETY: the caller passes `nfiles` descriptors at `files`.
        let fds = unsafe { files_arg(files, nfiles) };
        let d = c.conn.hv().domain_create_xml_with_files(&xml, fds, flags)?;
        Ok(handle::new_dom(&c, d) as virDomainPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetSecurityLabelList(
    domain: virDomainPtr,
    seclabels: *mut virSecurityLabelPtr,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(seclabels, "seclabels")?;
        let list = d.conn.conn.hv().domain_get_security_label_list(&d.dref())?;
        let recs: Vec<virSecurityLabel> = list
            .iter()
            .map(|l| {
                // SAFETY: virSecurityLabel is plain C data; all zeroes is its cleared state.
                let mut rec: virSecurityLabel = unsafe { std::mem::zeroed() };
                let room = rec.label.len() - 1;
                for (slot, b) in rec.label.iter_mut().zip(l.label.bytes().take(room)) {
                    *slot = b as c_char;
                }
                rec.enforcing = l.enforcing;
                rec
            })
            .collect();
        // SAFETY: checked non-NULL; the caller's out-parameter, freed with free().
        unsafe {
            *seclabels = if recs.is_empty() {
                std::ptr::null_mut()
            } else {
                malloc_records(recs)
            }
        };
        Ok(list.len() as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainAuthorizedSSHKeysGet(
    domain: virDomainPtr,
    user: *const c_char,
    keys: *mut *mut *mut c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(user, "user")?;
        cx.non_null(keys, "keys")?;
        cx.writable(&d.conn)?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let user = unsafe { arg_str(user) }.unwrap_or_default();
        let list = d
            .conn
            .conn
            .hv()
            .domain_authorized_ssh_keys_get(&d.dref(), &user, flags)?;
        let ptrs: Vec<*mut c_char> = list
            .iter()
            .map(|k| mem::strdup(k))
            .chain(std::iter::once(std::ptr::null_mut()))
            .collect();
        // SAFETY: checked non-NULL; a NULL-terminated array the caller frees.
        unsafe { *keys = mem::malloc_array(&ptrs) };
        Ok(list.len() as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainAuthorizedSSHKeysSet(
    domain: virDomainPtr,
    user: *const c_char,
    keys: *mut *const c_char,
    nkeys: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(user, "user")?;
        if flags & (SSH_KEYS_SET_APPEND | SSH_KEYS_SET_REMOVE) != 0 {
            cx.non_null(keys, "keys")?;
        }
        if let Err(e) = exclusive(
            THIS,
            flags,
            (
                SSH_KEYS_SET_APPEND,
                "VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND",
            ),
            (
                SSH_KEYS_SET_REMOVE,
                "VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE",
            ),
        ) {
            // VIR_EXCLUSIVE_FLAGS_RET: returned without dispatching.
            cx.quiet = true;
            return Err(e);
        }
        cx.writable(&d.conn)?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let user = unsafe { arg_str(user) }.unwrap_or_default();
        let list: Vec<String> = if keys.is_null() {
            Vec::new()
        } else {
            (0..nkeys as usize)
                .map(|i| {
                    // SAFETY: the caller passes `nkeys` C strings at `keys`.
                    unsafe { arg_str(*keys.add(i)) }
                        .unwrap_or_default()
                        .into_owned()
                })
                .collect()
        };
        d.conn
            .conn
            .hv()
            .domain_authorized_ssh_keys_set(&d.dref(), &user, &list, flags)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainOpenGraphicsFD(
    dom: virDomainPtr,
    idx: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.writable(&d.conn)?;
        fd_passing_check(&d.conn)?;
        d.conn
            .conn
            .hv()
            .domain_open_graphics_fd(&d.dref(), idx, flags)
    })
}
// ---- end of host/misc (hostmisc)

// ---- device hot-plug, block statistics by name, managed save XML, block jobs

/// The checks of virDomainAttachDevice and its siblings: writable connection, non-NULL text.
fn device_call(
    cx: &mut Cx,
    domain: virDomainPtr,
    text: *const c_char,
    name: &str,
    call: impl FnOnce(
        &dyn crate::core::driver::HypervisorDriver,
        &crate::core::driver::DomainRef,
        &str,
    ) -> Result<()>,
) -> Result<c_int> {
    let d = cx.domain(domain)?;
    cx.writable(&d.conn)?;
    let text = str_arg(cx, text, name)?;
    call(d.conn.conn.hv(), &d.dref(), &text)?;
    Ok(0)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainAttachDevice(domain: virDomainPtr, xml: *const c_char) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, domain, xml, "xml", |h, d, x| {
            h.domain_attach_device(d, x)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainAttachDeviceFlags(
    domain: virDomainPtr,
    xml: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, domain, xml, "xml", |h, d, x| {
            h.domain_attach_device_flags(d, x, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainDetachDevice(domain: virDomainPtr, xml: *const c_char) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, domain, xml, "xml", |h, d, x| {
            h.domain_detach_device(d, x)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainDetachDeviceFlags(
    domain: virDomainPtr,
    xml: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, domain, xml, "xml", |h, d, x| {
            h.domain_detach_device_flags(d, x, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainUpdateDeviceFlags(
    domain: virDomainPtr,
    xml: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, domain, xml, "xml", |h, d, x| {
            h.domain_update_device_flags(d, x, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainDetachDeviceAlias(
    domain: virDomainPtr,
    alias: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, domain, alias, "alias", |h, d, a| {
            h.domain_detach_device_alias(d, a, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainBlockStatsFlags(
    dom: virDomainPtr,
    disk: *const c_char,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        let disk = str_arg(cx, disk, "disk")?;
        let n = params_count_in(cx, params, nparams)?;
        let flags = flags | PARAMS_STRING_OKAY;
        let r = d
            .conn
            .conn
            .hv()
            .domain_block_stats_flags(&d.dref(), &disk, n, flags)?;
        params_count_out(params, nparams, n, r)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainManagedSaveGetXMLDesc(
    domain: virDomainPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        let secure = virDomainSaveImageXMLFlags::VIR_DOMAIN_SAVE_IMAGE_XML_SECURE as c_uint;
        if d.conn.conn.readonly && flags & secure != 0 {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_OPERATION_DENIED,
                "virDomainManagedSaveGetXMLDesc with secure flag",
            ));
        }
        let xml = d
            .conn
            .conn
            .hv()
            .domain_managed_save_get_xml_desc(&d.dref(), flags)?;
        Ok(mem::strdup(&xml))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainBlockResize(
    dom: virDomainPtr,
    disk: *const c_char,
    size: c_ulonglong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, dom, disk, "disk", |h, d, k| {
            h.domain_block_resize(d, k, size, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainBlockCopy(
    dom: virDomainPtr,
    disk: *const c_char,
    destxml: *const c_char,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.writable(&d.conn)?;
        let disk = str_arg(cx, disk, "disk")?;
        let destxml = str_arg(cx, destxml, "destxml")?;
        cx.non_negative(nparams.into(), "nparams")?;
        let list = if nparams != 0 {
            cx.non_null(params, "params")?;
            params_in(cx, params, nparams)?
        } else {
            Vec::new()
        };
        d.conn
            .conn
            .hv()
            .domain_block_copy(&d.dref(), &disk, &destxml, &list, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainBlockCommit(
    dom: virDomainPtr,
    disk: *const c_char,
    base: *const c_char,
    top: *const c_char,
    bandwidth: c_ulong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, dom, disk, "disk", |h, d, k| {
            h.domain_block_commit(
                d,
                k,
                opt_str(base).as_deref(),
                opt_str(top).as_deref(),
                bandwidth as u64,
                flags,
            )
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainBlockPull(
    dom: virDomainPtr,
    disk: *const c_char,
    bandwidth: c_ulong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, dom, disk, "disk", |h, d, k| {
            h.domain_block_pull(d, k, bandwidth as u64, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainBlockRebase(
    dom: virDomainPtr,
    disk: *const c_char,
    base: *const c_char,
    bandwidth: c_ulong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.writable(&d.conn)?;
        let disk = str_arg(cx, disk, "disk")?;
        use virDomainBlockRebaseFlags as R;
        let copy_only = R::VIR_DOMAIN_BLOCK_REBASE_SHALLOW as c_uint
            | R::VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT as c_uint
            | R::VIR_DOMAIN_BLOCK_REBASE_COPY_RAW as c_uint
            | R::VIR_DOMAIN_BLOCK_REBASE_COPY_DEV as c_uint;
        if flags & R::VIR_DOMAIN_BLOCK_REBASE_COPY as c_uint != 0 {
            cx.non_null(base, "base")?;
        } else if flags & copy_only != 0 {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "flags",
                "use of flags requires a copy job".to_string(),
            ));
        }
        let base = opt_str(base);
        d.conn.conn.hv().domain_block_rebase(
            &d.dref(),
            &disk,
            base.as_deref(),
            bandwidth as u64,
            flags,
        )?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetBlockJobInfo(
    dom: virDomainPtr,
    disk: *const c_char,
    info: virDomainBlockJobInfoPtr,
    flags: c_uint,
) -> c_int {
    if !info.is_null() {
        // SAFETY: the caller's struct; libvirt clears it before any check.
        unsafe { std::ptr::write_bytes(info, 0, 1) };
    }
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        let disk = str_arg(cx, disk, "disk")?;
        cx.non_null(info, "info")?;
        match d
            .conn
            .conn
            .hv()
            .domain_get_block_job_info(&d.dref(), &disk, flags)?
        {
            None => Ok(0),
            Some((kind, bandwidth, cur, end)) => {
                // SAFETY: checked non-NULL; the caller's struct.
                unsafe {
                    (*info).r#type = kind;
                    (*info).bandwidth = bandwidth as c_ulong;
                    (*info).cur = cur;
                    (*info).end = end;
                }
                Ok(1)
            }
        }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainBlockJobAbort(
    dom: virDomainPtr,
    disk: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, dom, disk, "disk", |h, d, k| {
            h.domain_block_job_abort(d, k, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainBlockJobSetSpeed(
    dom: virDomainPtr,
    disk: *const c_char,
    bandwidth: c_ulong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, dom, disk, "disk", |h, d, k| {
            h.domain_block_job_set_speed(d, k, bandwidth as u64, flags)
        })
    })
}

/// A setter's parameters where libvirt checks nothing about them (NULL with 0 is fine).
fn params_any(cx: &Cx, params: virTypedParameterPtr, nparams: c_int) -> Result<Vec<TypedParam>> {
    if nparams <= 0 || params.is_null() {
        return Ok(Vec::new());
    }
    params_in(cx, params, nparams)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainManagedSaveDefineXML(
    domain: virDomainPtr,
    dxml: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        exclusive(THIS, flags, SAVE_RUNNING, SAVE_PAUSED)?;
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        let dxml = opt_str(dxml);
        d.conn
            .conn
            .hv()
            .domain_managed_save_define_xml(&d.dref(), dxml.as_deref(), flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSaveParams(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        exclusive(THIS, flags, SAVE_RUNNING, SAVE_PAUSED)?;
        let list = params_any(cx, params, nparams)?;
        d.conn
            .conn
            .hv()
            .domain_save_params(&d.dref(), &list, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainRestoreParams(
    conn: virConnectPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        exclusive(THIS, flags, SAVE_RUNNING, SAVE_PAUSED)?;
        let list = params_any(cx, params, nparams)?;
        c.conn.hv().domain_restore_params(&list, flags)?;
        Ok(0)
    })
}

// ---- jobs, migration tuning, guest agent, power management, block peek, channels and the
// descriptor-passing calls (issue 10's last domain entry points).

/// The shape of the simplest entry points: a live domain, the read-only check, one driver call.
fn domain_write_call(
    cx: &mut Cx,
    domain: virDomainPtr,
    call: impl FnOnce(
        &dyn crate::core::driver::HypervisorDriver,
        &crate::core::driver::DomainRef,
    ) -> Result<()>,
) -> Result<c_int> {
    let d = cx.domain(domain)?;
    cx.writable(&d.conn)?;
    call(d.conn.conn.hv(), &d.dref())?;
    Ok(0)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainAbortJob(domain: virDomainPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        domain_write_call(cx, domain, |h, d| h.domain_abort_job(d))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainAbortJobFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        domain_write_call(cx, domain, |h, d| h.domain_abort_job_flags(d, flags))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainAgentSetResponseTimeout(
    domain: virDomainPtr,
    timeout: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        domain_write_call(cx, domain, |h, d| {
            h.domain_agent_set_response_timeout(d, timeout, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetJobInfo(
    domain: virDomainPtr,
    info: virDomainJobInfoPtr,
) -> c_int {
    if !info.is_null() {
        // SAFETY: the caller's struct; libvirt clears it before any check.
        unsafe { std::ptr::write_bytes(info, 0, 1) };
    }
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(info, "info")?;
        let j = d.conn.conn.hv().domain_get_job_info(&d.dref())?;
        // SAFETY: checked non-NULL; the caller's struct.
        let out = unsafe { &mut *info };
        out.r#type = j.kind;
        out.timeElapsed = j.time_elapsed;
        out.timeRemaining = j.time_remaining;
        out.dataTotal = j.data_total;
        out.dataProcessed = j.data_processed;
        out.dataRemaining = j.data_remaining;
        out.memTotal = j.mem_total;
        out.memProcessed = j.mem_processed;
        out.memRemaining = j.mem_remaining;
        out.fileTotal = j.file_total;
        out.fileProcessed = j.file_processed;
        out.fileRemaining = j.file_remaining;
        Ok(0)
    })
}

/// `VIR_DOMAIN_JOB_STATS_COMPLETED`, `..._KEEP_COMPLETED`.
const JOB_STATS_COMPLETED: (c_uint, &str) = (
    virDomainGetJobStatsFlags::VIR_DOMAIN_JOB_STATS_COMPLETED as c_uint,
    "VIR_DOMAIN_JOB_STATS_COMPLETED",
);
const JOB_STATS_KEEP_COMPLETED: (c_uint, &str) = (
    virDomainGetJobStatsFlags::VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED as c_uint,
    "VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED",
);

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetJobStats(
    domain: virDomainPtr,
    r#type: *mut c_int,
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(r#type, "type")?;
        cx.non_null(params, "params")?;
        cx.non_null(nparams, "nparams")?;
        require_flag(THIS, flags, JOB_STATS_KEEP_COMPLETED, JOB_STATS_COMPLETED)?;
        let (kind, list) = d.conn.conn.hv().domain_get_job_stats(&d.dref(), flags)?;
        params_give(params, nparams, &list)?;
        // SAFETY: checked non-NULL; the caller's out-parameter.
        unsafe { *r#type = kind };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainBackupBegin(
    domain: virDomainPtr,
    backupXML: *const c_char,
    checkpointXML: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        let backup = str_arg(cx, backupXML, "backupXML")?;
        cx.writable(&d.conn)?;
        let checkpoint = opt_str(checkpointXML);
        d.conn
            .conn
            .hv()
            .domain_backup_begin(&d.dref(), &backup, checkpoint.as_deref(), flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainBackupGetXMLDesc(
    domain: virDomainPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        let xml = d
            .conn
            .conn
            .hv()
            .domain_backup_get_xml_desc(&d.dref(), flags)?;
        Ok(mem::strdup(&xml))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainBlockPeek(
    dom: virDomainPtr,
    disk: *const c_char,
    offset: c_ulonglong,
    size: usize,
    buffer: *mut c_void,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.writable(&d.conn)?;
        let disk = non_empty_str(cx, disk, "disk")?;
        // A zero size is an access test: no buffer needed.
        if size > 0 {
            cx.non_null(buffer, "buffer")?;
        }
        let bytes = d
            .conn
            .conn
            .hv()
            .domain_block_peek(&d.dref(), &disk, offset, size, flags)?;
        if bytes.len() != size {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_INTERNAL_ERROR,
                "returned buffer is not same size as requested",
            ));
        }
        if size > 0 {
            // SAFETY: checked non-NULL; the caller's buffer holds `size` bytes, and `bytes`
            // has exactly `size`.
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buffer.cast::<u8>(), size) };
        }
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetGuestInfo(
    domain: virDomainPtr,
    types: c_uint,
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        cx.non_null(params, "params")?;
        cx.non_null(nparams, "nparams")?;
        let list = d
            .conn
            .conn
            .hv()
            .domain_get_guest_info(&d.dref(), types, flags)?;
        params_give(params, nparams, &list)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainGetGuestVcpus(
    domain: virDomainPtr,
    params: *mut virTypedParameterPtr,
    nparams: *mut c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        cx.non_null(params, "params")?;
        cx.non_null(nparams, "nparams")?;
        let list = d.conn.conn.hv().domain_get_guest_vcpus(&d.dref(), flags)?;
        // The count is unsigned here; the layout is the same as an int's.
        params_give(params, nparams.cast::<c_int>(), &list)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetGuestVcpus(
    domain: virDomainPtr,
    cpumap: *const c_char,
    state: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, domain, cpumap, "cpumap", |h, d, k| {
            h.domain_set_guest_vcpus(d, k, state, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetVcpu(
    domain: virDomainPtr,
    vcpumap: *const c_char,
    state: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, domain, vcpumap, "vcpumap", |h, d, k| {
            h.domain_set_vcpu(d, k, state, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetBlockThreshold(
    domain: virDomainPtr,
    dev: *const c_char,
    threshold: c_ulonglong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        device_call(cx, domain, dev, "dev", |h, d, k| {
            h.domain_set_block_threshold(d, k, threshold, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSetLaunchSecurityState(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(params, "params")?;
        params_positive(cx, nparams)?;
        cx.writable(&d.conn)?;
        let list = params_in(cx, params, nparams)?;
        d.conn
            .conn
            .hv()
            .domain_set_launch_security_state(&d.dref(), &list, flags)?;
        Ok(0)
    })
}

/// A migration tuning value, for the caller's out-parameter `out` (checked non-NULL here).
fn migrate_get(
    cx: &mut Cx,
    domain: virDomainPtr,
    out: *const c_void,
    name: &str,
    readonly_check: bool,
    which: crate::core::driver::MigrateTunable,
    flags: c_uint,
) -> Result<u64> {
    let d = cx.domain(domain)?;
    cx.non_null(out, name)?;
    if readonly_check {
        cx.writable(&d.conn)?;
    }
    d.conn
        .conn
        .hv()
        .domain_migrate_get_tunable(&d.dref(), which, flags)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMigrateGetCompressionCache(
    domain: virDomainPtr,
    cacheSize: *mut c_ulonglong,
    flags: c_uint,
) -> c_int {
    use crate::core::driver::MigrateTunable::CompressionCache;
    entry(FUNC, THIS, -1, |cx| {
        let v = migrate_get(
            cx,
            domain,
            cacheSize.cast(),
            "cacheSize",
            false,
            CompressionCache,
            flags,
        )?;
        // SAFETY: checked non-NULL by migrate_get; the caller's out-parameter. (`unsigned
        // long` is 64 bits wide on every platform oxvirt builds for.)
        unsafe { *cacheSize = v as c_ulonglong };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMigrateGetMaxDowntime(
    domain: virDomainPtr,
    downtime: *mut c_ulonglong,
    flags: c_uint,
) -> c_int {
    use crate::core::driver::MigrateTunable::MaxDowntime;
    entry(FUNC, THIS, -1, |cx| {
        let v = migrate_get(
            cx,
            domain,
            downtime.cast(),
            "downtime",
            false,
            MaxDowntime,
            flags,
        )?;
        // SAFETY: checked non-NULL by migrate_get; the caller's out-parameter. (`unsigned
        // long` is 64 bits wide on every platform oxvirt builds for.)
        unsafe { *downtime = v as c_ulonglong };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMigrateGetMaxSpeed(
    domain: virDomainPtr,
    bandwidth: *mut c_ulong,
    flags: c_uint,
) -> c_int {
    use crate::core::driver::MigrateTunable::MaxSpeed;
    entry(FUNC, THIS, -1, |cx| {
        let v = migrate_get(
            cx,
            domain,
            bandwidth.cast(),
            "bandwidth",
            true,
            MaxSpeed,
            flags,
        )?;
        // SAFETY: checked non-NULL by migrate_get; the caller's out-parameter. (`unsigned
        // long` is 64 bits wide on every platform oxvirt builds for.)
        unsafe { *bandwidth = v as c_ulong };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMigrateSetCompressionCache(
    domain: virDomainPtr,
    cacheSize: c_ulonglong,
    flags: c_uint,
) -> c_int {
    use crate::core::driver::MigrateTunable::CompressionCache;
    entry(FUNC, THIS, -1, |cx| {
        domain_write_call(cx, domain, |h, d| {
            h.domain_migrate_set_tunable(d, CompressionCache, cacheSize, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMigrateSetMaxDowntime(
    domain: virDomainPtr,
    downtime: c_ulonglong,
    flags: c_uint,
) -> c_int {
    use crate::core::driver::MigrateTunable::MaxDowntime;
    entry(FUNC, THIS, -1, |cx| {
        domain_write_call(cx, domain, |h, d| {
            h.domain_migrate_set_tunable(d, MaxDowntime, downtime, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMigrateSetMaxSpeed(
    domain: virDomainPtr,
    bandwidth: c_ulong,
    flags: c_uint,
) -> c_int {
    use crate::core::driver::MigrateTunable::MaxSpeed;
    entry(FUNC, THIS, -1, |cx| {
        domain_write_call(cx, domain, |h, d| {
            h.domain_migrate_set_tunable(d, MaxSpeed, bandwidth as u64, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMigrateStartPostCopy(
    domain: virDomainPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        domain_write_call(cx, domain, |h, d| {
            h.domain_migrate_start_post_copy(d, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainPMSuspendForDuration(
    dom: virDomainPtr,
    target: c_uint,
    duration: c_ulonglong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        domain_write_call(cx, dom, |h, d| {
            h.domain_pm_suspend_for_duration(d, target, duration, flags)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainPMWakeup(dom: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        domain_write_call(cx, dom, |h, d| h.domain_pm_wakeup(d, flags))
    })
}

/// `VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP`, `..._DIRTY_RING` (page sampling is 0, so
/// libvirt's checks that pair it with either can never fire).
const DIRTYRATE_BITMAP: (c_uint, &str) = (
    virDomainDirtyRateCalcFlags::VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP as c_uint,
    "VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP",
);
const DIRTYRATE_RING: (c_uint, &str) = (
    virDomainDirtyRateCalcFlags::VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING as c_uint,
    "VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING",
);

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainStartDirtyRateCalc(
    domain: virDomainPtr,
    seconds: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        exclusive(THIS, flags, DIRTYRATE_BITMAP, DIRTYRATE_RING)?;
        d.conn
            .conn
            .hv()
            .domain_start_dirty_rate_calc(&d.dref(), seconds, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainOpenChannel(
    dom: virDomainPtr,
    name: *const c_char,
    st: virStreamPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        let s = cx.stream(st)?;
        cx.conn = Some(d.conn.clone());
        cx.writable(&d.conn)?;
        if !Arc::ptr_eq(&s.conn, &d.conn) {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "st",
                format!(
                    "stream must match connection of domain '{}'",
                    d.name().to_string_lossy()
                ),
            ));
        }
        let name = opt_str(name);
        let backend = d.conn.conn.hv().domain_open_channel(
            &d.dref(),
            name.as_deref(),
            flags,
            s.nonblock(),
        )?;
        s.bind(backend);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainOpenGraphics(
    dom: virDomainPtr,
    idx: c_uint,
    fd: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(dom)?;
        cx.non_negative(fd as i64, "fd")?;
        // SAFETY: an all-zero `stat` is a valid value of the plain C struct.
        let mut sb: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: fstat only reads the descriptor number and writes `sb`, which is ours.
        if unsafe { libc::fstat(fd, &mut sb) } < 0 {
            let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
            return Err(VirError::system(
                THIS,
                errno,
                &format!("Unable to access file descriptor {fd}"),
            ));
        }
        if sb.st_mode & libc::S_IFMT != libc::S_IFSOCK {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "fd",
                format!("fd {fd} must be a socket"),
            ));
        }
        cx.writable(&d.conn)?;
        fd_passing_check(&d.conn)?;
        d.conn
            .conn
            .hv()
            .domain_open_graphics(&d.dref(), idx, fd, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainFDAssociate(
    domain: virDomainPtr,
    name: *const c_char,
    nfds: c_uint,
    fds: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        fd_passing_check(&d.conn)?;
        tune_non_zero(nfds.into(), FUNC, "nfds")?;
        cx.non_null(fds, "fds")?;
        cx.writable(&d.conn)?;
        let name = opt_str(name);
        // SAFETY: checked non-NULL; the caller passes `nfds` descriptors at `fds`.
        let list = unsafe { files_arg(fds, nfds) };
        d.conn
            .conn
            .hv()
            .domain_fd_associate(&d.dref(), name.as_deref(), list, flags)?;
        Ok(0)
    })
}

// ---- client-driven migration: virDomainMigrate, virDomainMigrate2, virDomainMigrate3.

use crate::core::driver::MigrateArgs;

const MIG_PAUSED: u64 = virDomainMigrateFlags::VIR_MIGRATE_PAUSED as u64;
const MIG_CHANGE_PROTECTION: u64 = virDomainMigrateFlags::VIR_MIGRATE_CHANGE_PROTECTION as u64;
const MIG_POSTCOPY_RESUME: u64 = virDomainMigrateFlags::VIR_MIGRATE_POSTCOPY_RESUME as u64;
const MIG_DEST_ONLY_DROPPED: u64 = virDomainMigrateFlags::VIR_MIGRATE_ABORT_ON_ERROR as u64
    | virDomainMigrateFlags::VIR_MIGRATE_AUTO_CONVERGE as u64;
/// `VIR_DRV_FEATURE_MIGRATION_V3`, `VIR_DRV_FEATURE_MIGRATE_CHANGE_PROTECTION`.
const FEATURE_MIGRATION_V3: i32 = 6;
const FEATURE_CHANGE_PROTECTION: i32 = 7;

/// `virDomainMigrateVersion3Full`: begin on the source, prepare on the destination, perform on
/// the source, finish on the destination, confirm on the source; a failed step still runs
/// the steps that undo what the earlier ones started, and the first error is the one kept.
fn migrate_v3_full(
    d: &handle::DomObj,
    dc: &ConnObj,
    mut a: MigrateArgs,
    mut flags: u64,
) -> Result<crate::core::driver::DomainRef> {
    let src = d.conn.conn.hv();
    let dst = dc.conn.hv();
    let dref = d.dref();
    let protection = if src.connect_supports_feature(FEATURE_CHANGE_PROTECTION)? {
        MIG_CHANGE_PROTECTION
    } else {
        0
    };
    let (dom_xml, begin_cookie) = src.domain_migrate_begin3(&dref, &a, flags | protection)?;
    if let Ok((state, _)) = src.domain_get_state(&dref, 0)
        && state == virDomainState::VIR_DOMAIN_PAUSED as i32
        && flags & MIG_POSTCOPY_RESUME == 0
    {
        flags |= MIG_PAUSED;
    }
    let destflags = flags & !MIG_DEST_ONLY_DROPPED;
    a.set_dest_xml(&dom_xml);
    let mut orig: Option<VirError> = None;
    let mut cancelled = true;
    let mut notify_source = true;
    let mut finish = true;
    // Each step hands its cookie to the next.
    let mut cookie = Vec::new();
    match dst.domain_migrate_prepare3(&a, &dom_xml, &begin_cookie, destflags) {
        Ok((c, uri_out)) => {
            cookie = c;
            if let Some(u) = uri_out {
                a.set_uri(u);
            }
            if a.uri().is_none() {
                orig = Some(VirError::detail(
                    THIS,
                    Code::VIR_ERR_INTERNAL_ERROR,
                    "domainMigratePrepare3 did not set uri",
                ));
            } else if flags & PIN_MIGRATE_OFFLINE as u64 != 0 {
                // offline: nothing to send
                cookie.clear();
                cancelled = false;
            } else {
                match src.domain_migrate_perform3(&dref, &a, &cookie, flags | protection) {
                    Ok(out) => {
                        cookie = out;
                        cancelled = false;
                    }
                    Err(e) => {
                        orig = Some(e);
                        notify_source = false;
                        cookie.clear();
                    }
                }
            }
        }
        Err(e) if protection != 0 => {
            // Begin started a job on the source: confirm cancels it, keeping this error.
            orig = Some(e);
            finish = false;
        }
        Err(e) => return Err(e),
    }
    let mut ddomain = None;
    if finish {
        let dname = a.dest_name(&d.name().to_string_lossy());
        match dst.domain_migrate_finish3(&a, &dname, &cookie, destflags, cancelled) {
            Ok((dd, out)) => {
                ddomain = Some(dd);
                cookie = out;
            }
            Err(e) => {
                // A domain that died on the destination says more than the source's
                // "migration unexpectedly failed".
                let qemu = Domain::VIR_FROM_QEMU as i32;
                let replace = orig.as_ref().is_some_and(|o| {
                    o.domain == qemu && o.code == Code::VIR_ERR_OPERATION_FAILED as i32
                }) && e.domain == qemu
                    && e.code != Code::VIR_ERR_MIGRATE_FINISH_OK as i32;
                if orig.is_none() || replace {
                    orig = Some(e);
                }
                cookie.clear();
            }
        }
        cancelled = ddomain.is_none();
    }
    if notify_source {
        // A failed confirm leaves the source paused at worst; libvirt only warns.
        let _ = src.domain_migrate_confirm3(&dref, &a, &cookie, flags | protection, cancelled);
    }
    match ddomain {
        Some(dd) => Ok(dd),
        None => Err(orig.unwrap_or_else(VirError::unsupported)),
    }
}

/// The checks virDomainMigrate and virDomainMigrate2 share, then their peer-to-peer or
/// client-driven migration.
#[allow(clippy::too_many_arguments)]
fn migrate_legacy(
    cx: &mut Cx,
    domain: virDomainPtr,
    dconn: virConnectPtr,
    dxml: Option<String>,
    flags: c_ulong,
    dname: Option<String>,
    uri: Option<String>,
    bandwidth: c_ulong,
    version2: bool,
) -> Result<virDomainPtr> {
    let d = cx.domain(domain)?;
    cx.writable(&d.conn)?;
    let dc = cx.connect(dconn)?;
    cx.writable(&dc)?;
    let f = flags as c_uint;
    exclusive(THIS, f, MIG_F_NON_SHARED_DISK, MIG_F_NON_SHARED_INC)?;
    exclusive(THIS, f, MIG_F_TUNNELLED, MIG_F_PARALLEL)?;
    require_flag(THIS, f, MIG_F_SYNC_WRITES, MIG_F_NON_SHARED_EITHER)?;
    migrate_offline_check(&d, &dc, f)?;
    let src = d.conn.conn.hv();
    let mut flags = flags;
    if f & PIN_MIGRATE_PEER2PEER != 0 {
        if !src.connect_supports_feature(PIN_FEATURE_MIGRATION_P2P)? {
            return Err(VirError::unsupported());
        }
        // virDomainMigrate names the destination by `uri` when given; virDomainMigrate2
        // always by the destination connection's URI, `uri` being the migration URI.
        let (dconnuri, miguri) = if version2 {
            (dc.conn.uri.clone(), uri)
        } else {
            (uri.unwrap_or_else(|| dc.conn.uri.clone()), None)
        };
        let lookup = dname
            .clone()
            .unwrap_or_else(|| d.name().to_string_lossy().into_owned());
        migrate_unmanaged(&d, dxml, f, dname, Some(&dconnuri), miguri, bandwidth)?;
        let dd = dc.conn.hv().lookup_by_name(&lookup)?;
        return Ok(handle::new_dom(&dc, dd) as virDomainPtr);
    }
    flags = without_change_protection(src, flags)?;
    if f & PIN_MIGRATE_TUNNELLED != 0 {
        return Err(VirError::detail(
            THIS,
            Code::VIR_ERR_OPERATION_INVALID,
            "cannot perform tunnelled migration without using peer2peer flag",
        ));
    }
    if src.connect_supports_feature(FEATURE_MIGRATION_V3)?
        && dc
            .conn
            .hv()
            .connect_supports_feature(FEATURE_MIGRATION_V3)?
    {
        let a = MigrateArgs::Legacy {
            xmlin: dxml,
            dname,
            uri,
            bandwidth,
        };
        let dd = migrate_v3_full(&d, &dc, a, flags)?;
        return Ok(handle::new_dom(&dc, dd) as virDomainPtr);
    }
    // No driver of oxvirt's speaks the protocols before 3 (libvirt's test driver none at all).
    Err(VirError::unsupported())
}

/// Change protection needs the source's support only, and protocol 3 adds it back for the
/// source's steps by itself: the flags without it, once the source is known to offer it.
fn without_change_protection(
    src: &dyn crate::core::driver::HypervisorDriver,
    flags: u64,
) -> Result<u64> {
    if flags & MIG_CHANGE_PROTECTION != 0
        && !src.connect_supports_feature(FEATURE_CHANGE_PROTECTION)?
    {
        return Err(VirError::detail(
            THIS,
            Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
            "cannot enforce change protection",
        ));
    }
    Ok(flags & !MIG_CHANGE_PROTECTION)
}

/// The offline-migration feature checks of both hosts.
fn migrate_offline_check(d: &handle::DomObj, dc: &ConnObj, flags: c_uint) -> Result<()> {
    if flags & PIN_MIGRATE_OFFLINE == 0 {
        return Ok(());
    }
    for (hv, side) in [(d.conn.conn.hv(), "source"), (dc.conn.hv(), "destination")] {
        if !hv.connect_supports_feature(PIN_FEATURE_MIGRATION_OFFLINE)? {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
                format!("offline migration is not supported by the {side} host"),
            ));
        }
    }
    Ok(())
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMigrate(
    domain: virDomainPtr,
    dconn: virConnectPtr,
    flags: c_ulong,
    dname: *const c_char,
    uri: *const c_char,
    bandwidth: c_ulong,
) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let (dname, uri) = (opt_str(dname), opt_str(uri));
        migrate_legacy(cx, domain, dconn, None, flags, dname, uri, bandwidth, false)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMigrate2(
    domain: virDomainPtr,
    dconn: virConnectPtr,
    dxml: *const c_char,
    flags: c_ulong,
    dname: *const c_char,
    uri: *const c_char,
    bandwidth: c_ulong,
) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let (dxml, dname, uri) = (opt_str(dxml), opt_str(dname), opt_str(uri));
        migrate_legacy(cx, domain, dconn, dxml, flags, dname, uri, bandwidth, true)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainMigrate3(
    domain: virDomainPtr,
    dconn: virConnectPtr,
    params: virTypedParameterPtr,
    nparams: c_uint,
    flags: c_uint,
) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        // libvirt does not check the destination handle here beyond its read-only flag.
        let dc = cx.connect(dconn)?;
        cx.writable(&dc)?;
        exclusive(THIS, flags, MIG_F_NON_SHARED_DISK, MIG_F_NON_SHARED_INC)?;
        require_flag(THIS, flags, MIG_F_SYNC_WRITES, MIG_F_NON_SHARED_EITHER)?;
        if flags & PIN_MIGRATE_PEER2PEER != 0 {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "flags",
                "use virDomainMigrateToURI3 for peer-to-peer migration".to_string(),
            ));
        }
        if flags & PIN_MIGRATE_TUNNELLED != 0 {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "flags",
                "cannot perform tunnelled migration without using peer2peer flag".to_string(),
            ));
        }
        migrate_offline_check(&d, &dc, flags)?;
        let src = d.conn.conn.hv();
        let mut flags = flags as u64;
        flags = without_change_protection(src, flags)?;
        let list = params_any(cx, params, nparams as c_int)?;
        let dst = dc.conn.hv();
        let a = if src.connect_supports_feature(PIN_FEATURE_MIGRATION_PARAMS)?
            && dst.connect_supports_feature(PIN_FEATURE_MIGRATION_PARAMS)?
        {
            MigrateArgs::Params(list)
        } else {
            const COMPAT: [&str; 4] = [
                "migrate_uri",
                "destination_name",
                "destination_xml",
                "bandwidth",
            ];
            if list.iter().any(|p| !COMPAT.contains(&p.field.as_str())) {
                return Err(VirError::detail(
                    THIS,
                    Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
                    "Migration APIs with extensible parameters are not supported but \
                     extended parameters were passed",
                ));
            }
            if !(src.connect_supports_feature(FEATURE_MIGRATION_V3)?
                && dst.connect_supports_feature(FEATURE_MIGRATION_V3)?)
            {
                return Err(VirError::unsupported());
            }
            let bandwidth = list
                .iter()
                .find(|p| p.field == "bandwidth")
                .and_then(|p| match p.value {
                    TypedValue::ULLong(v) => Some(v),
                    _ => None,
                })
                .unwrap_or(0);
            MigrateArgs::Legacy {
                xmlin: MigrateArgs::param(&list, "destination_xml"),
                dname: MigrateArgs::param(&list, "destination_name"),
                uri: MigrateArgs::param(&list, "migrate_uri"),
                bandwidth,
            }
        };
        let dd = migrate_v3_full(&d, &dc, a, flags)?;
        Ok(handle::new_dom(&dc, dd) as virDomainPtr)
    })
}
