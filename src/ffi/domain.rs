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
use crate::core::driver::events::domain_id;
use crate::core::driver::{EventFamily, EventKey};
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
                        d.name.to_string_lossy()
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
        if names.is_null() && maxnames > 0 {
            cx.non_null(names, "names")?;
        }
        cx.non_negative(maxnames as i64, "maxnames")?;
        let list = c.conn.hv().list_defined_domains(maxnames as usize)?;
        for (i, n) in list.iter().enumerate() {
            // SAFETY: `names` has room for `maxnames` pointers; each gets a malloc'd copy the
            // caller frees.
            unsafe { *names.add(i) = mem::strdup(n) };
        }
        Ok(list.len() as c_int)
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
        Ok(cx.domain(domain)?.name.as_ptr())
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
                    d.name.to_string_lossy()
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
