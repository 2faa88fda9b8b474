//! The remote driver's nwfilter family (filters and bindings), one typed call each through the
//! generated protocol tables.

use super::RemoteDriver;
use super::network::check_strings;
use crate::core::Result;
use crate::core::driver::{NWFilterBindingRef, NWFilterDriver, NWFilterRef};
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;

fn wire(f: &NWFilterRef) -> RemoteNonnullNwfilter {
    RemoteNonnullNwfilter {
        name: f.name.clone(),
        uuid: f.uuid,
    }
}

fn local(f: RemoteNonnullNwfilter) -> NWFilterRef {
    NWFilterRef {
        name: f.name,
        uuid: f.uuid,
    }
}

fn wire_binding(b: &NWFilterBindingRef) -> RemoteNonnullNwfilterBinding {
    RemoteNonnullNwfilterBinding {
        portdev: b.portdev.clone(),
        filtername: b.filtername.clone(),
    }
}

fn local_binding(b: RemoteNonnullNwfilterBinding) -> NWFilterBindingRef {
    NWFilterBindingRef {
        portdev: b.portdev,
        filtername: b.filtername,
    }
}

impl NWFilterDriver for RemoteDriver {
    fn connect_num_of_nwfilters(&self) -> Result<i32> {
        Ok(self.call::<p::ConnectNumOfNwfilters>(&())?.num)
    }
    fn connect_list_nwfilters(&self, max: usize) -> Result<Vec<String>> {
        const F: &str = "virConnectListNWFilters";
        check_strings(max, None, REMOTE_NWFILTER_LIST_MAX, "names", F)?;
        let args = RemoteConnectListNwfiltersArgs {
            maxnames: max as i32,
        };
        let names = self.call::<p::ConnectListNwfilters>(&args)?.names;
        check_strings(max, Some(names.len()), REMOTE_NWFILTER_LIST_MAX, "names", F)?;
        Ok(names)
    }
    fn connect_list_all_nwfilters(&self, flags: u32) -> Result<Vec<NWFilterRef>> {
        let args = RemoteConnectListAllNwfiltersArgs {
            need_results: 1,
            flags,
        };
        let r = self.call::<p::ConnectListAllNwfilters>(&args)?;
        Ok(r.filters.into_iter().map(local).collect())
    }
    fn nwfilter_lookup_by_name(&self, name: &str) -> Result<NWFilterRef> {
        let args = RemoteNwfilterLookupByNameArgs {
            name: name.to_string(),
        };
        Ok(local(self.call::<p::NwfilterLookupByName>(&args)?.nwfilter))
    }
    fn nwfilter_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<NWFilterRef> {
        let args = RemoteNwfilterLookupByUuidArgs { uuid: *uuid };
        Ok(local(self.call::<p::NwfilterLookupByUuid>(&args)?.nwfilter))
    }
    /// virNWFilterDefineXML uses the original procedure, the Flags variant the newer one.
    fn nwfilter_define_xml(&self, xml: &str, flags: u32) -> Result<NWFilterRef> {
        let xml = xml.to_string();
        let f = if flags == 0 {
            self.call::<p::NwfilterDefineXml>(&RemoteNwfilterDefineXmlArgs { xml })?
                .nwfilter
        } else {
            self.call::<p::NwfilterDefineXmlFlags>(&RemoteNwfilterDefineXmlFlagsArgs {
                xml,
                flags,
            })?
            .nwfilter
        };
        Ok(local(f))
    }
    fn nwfilter_undefine(&self, filter: &NWFilterRef) -> Result<()> {
        self.call::<p::NwfilterUndefine>(&RemoteNwfilterUndefineArgs {
            nwfilter: wire(filter),
        })
    }
    fn nwfilter_get_xml_desc(&self, filter: &NWFilterRef, flags: u32) -> Result<String> {
        let args = RemoteNwfilterGetXmlDescArgs {
            nwfilter: wire(filter),
            flags,
        };
        Ok(self.call::<p::NwfilterGetXmlDesc>(&args)?.xml)
    }
    fn connect_list_all_nwfilter_bindings(&self, flags: u32) -> Result<Vec<NWFilterBindingRef>> {
        let args = RemoteConnectListAllNwfilterBindingsArgs {
            need_results: 1,
            flags,
        };
        let r = self.call::<p::ConnectListAllNwfilterBindings>(&args)?;
        Ok(r.bindings.into_iter().map(local_binding).collect())
    }
    fn nwfilter_binding_lookup_by_port_dev(&self, portdev: &str) -> Result<NWFilterBindingRef> {
        let args = RemoteNwfilterBindingLookupByPortDevArgs {
            name: portdev.to_string(),
        };
        Ok(local_binding(
            self.call::<p::NwfilterBindingLookupByPortDev>(&args)?
                .nwfilter,
        ))
    }
    fn nwfilter_binding_create_xml(&self, xml: &str, flags: u32) -> Result<NWFilterBindingRef> {
        let args = RemoteNwfilterBindingCreateXmlArgs {
            xml: xml.to_string(),
            flags,
        };
        Ok(local_binding(
            self.call::<p::NwfilterBindingCreateXml>(&args)?.nwfilter,
        ))
    }
    fn nwfilter_binding_delete(&self, binding: &NWFilterBindingRef) -> Result<()> {
        self.call::<p::NwfilterBindingDelete>(&RemoteNwfilterBindingDeleteArgs {
            nwfilter: wire_binding(binding),
        })
    }
    fn nwfilter_binding_get_xml_desc(
        &self,
        binding: &NWFilterBindingRef,
        flags: u32,
    ) -> Result<String> {
        let args = RemoteNwfilterBindingGetXmlDescArgs {
            nwfilter: wire_binding(binding),
            flags,
        };
        Ok(self.call::<p::NwfilterBindingGetXmlDesc>(&args)?.xml)
    }
}
