//! Jobs, migration tuning, backups, guest-agent and power calls, block peek, channels and the
//! calls that hand descriptors to the server, over the remote protocol (issue 10's last domain
//! procedures), with the checks libvirt's client makes around each call.

use super::domstats::{typed_params, wire_params};
use super::{RemoteDriver, marshal_nonnull, rpc_error};
use crate::core::Result;
use crate::core::driver::{DomainRef, JobInfo, MigrateTunable, TypedParam};
use crate::core::stream::StreamBackend;
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;
use crate::rpc::stream::RpcStream;
use std::os::fd::RawFd;
use std::sync::Arc;

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

    pub(super) fn job_open_channel(
        &self,
        d: &DomainRef,
        name: Option<&str>,
        flags: u32,
        nonblock: bool,
    ) -> Result<Arc<dyn StreamBackend>> {
        let args = RemoteDomainOpenChannelArgs {
            dom: d.clone(),
            name: name.map(str::to_string),
            flags,
        };
        let ((), shared) = self
            .client
            .call_proc_stream::<p::DomainOpenChannel>(&args)?;
        Ok(Arc::new(RpcStream::new(
            self.client.stream_conn(),
            shared,
            nonblock,
        )))
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
