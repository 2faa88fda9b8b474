//! C entry points: storage.
//!
//! Entry points of upstream `src/libvirt-storage.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry); the entry points of this file not written
//! yet are generated stubs (`src/generated/ffi_stubs.rs`) that answer `VIR_ERR_NO_SUPPORT`.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`), for the first entry point written here.
#[allow(dead_code)]
const THIS: Domain = Domain::VIR_FROM_STORAGE;

use super::runtime::conn_events::Want;
use super::runtime::handle;
use super::runtime::mem::{self, arg_str};
use super::runtime::outparams::{check_names, write_names_at_most};
use crate::core::driver::events::storage_pool_id;
use crate::core::driver::{EventFamily, EventKey, PoolRef, StorageDriver, VolRef};
use crate::core::uuid;
use std::sync::Arc;

/// The storage driver of the connection `c`.
fn drv(c: &ConnObj) -> &dyn StorageDriver {
    &*c.conn.drivers.storage
}

/// A C string argument, owned.
///
/// # Safety
/// `p` is non-NULL and a C string valid for this call.
unsafe fn text(p: *const c_char) -> String {
    // SAFETY: as the caller promises.
    unsafe { arg_str(p) }.unwrap_or_default().into_owned()
}

/// Hand a pool handle on `c` to C.
fn give_pool(c: &Arc<ConnObj>, p: PoolRef) -> virStoragePoolPtr {
    handle::new_pool(c, p) as virStoragePoolPtr
}

/// Hand a volume handle on `c` to C.
fn give_vol(c: &Arc<ConnObj>, v: VolRef) -> virStorageVolPtr {
    handle::new_vol(c, v) as virStorageVolPtr
}

fn no_memory() -> VirError {
    VirError::new(Domain::VIR_FROM_NONE, Code::VIR_ERR_NO_MEMORY, None)
}

/// The shared body of virConnectList(Defined)StoragePools.
fn list_pool_names(
    cx: &mut Cx,
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
    defined: bool,
) -> Result<c_int> {
    let c = cx.connect(conn)?;
    check_names(cx, names, maxnames)?;
    let list = if defined {
        drv(&c).connect_list_defined_storage_pools(maxnames as usize)?
    } else {
        drv(&c).connect_list_storage_pools(maxnames as usize)?
    };
    // SAFETY: checked above: `names` has room for `maxnames` pointers.
    Ok(unsafe { write_names_at_most(names, maxnames as usize, &list) })
}

/// A NULL-terminated malloc'd array of handles for the caller; on failure the handles go.
fn hand_out<T: handle::Object>(ptrs: &mut Vec<usize>) -> Result<*mut c_void> {
    let n = ptrs.len();
    ptrs.push(0);
    let arr = mem::malloc_array(ptrs);
    if arr.is_null() {
        for p in &ptrs[..n] {
            handle::release::<T>(*p);
        }
        return Err(no_memory());
    }
    Ok(arr as *mut c_void)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllStoragePools(
    conn: virConnectPtr,
    pools: *mut *mut virStoragePoolPtr,
    flags: c_uint,
) -> c_int {
    if !pools.is_null() {
        // SAFETY: a non-NULL `pools` points to a caller-owned pointer; libvirt clears it before
        // anything can fail.
        unsafe { *pools = std::ptr::null_mut() };
    }
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let list = drv(&c).connect_list_all_storage_pools(flags)?;
        let n = list.len();
        if pools.is_null() {
            return Ok(n as c_int);
        }
        let mut ptrs: Vec<usize> = Vec::with_capacity(n + 1);
        handle::new_pools(&c, list, &mut ptrs);
        let arr = hand_out::<PoolObj>(&mut ptrs)?;
        // SAFETY: checked non-NULL above; the caller receives the malloc'd array.
        unsafe { *pools = arr as *mut virStoragePoolPtr };
        Ok(n as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfStoragePools(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        drv(&*cx.connect(conn)?).connect_num_of_storage_pools()
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListStoragePools(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        list_pool_names(cx, conn, names, maxnames, false)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfDefinedStoragePools(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        drv(&*cx.connect(conn)?).connect_num_of_defined_storage_pools()
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListDefinedStoragePools(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        list_pool_names(cx, conn, names, maxnames, true)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectFindStoragePoolSources(
    conn: virConnectPtr,
    r#type: *const c_char,
    srcSpec: *const c_char,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(r#type, "type")?;
        cx.writable(&c)?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let kind = unsafe { text(r#type) };
        let spec = if srcSpec.is_null() {
            None
        } else {
            // SAFETY: non-NULL; a C string valid for this call.
            Some(unsafe { text(srcSpec) })
        };
        Ok(mem::strdup(&drv(&c).connect_find_storage_pool_sources(
            &kind,
            spec.as_deref(),
            flags,
        )?))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(name, "name")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let p = drv(&c).storage_pool_lookup_by_name(&unsafe { text(name) })?;
        Ok(give_pool(&c, p))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolLookupByUUID(
    conn: virConnectPtr,
    uuid: *const c_uchar,
) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(uuid, "uuid")?;
        let mut u = [0u8; 16];
        // SAFETY: checked non-NULL; a raw UUID is VIR_UUID_BUFLEN (16) bytes.
        unsafe { std::ptr::copy_nonoverlapping(uuid, u.as_mut_ptr(), 16) };
        let p = drv(&c).storage_pool_lookup_by_uuid(&u)?;
        Ok(give_pool(&c, p))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolLookupByUUIDString(
    conn: virConnectPtr,
    uuidstr: *const c_char,
) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(uuidstr, "uuidstr")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let u = uuid::parse(&unsafe { text(uuidstr) }).ok_or_else(|| {
            VirError::invalid_arg(
                THIS,
                FUNC,
                "uuidstr",
                format!("uuidstr in {FUNC} must be a valid UUID"),
            )
        })?;
        let p = drv(&c).storage_pool_lookup_by_uuid(&u)?;
        Ok(give_pool(&c, p))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolLookupByVolume(vol: virStorageVolPtr) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let v = cx.storagevol(vol)?;
        let p = drv(&v.conn).storage_pool_lookup_by_volume(&v.vref())?;
        Ok(give_pool(&v.conn, p))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolCreateXML(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(xmlDesc, "xmlDesc")?;
        cx.writable(&c)?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let p = drv(&c).storage_pool_create_xml(&unsafe { text(xmlDesc) }, flags)?;
        Ok(give_pool(&c, p))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolDefineXML(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        cx.non_null(xml, "xml")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let p = drv(&c).storage_pool_define_xml(&unsafe { text(xml) }, flags)?;
        Ok(give_pool(&c, p))
    })
}

/// The shared body of the pool calls that change state: check, read-only, call.
fn pool_op(
    cx: &mut Cx,
    pool: virStoragePoolPtr,
    f: impl FnOnce(&dyn StorageDriver, &PoolRef) -> Result<()>,
) -> Result<c_int> {
    let p = cx.storagepool(pool)?;
    cx.writable(&p.conn)?;
    f(drv(&p.conn), &p.pref())?;
    Ok(0)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolBuild(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        pool_op(cx, pool, |d, p| d.storage_pool_build(p, flags))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolUndefine(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        pool_op(cx, pool, |d, p| d.storage_pool_undefine(p))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolCreate(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        pool_op(cx, pool, |d, p| d.storage_pool_create(p, flags))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolDestroy(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        pool_op(cx, pool, |d, p| d.storage_pool_destroy(p))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolDelete(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        pool_op(cx, pool, |d, p| d.storage_pool_delete(p, flags))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolRefresh(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        pool_op(cx, pool, |d, p| d.storage_pool_refresh(p, flags))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolSetAutostart(
    pool: virStoragePoolPtr,
    autostart: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        pool_op(cx, pool, |d, p| {
            d.storage_pool_set_autostart(p, autostart != 0)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolFree(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.storagepool(pool)?;
        handle::release_obj(&p);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolRef(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.storagepool(pool)?;
        handle::add_ref::<PoolObj>(Arc::as_ptr(&p) as usize);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolGetConnect(pool: virStoragePoolPtr) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let p = cx.storagepool(pool)?;
        Ok(Arc::as_ptr(&p.conn) as virConnectPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolGetName(pool: virStoragePoolPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        // The name lives in the handle, which the caller keeps alive while using it.
        Ok(cx.storagepool(pool)?.name.as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolGetUUID(
    pool: virStoragePoolPtr,
    uuid: *mut c_uchar,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.storagepool(pool)?;
        cx.non_null(uuid, "uuid")?;
        // SAFETY: checked non-NULL; the caller provides VIR_UUID_BUFLEN (16) bytes.
        unsafe { std::ptr::copy_nonoverlapping(p.uuid.as_ptr(), uuid, 16) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolGetUUIDString(
    pool: virStoragePoolPtr,
    buf: *mut c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.storagepool(pool)?;
        cx.non_null(buf, "buf")?;
        let s = uuid::format(&p.uuid);
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
pub extern "C-unwind" fn virStoragePoolGetInfo(
    pool: virStoragePoolPtr,
    info: virStoragePoolInfoPtr,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.storagepool(pool)?;
        cx.non_null(info, "info")?;
        let zero = virStoragePoolInfo {
            state: 0,
            capacity: 0,
            allocation: 0,
            available: 0,
        };
        // SAFETY: checked non-NULL; libvirt clears the caller's struct before asking the driver.
        unsafe { std::ptr::write(info, zero) };
        let i = drv(&p.conn).storage_pool_get_info(&p.pref())?;
        let out = virStoragePoolInfo {
            state: i.state,
            capacity: i.capacity,
            allocation: i.allocation,
            available: i.available,
        };
        // SAFETY: checked non-NULL above.
        unsafe { std::ptr::write(info, out) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolGetXMLDesc(
    pool: virStoragePoolPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let p = cx.storagepool(pool)?;
        Ok(mem::strdup(
            &drv(&p.conn).storage_pool_get_xml_desc(&p.pref(), flags)?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolGetAutostart(
    pool: virStoragePoolPtr,
    autostart: *mut c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.storagepool(pool)?;
        cx.non_null(autostart, "autostart")?;
        let v = drv(&p.conn).storage_pool_get_autostart(&p.pref())?;
        // SAFETY: checked non-NULL; the caller passes room for one int.
        unsafe { *autostart = v as c_int };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolListAllVolumes(
    pool: virStoragePoolPtr,
    vols: *mut *mut virStorageVolPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.storagepool(pool)?;
        let list = drv(&p.conn).storage_pool_list_all_volumes(&p.pref(), flags)?;
        let n = list.len();
        if vols.is_null() {
            return Ok(n as c_int);
        }
        let mut ptrs: Vec<usize> = Vec::with_capacity(n + 1);
        handle::new_vols(&p.conn, list, &mut ptrs);
        let arr = hand_out::<VolObj>(&mut ptrs)?;
        // SAFETY: checked non-NULL above; the caller receives the malloc'd array.
        unsafe { *vols = arr as *mut virStorageVolPtr };
        Ok(n as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolNumOfVolumes(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.storagepool(pool)?;
        drv(&p.conn).storage_pool_num_of_volumes(&p.pref())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolListVolumes(
    pool: virStoragePoolPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.storagepool(pool)?;
        check_names(cx, names, maxnames)?;
        let list = drv(&p.conn).storage_pool_list_volumes(&p.pref(), maxnames as usize)?;
        // SAFETY: checked above: `names` has room for `maxnames` pointers.
        Ok(unsafe { write_names_at_most(names, maxnames as usize, &list) })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolIsActive(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.storagepool(pool)?;
        Ok(drv(&p.conn).storage_pool_is_active(&p.pref())? as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolIsPersistent(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let p = cx.storagepool(pool)?;
        Ok(drv(&p.conn).storage_pool_is_persistent(&p.pref())? as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetConnect(vol: virStorageVolPtr) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let v = cx.storagevol(vol)?;
        Ok(Arc::as_ptr(&v.conn) as virConnectPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolLookupByName(
    pool: virStoragePoolPtr,
    name: *const c_char,
) -> virStorageVolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let p = cx.storagepool(pool)?;
        cx.non_null(name, "name")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let v = drv(&p.conn).storage_vol_lookup_by_name(&p.pref(), &unsafe { text(name) })?;
        Ok(give_vol(&p.conn, v))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolLookupByKey(
    conn: virConnectPtr,
    key: *const c_char,
) -> virStorageVolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(key, "key")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let v = drv(&c).storage_vol_lookup_by_key(&unsafe { text(key) })?;
        Ok(give_vol(&c, v))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolLookupByPath(
    conn: virConnectPtr,
    path: *const c_char,
) -> virStorageVolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(path, "path")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let v = drv(&c).storage_vol_lookup_by_path(&unsafe { text(path) })?;
        Ok(give_vol(&c, v))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetName(vol: virStorageVolPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        // The name lives in the handle, which the caller keeps alive while using it.
        Ok(cx.storagevol(vol)?.name.as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetKey(vol: virStorageVolPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        // The key lives in the handle, which the caller keeps alive while using it.
        Ok(cx.storagevol(vol)?.key.as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolCreateXML(
    pool: virStoragePoolPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virStorageVolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let p = cx.storagepool(pool)?;
        cx.non_null(xmlDesc, "xmlDesc")?;
        cx.writable(&p.conn)?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let xml = unsafe { text(xmlDesc) };
        let v = drv(&p.conn).storage_vol_create_xml(&p.pref(), &xml, flags)?;
        Ok(give_vol(&p.conn, v))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolCreateXMLFrom(
    pool: virStoragePoolPtr,
    xmlDesc: *const c_char,
    clonevol: virStorageVolPtr,
    flags: c_uint,
) -> virStorageVolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let p = cx.storagepool(pool)?;
        let v = cx.storagevol(clonevol)?;
        // Errors go to the pool's connection, as libvirt dispatches them.
        cx.storagepool(pool)?;
        cx.non_null(xmlDesc, "xmlDesc")?;
        // Read-only when either connection is (libvirt ORs their flags).
        cx.writable(&p.conn)?;
        cx.writable(&v.conn)?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let xml = unsafe { text(xmlDesc) };
        let nv = drv(&p.conn).storage_vol_create_xml_from(&p.pref(), &xml, &v.vref(), flags)?;
        Ok(give_vol(&p.conn, nv))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolDelete(vol: virStorageVolPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let v = cx.storagevol(vol)?;
        cx.writable(&v.conn)?;
        drv(&v.conn).storage_vol_delete(&v.vref(), flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolFree(vol: virStorageVolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let v = cx.storagevol(vol)?;
        handle::release_obj(&v);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolRef(vol: virStorageVolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let v = cx.storagevol(vol)?;
        handle::add_ref::<VolObj>(Arc::as_ptr(&v) as usize);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetInfo(
    vol: virStorageVolPtr,
    info: virStorageVolInfoPtr,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let v = cx.storagevol(vol)?;
        cx.non_null(info, "info")?;
        let zero = virStorageVolInfo {
            r#type: 0,
            capacity: 0,
            allocation: 0,
        };
        // SAFETY: checked non-NULL; libvirt clears the caller's struct before asking the driver.
        unsafe { std::ptr::write(info, zero) };
        let i = drv(&v.conn).storage_vol_get_info(&v.vref())?;
        let out = virStorageVolInfo {
            r#type: i.kind,
            capacity: i.capacity,
            allocation: i.allocation,
        };
        // SAFETY: checked non-NULL above.
        unsafe { std::ptr::write(info, out) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetXMLDesc(
    vol: virStorageVolPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let v = cx.storagevol(vol)?;
        Ok(mem::strdup(
            &drv(&v.conn).storage_vol_get_xml_desc(&v.vref(), flags)?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetPath(vol: virStorageVolPtr) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let v = cx.storagevol(vol)?;
        Ok(mem::strdup(&drv(&v.conn).storage_vol_get_path(&v.vref())?))
    })
}

// ---- Storage pool events.

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectStoragePoolEventRegisterAny(
    conn: virConnectPtr,
    pool: virStoragePoolPtr,
    eventID: c_int,
    cb: virConnectStoragePoolEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    // Uncaught: an application's event loop adds the dispatch timer (see conn_events::register).
    entry_out(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let p = if pool.is_null() {
            None
        } else {
            let p = cx.storagepool(pool)?;
            if !Arc::ptr_eq(&p.conn, &c) {
                return Err(VirError::invalid_arg(
                    THIS,
                    FUNC,
                    "pool",
                    format!(
                        "storage pool '{}' in {FUNC} must match connection",
                        p.name.to_string_lossy()
                    ),
                ));
            }
            Some(p.pref())
        };
        let Some(f) = cb else {
            return Err(VirError::null_arg(THIS, FUNC, "cb"));
        };
        cx.non_negative(eventID as i64, "eventID")?;
        if eventID >= storage_pool_id::LAST {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "eventID",
                format!(
                    "eventID in {FUNC} must be less than {}",
                    storage_pool_id::LAST
                ),
            ));
        }
        let want = Want {
            family: EventFamily::StoragePool,
            event_id: eventID,
            key: p.as_ref().map(|p| EventKey::Uuid(p.uuid)),
            cb: f as usize,
            opaque: opaque as usize,
            freecb,
            legacy: false,
        };
        super::runtime::conn_events::register(&c, want, |sink| {
            drv(&c).connect_storage_pool_event_register_any(p.as_ref(), eventID, sink)
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectStoragePoolEventDeregisterAny(
    conn: virConnectPtr,
    callbackID: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.non_negative(callbackID as i64, "callbackID")?;
        super::runtime::conn_events::deregister_id(&c, callbackID, |id| {
            drv(&c).connect_storage_pool_event_deregister_any(id)
        })?;
        Ok(0)
    })
}

// ---- Served by daemons' storage drivers (libvirt's test driver has none of these).

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetInfoFlags(
    vol: virStorageVolPtr,
    info: virStorageVolInfoPtr,
    flags: c_uint,
) -> c_int {
    if !info.is_null() {
        // SAFETY: a non-NULL `info` points to the caller's struct; libvirt clears it before
        // anything can fail.
        unsafe {
            std::ptr::write(
                info,
                virStorageVolInfo {
                    r#type: 0,
                    capacity: 0,
                    allocation: 0,
                },
            )
        };
    }
    entry(FUNC, THIS, -1, |cx| {
        let v = cx.storagevol(vol)?;
        cx.non_null(info, "info")?;
        let i = drv(&v.conn).storage_vol_get_info_flags(&v.vref(), flags)?;
        let out = virStorageVolInfo {
            r#type: i.kind,
            capacity: i.capacity,
            allocation: i.allocation,
        };
        // SAFETY: checked non-NULL above.
        unsafe { std::ptr::write(info, out) };
        Ok(0)
    })
}

/// `VIR_STORAGE_VOL_RESIZE_DELTA`, `VIR_STORAGE_VOL_RESIZE_SHRINK`.
const RESIZE_DELTA: c_uint = 1 << 1;
const RESIZE_SHRINK: c_uint = 1 << 2;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolResize(
    vol: virStorageVolPtr,
    capacity: c_ulonglong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let v = cx.storagevol(vol)?;
        cx.writable(&v.conn)?;
        if capacity == 0 && flags & (RESIZE_DELTA | RESIZE_SHRINK) == 0 {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "capacity",
                format!("capacity in {FUNC} cannot be zero without 'delta' or 'shrink' flags set"),
            ));
        }
        drv(&v.conn).storage_vol_resize(&v.vref(), capacity, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolWipe(vol: virStorageVolPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let v = cx.storagevol(vol)?;
        cx.writable(&v.conn)?;
        drv(&v.conn).storage_vol_wipe(&v.vref(), flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolWipePattern(
    vol: virStorageVolPtr,
    algorithm: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let v = cx.storagevol(vol)?;
        cx.writable(&v.conn)?;
        drv(&v.conn).storage_vol_wipe_pattern(&v.vref(), algorithm, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolLookupByTargetPath(
    conn: virConnectPtr,
    path: *const c_char,
) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(path, "path")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let p = drv(&c).storage_pool_lookup_by_target_path(&unsafe { text(path) })?;
        Ok(give_pool(&c, p))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetStoragePoolCapabilities(
    conn: virConnectPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        Ok(mem::strdup(
            &drv(&c).connect_get_storage_pool_capabilities(flags)?,
        ))
    })
}

// ---- volume streams (sparse): upload and download bind the stream to the driver's transfer.

/// `virStorageVolUpload` and `virStorageVolDownload`: libvirt's checks (volume, stream,
/// read-only, one connection), then the driver's stream bound to the public one.
fn vol_transfer(
    cx: &mut Cx,
    vol: virStorageVolPtr,
    stream: virStreamPtr,
    offset: u64,
    length: u64,
    flags: u32,
    download: bool,
) -> Result<c_int> {
    let v = cx.storagevol(vol)?;
    let s = cx.stream(stream)?;
    cx.conn = Some(v.conn.clone());
    cx.writable(&v.conn)?;
    if !Arc::ptr_eq(&s.conn, &v.conn) {
        return Err(VirError::invalid_arg(
            THIS,
            cx.func,
            "stream",
            format!(
                "stream in {} must match connection of volume '{}'",
                cx.func,
                v.name.to_string_lossy()
            ),
        ));
    }
    let d = drv(&v.conn);
    let backend = if download {
        d.storage_vol_download(&v.vref(), offset, length, flags, s.nonblock())?
    } else {
        d.storage_vol_upload(&v.vref(), offset, length, flags, s.nonblock())?
    };
    s.bind(backend);
    Ok(0)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolDownload(
    vol: virStorageVolPtr,
    stream: virStreamPtr,
    offset: c_ulonglong,
    length: c_ulonglong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        vol_transfer(cx, vol, stream, offset, length, flags, true)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolUpload(
    vol: virStorageVolPtr,
    stream: virStreamPtr,
    offset: c_ulonglong,
    length: c_ulonglong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        vol_transfer(cx, vol, stream, offset, length, flags, false)
    })
}
