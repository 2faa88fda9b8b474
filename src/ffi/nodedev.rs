//! C entry points: nodedev.
//!
//! Entry points of upstream `src/libvirt-nodedev.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry); the entry points of this file not written
//! yet are generated stubs (`src/generated/ffi_stubs.rs`) that answer `VIR_ERR_NO_SUPPORT`.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`), for the first entry point written here.
#[allow(dead_code)]
const THIS: Domain = Domain::VIR_FROM_NODEDEV;

use super::runtime::handle;
use super::runtime::mem::{self, arg_str};
use super::runtime::outparams::{check_names, write_names_at_most};
use crate::core::driver::{DestroyOutcome, NodeDeviceDriver, NodeDeviceRef};
use std::sync::Arc;

/// The node device driver of the connection `c`.
fn drv(c: &ConnObj) -> &dyn NodeDeviceDriver {
    &*c.conn.drivers.nodedev
}

/// A C string argument, owned.
///
/// # Safety
/// `p` is non-NULL and a C string valid for this call.
unsafe fn text(p: *const c_char) -> String {
    // SAFETY: as the caller promises.
    unsafe { arg_str(p) }.unwrap_or_default().into_owned()
}

/// An optional C string argument, owned.
///
/// # Safety
/// `p` is NULL or a C string valid for this call.
unsafe fn opt_text(p: *const c_char) -> Option<String> {
    // SAFETY: as the caller promises.
    unsafe { arg_str(p) }.map(|s| s.into_owned())
}

/// Hand a node device handle on `c` to C.
fn give(c: &Arc<ConnObj>, d: NodeDeviceRef) -> virNodeDevicePtr {
    handle::new_nodedev(c, d) as virNodeDevicePtr
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeNumOfDevices(
    conn: virConnectPtr,
    cap: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        // SAFETY: `cap` is NULL or a C string valid for this call.
        let cap = unsafe { opt_text(cap) };
        drv(&c).node_num_of_devices(cap.as_deref(), flags)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeListDevices(
    conn: virConnectPtr,
    cap: *const c_char,
    names: *mut *mut c_char,
    maxnames: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        check_names(cx, names, maxnames)?;
        // SAFETY: `cap` is NULL or a C string valid for this call.
        let cap = unsafe { opt_text(cap) };
        let list = drv(&c).node_list_devices(cap.as_deref(), maxnames as usize, flags)?;
        // SAFETY: checked above: `names` has room for `maxnames` pointers.
        Ok(unsafe { write_names_at_most(names, maxnames as usize, &list) })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllNodeDevices(
    conn: virConnectPtr,
    devices: *mut *mut virNodeDevicePtr,
    flags: c_uint,
) -> c_int {
    if !devices.is_null() {
        // SAFETY: a non-NULL `devices` points to a caller-owned pointer; libvirt clears it
        // before anything can fail.
        unsafe { *devices = std::ptr::null_mut() };
    }
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let list = drv(&c).connect_list_all_node_devices(flags)?;
        let n = list.len();
        if devices.is_null() {
            return Ok(n as c_int);
        }
        let mut ptrs: Vec<usize> = Vec::with_capacity(n + 1);
        handle::new_nodedevs(&c, list, &mut ptrs);
        ptrs.push(0);
        let arr = mem::malloc_array(&ptrs) as *mut virNodeDevicePtr;
        if arr.is_null() {
            for p in &ptrs[..n] {
                handle::release::<NodeDevObj>(*p);
            }
            return Err(VirError::new(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_NO_MEMORY,
                None,
            ));
        }
        // SAFETY: checked non-NULL above; the caller receives the malloc'd array.
        unsafe { *devices = arr };
        Ok(n as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virNodeDevicePtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(name, "name")?;
        let d = drv(&c).node_device_lookup_by_name(&{
            // SAFETY: checked non-NULL; a C string valid for this call.
            unsafe { text(name) }
        })?;
        Ok(give(&c, d))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceGetXMLDesc(
    dev: virNodeDevicePtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.nodedevice(dev)?;
        Ok(mem::strdup(
            &drv(&d.conn).node_device_get_xml_desc(&d.dref(), flags)?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceGetName(dev: virNodeDevicePtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        // The name lives in the handle, which the caller keeps alive while using it.
        Ok(cx.nodedevice(dev)?.name.as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceGetParent(dev: virNodeDevicePtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        let d = cx.nodedevice(dev)?;
        if let Some(p) = d.parent.get() {
            return Ok(p.as_ptr());
        }
        match drv(&d.conn).node_device_get_parent(&d.dref())? {
            // Cached in the handle, which the caller keeps alive while using it.
            Some(p) => Ok(d
                .parent
                .get_or_init(|| std::ffi::CString::new(p).unwrap_or_default())
                .as_ptr()),
            None => Ok(std::ptr::null()),
        }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceNumOfCaps(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        drv(&d.conn).node_device_num_of_caps(&d.dref())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceListCaps(
    dev: virNodeDevicePtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        check_names(cx, names, maxnames)?;
        let list = drv(&d.conn).node_device_list_caps(&d.dref(), maxnames as usize)?;
        // SAFETY: checked above: `names` has room for `maxnames` pointers.
        Ok(unsafe { write_names_at_most(names, maxnames as usize, &list) })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceFree(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        handle::release_obj(&d);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceRef(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        handle::add_ref::<NodeDevObj>(Arc::as_ptr(&d) as usize);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceCreateXML(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virNodeDevicePtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        cx.non_null(xmlDesc, "xmlDesc")?;
        let d = drv(&c).node_device_create_xml(
            &{
                // SAFETY: checked non-NULL; a C string valid for this call.
                unsafe { text(xmlDesc) }
            },
            flags,
        )?;
        Ok(give(&c, d))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceDestroy(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        cx.writable(&d.conn)?;
        match drv(&d.conn).node_device_destroy(&d.dref())? {
            DestroyOutcome::Done => {}
            // The driver reported an error yet answered success: the error stays the
            // thread's last error, no handler runs, and the call returns 0.
            DestroyOutcome::DoneWithError(e) => super::runtime::error::set_last(&e),
        }
        Ok(0)
    })
}

// ---- Persistent devices, autostart and the host PCI calls (host-remote).

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceDefineXML(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virNodeDevicePtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        cx.non_null(xmlDesc, "xmlDesc")?;
        let d = drv(&c).node_device_define_xml(
            &{
                // SAFETY: checked non-NULL; a C string valid for this call.
                unsafe { text(xmlDesc) }
            },
            flags,
        )?;
        Ok(give(&c, d))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceUndefine(dev: virNodeDevicePtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        cx.writable(&d.conn)?;
        drv(&d.conn).node_device_undefine(&d.dref(), flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceCreate(dev: virNodeDevicePtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        cx.writable(&d.conn)?;
        drv(&d.conn).node_device_create(&d.dref(), flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceGetAutostart(
    dev: virNodeDevicePtr,
    autostart: *mut c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        // libvirt checks for a read-only connection here, and not `autostart`.
        cx.writable(&d.conn)?;
        let v = drv(&d.conn).node_device_get_autostart(&d.dref())?;
        if !autostart.is_null() {
            // SAFETY: checked non-NULL; the caller's int.
            unsafe { *autostart = v };
        }
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceSetAutostart(
    dev: virNodeDevicePtr,
    autostart: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        cx.writable(&d.conn)?;
        drv(&d.conn).node_device_set_autostart(&d.dref(), autostart)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceIsActive(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        drv(&d.conn).node_device_is_active(&d.dref())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceIsPersistent(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        drv(&d.conn).node_device_is_persistent(&d.dref())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceLookupSCSIHostByWWN(
    conn: virConnectPtr,
    wwnn: *const c_char,
    wwpn: *const c_char,
    flags: c_uint,
) -> virNodeDevicePtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(wwnn, "wwnn")?;
        cx.non_null(wwpn, "wwpn")?;
        // SAFETY: both checked non-NULL; C strings valid for this call.
        let (wwnn, wwpn) = unsafe { (text(wwnn), text(wwpn)) };
        let d = drv(&c).node_device_lookup_scsi_host_by_wwn(&wwnn, &wwpn, flags)?;
        Ok(give(&c, d))
    })
}

// libvirt sends the host PCI calls to the connection's hypervisor driver, not its node
// device driver.

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceDettach(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        cx.writable(&d.conn)?;
        d.conn.conn.hv().node_device_dettach(&d.dref())?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceDetachFlags(
    dev: virNodeDevicePtr,
    driverName: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        cx.writable(&d.conn)?;
        // SAFETY: `driverName` is NULL or a C string valid for this call.
        let name = unsafe { opt_text(driverName) };
        d.conn
            .conn
            .hv()
            .node_device_detach_flags(&d.dref(), name.as_deref(), flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceReAttach(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        cx.writable(&d.conn)?;
        d.conn.conn.hv().node_device_re_attach(&d.dref())?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceReset(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.nodedevice(dev)?;
        cx.writable(&d.conn)?;
        d.conn.conn.hv().node_device_reset(&d.dref())?;
        Ok(0)
    })
}

// ---- Node device events (scope ifnode).

use super::runtime::conn_events::Want;
use crate::core::driver::events::nodedev_id;
use crate::core::driver::{EventFamily, EventKey};

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNodeDeviceEventRegisterAny(
    conn: virConnectPtr,
    dev: virNodeDevicePtr,
    eventID: c_int,
    cb: virConnectNodeDeviceEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    // Uncaught: an application's event loop adds the dispatch timer (see conn_events::register).
    entry_out(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let d = if dev.is_null() {
            None
        } else {
            let d = cx.nodedevice(dev)?;
            if !Arc::ptr_eq(&d.conn, &c) {
                return Err(VirError::invalid_arg(
                    THIS,
                    FUNC,
                    "dev",
                    format!(
                        "node device '{}' in {FUNC} must match connection",
                        d.name.to_string_lossy()
                    ),
                ));
            }
            Some(d.dref())
        };
        let Some(f) = cb else {
            return Err(VirError::null_arg(THIS, FUNC, "cb"));
        };
        cx.non_negative(eventID as i64, "eventID")?;
        if eventID >= nodedev_id::LAST {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "eventID",
                format!("eventID in {FUNC} must be less than {}", nodedev_id::LAST),
            ));
        }
        let want = Want {
            family: EventFamily::NodeDevice,
            event_id: eventID,
            key: d.as_ref().map(|d| EventKey::Name(d.name.clone())),
            cb: f as usize,
            opaque: opaque as usize,
            freecb,
            legacy: false,
        };
        super::runtime::conn_events::register(&c, want, |sink| {
            drv(&c).connect_node_device_event_register_any(d.as_ref(), eventID, sink)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNodeDeviceEventDeregisterAny(
    conn: virConnectPtr,
    callbackID: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.non_negative(callbackID as i64, "callbackID")?;
        super::runtime::conn_events::deregister_id(&c, callbackID, |id| {
            drv(&c).connect_node_device_event_deregister_any(id)
        })?;
        Ok(0)
    })
}
