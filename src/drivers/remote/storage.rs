//! The remote driver's storage family: one typed call per public function through the
//! generated protocol tables, with libvirt's client-side list limits.

use super::{RemoteDriver, rpc_error};
use crate::core::Result;
use crate::core::driver::{
    EventFamily, EventKey, EventSink, PoolInfo, PoolRef, StorageDriver, VolInfo, VolRef,
};
use crate::core::stream::StreamBackend;
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;
use std::sync::Arc;

fn pool(r: &PoolRef) -> RemoteNonnullStoragePool {
    RemoteNonnullStoragePool {
        name: r.name.clone(),
        uuid: r.uuid,
    }
}

fn from_pool(r: RemoteNonnullStoragePool) -> PoolRef {
    PoolRef {
        name: r.name,
        uuid: r.uuid,
    }
}

pub(super) fn vol(r: &VolRef) -> RemoteNonnullStorageVol {
    RemoteNonnullStorageVol {
        pool: r.pool.clone(),
        name: r.name.clone(),
        key: r.key.clone(),
    }
}

fn from_vol(r: RemoteNonnullStorageVol) -> VolRef {
    VolRef {
        pool: r.pool,
        name: r.name,
        key: r.key,
    }
}

/// libvirt's generated client refuses to ask for more names than the protocol carries, and a
/// reply longer than it asked for.
fn names_max(asked: usize, limit: u32, func: &str) -> Result<i32> {
    if asked > limit as usize {
        return Err(rpc_error(format!(
            "too many remote strings: {asked} > {limit},in parameter 'names' for '{func}'"
        )));
    }
    Ok(asked as i32)
}

fn names_reply(names: Vec<String>, asked: usize, func: &str) -> Result<Vec<String>> {
    if names.len() > asked {
        return Err(rpc_error(format!(
            "too many remote strings: {} > {asked},in parameter 'names' for '{func}'",
            names.len()
        )));
    }
    Ok(names)
}

impl StorageDriver for RemoteDriver {
    fn connect_num_of_storage_pools(&self) -> Result<i32> {
        Ok(self.call::<p::ConnectNumOfStoragePools>(&())?.num)
    }
    fn connect_list_storage_pools(&self, max: usize) -> Result<Vec<String>> {
        const F: &str = "virConnectListStoragePools";
        let maxnames = names_max(max, REMOTE_STORAGE_POOL_LIST_MAX, F)?;
        let r = self
            .call::<p::ConnectListStoragePools>(&RemoteConnectListStoragePoolsArgs { maxnames })?;
        names_reply(r.names, max, F)
    }
    fn connect_num_of_defined_storage_pools(&self) -> Result<i32> {
        Ok(self.call::<p::ConnectNumOfDefinedStoragePools>(&())?.num)
    }
    fn connect_list_defined_storage_pools(&self, max: usize) -> Result<Vec<String>> {
        const F: &str = "virConnectListDefinedStoragePools";
        let maxnames = names_max(max, REMOTE_STORAGE_POOL_LIST_MAX, F)?;
        let r = self.call::<p::ConnectListDefinedStoragePools>(
            &RemoteConnectListDefinedStoragePoolsArgs { maxnames },
        )?;
        names_reply(r.names, max, F)
    }
    fn connect_list_all_storage_pools(&self, flags: u32) -> Result<Vec<PoolRef>> {
        let args = RemoteConnectListAllStoragePoolsArgs {
            need_results: 1,
            flags,
        };
        let r = self.call::<p::ConnectListAllStoragePools>(&args)?;
        Ok(r.pools.into_iter().map(from_pool).collect())
    }
    fn connect_find_storage_pool_sources(
        &self,
        kind: &str,
        src_spec: Option<&str>,
        flags: u32,
    ) -> Result<String> {
        let args = RemoteConnectFindStoragePoolSourcesArgs {
            r#type: kind.to_string(),
            src_spec: src_spec.map(str::to_string),
            flags,
        };
        Ok(self.call::<p::ConnectFindStoragePoolSources>(&args)?.xml)
    }
    fn storage_pool_lookup_by_name(&self, name: &str) -> Result<PoolRef> {
        let args = RemoteStoragePoolLookupByNameArgs {
            name: name.to_string(),
        };
        Ok(from_pool(
            self.call::<p::StoragePoolLookupByName>(&args)?.pool,
        ))
    }
    fn storage_pool_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<PoolRef> {
        let args = RemoteStoragePoolLookupByUuidArgs { uuid: *uuid };
        Ok(from_pool(
            self.call::<p::StoragePoolLookupByUuid>(&args)?.pool,
        ))
    }
    fn storage_pool_lookup_by_volume(&self, v: &VolRef) -> Result<PoolRef> {
        let args = RemoteStoragePoolLookupByVolumeArgs { vol: vol(v) };
        Ok(from_pool(
            self.call::<p::StoragePoolLookupByVolume>(&args)?.pool,
        ))
    }
    fn storage_pool_create_xml(&self, xml: &str, flags: u32) -> Result<PoolRef> {
        let args = RemoteStoragePoolCreateXmlArgs {
            xml: xml.to_string(),
            flags,
        };
        Ok(from_pool(self.call::<p::StoragePoolCreateXml>(&args)?.pool))
    }
    fn storage_pool_define_xml(&self, xml: &str, flags: u32) -> Result<PoolRef> {
        let args = RemoteStoragePoolDefineXmlArgs {
            xml: xml.to_string(),
            flags,
        };
        Ok(from_pool(self.call::<p::StoragePoolDefineXml>(&args)?.pool))
    }
    fn storage_pool_build(&self, p: &PoolRef, flags: u32) -> Result<()> {
        let args = RemoteStoragePoolBuildArgs {
            pool: pool(p),
            flags,
        };
        self.call::<p::StoragePoolBuild>(&args)
    }
    fn storage_pool_undefine(&self, p: &PoolRef) -> Result<()> {
        self.call::<p::StoragePoolUndefine>(&RemoteStoragePoolUndefineArgs { pool: pool(p) })
    }
    fn storage_pool_create(&self, p: &PoolRef, flags: u32) -> Result<()> {
        let args = RemoteStoragePoolCreateArgs {
            pool: pool(p),
            flags,
        };
        self.call::<p::StoragePoolCreate>(&args)
    }
    fn storage_pool_destroy(&self, p: &PoolRef) -> Result<()> {
        self.call::<p::StoragePoolDestroy>(&RemoteStoragePoolDestroyArgs { pool: pool(p) })
    }
    fn storage_pool_delete(&self, p: &PoolRef, flags: u32) -> Result<()> {
        let args = RemoteStoragePoolDeleteArgs {
            pool: pool(p),
            flags,
        };
        self.call::<p::StoragePoolDelete>(&args)
    }
    fn storage_pool_refresh(&self, p: &PoolRef, flags: u32) -> Result<()> {
        let args = RemoteStoragePoolRefreshArgs {
            pool: pool(p),
            flags,
        };
        self.call::<p::StoragePoolRefresh>(&args)
    }
    fn storage_pool_get_info(&self, p: &PoolRef) -> Result<PoolInfo> {
        let r =
            self.call::<p::StoragePoolGetInfo>(&RemoteStoragePoolGetInfoArgs { pool: pool(p) })?;
        Ok(PoolInfo {
            state: r.state as i32,
            capacity: r.capacity,
            allocation: r.allocation,
            available: r.available,
        })
    }
    fn storage_pool_get_xml_desc(&self, p: &PoolRef, flags: u32) -> Result<String> {
        let args = RemoteStoragePoolGetXmlDescArgs {
            pool: pool(p),
            flags,
        };
        Ok(self.call::<p::StoragePoolGetXmlDesc>(&args)?.xml)
    }
    fn storage_pool_get_autostart(&self, p: &PoolRef) -> Result<bool> {
        let args = RemoteStoragePoolGetAutostartArgs { pool: pool(p) };
        Ok(self.call::<p::StoragePoolGetAutostart>(&args)?.autostart != 0)
    }
    fn storage_pool_set_autostart(&self, p: &PoolRef, autostart: bool) -> Result<()> {
        let args = RemoteStoragePoolSetAutostartArgs {
            pool: pool(p),
            autostart: autostart as i32,
        };
        self.call::<p::StoragePoolSetAutostart>(&args)
    }
    fn storage_pool_num_of_volumes(&self, p: &PoolRef) -> Result<i32> {
        let args = RemoteStoragePoolNumOfVolumesArgs { pool: pool(p) };
        Ok(self.call::<p::StoragePoolNumOfVolumes>(&args)?.num)
    }
    fn storage_pool_list_volumes(&self, p: &PoolRef, max: usize) -> Result<Vec<String>> {
        const F: &str = "virStoragePoolListVolumes";
        let maxnames = names_max(max, REMOTE_STORAGE_VOL_LIST_MAX, F)?;
        let args = RemoteStoragePoolListVolumesArgs {
            pool: pool(p),
            maxnames,
        };
        let r = self.call::<p::StoragePoolListVolumes>(&args)?;
        names_reply(r.names, max, F)
    }
    fn storage_pool_list_all_volumes(&self, p: &PoolRef, flags: u32) -> Result<Vec<VolRef>> {
        let args = RemoteStoragePoolListAllVolumesArgs {
            pool: pool(p),
            need_results: 1,
            flags,
        };
        let r = self.call::<p::StoragePoolListAllVolumes>(&args)?;
        Ok(r.vols.into_iter().map(from_vol).collect())
    }
    fn storage_pool_is_active(&self, p: &PoolRef) -> Result<bool> {
        let args = RemoteStoragePoolIsActiveArgs { pool: pool(p) };
        Ok(self.call::<p::StoragePoolIsActive>(&args)?.active != 0)
    }
    fn storage_pool_is_persistent(&self, p: &PoolRef) -> Result<bool> {
        let args = RemoteStoragePoolIsPersistentArgs { pool: pool(p) };
        Ok(self.call::<p::StoragePoolIsPersistent>(&args)?.persistent != 0)
    }
    fn storage_vol_lookup_by_name(&self, p: &PoolRef, name: &str) -> Result<VolRef> {
        let args = RemoteStorageVolLookupByNameArgs {
            pool: pool(p),
            name: name.to_string(),
        };
        Ok(from_vol(self.call::<p::StorageVolLookupByName>(&args)?.vol))
    }
    fn storage_vol_lookup_by_key(&self, key: &str) -> Result<VolRef> {
        let args = RemoteStorageVolLookupByKeyArgs {
            key: key.to_string(),
        };
        Ok(from_vol(self.call::<p::StorageVolLookupByKey>(&args)?.vol))
    }
    fn storage_vol_lookup_by_path(&self, path: &str) -> Result<VolRef> {
        let args = RemoteStorageVolLookupByPathArgs {
            path: path.to_string(),
        };
        Ok(from_vol(self.call::<p::StorageVolLookupByPath>(&args)?.vol))
    }
    fn storage_vol_create_xml(&self, p: &PoolRef, xml: &str, flags: u32) -> Result<VolRef> {
        let args = RemoteStorageVolCreateXmlArgs {
            pool: pool(p),
            xml: xml.to_string(),
            flags,
        };
        Ok(from_vol(self.call::<p::StorageVolCreateXml>(&args)?.vol))
    }
    fn storage_vol_create_xml_from(
        &self,
        p: &PoolRef,
        xml: &str,
        clone: &VolRef,
        flags: u32,
    ) -> Result<VolRef> {
        let args = RemoteStorageVolCreateXmlFromArgs {
            pool: pool(p),
            xml: xml.to_string(),
            clonevol: vol(clone),
            flags,
        };
        Ok(from_vol(
            self.call::<p::StorageVolCreateXmlFrom>(&args)?.vol,
        ))
    }
    fn storage_vol_delete(&self, v: &VolRef, flags: u32) -> Result<()> {
        let args = RemoteStorageVolDeleteArgs { vol: vol(v), flags };
        self.call::<p::StorageVolDelete>(&args)
    }
    fn storage_vol_get_info(&self, v: &VolRef) -> Result<VolInfo> {
        let r = self.call::<p::StorageVolGetInfo>(&RemoteStorageVolGetInfoArgs { vol: vol(v) })?;
        Ok(VolInfo {
            kind: r.r#type as i32,
            capacity: r.capacity,
            allocation: r.allocation,
        })
    }
    fn storage_vol_get_xml_desc(&self, v: &VolRef, flags: u32) -> Result<String> {
        let args = RemoteStorageVolGetXmlDescArgs { vol: vol(v), flags };
        Ok(self.call::<p::StorageVolGetXmlDesc>(&args)?.xml)
    }
    fn storage_vol_get_path(&self, v: &VolRef) -> Result<String> {
        let args = RemoteStorageVolGetPathArgs { vol: vol(v) };
        Ok(self.call::<p::StorageVolGetPath>(&args)?.name)
    }

    fn storage_vol_get_info_flags(&self, v: &VolRef, flags: u32) -> Result<VolInfo> {
        let args = RemoteStorageVolGetInfoFlagsArgs { vol: vol(v), flags };
        let r = self.call::<p::StorageVolGetInfoFlags>(&args)?;
        Ok(VolInfo {
            kind: r.r#type as i32,
            capacity: r.capacity,
            allocation: r.allocation,
        })
    }
    fn storage_vol_resize(&self, v: &VolRef, capacity: u64, flags: u32) -> Result<()> {
        let args = RemoteStorageVolResizeArgs {
            vol: vol(v),
            capacity,
            flags,
        };
        self.call::<p::StorageVolResize>(&args)
    }
    fn storage_vol_wipe(&self, v: &VolRef, flags: u32) -> Result<()> {
        self.call::<p::StorageVolWipe>(&RemoteStorageVolWipeArgs { vol: vol(v), flags })
    }
    fn storage_vol_wipe_pattern(&self, v: &VolRef, algorithm: u32, flags: u32) -> Result<()> {
        let args = RemoteStorageVolWipePatternArgs {
            vol: vol(v),
            algorithm,
            flags,
        };
        self.call::<p::StorageVolWipePattern>(&args)
    }
    fn storage_pool_lookup_by_target_path(&self, path: &str) -> Result<PoolRef> {
        let args = RemoteStoragePoolLookupByTargetPathArgs {
            path: path.to_string(),
        };
        Ok(from_pool(
            self.call::<p::StoragePoolLookupByTargetPath>(&args)?.pool,
        ))
    }
    fn connect_get_storage_pool_capabilities(&self, flags: u32) -> Result<String> {
        let args = RemoteConnectGetStoragePoolCapabilitiesArgs { flags };
        Ok(self
            .call::<p::ConnectGetStoragePoolCapabilities>(&args)?
            .capabilities)
    }

    fn connect_storage_pool_event_register_any(
        &self,
        p: Option<&PoolRef>,
        event_id: i32,
        cb: EventSink,
    ) -> Result<i32> {
        let filter = p.map(|p| EventKey::Uuid(p.uuid));
        self.event_register(EventFamily::StoragePool, event_id, filter, cb, || {
            let args = RemoteConnectStoragePoolEventRegisterAnyArgs {
                event_id,
                pool: p.map(pool),
            };
            Ok(self
                .call::<p::ConnectStoragePoolEventRegisterAny>(&args)?
                .callback_id)
        })
    }
    fn connect_storage_pool_event_deregister_any(&self, id: i32) -> Result<()> {
        self.event_deregister(id, |callback_id| {
            self.call::<p::ConnectStoragePoolEventDeregisterAny>(
                &RemoteConnectStoragePoolEventDeregisterAnyArgs { callback_id },
            )
        })
    }

    // ---- volume streams (sparse): the calls are in volstream.rs.
    fn storage_vol_upload(
        &self,
        v: &VolRef,
        offset: u64,
        length: u64,
        flags: u32,
        nonblock: bool,
    ) -> Result<Arc<dyn StreamBackend>> {
        self.vol_stream(v, offset, length, flags, nonblock, false)
    }
    fn storage_vol_download(
        &self,
        v: &VolRef,
        offset: u64,
        length: u64,
        flags: u32,
        nonblock: bool,
    ) -> Result<Arc<dyn StreamBackend>> {
        self.vol_stream(v, offset, length, flags, nonblock, true)
    }
}
