//! The remote driver's host interface family: one typed call per function.

use super::RemoteDriver;
use crate::core::Result;
use crate::core::driver::{InterfaceDriver, InterfaceRef};
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;

/// libvirt's client refuses a list request above the protocol's limit, and a reply longer than
/// asked, with these words.
pub(super) fn list_max(
    asked: usize,
    limit: u32,
    kind: &str,
    param: &str,
    api: &str,
) -> Result<i32> {
    if asked > limit as usize {
        return Err(super::rpc_error(format!(
            "too many remote {kind}s: {asked} > {limit},in parameter '{param}' for '{api}'"
        )));
    }
    Ok(asked as i32)
}

pub(super) fn reply_max<T>(
    v: Vec<T>,
    max: usize,
    kind: &str,
    param: &str,
    api: &str,
) -> Result<Vec<T>> {
    if v.len() > max {
        return Err(super::rpc_error(format!(
            "too many remote {kind}s: {} > {max},in parameter '{param}' for '{api}'",
            v.len()
        )));
    }
    Ok(v)
}

fn wire(i: &InterfaceRef) -> RemoteNonnullInterface {
    RemoteNonnullInterface {
        name: i.name.clone(),
        mac: i.mac.clone(),
    }
}

fn local(i: RemoteNonnullInterface) -> InterfaceRef {
    InterfaceRef {
        name: i.name,
        mac: i.mac,
    }
}

impl InterfaceDriver for RemoteDriver {
    fn connect_num_of_interfaces(&self) -> Result<i32> {
        Ok(self.call::<p::ConnectNumOfInterfaces>(&())?.num)
    }
    fn connect_list_interfaces(&self, max: usize) -> Result<Vec<String>> {
        const API: &str = "virConnectListInterfaces";
        let maxnames = list_max(max, REMOTE_INTERFACE_LIST_MAX, "string", "names", API)?;
        let r =
            self.call::<p::ConnectListInterfaces>(&RemoteConnectListInterfacesArgs { maxnames })?;
        reply_max(r.names, max, "string", "names", API)
    }
    fn connect_num_of_defined_interfaces(&self) -> Result<i32> {
        Ok(self.call::<p::ConnectNumOfDefinedInterfaces>(&())?.num)
    }
    fn connect_list_defined_interfaces(&self, max: usize) -> Result<Vec<String>> {
        const API: &str = "virConnectListDefinedInterfaces";
        let maxnames = list_max(max, REMOTE_INTERFACE_LIST_MAX, "string", "names", API)?;
        let r = self.call::<p::ConnectListDefinedInterfaces>(
            &RemoteConnectListDefinedInterfacesArgs { maxnames },
        )?;
        reply_max(r.names, max, "string", "names", API)
    }
    fn connect_list_all_interfaces(&self, flags: u32) -> Result<Vec<InterfaceRef>> {
        let args = RemoteConnectListAllInterfacesArgs {
            need_results: 1,
            flags,
        };
        let r = self.call::<p::ConnectListAllInterfaces>(&args)?;
        Ok(r.ifaces.into_iter().map(local).collect())
    }
    fn interface_lookup_by_name(&self, name: &str) -> Result<InterfaceRef> {
        let args = RemoteInterfaceLookupByNameArgs {
            name: name.to_string(),
        };
        Ok(local(self.call::<p::InterfaceLookupByName>(&args)?.iface))
    }
    fn interface_lookup_by_mac_string(&self, mac: &str) -> Result<InterfaceRef> {
        let args = RemoteInterfaceLookupByMacStringArgs {
            mac: mac.to_string(),
        };
        Ok(local(
            self.call::<p::InterfaceLookupByMacString>(&args)?.iface,
        ))
    }
    fn interface_get_xml_desc(&self, iface: &InterfaceRef, flags: u32) -> Result<String> {
        let args = RemoteInterfaceGetXmlDescArgs {
            iface: wire(iface),
            flags,
        };
        Ok(self.call::<p::InterfaceGetXmlDesc>(&args)?.xml)
    }
    fn interface_define_xml(&self, xml: &str, flags: u32) -> Result<InterfaceRef> {
        let args = RemoteInterfaceDefineXmlArgs {
            xml: xml.to_string(),
            flags,
        };
        Ok(local(self.call::<p::InterfaceDefineXml>(&args)?.iface))
    }
    fn interface_undefine(&self, iface: &InterfaceRef) -> Result<()> {
        self.call::<p::InterfaceUndefine>(&RemoteInterfaceUndefineArgs { iface: wire(iface) })
    }
    fn interface_create(&self, iface: &InterfaceRef, flags: u32) -> Result<()> {
        self.call::<p::InterfaceCreate>(&RemoteInterfaceCreateArgs {
            iface: wire(iface),
            flags,
        })
    }
    fn interface_destroy(&self, iface: &InterfaceRef, flags: u32) -> Result<()> {
        self.call::<p::InterfaceDestroy>(&RemoteInterfaceDestroyArgs {
            iface: wire(iface),
            flags,
        })
    }
    fn interface_is_active(&self, iface: &InterfaceRef) -> Result<bool> {
        let args = RemoteInterfaceIsActiveArgs { iface: wire(iface) };
        Ok(self.call::<p::InterfaceIsActive>(&args)?.active != 0)
    }
    fn interface_change_begin(&self, flags: u32) -> Result<()> {
        self.call::<p::InterfaceChangeBegin>(&RemoteInterfaceChangeBeginArgs { flags })
    }
    fn interface_change_commit(&self, flags: u32) -> Result<()> {
        self.call::<p::InterfaceChangeCommit>(&RemoteInterfaceChangeCommitArgs { flags })
    }
    fn interface_change_rollback(&self, flags: u32) -> Result<()> {
        self.call::<p::InterfaceChangeRollback>(&RemoteInterfaceChangeRollbackArgs { flags })
    }
}
