//! C entry points: network.
//!
//! Entry points of upstream `src/libvirt-network.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry); the entry points of this file not written
//! yet are generated stubs (`src/generated/ffi_stubs.rs`) that answer `VIR_ERR_NO_SUPPORT`.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`), for the first entry point written here.
#[allow(dead_code)]
const THIS: Domain = Domain::VIR_FROM_NETWORK;

use super::runtime::conn_events::Want;
use super::runtime::handle;
use super::runtime::mem::{self, arg_str};
use super::runtime::outparams::{check_names, write_names_at_most};
use crate::core::driver::events::network_id;
use crate::core::driver::{EventFamily, EventKey, NetworkDriver};
use crate::core::uuid;
use std::sync::Arc;

/// The network driver of the connection `c`.
fn drv(c: &ConnObj) -> &dyn NetworkDriver {
    &*c.conn.drivers.network
}

/// A C string argument, owned.
///
/// # Safety
/// `p` is non-NULL and a C string valid for this call.
unsafe fn text(p: *const c_char) -> String {
    // SAFETY: as the caller promises.
    unsafe { arg_str(p) }.unwrap_or_default().into_owned()
}

/// Hand a network handle on `c` to C.
fn give(c: &Arc<ConnObj>, n: crate::core::driver::NetworkRef) -> virNetworkPtr {
    handle::new_net(c, n) as virNetworkPtr
}

/// The shared body of virConnectList(Defined)Networks.
fn list_names(
    cx: &mut Cx,
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
    defined: bool,
) -> Result<c_int> {
    let c = cx.connect(conn)?;
    check_names(cx, names, maxnames)?;
    let list = if defined {
        drv(&c).connect_list_defined_networks(maxnames as usize)?
    } else {
        drv(&c).connect_list_networks(maxnames as usize)?
    };
    // SAFETY: checked above: `names` has room for `maxnames` pointers.
    Ok(unsafe { write_names_at_most(names, maxnames as usize, &list) })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllNetworks(
    conn: virConnectPtr,
    nets: *mut *mut virNetworkPtr,
    flags: c_uint,
) -> c_int {
    if !nets.is_null() {
        // SAFETY: a non-NULL `nets` points to a caller-owned pointer; libvirt clears it before
        // anything can fail.
        unsafe { *nets = std::ptr::null_mut() };
    }
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let list = drv(&c).connect_list_all_networks(flags)?;
        let n = list.len();
        if nets.is_null() {
            return Ok(n as c_int);
        }
        let mut ptrs: Vec<usize> = Vec::with_capacity(n + 1);
        handle::new_nets(&c, list, &mut ptrs);
        ptrs.push(0);
        let arr = mem::malloc_array(&ptrs) as *mut virNetworkPtr;
        if arr.is_null() {
            for p in &ptrs[..n] {
                handle::release::<NetObj>(*p);
            }
            return Err(VirError::new(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_NO_MEMORY,
                None,
            ));
        }
        // SAFETY: checked non-NULL above; the caller receives the malloc'd array.
        unsafe { *nets = arr };
        Ok(n as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListDefinedNetworks(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        list_names(cx, conn, names, maxnames, true)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListNetworks(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        list_names(cx, conn, names, maxnames, false)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfDefinedNetworks(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        drv(&*cx.connect(conn)?).connect_num_of_defined_networks()
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfNetworks(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        drv(&*cx.connect(conn)?).connect_num_of_networks()
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(name, "name")?;
        let n = drv(&c).network_lookup_by_name(&{
            // SAFETY: checked non-NULL; a C string valid for this call.
            unsafe { text(name) }
        })?;
        Ok(give(&c, n))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkLookupByUUID(
    conn: virConnectPtr,
    uuid: *const c_uchar,
) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(uuid, "uuid")?;
        let mut u = [0u8; 16];
        // SAFETY: checked non-NULL; a raw UUID is VIR_UUID_BUFLEN (16) bytes.
        unsafe { std::ptr::copy_nonoverlapping(uuid, u.as_mut_ptr(), 16) };
        let n = drv(&c).network_lookup_by_uuid(&u)?;
        Ok(give(&c, n))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkLookupByUUIDString(
    conn: virConnectPtr,
    uuidstr: *const c_char,
) -> virNetworkPtr {
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
        let n = drv(&c).network_lookup_by_uuid(&u)?;
        Ok(give(&c, n))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkCreateXML(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(xmlDesc, "xmlDesc")?;
        cx.writable(&c)?;
        let n = drv(&c).network_create_xml(
            &{
                // SAFETY: checked non-NULL; a C string valid for this call.
                unsafe { text(xmlDesc) }
            },
            0,
        )?;
        Ok(give(&c, n))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkCreateXMLFlags(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(xmlDesc, "xmlDesc")?;
        cx.writable(&c)?;
        let n = drv(&c).network_create_xml(
            &{
                // SAFETY: checked non-NULL; a C string valid for this call.
                unsafe { text(xmlDesc) }
            },
            flags,
        )?;
        Ok(give(&c, n))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkDefineXML(
    conn: virConnectPtr,
    xml: *const c_char,
) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        cx.non_null(xml, "xml")?;
        let n = drv(&c).network_define_xml(
            &{
                // SAFETY: checked non-NULL; a C string valid for this call.
                unsafe { text(xml) }
            },
            0,
        )?;
        Ok(give(&c, n))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkDefineXMLFlags(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        cx.non_null(xml, "xml")?;
        let n = drv(&c).network_define_xml(
            &{
                // SAFETY: checked non-NULL; a C string valid for this call.
                unsafe { text(xml) }
            },
            flags,
        )?;
        Ok(give(&c, n))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkUndefine(network: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(network)?;
        cx.writable(&n.conn)?;
        drv(&n.conn).network_undefine(&n.nref())?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkCreate(network: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(network)?;
        cx.writable(&n.conn)?;
        drv(&n.conn).network_create(&n.nref())?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkDestroy(network: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(network)?;
        cx.writable(&n.conn)?;
        drv(&n.conn).network_destroy(&n.nref())?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkFree(network: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(network)?;
        handle::release_obj(&n);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkRef(network: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(network)?;
        handle::add_ref::<NetObj>(Arc::as_ptr(&n) as usize);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetName(network: virNetworkPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        // The name lives in the handle, which the caller keeps alive while using it.
        Ok(cx.network(network)?.name.as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetConnect(net: virNetworkPtr) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let n = cx.network(net)?;
        Ok(Arc::as_ptr(&n.conn) as virConnectPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetUUID(network: virNetworkPtr, uuid: *mut c_uchar) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(network)?;
        cx.non_null(uuid, "uuid")?;
        // SAFETY: checked non-NULL; the caller provides VIR_UUID_BUFLEN (16) bytes.
        unsafe { std::ptr::copy_nonoverlapping(n.uuid.as_ptr(), uuid, 16) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetUUIDString(
    network: virNetworkPtr,
    buf: *mut c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(network)?;
        cx.non_null(buf, "buf")?;
        let s = uuid::format(&n.uuid);
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
pub extern "C-unwind" fn virNetworkGetXMLDesc(
    network: virNetworkPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let n = cx.network(network)?;
        Ok(mem::strdup(
            &drv(&n.conn).network_get_xml_desc(&n.nref(), flags)?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetBridgeName(network: virNetworkPtr) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let n = cx.network(network)?;
        Ok(mem::strdup(
            &drv(&n.conn).network_get_bridge_name(&n.nref())?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetAutostart(
    network: virNetworkPtr,
    autostart: *mut c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(network)?;
        cx.non_null(autostart, "autostart")?;
        let v = drv(&n.conn).network_get_autostart(&n.nref())?;
        // SAFETY: checked non-NULL; the caller passes room for one int.
        unsafe { *autostart = v as c_int };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkSetAutostart(network: virNetworkPtr, autostart: c_int) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(network)?;
        cx.writable(&n.conn)?;
        drv(&n.conn).network_set_autostart(&n.nref(), autostart != 0)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkIsActive(net: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(net)?;
        Ok(drv(&n.conn).network_is_active(&n.nref())? as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkIsPersistent(net: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(net)?;
        Ok(drv(&n.conn).network_is_persistent(&n.nref())? as c_int)
    })
}

// --- scope netsec: network update, DHCP leases ---

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkUpdate(
    network: virNetworkPtr,
    command: c_uint,
    section: c_uint,
    parentIndex: c_int,
    xml: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(network)?;
        cx.writable(&n.conn)?;
        cx.non_null(xml, "xml")?;
        drv(&n.conn).network_update(
            &n.nref(),
            command,
            section,
            parentIndex,
            &{
                // SAFETY: checked non-NULL; a C string valid for this call.
                unsafe { text(xml) }
            },
            flags,
        )?;
        Ok(0)
    })
}

/// A malloc'd `virNetworkDHCPLease` with malloc'd strings, as virNetworkDHCPLeaseFree frees.
fn lease_to_c(l: &crate::core::driver::DhcpLease) -> virNetworkDHCPLeasePtr {
    let c = virNetworkDHCPLease {
        iface: mem::strdup(&l.iface),
        expirytime: l.expirytime,
        r#type: l.r#type,
        mac: mem::strdup_opt(l.mac.as_deref()),
        iaid: mem::strdup_opt(l.iaid.as_deref()),
        ipaddr: mem::strdup(&l.ipaddr),
        prefix: l.prefix,
        hostname: mem::strdup_opt(l.hostname.as_deref()),
        clientid: mem::strdup_opt(l.clientid.as_deref()),
    };
    // SAFETY: malloc has no preconditions; the result is checked for NULL before use.
    let p = unsafe { libc::malloc(std::mem::size_of::<virNetworkDHCPLease>()) }
        as virNetworkDHCPLeasePtr;
    if p.is_null() {
        free_lease_fields(&c);
    } else {
        // SAFETY: `p` is a fresh malloc'd block of the struct's size and alignment.
        unsafe { p.write(c) };
    }
    p
}

fn free_lease_fields(l: &virNetworkDHCPLease) {
    for s in [l.iface, l.mac, l.iaid, l.ipaddr, l.hostname, l.clientid] {
        mem::free(s);
    }
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetDHCPLeases(
    network: virNetworkPtr,
    mac: *const c_char,
    leases: *mut *mut virNetworkDHCPLeasePtr,
    flags: c_uint,
) -> c_int {
    if !leases.is_null() {
        // SAFETY: a non-NULL `leases` points to a caller-owned pointer; libvirt clears it first.
        unsafe { *leases = std::ptr::null_mut() };
    }
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(network)?;
        let mac = if mac.is_null() {
            None
        } else {
            // SAFETY: checked non-NULL; a C string valid for this call.
            Some(unsafe { text(mac) })
        };
        let (list, count) = drv(&n.conn).network_get_dhcp_leases(
            &n.nref(),
            mac.as_deref(),
            !leases.is_null(),
            flags,
        )?;
        // As libvirt's client: an array (NULL-terminated) only when there is a lease.
        if !leases.is_null() && !list.is_empty() {
            let mut ptrs: Vec<virNetworkDHCPLeasePtr> = Vec::with_capacity(list.len() + 1);
            for l in &list {
                let p = lease_to_c(l);
                if p.is_null() {
                    ptrs.iter().for_each(|p| virNetworkDHCPLeaseFree(*p));
                    return Err(VirError::new(
                        Domain::VIR_FROM_NONE,
                        Code::VIR_ERR_NO_MEMORY,
                        None,
                    ));
                }
                ptrs.push(p);
            }
            ptrs.push(std::ptr::null_mut());
            let arr = mem::malloc_array(&ptrs);
            if arr.is_null() {
                ptrs.iter().for_each(|p| virNetworkDHCPLeaseFree(*p));
                return Err(VirError::new(
                    Domain::VIR_FROM_NONE,
                    Code::VIR_ERR_NO_MEMORY,
                    None,
                ));
            }
            // SAFETY: checked non-NULL above; the caller receives the malloc'd array.
            unsafe { *leases = arr };
        }
        Ok(count)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkDHCPLeaseFree(lease: virNetworkDHCPLeasePtr) {
    // libvirt's leaves the last error alone.
    guard(FUNC, (), || {
        if lease.is_null() {
            return;
        }
        // SAFETY: a non-NULL `lease` is one virNetworkGetDHCPLeases handed out: a malloc'd
        // struct whose strings are malloc'd or NULL.
        free_lease_fields(unsafe { &*lease });
        mem::free(lease);
    })
}

// --- scope netsec: network ports ---

use super::runtime::outparams::{give_array, read_uuid, write_uuid, write_uuid_string};

fn give_port(n: &Arc<NetObj>, uuid: [u8; 16]) -> virNetworkPortPtr {
    handle::new_port(n, uuid) as virNetworkPortPtr
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkListAllPorts(
    network: virNetworkPtr,
    ports: *mut *mut virNetworkPortPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let n = cx.network(network)?;
        let list = drv(&n.conn).network_list_all_ports(&n.nref(), flags)?;
        let count = list.len();
        if !ports.is_null() {
            let handles = list.into_iter().map(|u| handle::new_port(&n, u)).collect();
            // SAFETY: checked non-NULL above; a caller-owned pointer.
            unsafe { give_array::<NetPortObj, _>(ports, handles)? };
        }
        Ok(count as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortLookupByUUID(
    net: virNetworkPtr,
    uuid: *const c_uchar,
) -> virNetworkPortPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let n = cx.network(net)?;
        cx.non_null(uuid, "uuid")?;
        // SAFETY: checked non-NULL; a raw UUID is 16 bytes.
        let u = unsafe { read_uuid(uuid) };
        let p = drv(&n.conn).network_port_lookup_by_uuid(&n.nref(), &u)?;
        Ok(give_port(&n, p))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortLookupByUUIDString(
    net: virNetworkPtr,
    uuidstr: *const c_char,
) -> virNetworkPortPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let n = cx.network(net)?;
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
        let p = drv(&n.conn).network_port_lookup_by_uuid(&n.nref(), &u)?;
        Ok(give_port(&n, p))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortCreateXML(
    net: virNetworkPtr,
    xmldesc: *const c_char,
    flags: c_uint,
) -> virNetworkPortPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let n = cx.network(net)?;
        cx.non_null(xmldesc, "xmldesc")?;
        cx.writable(&n.conn)?;
        let xml = {
            // SAFETY: checked non-NULL; a C string valid for this call.
            unsafe { text(xmldesc) }
        };
        let p = drv(&n.conn).network_port_create_xml(&n.nref(), &xml, flags)?;
        Ok(give_port(&n, p))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortGetNetwork(port: virNetworkPortPtr) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let p = cx.networkport(port)?;
        // Borrowed, as libvirt's: the port holds a reference to its network.
        Ok(Arc::as_ptr(&p.net) as virNetworkPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortGetXMLDesc(
    port: virNetworkPortPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let p = cx.networkport(port)?;
        let xml = drv(&p.net.conn).network_port_get_xml_desc(&p.net.nref(), &p.uuid, flags)?;
        Ok(mem::strdup(&xml))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortGetUUID(
    port: virNetworkPortPtr,
    uuid: *mut c_uchar,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.networkport(port)?;
        cx.non_null(uuid, "uuid")?;
        // SAFETY: checked non-NULL; the caller provides VIR_UUID_BUFLEN (16) bytes.
        unsafe { write_uuid(uuid, &p.uuid) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortGetUUIDString(
    port: virNetworkPortPtr,
    buf: *mut c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.networkport(port)?;
        cx.non_null(buf, "buf")?;
        // SAFETY: checked non-NULL; the caller provides VIR_UUID_STRING_BUFLEN (37) bytes.
        unsafe { write_uuid_string(buf, &p.uuid) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortDelete(port: virNetworkPortPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.networkport(port)?;
        cx.writable(&p.net.conn)?;
        drv(&p.net.conn).network_port_delete(&p.net.nref(), &p.uuid, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortRef(port: virNetworkPortPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.networkport(port)?;
        handle::add_ref::<NetPortObj>(Arc::as_ptr(&p) as usize);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortFree(port: virNetworkPortPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.networkport(port)?;
        handle::release_obj(&p);
        Ok(0)
    })
}

// ---- Network events (scope: events).

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNetworkEventRegisterAny(
    conn: virConnectPtr,
    net: virNetworkPtr,
    eventID: c_int,
    cb: virConnectNetworkEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    // Uncaught: an application's event loop adds the dispatch timer (see conn_events::register).
    entry_out(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let n = if net.is_null() {
            None
        } else {
            let n = cx.network(net)?;
            if !Arc::ptr_eq(&n.conn, &c) {
                return Err(VirError::invalid_arg(
                    THIS,
                    FUNC,
                    "net",
                    format!(
                        "network '{}' in {FUNC} must match connection",
                        n.name.to_string_lossy()
                    ),
                ));
            }
            Some(n.nref())
        };
        let Some(f) = cb else {
            return Err(VirError::null_arg(THIS, FUNC, "cb"));
        };
        cx.non_negative(eventID as i64, "eventID")?;
        if eventID >= network_id::LAST {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "eventID",
                format!("eventID in {FUNC} must be less than {}", network_id::LAST),
            ));
        }
        let want = Want {
            family: EventFamily::Network,
            event_id: eventID,
            key: n.as_ref().map(|n| EventKey::Uuid(n.uuid)),
            cb: f as usize,
            opaque: opaque as usize,
            freecb,
            legacy: false,
        };
        super::runtime::conn_events::register(&c, want, |sink| {
            drv(&c).connect_network_event_register_any(n.as_ref(), eventID, sink)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNetworkEventDeregisterAny(
    conn: virConnectPtr,
    callbackID: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.non_negative(callbackID as i64, "callbackID")?;
        super::runtime::conn_events::deregister_id(&c, callbackID, |id| {
            drv(&c).connect_network_event_deregister_any(id)
        })?;
        Ok(0)
    })
}

// ---- typed-parameter tuning (params): a port's bandwidth parameters.

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortGetParameters(
    port: virNetworkPortPtr,
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.networkport(port)?;
        let list = drv(&p.net.conn).network_port_get_parameters(&p.net.nref(), &p.uuid, flags)?;
        if params.is_null() || nparams.is_null() {
            // libvirt's client writes through both pointers unchecked; oxvirt refuses.
            cx.non_null(params, "params")?;
            cx.non_null(nparams, "nparams")?;
        }
        let arr = super::runtime::typed_out::malloc_params(&list)?;
        // SAFETY: both checked non-NULL; the caller's out-parameters.
        unsafe {
            *params = arr;
            *nparams = list.len() as c_int;
        }
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortSetParameters(
    port: virNetworkPortPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.networkport(port)?;
        cx.writable(&p.net.conn)?;
        // SAFETY: NULL or `nparams` initialised parameters of the caller.
        let list = unsafe { super::runtime::typed_in::read_params(THIS, FUNC, params, nparams) }?;
        drv(&p.net.conn).network_port_set_parameters(&p.net.nref(), &p.uuid, &list, flags)?;
        Ok(0)
    })
}
