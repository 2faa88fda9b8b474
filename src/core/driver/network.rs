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

    // --- scope netsec: network update, DHCP leases, network ports ---
    /// `virNetworkUpdate`, `command` and `section` in their documented order.
    fn network_update(
        &self,
        net: &NetworkRef,
        command: u32,
        section: u32,
        parent_index: i32,
        xml: &str,
        flags: u32,
    ) -> Result<()> {
        unsupported()
    }
    /// `virNetworkGetDHCPLeases`: the leases (only when `need_results`) and the count.
    fn network_get_dhcp_leases(
        &self,
        net: &NetworkRef,
        mac: Option<&str>,
        need_results: bool,
        flags: u32,
    ) -> Result<(Vec<DhcpLease>, i32)> {
        unsupported()
    }
    fn network_list_all_ports(&self, net: &NetworkRef, flags: u32) -> Result<Vec<[u8; 16]>> {
        unsupported()
    }
    fn network_port_lookup_by_uuid(&self, net: &NetworkRef, uuid: &[u8; 16]) -> Result<[u8; 16]> {
        unsupported()
    }
    fn network_port_create_xml(&self, net: &NetworkRef, xml: &str, flags: u32) -> Result<[u8; 16]> {
        unsupported()
    }
    fn network_port_get_xml_desc(
        &self,
        net: &NetworkRef,
        port: &[u8; 16],
        flags: u32,
    ) -> Result<String> {
        unsupported()
    }
    fn network_port_delete(&self, net: &NetworkRef, port: &[u8; 16], flags: u32) -> Result<()> {
        unsupported()
    }

    // ---- typed-parameter tuning (params): a port's bandwidth parameters.
    fn network_port_get_parameters(
        &self,
        net: &NetworkRef,
        port: &[u8; 16],
        flags: u32,
    ) -> Result<Vec<super::TypedParam>> {
        unsupported()
    }
    fn network_port_set_parameters(
        &self,
        net: &NetworkRef,
        port: &[u8; 16],
        params: &[super::TypedParam],
        flags: u32,
    ) -> Result<()> {
        unsupported()
    }
}

/// One `virNetworkDHCPLease`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DhcpLease {
    pub iface: String,
    pub expirytime: i64,
    pub r#type: i32,
    pub mac: Option<String>,
    pub iaid: Option<String>,
    pub ipaddr: String,
    pub prefix: u32,
    pub hostname: Option<String>,
    pub clientid: Option<String>,
}
