//! The remote driver's domain statistics and miscellaneous domain calls (scope: domstats):
//! one typed call each, with libvirt's client-side limits on what is asked and answered.

use super::{RemoteDriver, rpc_error};
use crate::core::Result;
use crate::core::driver::{
    BlockInfo, BlockStats, CpuStats, DomainRef, DomainStatsRecord, InterfaceStats, TypedParam,
    TypedValue,
};
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;

/// `virTypedParamsDeserialize` for a reply: at most `limit` parameters.
pub(super) fn typed_params(list: Vec<RemoteTypedParam>, limit: u32) -> Result<Vec<TypedParam>> {
    if list.len() > limit as usize {
        return Err(rpc_error(format!(
            "too many parameters '{}' for limit '{limit}'",
            list.len()
        )));
    }
    Ok(list.into_iter().map(typed_param).collect())
}

fn typed_param(r: RemoteTypedParam) -> TypedParam {
    let value = match r.value {
        RemoteTypedParamValue::Int(v) => TypedValue::Int(v),
        RemoteTypedParamValue::Uint(v) => TypedValue::UInt(v),
        RemoteTypedParamValue::Llong(v) => TypedValue::LLong(v),
        RemoteTypedParamValue::Ullong(v) => TypedValue::ULLong(v),
        RemoteTypedParamValue::Double(v) => TypedValue::Double(v),
        RemoteTypedParamValue::Boolean(v) => TypedValue::Boolean(v != 0),
        RemoteTypedParamValue::String(v) => TypedValue::String(v),
    };
    TypedParam {
        field: r.field,
        value,
    }
}

impl RemoteDriver {
    pub(super) fn rs_block_stats(&self, d: &DomainRef, path: &str) -> Result<BlockStats> {
        let r = self.call::<p::DomainBlockStats>(&RemoteDomainBlockStatsArgs {
            dom: d.clone(),
            path: path.to_string(),
        })?;
        Ok(BlockStats {
            rd_req: r.rd_req,
            rd_bytes: r.rd_bytes,
            wr_req: r.wr_req,
            wr_bytes: r.wr_bytes,
            errs: r.errs,
        })
    }

    pub(super) fn rs_interface_stats(&self, d: &DomainRef, device: &str) -> Result<InterfaceStats> {
        let r = self.call::<p::DomainInterfaceStats>(&RemoteDomainInterfaceStatsArgs {
            dom: d.clone(),
            device: device.to_string(),
        })?;
        Ok(InterfaceStats {
            rx_bytes: r.rx_bytes,
            rx_packets: r.rx_packets,
            rx_errs: r.rx_errs,
            rx_drop: r.rx_drop,
            tx_bytes: r.tx_bytes,
            tx_packets: r.tx_packets,
            tx_errs: r.tx_errs,
            tx_drop: r.tx_drop,
        })
    }

    pub(super) fn rs_memory_stats(
        &self,
        d: &DomainRef,
        nr: u32,
        flags: u32,
    ) -> Result<Vec<(i32, u64)>> {
        if nr > REMOTE_DOMAIN_MEMORY_STATS_MAX {
            return Err(rpc_error(format!(
                "too many memory stats requested: {nr} > {REMOTE_DOMAIN_MEMORY_STATS_MAX}"
            )));
        }
        let r = self.call::<p::DomainMemoryStats>(&RemoteDomainMemoryStatsArgs {
            dom: d.clone(),
            max_stats: nr,
            flags,
        })?;
        Ok(r.stats.into_iter().map(|s| (s.tag, s.val)).collect())
    }

    pub(super) fn rs_block_info(&self, d: &DomainRef, path: &str, flags: u32) -> Result<BlockInfo> {
        let r = self.call::<p::DomainGetBlockInfo>(&RemoteDomainGetBlockInfoArgs {
            dom: d.clone(),
            path: path.to_string(),
            flags,
        })?;
        Ok(BlockInfo {
            capacity: r.capacity,
            allocation: r.allocation,
            physical: r.physical,
        })
    }

    pub(super) fn rs_cpu_stats(
        &self,
        d: &DomainRef,
        nparams: u32,
        start_cpu: i32,
        ncpus: u32,
        flags: u32,
    ) -> Result<CpuStats> {
        if nparams > REMOTE_NODE_CPU_STATS_MAX {
            return Err(rpc_error(format!(
                "nparams count exceeds maximum: {nparams} > {REMOTE_NODE_CPU_STATS_MAX}"
            )));
        }
        if ncpus > REMOTE_DOMAIN_GET_CPU_STATS_NCPUS_MAX {
            return Err(rpc_error(format!(
                "ncpus count exceeds maximum: {ncpus} > {REMOTE_DOMAIN_GET_CPU_STATS_NCPUS_MAX}"
            )));
        }
        let r = self.call::<p::DomainGetCpuStats>(&RemoteDomainGetCpuStatsArgs {
            dom: d.clone(),
            nparams,
            start_cpu,
            ncpus,
            flags,
        })?;
        let len = r.params.len();
        let stride = r.nparams.max(0) as usize;
        if len > nparams as usize * ncpus as usize
            || (len != 0 && (stride == 0 || len % stride != 0 || r.nparams as u32 > nparams))
        {
            return Err(rpc_error(
                "remoteDomainGetCPUStats: returned number of stats exceeds limit".into(),
            ));
        }
        if nparams == 0 {
            return Ok(CpuStats {
                ret: r.nparams,
                params: Vec::new(),
            });
        }
        // The daemon leaves out empty slots: spread each CPU's stride back over `nparams`.
        let mut grid = vec![None; nparams as usize * ncpus as usize];
        let mut it = r.params.into_iter();
        for cpu in 0..len.checked_div(stride).unwrap_or(0) {
            for j in 0..stride {
                if let Some(p) = it.next() {
                    grid[cpu * nparams as usize + j] = Some(typed_param(p));
                }
            }
        }
        Ok(CpuStats {
            ret: r.nparams,
            params: grid,
        })
    }

    pub(super) fn rs_all_domain_stats(
        &self,
        doms: &[DomainRef],
        stats: u32,
        flags: u32,
    ) -> Result<Vec<DomainStatsRecord>> {
        let r = self.call::<p::ConnectGetAllDomainStats>(&RemoteConnectGetAllDomainStatsArgs {
            doms: doms.to_vec(),
            stats,
            flags,
        })?;
        if r.ret_stats.len() > REMOTE_DOMAIN_LIST_MAX as usize {
            return Err(crate::core::VirError::internal(
                crate::core::Domain::VIR_FROM_REMOTE,
                format!(
                    "Number of stats entries is {}, which exceeds max limit: {REMOTE_DOMAIN_LIST_MAX}",
                    r.ret_stats.len()
                ),
            ));
        }
        r.ret_stats
            .into_iter()
            .map(|rec| {
                Ok(DomainStatsRecord {
                    dom: rec.dom,
                    params: typed_params(rec.params, REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX)?,
                })
            })
            .collect()
    }

    pub(super) fn rs_disk_errors(
        &self,
        d: &DomainRef,
        maxerrors: u32,
        want: bool,
        flags: u32,
    ) -> Result<(i32, Vec<(String, i32)>)> {
        let maxerrors = if want { maxerrors } else { 0 };
        let r = self.call::<p::DomainGetDiskErrors>(&RemoteDomainGetDiskErrorsArgs {
            dom: d.clone(),
            maxerrors,
            flags,
        })?;
        if r.errors.len() > REMOTE_DOMAIN_DISK_ERRORS_MAX as usize
            || r.errors.len() > maxerrors as usize
        {
            return Err(rpc_error(
                "returned number of disk errors exceeds limit".into(),
            ));
        }
        Ok((
            r.nerrors,
            r.errors.into_iter().map(|e| (e.disk, e.error)).collect(),
        ))
    }

    pub(super) fn rs_memory_peek(
        &self,
        d: &DomainRef,
        start: u64,
        size: usize,
        flags: u32,
    ) -> Result<Vec<u8>> {
        if size > REMOTE_DOMAIN_MEMORY_PEEK_BUFFER_MAX as usize {
            return Err(rpc_error(format!(
                "memory peek request too large for remote protocol, {size} > {REMOTE_DOMAIN_MEMORY_PEEK_BUFFER_MAX}"
            )));
        }
        let r = self.call::<p::DomainMemoryPeek>(&RemoteDomainMemoryPeekArgs {
            dom: d.clone(),
            offset: start,
            size: size as u32,
            flags,
        })?;
        if r.buffer.len() != size {
            return Err(rpc_error(
                "returned buffer is not same size as requested".into(),
            ));
        }
        Ok(r.buffer)
    }
}

// Snapshot and checkpoint children.
impl RemoteDriver {
    pub(super) fn rs_snapshot_children(
        &self,
        d: &DomainRef,
        name: &str,
        flags: u32,
    ) -> Result<Vec<String>> {
        let args = RemoteDomainSnapshotListAllChildrenArgs {
            snapshot: super::snapshot(d, name),
            need_results: 1,
            flags,
        };
        let r = self.call::<p::DomainSnapshotListAllChildren>(&args)?;
        Ok(r.snapshots.into_iter().map(|s| s.name).collect())
    }

    pub(super) fn rs_snapshot_children_names(
        &self,
        d: &DomainRef,
        name: &str,
        max: usize,
        flags: u32,
    ) -> Result<Vec<String>> {
        let limit = REMOTE_DOMAIN_SNAPSHOT_LIST_MAX as usize;
        let what = "in parameter 'names' for 'virDomainSnapshotListChildrenNames'";
        if max > limit {
            return Err(rpc_error(format!(
                "too many remote strings: {max} > {limit},{what}"
            )));
        }
        let args = RemoteDomainSnapshotListChildrenNamesArgs {
            snap: super::snapshot(d, name),
            maxnames: max as i32,
            flags,
        };
        let r = self.call::<p::DomainSnapshotListChildrenNames>(&args)?;
        if r.names.len() > max {
            return Err(rpc_error(format!(
                "too many remote strings: {} > {max},{what}",
                r.names.len()
            )));
        }
        Ok(r.names)
    }

    pub(super) fn rs_checkpoint_children(
        &self,
        d: &DomainRef,
        name: &str,
        flags: u32,
    ) -> Result<Vec<String>> {
        let args = RemoteDomainCheckpointListAllChildrenArgs {
            checkpoint: super::checkpoint(d, name),
            need_results: 1,
            flags,
        };
        let r = self.call::<p::DomainCheckpointListAllChildren>(&args)?;
        Ok(r.checkpoints.into_iter().map(|c| c.name).collect())
    }
}

impl RemoteDriver {
    pub(super) fn rs_fs_freeze_thaw(
        &self,
        d: &DomainRef,
        mounts: &[String],
        freeze: bool,
        flags: u32,
    ) -> Result<i32> {
        let max = REMOTE_DOMAIN_FSFREEZE_MOUNTPOINTS_MAX as usize;
        if mounts.len() > max {
            return Err(rpc_error(format!(
                "mountpoints length greater than maximum: {} > {max}",
                mounts.len()
            )));
        }
        if freeze {
            let args = RemoteDomainFsfreezeArgs {
                dom: d.clone(),
                mountpoints: mounts.to_vec(),
                flags,
            };
            Ok(self.call::<p::DomainFsfreeze>(&args)?.filesystems)
        } else {
            let args = RemoteDomainFsthawArgs {
                dom: d.clone(),
                mountpoints: mounts.to_vec(),
                flags,
            };
            Ok(self.call::<p::DomainFsthaw>(&args)?.filesystems)
        }
    }
}

/// One typed parameter as the wire carries it.
pub(super) fn wire_param(p: &TypedParam) -> RemoteTypedParam {
    RemoteTypedParam {
        field: p.field.clone(),
        value: match &p.value {
            TypedValue::Int(v) => RemoteTypedParamValue::Int(*v),
            TypedValue::UInt(v) => RemoteTypedParamValue::Uint(*v),
            TypedValue::LLong(v) => RemoteTypedParamValue::Llong(*v),
            TypedValue::ULLong(v) => RemoteTypedParamValue::Ullong(*v),
            TypedValue::Double(v) => RemoteTypedParamValue::Double(*v),
            TypedValue::Boolean(v) => RemoteTypedParamValue::Boolean(*v as i32),
            TypedValue::String(v) => RemoteTypedParamValue::String(v.clone()),
        },
    }
}

/// Typed parameters for a call, refused as libvirt's client refuses more than the
/// procedure's limit.
pub(super) fn wire_params(params: &[TypedParam], limit: u32) -> Result<Vec<RemoteTypedParam>> {
    if params.len() > limit as usize {
        return Err(rpc_error(format!(
            "too many parameters '{}' for limit '{limit}'",
            params.len()
        )));
    }
    Ok(params.iter().map(wire_param).collect())
}
