//! The hypervisor driver interface. Every operation has a default that reports
//! `VIR_ERR_NO_SUPPORT` with the public API's name, which is what libvirt does for a driver
//! whose table leaves that slot empty.

use super::error::{Code, Domain, Result, VirError};
use super::stream::StreamBackend;
use std::ffi::CStr;
use std::sync::Arc;

/// What a public handle needs to know of a domain: libvirt's `virDomain` is `{name, uuid, id}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainRef {
    /// Shared with the driver, so listing does not copy names.
    pub name: Arc<CStr>,
    pub uuid: [u8; 16],
    pub id: i32,
}

impl DomainRef {
    pub fn name_str(&self) -> &str {
        self.name.to_str().unwrap_or("")
    }
}

/// `virDomainInfo` in Rust terms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DomainInfo {
    pub state: u8,
    pub max_mem: u64,
    pub memory: u64,
    pub nr_virt_cpu: u16,
    pub cpu_time: u64,
}

/// `virNodeInfo` in Rust terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeInfo {
    pub model: String,
    pub memory: u64,
    pub cpus: u32,
    pub mhz: u32,
    pub nodes: u32,
    pub sockets: u32,
    pub cores: u32,
    pub threads: u32,
}

fn unsupported<T>(api: &str) -> Result<T> {
    Err(VirError::no_support(Domain::VIR_FROM_DOMAIN, api))
}

/// One hypervisor connection's driver. Implementations are shared between threads.
#[allow(unused_variables)]
pub trait Driver: Send + Sync {
    /// `virConnectGetType`.
    fn get_type(&self) -> &'static CStr;
    /// `virConnectGetVersion`: the hypervisor version.
    fn get_version(&self) -> Result<u64> {
        unsupported("virConnectGetVersion")
    }
    /// `virConnectGetLibVersion`: `None` means "the library's own".
    fn get_lib_version(&self) -> Result<Option<u64>> {
        Ok(None)
    }
    fn get_hostname(&self) -> Result<String> {
        unsupported("virConnectGetHostname")
    }
    fn get_max_vcpus(&self, kind: Option<&str>) -> Result<i32> {
        unsupported("virConnectGetMaxVcpus")
    }
    fn is_secure(&self) -> Result<bool> {
        unsupported("virConnectIsSecure")
    }
    fn is_encrypted(&self) -> Result<bool> {
        unsupported("virConnectIsEncrypted")
    }
    fn is_alive(&self) -> Result<bool> {
        unsupported("virConnectIsAlive")
    }
    fn node_get_info(&self) -> Result<NodeInfo> {
        unsupported("virNodeGetInfo")
    }
    fn get_capabilities(&self) -> Result<String> {
        unsupported("virConnectGetCapabilities")
    }

    /// `virConnectListAllDomains`: the matching domains, taken at one instant.
    fn list_all_domains(&self, flags: u32) -> Result<Vec<DomainRef>> {
        unsupported("virConnectListAllDomains")
    }
    /// `virConnectListAllDomains` with a NULL array: the count only.
    fn count_all_domains(&self, flags: u32) -> Result<usize> {
        self.list_all_domains(flags).map(|v| v.len())
    }
    fn num_of_domains(&self) -> Result<i32> {
        unsupported("virConnectNumOfDomains")
    }
    fn list_domains(&self, max: usize) -> Result<Vec<i32>> {
        unsupported("virConnectListDomains")
    }
    fn num_of_defined_domains(&self) -> Result<i32> {
        unsupported("virConnectNumOfDefinedDomains")
    }
    fn list_defined_domains(&self, max: usize) -> Result<Vec<String>> {
        unsupported("virConnectListDefinedDomains")
    }
    fn lookup_by_name(&self, name: &str) -> Result<DomainRef> {
        unsupported("virDomainLookupByName")
    }
    fn lookup_by_id(&self, id: i32) -> Result<DomainRef> {
        unsupported("virDomainLookupByID")
    }
    fn lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<DomainRef> {
        unsupported("virDomainLookupByUUID")
    }

    fn domain_get_info(&self, dom: &DomainRef) -> Result<DomainInfo> {
        unsupported("virDomainGetInfo")
    }
    /// `virDomainGetState`: (state, reason).
    fn domain_get_state(&self, dom: &DomainRef, flags: u32) -> Result<(i32, i32)> {
        unsupported("virDomainGetState")
    }
    fn domain_get_os_type(&self, dom: &DomainRef) -> Result<String> {
        unsupported("virDomainGetOSType")
    }
    fn domain_get_max_memory(&self, dom: &DomainRef) -> Result<u64> {
        unsupported("virDomainGetMaxMemory")
    }
    fn domain_is_active(&self, dom: &DomainRef) -> Result<bool> {
        unsupported("virDomainIsActive")
    }
    fn domain_is_persistent(&self, dom: &DomainRef) -> Result<bool> {
        unsupported("virDomainIsPersistent")
    }
    fn domain_is_updated(&self, dom: &DomainRef) -> Result<bool> {
        unsupported("virDomainIsUpdated")
    }
    fn domain_get_xml_desc(&self, dom: &DomainRef, flags: u32) -> Result<String> {
        unsupported("virDomainGetXMLDesc")
    }

    // ---- Lifecycle (issue: test driver). Methods that change a domain's id return the id the
    // handle used for the call must show afterwards (libvirt updates only that handle).
    fn domain_create(&self, dom: &DomainRef, flags: u32) -> Result<i32> {
        unsupported("virDomainCreateWithFlags")
    }
    fn domain_create_xml(&self, xml: &str, flags: u32) -> Result<DomainRef> {
        unsupported("virDomainCreateXML")
    }
    fn domain_define_xml(&self, xml: &str, flags: u32) -> Result<DomainRef> {
        unsupported("virDomainDefineXMLFlags")
    }
    fn domain_undefine(&self, dom: &DomainRef, flags: u32) -> Result<()> {
        unsupported("virDomainUndefineFlags")
    }
    fn domain_suspend(&self, dom: &DomainRef) -> Result<()> {
        unsupported("virDomainSuspend")
    }
    fn domain_resume(&self, dom: &DomainRef) -> Result<()> {
        unsupported("virDomainResume")
    }
    fn domain_shutdown(&self, dom: &DomainRef, flags: u32) -> Result<i32> {
        unsupported("virDomainShutdownFlags")
    }
    fn domain_reboot(&self, dom: &DomainRef, flags: u32) -> Result<()> {
        unsupported("virDomainReboot")
    }
    fn domain_destroy(&self, dom: &DomainRef, flags: u32) -> Result<i32> {
        unsupported("virDomainDestroyFlags")
    }
    fn domain_get_autostart(&self, dom: &DomainRef) -> Result<bool> {
        unsupported("virDomainGetAutostart")
    }
    fn domain_set_autostart(&self, dom: &DomainRef, autostart: bool) -> Result<()> {
        unsupported("virDomainSetAutostart")
    }
    fn domain_managed_save(&self, dom: &DomainRef, flags: u32) -> Result<i32> {
        unsupported("virDomainManagedSave")
    }
    fn domain_has_managed_save_image(&self, dom: &DomainRef, flags: u32) -> Result<bool> {
        unsupported("virDomainHasManagedSaveImage")
    }
    fn domain_managed_save_remove(&self, dom: &DomainRef, flags: u32) -> Result<()> {
        unsupported("virDomainManagedSaveRemove")
    }

    // ---- Snapshots and checkpoints, named by their domain and their own name.
    fn snapshot_create_xml(&self, dom: &DomainRef, xml: &str, flags: u32) -> Result<String> {
        unsupported("virDomainSnapshotCreateXML")
    }
    fn snapshot_num(&self, dom: &DomainRef, flags: u32) -> Result<i32> {
        unsupported("virDomainSnapshotNum")
    }
    fn snapshot_list_all(&self, dom: &DomainRef, flags: u32) -> Result<Vec<String>> {
        unsupported("virDomainListAllSnapshots")
    }
    fn snapshot_lookup_by_name(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<String> {
        unsupported("virDomainSnapshotLookupByName")
    }
    fn snapshot_get_xml_desc(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<String> {
        unsupported("virDomainSnapshotGetXMLDesc")
    }
    fn snapshot_delete(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<()> {
        unsupported("virDomainSnapshotDelete")
    }
    /// `virDomainSnapshotGetParent`: the parent's name.
    fn snapshot_parent(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<String> {
        unsupported("virDomainSnapshotGetParent")
    }
    /// `virDomainSnapshotCurrent`: the current snapshot's name.
    fn snapshot_current(&self, dom: &DomainRef, flags: u32) -> Result<String> {
        unsupported("virDomainSnapshotCurrent")
    }
    /// `virDomainSnapshotIsCurrent`.
    fn snapshot_is_current(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<bool> {
        unsupported("virDomainSnapshotIsCurrent")
    }
    /// `virDomainHasCurrentSnapshot`.
    fn has_current_snapshot(&self, dom: &DomainRef, flags: u32) -> Result<bool> {
        unsupported("virDomainHasCurrentSnapshot")
    }
    fn checkpoint_create_xml(&self, dom: &DomainRef, xml: &str, flags: u32) -> Result<String> {
        unsupported("virDomainCheckpointCreateXML")
    }
    fn checkpoint_list_all(&self, dom: &DomainRef, flags: u32) -> Result<Vec<String>> {
        unsupported("virDomainListAllCheckpoints")
    }
    fn checkpoint_lookup_by_name(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<String> {
        unsupported("virDomainCheckpointLookupByName")
    }
    fn checkpoint_get_xml_desc(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<String> {
        unsupported("virDomainCheckpointGetXMLDesc")
    }
    fn checkpoint_delete(&self, dom: &DomainRef, name: &str, flags: u32) -> Result<()> {
        unsupported("virDomainCheckpointDelete")
    }

    // ---- Consoles (issue: consoles). `nonblock` is the stream's VIR_STREAM_NONBLOCK.
    fn domain_open_console(
        &self,
        dom: &DomainRef,
        dev_name: Option<&str>,
        flags: u32,
        nonblock: bool,
    ) -> Result<std::sync::Arc<dyn StreamBackend>> {
        unsupported("virDomainOpenConsole")
    }

    // ---- Connection liveness and events (issue: remote driver).
    /// `virConnectSetKeepAlive`: 0 when the keepalive runs (or was stopped by `interval <= 0`),
    /// 1 when the other side does not speak the keepalive protocol.
    fn set_keepalive(&self, interval: i32, count: u32) -> Result<i32> {
        unsupported("virConnectSetKeepAlive")
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
    /// Domain lifecycle events for one domain or all: `cb(domain, event, detail)` runs on the
    /// driver's own thread. Returns the registration's id.
    fn domain_event_lifecycle_register(
        &self,
        dom: Option<&DomainRef>,
        cb: Arc<dyn Fn(DomainRef, i32, i32) + Send + Sync>,
    ) -> Result<i32> {
        unsupported("virConnectDomainEventRegisterAny")
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
    fn domain_event_lifecycle_deregister(&self, id: i32) -> Result<()> {
        unsupported("virConnectDomainEventDeregisterAny")
    }
}
