//! Guest information, CPU baselines, security label lists, SSH keys, identity and the calls
//! that pass file descriptors, over the remote protocol (scope hostmisc), with the checks
//! libvirt's client makes around each call.

use super::domstats::{typed_params, wire_param, wire_params};
use super::tuning_params::counted;
use super::{RemoteDriver, fixed_string, marshal_nonnull, rpc_error, supports_feature};
use crate::core::driver::{
    DomainRef, FsInfo, GuestInterface, HypervisorTarget, IdentityParams, IpAddress, NodeDeviceRef,
    SecurityLabel, TypedParam,
};
use crate::core::{Code, Domain, Result, VirError};
use crate::generated::abi_consts::{VIR_NODE_MEMORY_STATS_FIELD_LENGTH, VIR_SECURITY_LABEL_BUFLEN};
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;
use std::os::fd::{IntoRawFd, RawFd};

/// `VIR_DRV_FEATURE_FD_PASSING`.
const FEATURE_FD_PASSING: i32 = 8;

fn internal(msg: String) -> VirError {
    VirError::detail(Domain::VIR_FROM_REMOTE, Code::VIR_ERR_INTERNAL_ERROR, msg)
}

/// The CPU definitions of a baseline call: libvirt's limit, then its encoder (NULL entries
/// cannot be encoded).
fn xml_cpus(cpus: &[Option<String>]) -> Result<Vec<String>> {
    if cpus.len() > REMOTE_CPU_BASELINE_MAX as usize {
        return Err(rpc_error(format!(
            "xmlCPUs length greater than maximum: {} > {REMOTE_CPU_BASELINE_MAX}",
            cpus.len() as i32
        )));
    }
    cpus.iter().map(|c| marshal_nonnull(c.as_deref())).collect()
}

impl RemoteDriver {
    pub(super) fn hm_fs_info(&self, d: &DomainRef, flags: u32) -> Result<Vec<FsInfo>> {
        let r = self.call::<p::DomainGetFsinfo>(&RemoteDomainGetFsinfoArgs {
            dom: d.clone(),
            flags,
        })?;
        if r.info.len() > REMOTE_DOMAIN_FSINFO_MAX as usize {
            return Err(internal(format!(
                "Too many mountpoints in fsinfo: {} for limit {REMOTE_DOMAIN_FSINFO_MAX}",
                r.info.len()
            )));
        }
        Ok(r.info
            .into_iter()
            .map(|f| FsInfo {
                mountpoint: f.mountpoint,
                name: f.name,
                fstype: f.fstype,
                dev_aliases: f.dev_aliases,
            })
            .collect())
    }

    pub(super) fn hm_interface_addresses(
        &self,
        d: &DomainRef,
        source: u32,
        flags: u32,
    ) -> Result<Vec<GuestInterface>> {
        let r = self.call::<p::DomainInterfaceAddresses>(&RemoteDomainInterfaceAddressesArgs {
            dom: d.clone(),
            source,
            flags,
        })?;
        if r.ifaces.len() > REMOTE_DOMAIN_INTERFACE_MAX as usize {
            return Err(internal(format!(
                "Number of interfaces, {} exceeds the max limit: {REMOTE_DOMAIN_INTERFACE_MAX}",
                r.ifaces.len()
            )));
        }
        let mut out = Vec::with_capacity(r.ifaces.len());
        for i in r.ifaces {
            if i.addrs.len() > REMOTE_DOMAIN_IP_ADDR_MAX as usize {
                // libvirt's client words this limit as the one above.
                return Err(internal(format!(
                    "Number of interfaces, {} exceeds the max limit: {REMOTE_DOMAIN_IP_ADDR_MAX}",
                    i.addrs.len()
                )));
            }
            out.push(GuestInterface {
                name: i.name,
                hwaddr: i.hwaddr,
                addrs: i
                    .addrs
                    .into_iter()
                    .map(|a| IpAddress {
                        kind: a.r#type,
                        addr: a.addr,
                        prefix: a.prefix,
                    })
                    .collect(),
            });
        }
        Ok(out)
    }

    pub(super) fn hm_supports_fd_passing(&self) -> Result<bool> {
        supports_feature(&self.client, FEATURE_FD_PASSING)
    }

    pub(super) fn hm_create_with_files(
        &self,
        d: &DomainRef,
        files: &[RawFd],
        flags: u32,
    ) -> Result<i32> {
        let args = RemoteDomainCreateWithFilesArgs {
            dom: d.clone(),
            flags,
        };
        let (r, _) = self
            .client
            .call_proc_with_fds::<p::DomainCreateWithFiles>(&args, files)?;
        Ok(r.dom.id)
    }

    pub(super) fn hm_create_xml_with_files(
        &self,
        xml: &str,
        files: &[RawFd],
        flags: u32,
    ) -> Result<DomainRef> {
        let args = RemoteDomainCreateXmlWithFilesArgs {
            xml_desc: xml.to_string(),
            flags,
        };
        let (r, _) = self
            .client
            .call_proc_with_fds::<p::DomainCreateXmlWithFiles>(&args, files)?;
        Ok(r.dom)
    }

    pub(super) fn hm_security_label_list(&self, d: &DomainRef) -> Result<Vec<SecurityLabel>> {
        let r =
            self.call::<p::DomainGetSecurityLabelList>(&RemoteDomainGetSecurityLabelListArgs {
                dom: d.clone(),
            })?;
        let mut out = Vec::with_capacity(r.labels.len());
        for l in &r.labels {
            if l.label.is_empty() {
                out.push(SecurityLabel::default());
                continue;
            }
            out.push(SecurityLabel {
                label: fixed_string(&l.label, VIR_SECURITY_LABEL_BUFLEN, "label")?,
                enforcing: l.enforcing,
            });
        }
        if r.ret < 0 {
            // The daemon answers a failed call with ret -1 and no error: libvirt's client
            // then fails without a cause.
            return Err(VirError::generic());
        }
        out.truncate(r.ret as usize);
        Ok(out)
    }

    pub(super) fn hm_ssh_keys_get(
        &self,
        d: &DomainRef,
        user: &str,
        flags: u32,
    ) -> Result<Vec<String>> {
        let r =
            self.call::<p::DomainAuthorizedSshKeysGet>(&RemoteDomainAuthorizedSshKeysGetArgs {
                dom: d.clone(),
                user: user.to_string(),
                flags,
            })?;
        if r.keys.len() > REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX as usize {
            return Err(rpc_error(
                "remoteDomainAuthorizedSSHKeysGet: returned number of keys exceeds limit".into(),
            ));
        }
        Ok(r.keys)
    }

    pub(super) fn hm_ssh_keys_set(
        &self,
        d: &DomainRef,
        user: &str,
        keys: &[String],
        flags: u32,
    ) -> Result<i32> {
        if keys.len() > REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX as usize {
            return Err(rpc_error(
                "remoteDomainAuthorizedSSHKeysSet: returned number of keys exceeds limit".into(),
            ));
        }
        self.call::<p::DomainAuthorizedSshKeysSet>(&RemoteDomainAuthorizedSshKeysSetArgs {
            dom: d.clone(),
            user: user.to_string(),
            keys: keys.to_vec(),
            flags,
        })?;
        Ok(0)
    }

    pub(super) fn hm_set_identity(&self, ident: &IdentityParams, flags: u32) -> Result<()> {
        if ident.nparams > REMOTE_CONNECT_IDENTITY_PARAMS_MAX as i32 {
            return Err(rpc_error(format!(
                "too many parameters '{}' for limit '{REMOTE_CONNECT_IDENTITY_PARAMS_MAX}'",
                ident.nparams
            )));
        }
        if let Some(t) = ident.unknown_type {
            return Err(rpc_error(format!("unknown parameter type: {t}")));
        }
        let params = ident.params.iter().map(wire_param).collect();
        self.call::<p::ConnectSetIdentity>(&RemoteConnectSetIdentityArgs { params, flags })?;
        Ok(())
    }

    pub(super) fn hm_baseline_cpu(&self, cpus: &[Option<String>], flags: u32) -> Result<String> {
        let args = RemoteConnectBaselineCpuArgs {
            xml_cpus: xml_cpus(cpus)?,
            flags,
        };
        Ok(self.call::<p::ConnectBaselineCpu>(&args)?.cpu)
    }

    pub(super) fn hm_baseline_hypervisor_cpu(
        &self,
        t: &HypervisorTarget,
        cpus: &[Option<String>],
        flags: u32,
    ) -> Result<String> {
        let args = RemoteConnectBaselineHypervisorCpuArgs {
            emulator: t.emulator.clone(),
            arch: t.arch.clone(),
            machine: t.machine.clone(),
            virttype: t.virttype.clone(),
            xml_cpus: xml_cpus(cpus)?,
            flags,
        };
        Ok(self.call::<p::ConnectBaselineHypervisorCpu>(&args)?.cpu)
    }

    pub(super) fn hm_open_graphics_fd(&self, d: &DomainRef, idx: u32, flags: u32) -> Result<i32> {
        let args = RemoteDomainOpenGraphicsFdArgs {
            dom: d.clone(),
            idx,
            flags,
        };
        let (_, mut fds) = self
            .client
            .call_proc_with_fds::<p::DomainOpenGraphicsFd>(&args, &[])?;
        if fds.len() != 1 {
            return Err(internal(if fds.is_empty() {
                "no file descriptor received".to_string()
            } else {
                "too many file descriptors received".to_string()
            }));
        }
        Ok(fds.remove(0).into_raw_fd())
    }

    // ---- host calls (host-remote)

    pub(super) fn hm_node_alloc_pages(
        &self,
        sizes: &[u32],
        counts: &[u64],
        start_cell: i32,
        cell_count: u32,
        flags: u32,
    ) -> Result<i32> {
        // libvirt's client checks the page size count against the cell limit.
        if sizes.len() > REMOTE_NODE_MAX_CELLS as usize {
            return Err(rpc_error(format!(
                "too many NUMA cells: {} > {REMOTE_NODE_MAX_CELLS}",
                sizes.len() as u32 as i32
            )));
        }
        let args = RemoteNodeAllocPagesArgs {
            page_sizes: sizes.to_vec(),
            page_counts: counts.to_vec(),
            start_cell,
            cell_count,
            flags,
        };
        Ok(self.call::<p::NodeAllocPages>(&args)?.ret)
    }

    pub(super) fn hm_node_memory_stats(
        &self,
        cell_num: i32,
        nparams: i32,
        flags: u32,
    ) -> Result<(i32, Vec<(String, u64)>)> {
        let args = RemoteNodeGetMemoryStatsArgs {
            nparams,
            cell_num,
            flags,
        };
        let r = self.call::<p::NodeGetMemoryStats>(&args)?;
        if r.params.len() > REMOTE_NODE_MEMORY_STATS_MAX as usize
            || r.params.len() as i64 > nparams as i64
        {
            return Err(rpc_error(
                "remoteNodeGetMemoryStats: returned number of stats exceeds limit".into(),
            ));
        }
        if nparams == 0 {
            return Ok((r.nparams, Vec::new()));
        }
        let mut rows = Vec::with_capacity(r.params.len());
        for s in r.params {
            // The caller's field holds the name and its NUL.
            if s.field.len() >= VIR_NODE_MEMORY_STATS_FIELD_LENGTH {
                return Err(internal(format!(
                    "Stats {} too big for destination",
                    s.field
                )));
            }
            rows.push((s.field, s.value));
        }
        Ok((rows.len() as i32, rows))
    }

    pub(super) fn hm_node_memory_parameters(
        &self,
        nparams: i32,
        flags: u32,
    ) -> Result<(i32, Vec<TypedParam>)> {
        let args = RemoteNodeGetMemoryParametersArgs { nparams, flags };
        let r = self.call::<p::NodeGetMemoryParameters>(&args)?;
        counted(
            r.params,
            r.nparams,
            REMOTE_NODE_MEMORY_PARAMETERS_MAX,
            nparams,
        )
    }

    pub(super) fn hm_node_set_memory_parameters(
        &self,
        params: &[TypedParam],
        flags: u32,
    ) -> Result<()> {
        let args = RemoteNodeSetMemoryParametersArgs {
            params: wire_params(params, REMOTE_NODE_MEMORY_PARAMETERS_MAX)?,
            flags,
        };
        self.call::<p::NodeSetMemoryParameters>(&args)
    }

    pub(super) fn hm_node_sev_info(&self, flags: u32) -> Result<Vec<TypedParam>> {
        // libvirt's client leaves the count unset; the daemon does not read it.
        let args = RemoteNodeGetSevInfoArgs { nparams: 0, flags };
        let r = self.call::<p::NodeGetSevInfo>(&args)?;
        typed_params(r.params, REMOTE_NODE_SEV_INFO_MAX)
    }

    pub(super) fn hm_node_suspend(&self, target: u32, duration: u64, flags: u32) -> Result<()> {
        let args = RemoteNodeSuspendForDurationArgs {
            target,
            duration,
            flags,
        };
        self.call::<p::NodeSuspendForDuration>(&args)
    }

    pub(super) fn hm_compare_cpu(&self, xml: &str, flags: u32) -> Result<i32> {
        let args = RemoteConnectCompareCpuArgs {
            xml: xml.to_string(),
            flags,
        };
        Ok(self.call::<p::ConnectCompareCpu>(&args)?.result)
    }

    pub(super) fn hm_compare_hypervisor_cpu(
        &self,
        t: &HypervisorTarget,
        xml: &str,
        flags: u32,
    ) -> Result<i32> {
        let args = RemoteConnectCompareHypervisorCpuArgs {
            emulator: t.emulator.clone(),
            arch: t.arch.clone(),
            machine: t.machine.clone(),
            virttype: t.virttype.clone(),
            xml_cpu: xml.to_string(),
            flags,
        };
        Ok(self.call::<p::ConnectCompareHypervisorCpu>(&args)?.result)
    }

    pub(super) fn hm_domain_capabilities(
        &self,
        t: &HypervisorTarget,
        flags: u32,
    ) -> Result<String> {
        let args = RemoteConnectGetDomainCapabilitiesArgs {
            emulatorbin: t.emulator.clone(),
            arch: t.arch.clone(),
            machine: t.machine.clone(),
            virttype: t.virttype.clone(),
            flags,
        };
        Ok(self
            .call::<p::ConnectGetDomainCapabilities>(&args)?
            .capabilities)
    }

    pub(super) fn hm_xml_from_native(
        &self,
        format: &str,
        config: &str,
        flags: u32,
    ) -> Result<String> {
        let args = RemoteConnectDomainXmlFromNativeArgs {
            native_format: format.to_string(),
            native_config: config.to_string(),
            flags,
        };
        Ok(self
            .call::<p::ConnectDomainXmlFromNative>(&args)?
            .domain_xml)
    }

    pub(super) fn hm_xml_to_native(&self, format: &str, xml: &str, flags: u32) -> Result<String> {
        let args = RemoteConnectDomainXmlToNativeArgs {
            native_format: format.to_string(),
            domain_xml: xml.to_string(),
            flags,
        };
        Ok(self
            .call::<p::ConnectDomainXmlToNative>(&args)?
            .native_config)
    }

    pub(super) fn hm_device_dettach(&self, dev: &NodeDeviceRef) -> Result<()> {
        let args = RemoteNodeDeviceDettachArgs {
            name: dev.name.clone(),
        };
        self.call::<p::NodeDeviceDettach>(&args)
    }

    pub(super) fn hm_device_detach_flags(
        &self,
        dev: &NodeDeviceRef,
        driver: Option<&str>,
        flags: u32,
    ) -> Result<()> {
        let args = RemoteNodeDeviceDetachFlagsArgs {
            name: dev.name.clone(),
            driver_name: driver.map(str::to_string),
            flags,
        };
        self.call::<p::NodeDeviceDetachFlags>(&args)
    }

    pub(super) fn hm_device_re_attach(&self, dev: &NodeDeviceRef) -> Result<()> {
        let args = RemoteNodeDeviceReAttachArgs {
            name: dev.name.clone(),
        };
        self.call::<p::NodeDeviceReAttach>(&args)
    }

    pub(super) fn hm_device_reset(&self, dev: &NodeDeviceRef) -> Result<()> {
        let args = RemoteNodeDeviceResetArgs {
            name: dev.name.clone(),
        };
        self.call::<p::NodeDeviceReset>(&args)
    }
}
