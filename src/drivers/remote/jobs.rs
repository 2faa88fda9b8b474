//! Jobs, migration tuning, backups, guest-agent and power calls, block peek, the calls that
//! hand descriptors to the server and the steps of a client-driven migration, over the remote
//! protocol, with the checks libvirt's client makes around each call.

use super::domstats::{typed_params, wire_params};
use super::{RemoteDriver, marshal_nonnull, rpc_error};
use crate::core::Result;
use crate::core::driver::{DomainRef, JobInfo, MigrateArgs, MigrateTunable, TypedParam};
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;
use std::os::fd::RawFd;

impl RemoteDriver {
    pub(super) fn job_info(&self, d: &DomainRef) -> Result<JobInfo> {
        let r = self.call::<p::DomainGetJobInfo>(&RemoteDomainGetJobInfoArgs { dom: d.clone() })?;
        Ok(JobInfo {
            kind: r.r#type,
            time_elapsed: r.time_elapsed,
            time_remaining: r.time_remaining,
            data_total: r.data_total,
            data_processed: r.data_processed,
            data_remaining: r.data_remaining,
            mem_total: r.mem_total,
            mem_processed: r.mem_processed,
            mem_remaining: r.mem_remaining,
            file_total: r.file_total,
            file_processed: r.file_processed,
            file_remaining: r.file_remaining,
        })
    }

    pub(super) fn job_stats(&self, d: &DomainRef, flags: u32) -> Result<(i32, Vec<TypedParam>)> {
        let r = self.call::<p::DomainGetJobStats>(&RemoteDomainGetJobStatsArgs {
            dom: d.clone(),
            flags,
        })?;
        Ok((
            r.r#type,
            typed_params(r.params, REMOTE_DOMAIN_JOB_STATS_MAX)?,
        ))
    }

    pub(super) fn job_migrate_get(
        &self,
        d: &DomainRef,
        which: MigrateTunable,
        flags: u32,
    ) -> Result<u64> {
        let dom = d.clone();
        Ok(match which {
            MigrateTunable::CompressionCache => {
                let args = RemoteDomainMigrateGetCompressionCacheArgs { dom, flags };
                self.call::<p::DomainMigrateGetCompressionCache>(&args)?
                    .cache_size
            }
            MigrateTunable::MaxDowntime => {
                let args = RemoteDomainMigrateGetMaxDowntimeArgs { dom, flags };
                self.call::<p::DomainMigrateGetMaxDowntime>(&args)?.downtime
            }
            MigrateTunable::MaxSpeed => {
                let args = RemoteDomainMigrateGetMaxSpeedArgs { dom, flags };
                self.call::<p::DomainMigrateGetMaxSpeed>(&args)?.bandwidth
            }
        })
    }

    pub(super) fn job_migrate_set(
        &self,
        d: &DomainRef,
        which: MigrateTunable,
        value: u64,
        flags: u32,
    ) -> Result<()> {
        let dom = d.clone();
        match which {
            MigrateTunable::CompressionCache => self.call::<p::DomainMigrateSetCompressionCache>(
                &RemoteDomainMigrateSetCompressionCacheArgs {
                    dom,
                    cache_size: value,
                    flags,
                },
            ),
            MigrateTunable::MaxDowntime => self.call::<p::DomainMigrateSetMaxDowntime>(
                &RemoteDomainMigrateSetMaxDowntimeArgs {
                    dom,
                    downtime: value,
                    flags,
                },
            ),
            MigrateTunable::MaxSpeed => {
                self.call::<p::DomainMigrateSetMaxSpeed>(&RemoteDomainMigrateSetMaxSpeedArgs {
                    dom,
                    bandwidth: value,
                    flags,
                })
            }
        }
    }

    pub(super) fn job_block_peek(
        &self,
        d: &DomainRef,
        disk: &str,
        offset: u64,
        size: usize,
        flags: u32,
    ) -> Result<Vec<u8>> {
        // libvirt's client refuses what one reply could not carry before asking.
        if size > REMOTE_DOMAIN_BLOCK_PEEK_BUFFER_MAX as usize {
            return Err(rpc_error(format!(
                "block peek request too large for remote protocol, {size} > \
                 {REMOTE_DOMAIN_BLOCK_PEEK_BUFFER_MAX}"
            )));
        }
        let r = self.call::<p::DomainBlockPeek>(&RemoteDomainBlockPeekArgs {
            dom: d.clone(),
            path: disk.to_string(),
            offset,
            size: size as u32,
            flags,
        })?;
        if r.buffer.len() != size {
            return Err(rpc_error(
                "returned buffer is not same size as requested".to_string(),
            ));
        }
        Ok(r.buffer)
    }

    pub(super) fn job_guest_info(
        &self,
        d: &DomainRef,
        types: u32,
        flags: u32,
    ) -> Result<Vec<TypedParam>> {
        let r = self.call::<p::DomainGetGuestInfo>(&RemoteDomainGetGuestInfoArgs {
            dom: d.clone(),
            types,
            flags,
        })?;
        typed_params(r.params, REMOTE_DOMAIN_GUEST_INFO_PARAMS_MAX)
    }

    pub(super) fn job_guest_vcpus(&self, d: &DomainRef, flags: u32) -> Result<Vec<TypedParam>> {
        let r = self.call::<p::DomainGetGuestVcpus>(&RemoteDomainGetGuestVcpusArgs {
            dom: d.clone(),
            flags,
        })?;
        typed_params(r.params, REMOTE_DOMAIN_GUEST_VCPU_PARAMS_MAX)
    }

    pub(super) fn job_launch_security_state(
        &self,
        d: &DomainRef,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainSetLaunchSecurityState>(&RemoteDomainSetLaunchSecurityStateArgs {
            dom: d.clone(),
            params: wire_params(params, REMOTE_DOMAIN_LAUNCH_SECURITY_STATE_PARAMS_MAX)?,
            flags,
        })
    }

    pub(super) fn job_open_graphics(
        &self,
        d: &DomainRef,
        idx: u32,
        fd: RawFd,
        flags: u32,
    ) -> Result<()> {
        let args = RemoteDomainOpenGraphicsArgs {
            dom: d.clone(),
            idx,
            flags,
        };
        self.client
            .call_proc_with_fds::<p::DomainOpenGraphics>(&args, &[fd])?;
        Ok(())
    }

    pub(super) fn job_fd_associate(
        &self,
        d: &DomainRef,
        name: Option<&str>,
        fds: &[RawFd],
        flags: u32,
    ) -> Result<()> {
        let args = RemoteDomainFdAssociateArgs {
            dom: d.clone(),
            name: marshal_nonnull(name)?,
            flags,
        };
        self.client
            .call_proc_with_fds::<p::DomainFdAssociate>(&args, fds)?;
        Ok(())
    }
}

/// The migration parameters on the wire (libvirt's limit for a migration's list).
fn mig_params(list: &[TypedParam]) -> Result<Vec<RemoteTypedParam>> {
    wire_params(list, REMOTE_DOMAIN_MIGRATE_PARAM_LIST_MAX)
}

impl RemoteDriver {
    pub(super) fn mig_begin3(
        &self,
        d: &DomainRef,
        a: &MigrateArgs,
        flags: u64,
    ) -> Result<(String, Vec<u8>)> {
        let dom = d.clone();
        Ok(match a {
            MigrateArgs::Params(list) => {
                let r = self.call::<p::DomainMigrateBegin3Params>(
                    &RemoteDomainMigrateBegin3ParamsArgs {
                        dom,
                        params: mig_params(list)?,
                        flags: flags as u32,
                    },
                )?;
                (r.xml, r.cookie_out)
            }
            MigrateArgs::Legacy {
                xmlin,
                dname,
                bandwidth,
                ..
            } => {
                let r = self.call::<p::DomainMigrateBegin3>(&RemoteDomainMigrateBegin3Args {
                    dom,
                    xmlin: xmlin.clone(),
                    flags,
                    dname: dname.clone(),
                    resource: *bandwidth,
                })?;
                (r.xml, r.cookie_out)
            }
        })
    }

    pub(super) fn mig_prepare3(
        &self,
        a: &MigrateArgs,
        dom_xml: &str,
        cookie: &[u8],
        flags: u64,
    ) -> Result<(Vec<u8>, Option<String>)> {
        Ok(match a {
            MigrateArgs::Params(list) => {
                let r = self.call::<p::DomainMigratePrepare3Params>(
                    &RemoteDomainMigratePrepare3ParamsArgs {
                        params: mig_params(list)?,
                        cookie_in: cookie.to_vec(),
                        flags: flags as u32,
                    },
                )?;
                (r.cookie_out, r.uri_out)
            }
            MigrateArgs::Legacy {
                dname,
                uri,
                bandwidth,
                ..
            } => {
                let r =
                    self.call::<p::DomainMigratePrepare3>(&RemoteDomainMigratePrepare3Args {
                        cookie_in: cookie.to_vec(),
                        uri_in: uri.clone(),
                        flags,
                        dname: dname.clone(),
                        resource: *bandwidth,
                        dom_xml: dom_xml.to_string(),
                    })?;
                (r.cookie_out, r.uri_out)
            }
        })
    }

    pub(super) fn mig_perform3(
        &self,
        d: &DomainRef,
        a: &MigrateArgs,
        cookie: &[u8],
        flags: u64,
    ) -> Result<Vec<u8>> {
        let dom = d.clone();
        Ok(match a {
            // No destination connection URI: that is peer-to-peer's.
            MigrateArgs::Params(list) => {
                self.call::<p::DomainMigratePerform3Params>(
                    &RemoteDomainMigratePerform3ParamsArgs {
                        dom,
                        dconnuri: None,
                        params: mig_params(list)?,
                        cookie_in: cookie.to_vec(),
                        flags: flags as u32,
                    },
                )?
                .cookie_out
            }
            MigrateArgs::Legacy {
                dname,
                uri,
                bandwidth,
                ..
            } => {
                self.call::<p::DomainMigratePerform3>(&RemoteDomainMigratePerform3Args {
                    dom,
                    xmlin: None,
                    cookie_in: cookie.to_vec(),
                    dconnuri: None,
                    uri: uri.clone(),
                    flags,
                    dname: dname.clone(),
                    resource: *bandwidth,
                })?
                .cookie_out
            }
        })
    }

    pub(super) fn mig_finish3(
        &self,
        a: &MigrateArgs,
        dname: &str,
        cookie: &[u8],
        flags: u64,
        cancelled: bool,
    ) -> Result<(DomainRef, Vec<u8>)> {
        Ok(match a {
            MigrateArgs::Params(list) => {
                let r = self.call::<p::DomainMigrateFinish3Params>(
                    &RemoteDomainMigrateFinish3ParamsArgs {
                        params: mig_params(list)?,
                        cookie_in: cookie.to_vec(),
                        flags: flags as u32,
                        cancelled: cancelled as i32,
                    },
                )?;
                (r.dom, r.cookie_out)
            }
            MigrateArgs::Legacy { uri, .. } => {
                let r = self.call::<p::DomainMigrateFinish3>(&RemoteDomainMigrateFinish3Args {
                    dname: dname.to_string(),
                    cookie_in: cookie.to_vec(),
                    dconnuri: None,
                    uri: uri.clone(),
                    flags,
                    cancelled: cancelled as i32,
                })?;
                (r.dom, r.cookie_out)
            }
        })
    }

    pub(super) fn mig_confirm3(
        &self,
        d: &DomainRef,
        a: &MigrateArgs,
        cookie: &[u8],
        flags: u64,
        cancelled: bool,
    ) -> Result<()> {
        let dom = d.clone();
        match a {
            MigrateArgs::Params(list) => self.call::<p::DomainMigrateConfirm3Params>(
                &RemoteDomainMigrateConfirm3ParamsArgs {
                    dom,
                    params: mig_params(list)?,
                    cookie_in: cookie.to_vec(),
                    flags: flags as u32,
                    cancelled: cancelled as i32,
                },
            ),
            MigrateArgs::Legacy { .. } => {
                self.call::<p::DomainMigrateConfirm3>(&RemoteDomainMigrateConfirm3Args {
                    dom,
                    cookie_in: cookie.to_vec(),
                    flags,
                    cancelled: cancelled as i32,
                })
            }
        }
    }
}
