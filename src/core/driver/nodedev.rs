//! The node device family (libvirt's `driver-nodedev.h`).

#[allow(unused_imports)]
use super::unsupported;
#[allow(unused_imports)]
use crate::core::error::{Result, VirError};

/// What a public handle needs to know of a node device: libvirt's `virNodeDevice` is
/// `{name, parentName}`, the parent cached when the driver knows it at lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeDeviceRef {
    pub name: String,
    pub parent: Option<String>,
}

/// What `virNodeDeviceDestroy` may answer: libvirt's test driver reports some failures but
/// still returns 0 (the error stays the thread's last error).
pub enum DestroyOutcome {
    Done,
    DoneWithError(VirError),
}

/// Every method defaults to "not supported" (see the module documentation of `driver`).
#[allow(unused_variables)]
pub trait NodeDeviceDriver: Send + Sync {
    fn node_num_of_devices(&self, cap: Option<&str>, flags: u32) -> Result<i32> {
        unsupported()
    }
    fn node_list_devices(&self, cap: Option<&str>, max: usize, flags: u32) -> Result<Vec<String>> {
        unsupported()
    }
    fn connect_list_all_node_devices(&self, flags: u32) -> Result<Vec<NodeDeviceRef>> {
        unsupported()
    }
    fn node_device_lookup_by_name(&self, name: &str) -> Result<NodeDeviceRef> {
        unsupported()
    }
    fn node_device_get_xml_desc(&self, dev: &NodeDeviceRef, flags: u32) -> Result<String> {
        unsupported()
    }
    /// The parent's name (`None` for a device the daemon says has none).
    fn node_device_get_parent(&self, dev: &NodeDeviceRef) -> Result<Option<String>> {
        unsupported()
    }
    fn node_device_num_of_caps(&self, dev: &NodeDeviceRef) -> Result<i32> {
        unsupported()
    }
    fn node_device_list_caps(&self, dev: &NodeDeviceRef, max: usize) -> Result<Vec<String>> {
        unsupported()
    }
    fn node_device_create_xml(&self, xml: &str, flags: u32) -> Result<NodeDeviceRef> {
        unsupported()
    }
    fn node_device_destroy(&self, dev: &NodeDeviceRef) -> Result<DestroyOutcome> {
        unsupported()
    }
    /// `virNodeDeviceDefineXML`: a persistent (inactive) device from `xml`.
    fn node_device_define_xml(&self, xml: &str, flags: u32) -> Result<NodeDeviceRef> {
        unsupported()
    }
    /// `virNodeDeviceUndefine`.
    fn node_device_undefine(&self, dev: &NodeDeviceRef, flags: u32) -> Result<()> {
        unsupported()
    }
    /// `virNodeDeviceCreate`: start a defined device.
    fn node_device_create(&self, dev: &NodeDeviceRef, flags: u32) -> Result<()> {
        unsupported()
    }
    /// `virNodeDeviceGetAutostart`: the driver's value, as it answers it.
    fn node_device_get_autostart(&self, dev: &NodeDeviceRef) -> Result<i32> {
        unsupported()
    }
    /// `virNodeDeviceSetAutostart`.
    fn node_device_set_autostart(&self, dev: &NodeDeviceRef, autostart: i32) -> Result<()> {
        unsupported()
    }
    /// `virNodeDeviceIsPersistent`: the driver's answer (1, 0).
    fn node_device_is_persistent(&self, dev: &NodeDeviceRef) -> Result<i32> {
        unsupported()
    }
    /// `virNodeDeviceIsActive`: the driver's answer (1, 0).
    fn node_device_is_active(&self, dev: &NodeDeviceRef) -> Result<i32> {
        unsupported()
    }
    /// `virNodeDeviceLookupSCSIHostByWWN`.
    fn node_device_lookup_scsi_host_by_wwn(
        &self,
        wwnn: &str,
        wwpn: &str,
        flags: u32,
    ) -> Result<NodeDeviceRef> {
        unsupported()
    }

    // ---- Node device events (scope ifnode).
    /// Node device events of `event_id` (a `virNodeDeviceEventID`) for one device or all,
    /// handed to `cb`; the driver's registration id.
    fn connect_node_device_event_register_any(
        &self,
        dev: Option<&NodeDeviceRef>,
        event_id: i32,
        cb: super::EventSink,
    ) -> Result<i32> {
        unsupported()
    }
    /// Ends a registration of `connect_node_device_event_register_any` (the driver's id).
    fn connect_node_device_event_deregister_any(&self, id: i32) -> Result<()> {
        unsupported()
    }
}
