//! The storage family (libvirt's `driver-storage.h`): pools and volumes.

#[allow(unused_imports)]
use super::events::EventSink;
#[allow(unused_imports)]
use super::unsupported;
#[allow(unused_imports)]
use crate::core::error::Result;

/// What a public handle needs to know of a pool: libvirt's `virStoragePool` is `{name, uuid}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolRef {
    pub name: String,
    pub uuid: [u8; 16],
}

/// What a public handle needs to know of a volume: libvirt's `virStorageVol` is
/// `{pool, name, key}` (the pool by name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolRef {
    pub pool: String,
    pub name: String,
    pub key: String,
}

/// `virStoragePoolInfo` in Rust terms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolInfo {
    pub state: i32,
    pub capacity: u64,
    pub allocation: u64,
    pub available: u64,
}

/// `virStorageVolInfo` in Rust terms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VolInfo {
    pub kind: i32,
    pub capacity: u64,
    pub allocation: u64,
}

/// Every method defaults to "not supported" (see the module documentation of `driver`).
#[allow(unused_variables)]
pub trait StorageDriver: Send + Sync {
    fn connect_num_of_storage_pools(&self) -> Result<i32> {
        unsupported()
    }
    fn connect_list_storage_pools(&self, max: usize) -> Result<Vec<String>> {
        unsupported()
    }
    fn connect_num_of_defined_storage_pools(&self) -> Result<i32> {
        unsupported()
    }
    fn connect_list_defined_storage_pools(&self, max: usize) -> Result<Vec<String>> {
        unsupported()
    }
    fn connect_list_all_storage_pools(&self, flags: u32) -> Result<Vec<PoolRef>> {
        unsupported()
    }
    fn connect_find_storage_pool_sources(
        &self,
        kind: &str,
        src_spec: Option<&str>,
        flags: u32,
    ) -> Result<String> {
        unsupported()
    }
    fn storage_pool_lookup_by_name(&self, name: &str) -> Result<PoolRef> {
        unsupported()
    }
    fn storage_pool_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<PoolRef> {
        unsupported()
    }
    fn storage_pool_lookup_by_volume(&self, vol: &VolRef) -> Result<PoolRef> {
        unsupported()
    }
    fn storage_pool_create_xml(&self, xml: &str, flags: u32) -> Result<PoolRef> {
        unsupported()
    }
    fn storage_pool_define_xml(&self, xml: &str, flags: u32) -> Result<PoolRef> {
        unsupported()
    }
    fn storage_pool_build(&self, pool: &PoolRef, flags: u32) -> Result<()> {
        unsupported()
    }
    fn storage_pool_undefine(&self, pool: &PoolRef) -> Result<()> {
        unsupported()
    }
    fn storage_pool_create(&self, pool: &PoolRef, flags: u32) -> Result<()> {
        unsupported()
    }
    fn storage_pool_destroy(&self, pool: &PoolRef) -> Result<()> {
        unsupported()
    }
    fn storage_pool_delete(&self, pool: &PoolRef, flags: u32) -> Result<()> {
        unsupported()
    }
    fn storage_pool_refresh(&self, pool: &PoolRef, flags: u32) -> Result<()> {
        unsupported()
    }
    fn storage_pool_get_info(&self, pool: &PoolRef) -> Result<PoolInfo> {
        unsupported()
    }
    fn storage_pool_get_xml_desc(&self, pool: &PoolRef, flags: u32) -> Result<String> {
        unsupported()
    }
    fn storage_pool_get_autostart(&self, pool: &PoolRef) -> Result<bool> {
        unsupported()
    }
    fn storage_pool_set_autostart(&self, pool: &PoolRef, autostart: bool) -> Result<()> {
        unsupported()
    }
    fn storage_pool_num_of_volumes(&self, pool: &PoolRef) -> Result<i32> {
        unsupported()
    }
    fn storage_pool_list_volumes(&self, pool: &PoolRef, max: usize) -> Result<Vec<String>> {
        unsupported()
    }
    fn storage_pool_list_all_volumes(&self, pool: &PoolRef, flags: u32) -> Result<Vec<VolRef>> {
        unsupported()
    }
    fn storage_pool_is_active(&self, pool: &PoolRef) -> Result<bool> {
        unsupported()
    }
    fn storage_pool_is_persistent(&self, pool: &PoolRef) -> Result<bool> {
        unsupported()
    }
    fn storage_vol_lookup_by_name(&self, pool: &PoolRef, name: &str) -> Result<VolRef> {
        unsupported()
    }
    fn storage_vol_lookup_by_key(&self, key: &str) -> Result<VolRef> {
        unsupported()
    }
    fn storage_vol_lookup_by_path(&self, path: &str) -> Result<VolRef> {
        unsupported()
    }
    fn storage_vol_create_xml(&self, pool: &PoolRef, xml: &str, flags: u32) -> Result<VolRef> {
        unsupported()
    }
    fn storage_vol_create_xml_from(
        &self,
        pool: &PoolRef,
        xml: &str,
        clone: &VolRef,
        flags: u32,
    ) -> Result<VolRef> {
        unsupported()
    }
    fn storage_vol_delete(&self, vol: &VolRef, flags: u32) -> Result<()> {
        unsupported()
    }
    fn storage_vol_get_info(&self, vol: &VolRef) -> Result<VolInfo> {
        unsupported()
    }
    fn storage_vol_get_xml_desc(&self, vol: &VolRef, flags: u32) -> Result<String> {
        unsupported()
    }
    fn storage_vol_get_path(&self, vol: &VolRef) -> Result<String> {
        unsupported()
    }

    fn storage_vol_get_info_flags(&self, vol: &VolRef, flags: u32) -> Result<VolInfo> {
        unsupported()
    }
    fn storage_vol_resize(&self, vol: &VolRef, capacity: u64, flags: u32) -> Result<()> {
        unsupported()
    }
    fn storage_vol_wipe(&self, vol: &VolRef, flags: u32) -> Result<()> {
        unsupported()
    }
    fn storage_vol_wipe_pattern(&self, vol: &VolRef, algorithm: u32, flags: u32) -> Result<()> {
        unsupported()
    }
    fn storage_pool_lookup_by_target_path(&self, path: &str) -> Result<PoolRef> {
        unsupported()
    }
    fn connect_get_storage_pool_capabilities(&self, flags: u32) -> Result<String> {
        unsupported()
    }

    /// Storage pool events of `event_id` (a `virStoragePoolEventID`) for one pool or all,
    /// handed to `cb` on the driver's thread; the driver's registration id.
    fn connect_storage_pool_event_register_any(
        &self,
        pool: Option<&PoolRef>,
        event_id: i32,
        cb: EventSink,
    ) -> Result<i32> {
        unsupported()
    }
    /// Ends a registration of `connect_storage_pool_event_register_any` (the driver's id).
    fn connect_storage_pool_event_deregister_any(&self, id: i32) -> Result<()> {
        unsupported()
    }

    // ---- volume streams (sparse): the stream a volume's bytes travel on, for the public
    // stream (`nonblock`: opened with VIR_STREAM_NONBLOCK).
    fn storage_vol_upload(
        &self,
        vol: &VolRef,
        offset: u64,
        length: u64,
        flags: u32,
        nonblock: bool,
    ) -> Result<std::sync::Arc<dyn crate::core::stream::StreamBackend>> {
        unsupported()
    }
    fn storage_vol_download(
        &self,
        vol: &VolRef,
        offset: u64,
        length: u64,
        flags: u32,
        nonblock: bool,
    ) -> Result<std::sync::Arc<dyn crate::core::stream::StreamBackend>> {
        unsupported()
    }
}
