//! Domain tuning over the remote protocol (scope: domtune): one typed call per operation, with
//! the checks libvirt's client makes around it.

use super::{RemoteDriver, fixed_string, rpc_error};
use crate::core::Result;
use crate::core::driver::{ControlInfo, DomainRef, SecurityLabel, VcpuInfo, Vcpus};
use crate::generated::abi_consts::VIR_SECURITY_LABEL_BUFLEN;
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;

impl RemoteDriver {
    pub(super) fn tune_get_vcpus(&self, d: &DomainRef, maxinfo: i32, maplen: i32) -> Result<Vcpus> {
        if maxinfo > REMOTE_VCPUINFO_MAX as i32 {
            return Err(rpc_error(format!(
                "vCPU count exceeds maximum: {maxinfo} > {REMOTE_VCPUINFO_MAX}"
            )));
        }
        let room = maxinfo as i64 * maplen as i64;
        if room > REMOTE_CPUMAPS_MAX as i64 {
            return Err(rpc_error(format!(
                "vCPU map buffer length exceeds maximum: {} > {REMOTE_CPUMAPS_MAX}",
                room as i32
            )));
        }
        let r = self.call::<p::DomainGetVcpus>(&RemoteDomainGetVcpusArgs {
            dom: d.clone(),
            maxinfo,
            maplen,
        })?;
        if r.info.len() as i64 > maxinfo as i64 {
            return Err(rpc_error(format!(
                "host reports too many vCPUs: {} > {maxinfo}",
                r.info.len()
            )));
        }
        if r.cpumaps.len() as i64 > room {
            return Err(rpc_error(format!(
                "host reports map buffer length exceeds maximum: {} > {room}",
                r.cpumaps.len()
            )));
        }
        Ok(Vcpus {
            cleared: maxinfo.max(0) as usize,
            info: r
                .info
                .iter()
                .map(|v| VcpuInfo {
                    number: v.number,
                    state: v.state,
                    cpu_time: v.cpu_time,
                    cpu: v.cpu,
                })
                .collect(),
            cpumaps: r.cpumaps,
        })
    }

    pub(super) fn tune_get_vcpus_flags(&self, d: &DomainRef, flags: u32) -> Result<i32> {
        let args = RemoteDomainGetVcpusFlagsArgs {
            dom: d.clone(),
            flags,
        };
        Ok(self.call::<p::DomainGetVcpusFlags>(&args)?.num)
    }

    pub(super) fn tune_get_max_vcpus(&self, d: &DomainRef) -> Result<i32> {
        let args = RemoteDomainGetMaxVcpusArgs { dom: d.clone() };
        Ok(self.call::<p::DomainGetMaxVcpus>(&args)?.num)
    }

    pub(super) fn tune_set_vcpus(
        &self,
        d: &DomainRef,
        nvcpus: u32,
        flags: Option<u32>,
    ) -> Result<()> {
        match flags {
            None => self.call::<p::DomainSetVcpus>(&RemoteDomainSetVcpusArgs {
                dom: d.clone(),
                nvcpus,
            }),
            Some(flags) => self.call::<p::DomainSetVcpusFlags>(&RemoteDomainSetVcpusFlagsArgs {
                dom: d.clone(),
                nvcpus,
                flags,
            }),
        }
    }

    /// `which`: 0 SetMemory, 1 SetMaxMemory, else SetMemoryFlags with `flags`.
    pub(super) fn tune_set_memory(
        &self,
        d: &DomainRef,
        memory: u64,
        which: u8,
        flags: u32,
    ) -> Result<()> {
        let dom = d.clone();
        match which {
            0 => self.call::<p::DomainSetMemory>(&RemoteDomainSetMemoryArgs { dom, memory }),
            1 => self.call::<p::DomainSetMaxMemory>(&RemoteDomainSetMaxMemoryArgs { dom, memory }),
            _ => self.call::<p::DomainSetMemoryFlags>(&RemoteDomainSetMemoryFlagsArgs {
                dom,
                memory,
                flags,
            }),
        }
    }

    pub(super) fn tune_set_lifecycle_action(
        &self,
        d: &DomainRef,
        kind: u32,
        action: u32,
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainSetLifecycleAction>(&RemoteDomainSetLifecycleActionArgs {
            dom: d.clone(),
            r#type: kind,
            action,
            flags,
        })
    }

    pub(super) fn tune_get_hostname(&self, d: &DomainRef, flags: u32) -> Result<String> {
        let args = RemoteDomainGetHostnameArgs {
            dom: d.clone(),
            flags,
        };
        Ok(self.call::<p::DomainGetHostname>(&args)?.hostname)
    }

    pub(super) fn tune_get_time(&self, d: &DomainRef, flags: u32) -> Result<(i64, u32)> {
        let args = RemoteDomainGetTimeArgs {
            dom: d.clone(),
            flags,
        };
        let r = self.call::<p::DomainGetTime>(&args)?;
        Ok((r.seconds, r.nseconds))
    }

    pub(super) fn tune_set_time(
        &self,
        d: &DomainRef,
        seconds: i64,
        nseconds: u32,
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainSetTime>(&RemoteDomainSetTimeArgs {
            dom: d.clone(),
            seconds,
            nseconds,
            flags,
        })
    }

    pub(super) fn tune_set_user_password(
        &self,
        d: &DomainRef,
        user: &str,
        password: &str,
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainSetUserPassword>(&RemoteDomainSetUserPasswordArgs {
            dom: d.clone(),
            user: Some(user.to_string()),
            password: Some(password.to_string()),
            flags,
        })
    }

    pub(super) fn tune_get_control_info(&self, d: &DomainRef, flags: u32) -> Result<ControlInfo> {
        let args = RemoteDomainGetControlInfoArgs {
            dom: d.clone(),
            flags,
        };
        let r = self.call::<p::DomainGetControlInfo>(&args)?;
        Ok(ControlInfo {
            state: r.state,
            details: r.details,
            state_time: r.state_time,
        })
    }

    pub(super) fn tune_get_security_label(&self, d: &DomainRef) -> Result<SecurityLabel> {
        let args = RemoteDomainGetSecurityLabelArgs { dom: d.clone() };
        let r = self.call::<p::DomainGetSecurityLabel>(&args)?;
        if r.label.is_empty() {
            // libvirt's client leaves the cleared label and enforcing 0.
            return Ok(SecurityLabel::default());
        }
        Ok(SecurityLabel {
            label: fixed_string(&r.label, VIR_SECURITY_LABEL_BUFLEN, "label")?,
            enforcing: r.enforcing,
        })
    }

    pub(super) fn tune_get_scheduler_type(&self, d: &DomainRef) -> Result<(String, i32)> {
        let args = RemoteDomainGetSchedulerTypeArgs { dom: d.clone() };
        let r = self.call::<p::DomainGetSchedulerType>(&args)?;
        Ok((r.r#type, r.nparams))
    }

    pub(super) fn tune_get_metadata(
        &self,
        d: &DomainRef,
        kind: i32,
        uri: Option<&str>,
        flags: u32,
    ) -> Result<String> {
        let args = RemoteDomainGetMetadataArgs {
            dom: d.clone(),
            r#type: kind,
            uri: uri.map(str::to_string),
            flags,
        };
        Ok(self.call::<p::DomainGetMetadata>(&args)?.metadata)
    }

    pub(super) fn tune_set_metadata(
        &self,
        d: &DomainRef,
        kind: i32,
        metadata: Option<&str>,
        key: Option<&str>,
        uri: Option<&str>,
        flags: u32,
    ) -> Result<()> {
        self.call::<p::DomainSetMetadata>(&RemoteDomainSetMetadataArgs {
            dom: d.clone(),
            r#type: kind,
            metadata: metadata.map(str::to_string),
            key: key.map(str::to_string),
            uri: uri.map(str::to_string),
            flags,
        })
    }

    pub(super) fn tune_get_messages(&self, d: &DomainRef, flags: u32) -> Result<Vec<String>> {
        let args = RemoteDomainGetMessagesArgs {
            dom: d.clone(),
            flags,
        };
        Ok(self.call::<p::DomainGetMessages>(&args)?.msgs)
    }
}
