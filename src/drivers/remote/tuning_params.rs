//! Typed-parameter tuning over the remote protocol (scope: params): one typed call per
//! operation, parameters serialized and deserialized with libvirt's client-side limits
//! (`REMOTE_DOMAIN_*_PARAMETERS_MAX`, the caller's `nparams`).

use super::domstats::{typed_params, wire_params};
use super::{RemoteDriver, rpc_error};
use crate::core::Result;
use crate::core::driver::{DomainRef, TypedParam};
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;

/// `virTypedParamsSerialize`: at most `limit` parameters.
/// `virTypedParamsDeserialize` into the caller's `nparams` slots: at most `limit`, at most
/// `nparams`; the count becomes the number received.
fn into_slots(
    list: Vec<RemoteTypedParam>,
    limit: u32,
    nparams: i32,
) -> Result<(i32, Vec<TypedParam>)> {
    if list.len() > limit as usize {
        return Err(rpc_error(format!(
            "too many parameters '{}' for limit '{limit}'",
            list.len()
        )));
    }
    if list.len() as i64 > nparams as i64 {
        return Err(rpc_error(format!(
            "too many parameters '{}' for nparams '{nparams}'",
            list.len()
        )));
    }
    let v = typed_params(list, limit)?;
    Ok((v.len() as i32, v))
}

/// A count-query reply: the count alone when `nparams` was 0.
pub(super) fn counted(
    list: Vec<RemoteTypedParam>,
    count: i32,
    limit: u32,
    nparams: i32,
) -> Result<(i32, Vec<TypedParam>)> {
    if nparams == 0 {
        return Ok((count, Vec::new()));
    }
    into_slots(list, limit, nparams)
}

impl RemoteDriver {
    pub(super) fn params_get_scheduler(
        &self,
        d: &DomainRef,
        nparams: i32,
        flags: Option<u32>,
    ) -> Result<(i32, Vec<TypedParam>)> {
        let dom = d.clone();
        let list = match flags {
            None => {
                self.call::<p::DomainGetSchedulerParameters>(
                    &RemoteDomainGetSchedulerParametersArgs { dom, nparams },
                )?
                .params
            }
            Some(flags) => {
                self.call::<p::DomainGetSchedulerParametersFlags>(
                    &RemoteDomainGetSchedulerParametersFlagsArgs {
                        dom,
                        nparams,
                        flags,
                    },
                )?
                .params
            }
        };
        into_slots(list, REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX, nparams)
    }

    pub(super) fn params_set_scheduler(
        &self,
        d: &DomainRef,
        params: &[TypedParam],
        flags: Option<u32>,
    ) -> Result<()> {
        let dom = d.clone();
        let params = wire_params(params, REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX)?;
        match flags {
            None => self.call::<p::DomainSetSchedulerParameters>(
                &RemoteDomainSetSchedulerParametersArgs { dom, params },
            ),
            Some(flags) => self.call::<p::DomainSetSchedulerParametersFlags>(
                &RemoteDomainSetSchedulerParametersFlagsArgs { dom, params, flags },
            ),
        }
    }

    pub(super) fn params_get_memory(
        &self,
        d: &DomainRef,
        nparams: i32,
        flags: u32,
    ) -> Result<(i32, Vec<TypedParam>)> {
        let r =
            self.call::<p::DomainGetMemoryParameters>(&RemoteDomainGetMemoryParametersArgs {
                dom: d.clone(),
                nparams,
                flags,
            })?;
        counted(
            r.params,
            r.nparams,
            REMOTE_DOMAIN_MEMORY_PARAMETERS_MAX,
            nparams,
        )
    }

    pub(super) fn params_set_memory(
        &self,
        d: &DomainRef,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainSetMemoryParameters>(&RemoteDomainSetMemoryParametersArgs {
            dom: d.clone(),
            params: wire_params(params, REMOTE_DOMAIN_MEMORY_PARAMETERS_MAX)?,
            flags,
        })
    }

    pub(super) fn params_get_numa(
        &self,
        d: &DomainRef,
        nparams: i32,
        flags: u32,
    ) -> Result<(i32, Vec<TypedParam>)> {
        let r = self.call::<p::DomainGetNumaParameters>(&RemoteDomainGetNumaParametersArgs {
            dom: d.clone(),
            nparams,
            flags,
        })?;
        counted(
            r.params,
            r.nparams,
            REMOTE_DOMAIN_NUMA_PARAMETERS_MAX,
            nparams,
        )
    }

    pub(super) fn params_set_numa(
        &self,
        d: &DomainRef,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainSetNumaParameters>(&RemoteDomainSetNumaParametersArgs {
            dom: d.clone(),
            params: wire_params(params, REMOTE_DOMAIN_NUMA_PARAMETERS_MAX)?,
            flags,
        })
    }

    pub(super) fn params_get_blkio(
        &self,
        d: &DomainRef,
        nparams: i32,
        flags: u32,
    ) -> Result<(i32, Vec<TypedParam>)> {
        let r = self.call::<p::DomainGetBlkioParameters>(&RemoteDomainGetBlkioParametersArgs {
            dom: d.clone(),
            nparams,
            flags,
        })?;
        counted(
            r.params,
            r.nparams,
            REMOTE_DOMAIN_BLKIO_PARAMETERS_MAX,
            nparams,
        )
    }

    pub(super) fn params_set_blkio(
        &self,
        d: &DomainRef,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainSetBlkioParameters>(&RemoteDomainSetBlkioParametersArgs {
            dom: d.clone(),
            params: wire_params(params, REMOTE_DOMAIN_BLKIO_PARAMETERS_MAX)?,
            flags,
        })
    }

    pub(super) fn params_get_interface(
        &self,
        d: &DomainRef,
        device: Option<&str>,
        nparams: i32,
        flags: u32,
    ) -> Result<(i32, Vec<TypedParam>)> {
        let device = device.ok_or_else(|| rpc_error("Unable to marshal arguments".into()))?;
        let r = self.call::<p::DomainGetInterfaceParameters>(
            &RemoteDomainGetInterfaceParametersArgs {
                dom: d.clone(),
                device: device.to_string(),
                nparams,
                flags,
            },
        )?;
        counted(
            r.params,
            r.nparams,
            REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX,
            nparams,
        )
    }

    pub(super) fn params_set_interface(
        &self,
        d: &DomainRef,
        device: Option<&str>,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        let device = device.ok_or_else(|| rpc_error("Unable to marshal arguments".into()))?;
        self.call::<p::DomainSetInterfaceParameters>(&RemoteDomainSetInterfaceParametersArgs {
            dom: d.clone(),
            device: device.to_string(),
            params: wire_params(params, REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX)?,
            flags,
        })
    }

    pub(super) fn params_get_block_io_tune(
        &self,
        d: &DomainRef,
        disk: Option<&str>,
        nparams: i32,
        flags: u32,
    ) -> Result<(i32, Vec<TypedParam>)> {
        let r = self.call::<p::DomainGetBlockIoTune>(&RemoteDomainGetBlockIoTuneArgs {
            dom: d.clone(),
            disk: disk.map(str::to_string),
            nparams,
            flags,
        })?;
        counted(
            r.params,
            r.nparams,
            REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX,
            nparams,
        )
    }

    /// `virDomainBlockStatsFlags`: libvirt's client answers the daemon's count when asked
    /// with `nparams` 0.
    pub(super) fn params_get_block_stats(
        &self,
        d: &DomainRef,
        disk: &str,
        nparams: i32,
        flags: u32,
    ) -> Result<(i32, Vec<TypedParam>)> {
        let r = self.call::<p::DomainBlockStatsFlags>(&RemoteDomainBlockStatsFlagsArgs {
            dom: d.clone(),
            path: disk.to_string(),
            nparams,
            flags,
        })?;
        counted(
            r.params,
            r.nparams,
            REMOTE_DOMAIN_BLOCK_STATS_PARAMETERS_MAX,
            nparams,
        )
    }

    pub(super) fn params_save(
        &self,
        d: &DomainRef,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainSaveParams>(&RemoteDomainSaveParamsArgs {
            dom: d.clone(),
            params: wire_params(params, REMOTE_DOMAIN_SAVE_PARAMS_MAX)?,
            flags,
        })
    }

    pub(super) fn params_restore(&self, params: &[TypedParam], flags: u32) -> Result<()> {
        self.call::<p::DomainRestoreParams>(&RemoteDomainRestoreParamsArgs {
            params: wire_params(params, REMOTE_DOMAIN_SAVE_PARAMS_MAX)?,
            flags,
        })
    }

    pub(super) fn params_migrate_perform3(
        &self,
        d: &DomainRef,
        dconnuri: Option<&str>,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainMigratePerform3Params>(&RemoteDomainMigratePerform3ParamsArgs {
            dom: d.clone(),
            dconnuri: dconnuri.map(str::to_string),
            params: wire_params(params, REMOTE_DOMAIN_MIGRATE_PARAM_LIST_MAX)?,
            cookie_in: Vec::new(),
            flags,
        })?;
        Ok(())
    }

    pub(super) fn params_block_copy(
        &self,
        d: &DomainRef,
        disk: &str,
        destxml: &str,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainBlockCopy>(&RemoteDomainBlockCopyArgs {
            dom: d.clone(),
            path: disk.to_string(),
            destxml: destxml.to_string(),
            params: wire_params(params, REMOTE_DOMAIN_BLOCK_COPY_PARAMETERS_MAX)?,
            flags,
        })
    }

    pub(super) fn params_set_block_io_tune(
        &self,
        d: &DomainRef,
        disk: &str,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainSetBlockIoTune>(&RemoteDomainSetBlockIoTuneArgs {
            dom: d.clone(),
            disk: disk.to_string(),
            params: wire_params(params, REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX)?,
            flags,
        })
    }

    pub(super) fn params_get_perf(&self, d: &DomainRef, flags: u32) -> Result<Vec<TypedParam>> {
        let r = self.call::<p::DomainGetPerfEvents>(&RemoteDomainGetPerfEventsArgs {
            dom: d.clone(),
            flags,
        })?;
        typed_params(r.params, REMOTE_DOMAIN_PERF_EVENTS_MAX)
    }

    pub(super) fn params_set_perf(
        &self,
        d: &DomainRef,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainSetPerfEvents>(&RemoteDomainSetPerfEventsArgs {
            dom: d.clone(),
            params: wire_params(params, REMOTE_DOMAIN_PERF_EVENTS_MAX)?,
            flags,
        })
    }

    pub(super) fn params_get_launch_security(
        &self,
        d: &DomainRef,
        flags: u32,
    ) -> Result<Vec<TypedParam>> {
        let r =
            self.call::<p::DomainGetLaunchSecurityInfo>(&RemoteDomainGetLaunchSecurityInfoArgs {
                dom: d.clone(),
                flags,
            })?;
        typed_params(r.params, REMOTE_DOMAIN_LAUNCH_SECURITY_INFO_PARAMS_MAX)
    }

    pub(super) fn params_set_memory_stats_period(
        &self,
        d: &DomainRef,
        period: i32,
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainSetMemoryStatsPeriod>(&RemoteDomainSetMemoryStatsPeriodArgs {
            dom: d.clone(),
            period,
            flags,
        })
    }

    pub(super) fn params_port_get(
        &self,
        port: RemoteNonnullNetworkPort,
        flags: u32,
    ) -> Result<Vec<TypedParam>> {
        let r = self.call::<p::NetworkPortGetParameters>(&RemoteNetworkPortGetParametersArgs {
            port,
            nparams: 0,
            flags,
        })?;
        typed_params(r.params, REMOTE_NETWORK_PORT_PARAMETERS_MAX)
    }

    pub(super) fn params_port_set(
        &self,
        port: RemoteNonnullNetworkPort,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        self.call::<p::NetworkPortSetParameters>(&RemoteNetworkPortSetParametersArgs {
            port,
            params: wire_params(params, REMOTE_NETWORK_PORT_PARAMETERS_MAX)?,
            flags,
        })
    }
}
