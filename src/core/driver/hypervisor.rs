//! The hypervisor family (libvirt's `driver-hypervisor.h`): the connection itself, the host,
//! domains, their snapshots and checkpoints, consoles and domain events.

use super::events::EventSink;
use super::{DomainInfo, DomainRef, NodeInfo, unsupported};
use crate::core::error::{Code, Domain, Result, VirError};
use crate::core::stream::StreamBackend;
use std::ffi::CStr;
use std::sync::Arc;

/// What `virNodeGetCPUMap` answers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CpuMap {
    /// The number of CPUs the map covers (the function's return value).
    pub cpus: i32,
    /// One bit per CPU, set when online.
    pub map: Vec<u8>,
    pub online: u32,
}

/// The optional hypervisor selectors of the `...HypervisorCPU` functions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HypervisorTarget {
    pub emulator: Option<String>,
    pub arch: Option<String>,
    pub machine: Option<String>,
    pub virttype: Option<String>,
}

/// `virSecurityModel` in Rust terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecurityModel {
    pub model: String,
    pub doi: String,
}

/// One connection's hypervisor driver. Implementations are shared between threads.
#[allow(unused_variables)]
pub trait HypervisorDriver: Send + Sync {
    /// `virConnectGetType`.
    fn get_type(&self) -> &'static CStr;
    /// `virConnectGetVersion`: the hypervisor version.
    fn get_version(&self) -> Result<u64> {
        unsupported()
    }
    /// `virConnectGetLibVersion`: `None` means "the library's own".
    fn get_lib_version(&self) -> Result<Option<u64>> {
        Ok(None)
    }
    fn get_hostname(&self) -> Result<String> {
        unsupported()
    }
    fn get_max_vcpus(&self, kind: Option<&str>) -> Result<i32> {
        unsupported()
    }
    fn is_secure(&self) -> Result<bool> {
        unsupported()
    }
    fn is_encrypted(&self) -> Result<bool> {
        unsupported()
    }
    fn is_alive(&self) -> Result<bool> {
        unsupported()
    }
    fn node_get_info(&self) -> Result<NodeInfo> {
        unsupported()
    }
    fn get_capabilities(&self) -> Result<String> {
        unsupported()
    }
    /// `virConnectGetSysinfo`: the host's `<sysinfo>` XML.
    fn connect_get_sysinfo(&self, flags: u32) -> Result<String> {
        unsupported()
    }
    /// `virNodeGetCPUMap`.
    fn node_get_cpu_map(&self, flags: u32) -> Result<CpuMap> {
        unsupported()
    }
    /// `virNodeGetCPUStats`: every statistic of `cpu_num` (or of all CPUs, -1), in the
    /// driver's order; the entry point hands the caller as many as it has room for.
    fn node_get_cpu_stats(&self, cpu_num: i32, flags: u32) -> Result<Vec<(String, u64)>> {
        unsupported()
    }
    /// `virNodeGetFreeMemory`, in bytes; 0 is a failure the entry point reports.
    fn node_get_free_memory(&self) -> Result<u64> {
        unsupported()
    }
    /// `virNodeGetCellsFreeMemory`: the values of at most `max_cells` cells from `start_cell`.
    fn node_get_cells_free_memory(&self, start_cell: i32, max_cells: i32) -> Result<Vec<u64>> {
        unsupported()
    }
    /// `virNodeGetFreePages`: fills `counts` (`cell_count` rows of `pages.len()` values).
    fn node_get_free_pages(
        &self,
        pages: &[u32],
        start_cell: i32,
        cell_count: u32,
        counts: &mut [u64],
        flags: u32,
    ) -> Result<()> {
        unsupported()
    }
    /// `virNodeGetSecurityModel`: empty strings when the host has no security model.
    fn node_get_security_model(&self) -> Result<SecurityModel> {
        unsupported()
    }
    /// `virNodeGetMemoryStats`: as [`HypervisorDriver::node_get_cpu_stats`], for `cell_num`.
    fn node_get_memory_stats(&self, cell_num: i32, flags: u32) -> Result<Vec<(String, u64)>> {
        unsupported()
    }
    /// `virConnectCompareCPU`: a `virCPUCompareResult`.
    fn connect_compare_cpu(&self, xml: &str, flags: u32) -> Result<i32> {
        unsupported()
    }
    /// `virConnectCompareHypervisorCPU`: a `virCPUCompareResult`.
    fn connect_compare_hypervisor_cpu(
        &self,
        target: &HypervisorTarget,
        xml: &str,
        flags: u32,
    ) -> Result<i32> {
        unsupported()
    }
    /// `virConnectBaselineCPU`: the CPU XML every one of `cpus` can run (an entry may be NULL).
    fn connect_baseline_cpu(&self, cpus: &[Option<String>], flags: u32) -> Result<String> {
        unsupported()
    }
    /// `virConnectBaselineHypervisorCPU`.
    fn connect_baseline_hypervisor_cpu(
        &self,
        target: &HypervisorTarget,
        cpus: &[Option<String>],
        flags: u32,
    ) -> Result<String> {
        unsupported()
    }
    /// `virConnectGetCPUModelNames`: `None` when the architecture takes any model name.
    fn connect_get_cpu_model_names(&self, arch: &str, flags: u32) -> Result<Option<Vec<String>>> {
        unsupported()
    }

    /// `virConnectListAllDomains`: the matching domains, taken at one instant.
    fn list_all_domains(&self, flags: u32) -> Result<Vec<DomainRef>> {
        unsupported()
    }
    /// `virConnectListAllDomains` with a NULL array: the count only.
    fn count_all_domains(&self, flags: u32) -> Result<usize> {
        self.list_all_domains(flags).map(|v| v.len())
    }
    fn num_of_domains(&self) -> Result<i32> {
        unsupported()
    }
    fn list_domains(&self, max: usize) -> Result<Vec<i32>> {
        unsupported()
    }
    fn num_of_defined_domains(&self) -> Result<i32> {
        unsupported()
    }
    fn list_defined_domains(&self, max: usize) -> Result<Vec<String>> {
        unsupported()
    }
    fn lookup_by_name(&self, name: &str) -> Result<DomainRef> {
        unsupported()
    }
    fn lookup_by_id(&self, id: i32) -> Result<DomainRef> {
        unsupported()
    }
    fn lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<DomainRef> {
        unsupported()
    }

    fn domain_get_info(&self, dom: &DomainRef) -> Result<DomainInfo> {
        unsupported()
    }
    /// `virDomainGetState`: (state, reason).
    fn domain_get_state(&self, dom: &DomainRef, flags: u32) -> Result<(i32, i32)> {
        unsupported()
    }
    fn domain_get_os_type(&self, dom: &DomainRef) -> Result<String> {
        unsupported()
    }
    fn domain_get_max_memory(&self, dom: &DomainRef) -> Result<u64> {
        unsupported()
    }
    fn domain_is_active(&self, dom: &DomainRef) -> Result<bool> {
        unsupported()
    }
    fn domain_is_persistent(&self, dom: &DomainRef) -> Result<bool> {
        unsupported()
    }
    fn domain_is_updated(&self, dom: &DomainRef) -> Result<bool> {
        unsupported()
    }
    fn domain_get_xml_desc(&self, dom: &DomainRef, flags: u32) -> Result<String> {
        unsupported()
    }

    // ---- Lifecycle (issue: test driver). Methods that change a domain's id return the id the
    // handle used for the call must show afterwards (libvirt updates only that handle).
    fn domain_create(&self, dom: &DomainRef, flags: u32) -> Result<i32> {
        unsupported()
    }
    fn domain_create_xml(&self, xml: &str, flags: u32) -> Result<DomainRef> {
        unsupported()
    }
    fn domain_define_xml(&self, xml: &str, flags: u32) -> Result<DomainRef> {
        unsupported()
    }
    fn domain_undefine(&self, dom: &DomainRef, flags: u32) -> Result<()> {
        unsupported()
    }
    fn domain_suspend(&self, dom: &DomainRef) -> Result<()> {
        unsupported()
    }
    fn domain_resume(&self, dom: &DomainRef) -> Result<()> {
        unsupported()
    }
    fn domain_shutdown(&self, dom: &DomainRef, flags: u32) -> Result<i32> {
        unsupported()
    }
    fn domain_reboot(&self, dom: &DomainRef, flags: u32) -> Result<()> {
        unsupported()
    }
    fn domain_destroy(&self, dom: &DomainRef, flags: u32) -> Result<i32> {
        unsupported()
    }
    fn domain_get_autostart(&self, dom: &DomainRef) -> Result<bool> {
        unsupported()
    }
    fn domain_set_autostart(&self, dom: &DomainRef, autostart: bool) -> Result<()> {
        unsupported()
    }
    fn domain_managed_save(&self, dom: &DomainRef, flags: u32) -> Result<i32> {
        unsupported()
    }
    fn domain_has_managed_save_image(&self, dom: &DomainRef, flags: u32) -> Result<bool> {
        unsupported()
    }
    fn domain_managed_save_remove(&self, dom: &DomainRef, flags: u32) -> Result<()> {
        unsupported()
    }

    // ---- Snapshots and checkpoints, named by their domain and their own name.
    fn snapshot_create_xml(&self, dom: &DomainRef, xml: &str, flags: u32) -> Result<String> {
        unsupported()
    }
    fn snapshot_num(&self, dom: &DomainRef, flags: u32) -> Result<i32> {
        unsupported()
    }
    fn snapshot_list_all(&self, dom: &DomainRef, flags: u32) -> Result<Vec<String>> {
        unsupported()
    }
    fn snapshot_lookup_by_name(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<String> {
        unsupported()
    }
    fn snapshot_get_xml_desc(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<String> {
        unsupported()
    }
    fn snapshot_delete(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<()> {
        unsupported()
    }
    /// `virDomainSnapshotGetParent`: the parent's name.
    fn snapshot_parent(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<String> {
        unsupported()
    }
    /// `virDomainSnapshotCurrent`: the current snapshot's name.
    fn snapshot_current(&self, dom: &DomainRef, flags: u32) -> Result<String> {
        unsupported()
    }
    /// `virDomainSnapshotIsCurrent`.
    fn snapshot_is_current(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<bool> {
        unsupported()
    }
    /// `virDomainHasCurrentSnapshot`.
    fn has_current_snapshot(&self, dom: &DomainRef, flags: u32) -> Result<bool> {
        unsupported()
    }
    fn checkpoint_create_xml(&self, dom: &DomainRef, xml: &str, flags: u32) -> Result<String> {
        unsupported()
    }
    fn checkpoint_list_all(&self, dom: &DomainRef, flags: u32) -> Result<Vec<String>> {
        unsupported()
    }
    fn checkpoint_lookup_by_name(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<String> {
        unsupported()
    }
    fn checkpoint_get_xml_desc(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<String> {
        unsupported()
    }
    fn checkpoint_delete(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<()> {
        unsupported()
    }

    // ---- Consoles (issue: consoles). `nonblock` is the stream's VIR_STREAM_NONBLOCK.
    fn domain_open_console(
        &self,
        dom: &DomainRef,
        dev_name: Option<&str>,
        flags: u32,
        nonblock: bool,
    ) -> Result<std::sync::Arc<dyn StreamBackend>> {
        unsupported()
    }

    // ---- Connection liveness and events (issue: remote driver).
    /// `virConnectSetKeepAlive`: 0 when the keepalive runs (or was stopped by `interval <= 0`),
    /// 1 when the other side does not speak the keepalive protocol.
    fn set_keepalive(&self, interval: i32, count: u32) -> Result<i32> {
        unsupported()
    }
    /// Hook for `virConnectRegisterCloseCallback`: `f(reason)` runs once, on the driver's own
    /// thread, when the connection closes (a `virConnectCloseReason`). `None`: this driver
    /// never closes by itself (libvirt then accepts the callback and never calls it).
    fn add_close_handler(&self, f: Arc<dyn Fn(i32) + Send + Sync>) -> Result<Option<u64>> {
        Ok(None)
    }
    fn remove_close_handler(&self, id: u64) -> Result<()> {
        Ok(())
    }
    /// Checked before a close callback is registered or unregistered: a connection that is
    /// already gone refuses both.
    fn close_callback_check(&self) -> Result<()> {
        Ok(())
    }
    /// Whether `add_close_handler` keeps handlers (libvirt checks unregistration only then).
    fn closes_by_itself(&self) -> bool {
        false
    }
    /// Domain events of `event_id` (a `virDomainEventID`) for one domain or all: the driver
    /// hands each to `cb` on its own thread, with the payload of that id
    /// (`events::payload_fits`). Returns the registration's id (the driver's).
    fn connect_domain_event_register_any(
        &self,
        dom: Option<&DomainRef>,
        event_id: i32,
        cb: EventSink,
    ) -> Result<i32> {
        unsupported()
    }
    /// The next event callback id when the driver's event state is shared by several
    /// connections (libvirt's test driver: one per node, so two connections to
    /// test:///default never reuse an id); `None`: the connection counts its own from 0.
    fn next_event_callback_id(&self) -> Option<i32> {
        None
    }
    /// The error for deregistering an event callback id nobody registered (libvirt's text
    /// differs between the remote driver and the in-process event state).
    fn event_callback_unknown(&self, id: i32) -> VirError {
        VirError::detail(
            Domain::VIR_FROM_NONE,
            Code::VIR_ERR_INVALID_ARG,
            format!("could not find event callback {id} for deletion"),
        )
    }
    /// Ends a registration of `connect_domain_event_register_any` (the driver's id).
    fn connect_domain_event_deregister_any(&self, id: i32) -> Result<()> {
        unsupported()
    }
}
