//! Pinning, IOThreads, rename, snapshot revert, screenshot and send-key over the remote
//! protocol (scope: pin): one typed call per operation, with the checks libvirt's client makes
//! around it.

use super::domstats::wire_params;
use super::{RemoteDriver, rpc_error, snapshot, supports_feature};
use crate::core::driver::{DomainRef, IoThreadInfo, TypedParam};
use crate::core::stream::StreamBackend;
use crate::core::{Domain, Result, VirError};
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;
use crate::rpc::stream::RpcStream;
use std::sync::Arc;

/// `virTypedParamsSerialize` for a call: at most `limit` parameters.
impl RemoteDriver {
    pub(super) fn pin_vcpu(&self, d: &DomainRef, vcpu: u32, map: &[u8]) -> Result<()> {
        self.call::<p::DomainPinVcpu>(&RemoteDomainPinVcpuArgs {
            dom: d.clone(),
            vcpu,
            cpumap: map.to_vec(),
        })
    }

    pub(super) fn pin_vcpu_flags(
        &self,
        d: &DomainRef,
        vcpu: u32,
        map: &[u8],
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainPinVcpuFlags>(&RemoteDomainPinVcpuFlagsArgs {
            dom: d.clone(),
            vcpu,
            cpumap: map.to_vec(),
            flags,
        })
    }

    pub(super) fn pin_get_vcpu_pin_info(
        &self,
        d: &DomainRef,
        ncpumaps: i32,
        maplen: i32,
        flags: u32,
    ) -> Result<(i32, Vec<u8>)> {
        if ncpumaps > REMOTE_VCPUINFO_MAX as i32 {
            return Err(rpc_error(format!(
                "vCPU count exceeds maximum: {ncpumaps} > {REMOTE_VCPUINFO_MAX}"
            )));
        }
        let room = ncpumaps as i64 * maplen as i64;
        if room > REMOTE_CPUMAPS_MAX as i64 {
            return Err(rpc_error(format!(
                "vCPU map buffer length exceeds maximum: {} > {REMOTE_CPUMAPS_MAX}",
                ncpumaps.wrapping_mul(maplen)
            )));
        }
        let r = self.call::<p::DomainGetVcpuPinInfo>(&RemoteDomainGetVcpuPinInfoArgs {
            dom: d.clone(),
            ncpumaps,
            maplen,
            flags,
        })?;
        if r.num > ncpumaps {
            return Err(rpc_error(format!(
                "host reports too many vCPUs: {} > {ncpumaps}",
                r.num
            )));
        }
        if r.cpumaps.len() as i64 > room {
            return Err(rpc_error(format!(
                "host reports map buffer length exceeds maximum: {} > {room}",
                r.cpumaps.len()
            )));
        }
        // libvirt's client clears the whole buffer before copying the maps in.
        let mut maps = r.cpumaps;
        maps.resize(room as usize, 0);
        Ok((r.num, maps))
    }

    pub(super) fn pin_emulator(&self, d: &DomainRef, map: &[u8], flags: u32) -> Result<()> {
        self.call::<p::DomainPinEmulator>(&RemoteDomainPinEmulatorArgs {
            dom: d.clone(),
            cpumap: map.to_vec(),
            flags,
        })
    }

    pub(super) fn pin_get_emulator_pin_info(
        &self,
        d: &DomainRef,
        maplen: i32,
        flags: u32,
    ) -> Result<(i32, Vec<u8>)> {
        if maplen > REMOTE_CPUMAPS_MAX as i32 {
            return Err(rpc_error(format!(
                "vCPU map buffer length exceeds maximum: {maplen} > {REMOTE_CPUMAPS_MAX}"
            )));
        }
        let r = self.call::<p::DomainGetEmulatorPinInfo>(&RemoteDomainGetEmulatorPinInfoArgs {
            dom: d.clone(),
            maplen,
            flags,
        })?;
        if r.cpumaps.len() > maplen as usize {
            return Err(rpc_error(format!(
                "host reports map buffer length exceeds maximum: {} > {maplen}",
                r.cpumaps.len()
            )));
        }
        let mut map = r.cpumaps;
        map.resize(maplen as usize, 0);
        Ok((r.ret, map))
    }

    pub(super) fn pin_get_iothread_info(
        &self,
        d: &DomainRef,
        flags: u32,
    ) -> Result<Vec<IoThreadInfo>> {
        let r = self.call::<p::DomainGetIothreadInfo>(&RemoteDomainGetIothreadInfoArgs {
            dom: d.clone(),
            flags,
        })?;
        if r.info.len() > REMOTE_IOTHREAD_INFO_MAX as usize {
            return Err(VirError::internal(
                Domain::VIR_FROM_REMOTE,
                format!(
                    "Too many IOThreads in info: {} for limit {REMOTE_IOTHREAD_INFO_MAX}",
                    r.info.len()
                ),
            ));
        }
        Ok(r.info
            .into_iter()
            .map(|t| IoThreadInfo {
                iothread_id: t.iothread_id,
                cpumap: t.cpumap,
            })
            .collect())
    }

    pub(super) fn pin_iothread(
        &self,
        d: &DomainRef,
        id: u32,
        map: &[u8],
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainPinIothread>(&RemoteDomainPinIothreadArgs {
            dom: d.clone(),
            iothreads_id: id,
            cpumap: map.to_vec(),
            flags,
        })
    }

    pub(super) fn pin_add_iothread(&self, d: &DomainRef, id: u32, flags: u32) -> Result<()> {
        self.call::<p::DomainAddIothread>(&RemoteDomainAddIothreadArgs {
            dom: d.clone(),
            iothread_id: id,
            flags,
        })
    }

    pub(super) fn pin_del_iothread(&self, d: &DomainRef, id: u32, flags: u32) -> Result<()> {
        self.call::<p::DomainDelIothread>(&RemoteDomainDelIothreadArgs {
            dom: d.clone(),
            iothread_id: id,
            flags,
        })
    }

    pub(super) fn pin_set_iothread_params(
        &self,
        d: &DomainRef,
        id: u32,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        let params = wire_params(params, REMOTE_DOMAIN_IOTHREAD_PARAMS_MAX)?;
        self.call::<p::DomainSetIothreadParams>(&RemoteDomainSetIothreadParamsArgs {
            dom: d.clone(),
            iothread_id: id,
            params,
            flags,
        })
    }

    pub(super) fn pin_rename(&self, d: &DomainRef, new_name: &str, flags: u32) -> Result<bool> {
        let r = self.call::<p::DomainRename>(&RemoteDomainRenameArgs {
            dom: d.clone(),
            new_name: Some(new_name.to_string()),
            flags,
        })?;
        if r.retcode < 0 {
            return Err(VirError::generic());
        }
        Ok(r.retcode == 0)
    }

    pub(super) fn pin_revert(&self, d: &DomainRef, name: &str, flags: u32) -> Result<Option<i32>> {
        self.call::<p::DomainRevertToSnapshot>(&RemoteDomainRevertToSnapshotArgs {
            snap: snapshot(d, name),
            flags,
        })?;
        // The daemon's handle is not the caller's: libvirt's client keeps the handle's id.
        Ok(None)
    }

    pub(super) fn pin_screenshot(
        &self,
        d: &DomainRef,
        screen: u32,
        flags: u32,
        nonblock: bool,
    ) -> Result<(String, Arc<dyn StreamBackend>)> {
        let args = RemoteDomainScreenshotArgs {
            dom: d.clone(),
            screen,
            flags,
        };
        let (r, shared) = self.client.call_proc_stream::<p::DomainScreenshot>(&args)?;
        let stream: Arc<dyn StreamBackend> =
            Arc::new(RpcStream::new(self.client.stream_conn(), shared, nonblock));
        // A daemon that answers no type leaves the caller's result NULL: libvirt reports
        // nothing more specific.
        let mime = r.mime.ok_or_else(VirError::generic)?;
        Ok((mime, stream))
    }

    pub(super) fn pin_send_key(
        &self,
        d: &DomainRef,
        codeset: u32,
        holdtime: u32,
        keys: &[u32],
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainSendKey>(&RemoteDomainSendKeyArgs {
            dom: d.clone(),
            codeset,
            holdtime,
            keycodes: keys.to_vec(),
            flags,
        })
    }

    pub(super) fn pin_supports_feature(&self, feature: i32) -> Result<bool> {
        // VIR_DRV_FEATURE_REMOTE is the client's own answer.
        if feature == 2 {
            return Ok(true);
        }
        supports_feature(&self.client, feature)
    }
}
