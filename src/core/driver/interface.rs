//! The host interface family (libvirt's `driver-interface.h`).

#[allow(unused_imports)]
use super::unsupported;
#[allow(unused_imports)]
use crate::core::error::Result;

/// What a public handle needs to know of a host interface: libvirt's `virInterface` is
/// `{name, mac}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterfaceRef {
    pub name: String,
    /// The MAC address as the driver reported it ("" when the interface has none).
    pub mac: String,
}

/// Every method defaults to "not supported" (see the module documentation of `driver`).
#[allow(unused_variables)]
pub trait InterfaceDriver: Send + Sync {
    fn connect_num_of_interfaces(&self) -> Result<i32> {
        unsupported()
    }
    fn connect_list_interfaces(&self, max: usize) -> Result<Vec<String>> {
        unsupported()
    }
    fn connect_num_of_defined_interfaces(&self) -> Result<i32> {
        unsupported()
    }
    fn connect_list_defined_interfaces(&self, max: usize) -> Result<Vec<String>> {
        unsupported()
    }
    fn connect_list_all_interfaces(&self, flags: u32) -> Result<Vec<InterfaceRef>> {
        unsupported()
    }
    fn interface_lookup_by_name(&self, name: &str) -> Result<InterfaceRef> {
        unsupported()
    }
    fn interface_lookup_by_mac_string(&self, mac: &str) -> Result<InterfaceRef> {
        unsupported()
    }
    fn interface_get_xml_desc(&self, iface: &InterfaceRef, flags: u32) -> Result<String> {
        unsupported()
    }
    fn interface_define_xml(&self, xml: &str, flags: u32) -> Result<InterfaceRef> {
        unsupported()
    }
    fn interface_undefine(&self, iface: &InterfaceRef) -> Result<()> {
        unsupported()
    }
    fn interface_create(&self, iface: &InterfaceRef, flags: u32) -> Result<()> {
        unsupported()
    }
    fn interface_destroy(&self, iface: &InterfaceRef, flags: u32) -> Result<()> {
        unsupported()
    }
    fn interface_is_active(&self, iface: &InterfaceRef) -> Result<bool> {
        unsupported()
    }
    fn interface_change_begin(&self, flags: u32) -> Result<()> {
        unsupported()
    }
    fn interface_change_commit(&self, flags: u32) -> Result<()> {
        unsupported()
    }
    fn interface_change_rollback(&self, flags: u32) -> Result<()> {
        unsupported()
    }
}
