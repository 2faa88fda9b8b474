//! The nwfilter family (libvirt's `driver-nwfilter.h`): filters and their bindings.

#[allow(unused_imports)]
use super::unsupported;
#[allow(unused_imports)]
use crate::core::error::Result;

/// What a public handle needs to know of a filter: libvirt's `virNWFilter` is `{name, uuid}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NWFilterRef {
    pub name: String,
    pub uuid: [u8; 16],
}

/// A binding: libvirt's `virNWFilterBinding` is `{portdev, filtername}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NWFilterBindingRef {
    pub portdev: String,
    pub filtername: String,
}

/// Every method defaults to "not supported" (see the module documentation of `driver`).
#[allow(unused_variables)]
pub trait NWFilterDriver: Send + Sync {
    fn connect_num_of_nwfilters(&self) -> Result<i32> {
        unsupported()
    }
    fn connect_list_nwfilters(&self, max: usize) -> Result<Vec<String>> {
        unsupported()
    }
    fn connect_list_all_nwfilters(&self, flags: u32) -> Result<Vec<NWFilterRef>> {
        unsupported()
    }
    fn nwfilter_lookup_by_name(&self, name: &str) -> Result<NWFilterRef> {
        unsupported()
    }
    fn nwfilter_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<NWFilterRef> {
        unsupported()
    }
    /// `virNWFilterDefineXML(Flags)`.
    fn nwfilter_define_xml(&self, xml: &str, flags: u32) -> Result<NWFilterRef> {
        unsupported()
    }
    fn nwfilter_undefine(&self, filter: &NWFilterRef) -> Result<()> {
        unsupported()
    }
    fn nwfilter_get_xml_desc(&self, filter: &NWFilterRef, flags: u32) -> Result<String> {
        unsupported()
    }
    fn connect_list_all_nwfilter_bindings(&self, flags: u32) -> Result<Vec<NWFilterBindingRef>> {
        unsupported()
    }
    fn nwfilter_binding_lookup_by_port_dev(&self, portdev: &str) -> Result<NWFilterBindingRef> {
        unsupported()
    }
    fn nwfilter_binding_create_xml(&self, xml: &str, flags: u32) -> Result<NWFilterBindingRef> {
        unsupported()
    }
    fn nwfilter_binding_delete(&self, binding: &NWFilterBindingRef) -> Result<()> {
        unsupported()
    }
    fn nwfilter_binding_get_xml_desc(
        &self,
        binding: &NWFilterBindingRef,
        flags: u32,
    ) -> Result<String> {
        unsupported()
    }
}
