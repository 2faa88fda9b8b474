//! The network family (libvirt's `driver-network.h`): virtual networks and their ports.

use super::events::EventSink;
#[allow(unused_imports)]
use super::unsupported;
#[allow(unused_imports)]
use crate::core::error::Result;

/// What a public handle needs to know of a network: libvirt's `virNetwork` is `{name, uuid}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkRef {
    pub name: String,
    pub uuid: [u8; 16],
}

/// Every method defaults to "not supported" (see the module documentation of `driver`).
#[allow(unused_variables)]
pub trait NetworkDriver: Send + Sync {
    fn connect_num_of_networks(&self) -> Result<i32> {
        unsupported()
    }
    fn connect_list_networks(&self, max: usize) -> Result<Vec<String>> {
        unsupported()
    }
    fn connect_num_of_defined_networks(&self) -> Result<i32> {
        unsupported()
    }
    fn connect_list_defined_networks(&self, max: usize) -> Result<Vec<String>> {
        unsupported()
    }
    fn connect_list_all_networks(&self, flags: u32) -> Result<Vec<NetworkRef>> {
        unsupported()
    }
    fn network_lookup_by_name(&self, name: &str) -> Result<NetworkRef> {
        unsupported()
    }
    fn network_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<NetworkRef> {
        unsupported()
    }
    fn network_get_xml_desc(&self, net: &NetworkRef, flags: u32) -> Result<String> {
        unsupported()
    }
    /// `virNetworkDefineXML(Flags)`.
    fn network_define_xml(&self, xml: &str, flags: u32) -> Result<NetworkRef> {
        unsupported()
    }
    /// `virNetworkCreateXML(Flags)`.
    fn network_create_xml(&self, xml: &str, flags: u32) -> Result<NetworkRef> {
        unsupported()
    }
    fn network_undefine(&self, net: &NetworkRef) -> Result<()> {
        unsupported()
    }
    fn network_create(&self, net: &NetworkRef) -> Result<()> {
        unsupported()
    }
    fn network_destroy(&self, net: &NetworkRef) -> Result<()> {
        unsupported()
    }
    fn network_is_active(&self, net: &NetworkRef) -> Result<bool> {
        unsupported()
    }
    fn network_is_persistent(&self, net: &NetworkRef) -> Result<bool> {
        unsupported()
    }
    fn network_get_autostart(&self, net: &NetworkRef) -> Result<bool> {
        unsupported()
    }
    fn network_set_autostart(&self, net: &NetworkRef, autostart: bool) -> Result<()> {
        unsupported()
    }
    fn network_get_bridge_name(&self, net: &NetworkRef) -> Result<String> {
        unsupported()
    }

    // ---- Network events (scope: events).
    /// Network events of `event_id` (a `virNetworkEventID`) for one network or all, handed to
    /// `cb` on the driver's thread; the driver's registration id. The id counter is the
    /// connection's (`HypervisorDriver::next_event_callback_id`), shared with domain events.
    fn connect_network_event_register_any(
        &self,
        net: Option<&NetworkRef>,
        event_id: i32,
        cb: EventSink,
    ) -> Result<i32> {
        unsupported()
    }
    /// Ends a registration of `connect_network_event_register_any` (the driver's id).
    fn connect_network_event_deregister_any(&self, id: i32) -> Result<()> {
        unsupported()
    }
}
