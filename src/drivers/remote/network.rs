//! The remote driver's network family: virtual networks, their DHCP leases and ports, one
//! typed call each through the generated protocol tables.

use super::{RemoteDriver, rpc_error, supports_feature};
use crate::core::Result;
use crate::core::driver::{DhcpLease, EventSink, NetworkDriver, NetworkRef};
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;

/// `VIR_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER` (libvirt's internal feature numbers).
const FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER: i32 = 16;

fn wire(n: &NetworkRef) -> RemoteNonnullNetwork {
    RemoteNonnullNetwork {
        name: n.name.clone(),
        uuid: n.uuid,
    }
}

fn local(n: RemoteNonnullNetwork) -> NetworkRef {
    NetworkRef {
        name: n.name,
        uuid: n.uuid,
    }
}

fn port(n: &NetworkRef, uuid: &[u8; 16]) -> RemoteNonnullNetworkPort {
    RemoteNonnullNetworkPort {
        net: wire(n),
        uuid: *uuid,
    }
}

/// The client-side limits of the generated string-list calls (the asked count against the
/// protocol's `limit` before the call, the reply's length against the asked count after it),
/// with libvirt's message.
pub(super) fn check_strings(
    asked: usize,
    got: Option<usize>,
    limit: u32,
    param: &str,
    func: &str,
) -> Result<()> {
    let (n, max) = match got {
        None => (asked, limit as usize),
        Some(g) => (g, asked),
    };
    if n > max {
        return Err(rpc_error(format!(
            "too many remote strings: {n} > {max},in parameter '{param}' for '{func}'"
        )));
    }
    Ok(())
}

fn check_names(asked: usize, got: Option<usize>, func: &str) -> Result<()> {
    check_strings(asked, got, REMOTE_NETWORK_LIST_MAX, "names", func)
}

impl NetworkDriver for RemoteDriver {
    // Network events: the machinery is in events.rs (scope: events).
    fn connect_network_event_register_any(
        &self,
        net: Option<&NetworkRef>,
        event_id: i32,
        cb: EventSink,
    ) -> Result<i32> {
        self.network_event_register(net, event_id, cb)
    }
    fn connect_network_event_deregister_any(&self, id: i32) -> Result<()> {
        self.network_event_deregister(id)
    }

    fn connect_num_of_networks(&self) -> Result<i32> {
        Ok(self.call::<p::ConnectNumOfNetworks>(&())?.num)
    }
    fn connect_list_networks(&self, max: usize) -> Result<Vec<String>> {
        const F: &str = "virConnectListNetworks";
        check_names(max, None, F)?;
        let args = RemoteConnectListNetworksArgs {
            maxnames: max as i32,
        };
        let names = self.call::<p::ConnectListNetworks>(&args)?.names;
        check_names(max, Some(names.len()), F)?;
        Ok(names)
    }
    fn connect_num_of_defined_networks(&self) -> Result<i32> {
        Ok(self.call::<p::ConnectNumOfDefinedNetworks>(&())?.num)
    }
    fn connect_list_defined_networks(&self, max: usize) -> Result<Vec<String>> {
        const F: &str = "virConnectListDefinedNetworks";
        check_names(max, None, F)?;
        let args = RemoteConnectListDefinedNetworksArgs {
            maxnames: max as i32,
        };
        let names = self.call::<p::ConnectListDefinedNetworks>(&args)?.names;
        check_names(max, Some(names.len()), F)?;
        Ok(names)
    }
    fn connect_list_all_networks(&self, flags: u32) -> Result<Vec<NetworkRef>> {
        let args = RemoteConnectListAllNetworksArgs {
            need_results: 1,
            flags,
        };
        let r = self.call::<p::ConnectListAllNetworks>(&args)?;
        Ok(r.nets.into_iter().map(local).collect())
    }
    fn network_lookup_by_name(&self, name: &str) -> Result<NetworkRef> {
        let args = RemoteNetworkLookupByNameArgs {
            name: name.to_string(),
        };
        Ok(local(self.call::<p::NetworkLookupByName>(&args)?.net))
    }
    fn network_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<NetworkRef> {
        let args = RemoteNetworkLookupByUuidArgs { uuid: *uuid };
        Ok(local(self.call::<p::NetworkLookupByUuid>(&args)?.net))
    }
    fn network_get_xml_desc(&self, net: &NetworkRef, flags: u32) -> Result<String> {
        let args = RemoteNetworkGetXmlDescArgs {
            net: wire(net),
            flags,
        };
        Ok(self.call::<p::NetworkGetXmlDesc>(&args)?.xml)
    }
    /// virNetworkDefineXML uses the original procedure, the Flags variant the newer one; both
    /// reach here, told apart by the flags (zero is the same request either way).
    fn network_define_xml(&self, xml: &str, flags: u32) -> Result<NetworkRef> {
        let xml = xml.to_string();
        let net = if flags == 0 {
            self.call::<p::NetworkDefineXml>(&RemoteNetworkDefineXmlArgs { xml })?
                .net
        } else {
            self.call::<p::NetworkDefineXmlFlags>(&RemoteNetworkDefineXmlFlagsArgs { xml, flags })?
                .net
        };
        Ok(local(net))
    }
    fn network_create_xml(&self, xml: &str, flags: u32) -> Result<NetworkRef> {
        let xml = xml.to_string();
        let net = if flags == 0 {
            self.call::<p::NetworkCreateXml>(&RemoteNetworkCreateXmlArgs { xml })?
                .net
        } else {
            self.call::<p::NetworkCreateXmlFlags>(&RemoteNetworkCreateXmlFlagsArgs { xml, flags })?
                .net
        };
        Ok(local(net))
    }
    fn network_undefine(&self, net: &NetworkRef) -> Result<()> {
        self.call::<p::NetworkUndefine>(&RemoteNetworkUndefineArgs { net: wire(net) })
    }
    fn network_create(&self, net: &NetworkRef) -> Result<()> {
        self.call::<p::NetworkCreate>(&RemoteNetworkCreateArgs { net: wire(net) })
    }
    fn network_destroy(&self, net: &NetworkRef) -> Result<()> {
        self.call::<p::NetworkDestroy>(&RemoteNetworkDestroyArgs { net: wire(net) })
    }
    fn network_is_active(&self, net: &NetworkRef) -> Result<bool> {
        let args = RemoteNetworkIsActiveArgs { net: wire(net) };
        Ok(self.call::<p::NetworkIsActive>(&args)?.active != 0)
    }
    fn network_is_persistent(&self, net: &NetworkRef) -> Result<bool> {
        let args = RemoteNetworkIsPersistentArgs { net: wire(net) };
        Ok(self.call::<p::NetworkIsPersistent>(&args)?.persistent != 0)
    }
    fn network_get_autostart(&self, net: &NetworkRef) -> Result<bool> {
        let args = RemoteNetworkGetAutostartArgs { net: wire(net) };
        Ok(self.call::<p::NetworkGetAutostart>(&args)?.autostart != 0)
    }
    fn network_set_autostart(&self, net: &NetworkRef, autostart: bool) -> Result<()> {
        let args = RemoteNetworkSetAutostartArgs {
            net: wire(net),
            autostart: autostart as i32,
        };
        self.call::<p::NetworkSetAutostart>(&args)
    }
    fn network_get_bridge_name(&self, net: &NetworkRef) -> Result<String> {
        let args = RemoteNetworkGetBridgeNameArgs { net: wire(net) };
        Ok(self.call::<p::NetworkGetBridgeName>(&args)?.name)
    }

    /// As libvirt's public entry point, the client asks the daemon on every call whether it
    /// takes `command` and `section` in their documented order (daemons before 1.2.x swapped
    /// them) and sends them the way it expects.
    fn network_update(
        &self,
        net: &NetworkRef,
        command: u32,
        section: u32,
        parent_index: i32,
        xml: &str,
        flags: u32,
    ) -> Result<()> {
        let correct = supports_feature(&self.client, FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER)
            .unwrap_or(false);
        let (command, section) = if correct {
            (command, section)
        } else {
            (section, command)
        };
        let args = RemoteNetworkUpdateArgs {
            net: wire(net),
            command,
            section,
            parent_index,
            xml: xml.to_string(),
            flags,
        };
        self.call::<p::NetworkUpdate>(&args)
    }
    fn network_get_dhcp_leases(
        &self,
        net: &NetworkRef,
        mac: Option<&str>,
        need_results: bool,
        flags: u32,
    ) -> Result<(Vec<DhcpLease>, i32)> {
        let args = RemoteNetworkGetDhcpLeasesArgs {
            net: wire(net),
            mac: mac.map(str::to_string),
            need_results: need_results as i32,
            flags,
        };
        let r = self.call::<p::NetworkGetDhcpLeases>(&args)?;
        let leases = r
            .leases
            .into_iter()
            .map(|l| DhcpLease {
                iface: l.iface,
                expirytime: l.expirytime,
                r#type: l.r#type,
                mac: l.mac,
                iaid: l.iaid,
                ipaddr: l.ipaddr,
                prefix: l.prefix,
                hostname: l.hostname,
                clientid: l.clientid,
            })
            .collect();
        Ok((leases, r.ret as i32))
    }
    fn network_list_all_ports(&self, net: &NetworkRef, flags: u32) -> Result<Vec<[u8; 16]>> {
        let args = RemoteNetworkListAllPortsArgs {
            network: wire(net),
            need_results: 1,
            flags,
        };
        let r = self.call::<p::NetworkListAllPorts>(&args)?;
        Ok(r.ports.into_iter().map(|p| p.uuid).collect())
    }
    fn network_port_lookup_by_uuid(&self, net: &NetworkRef, uuid: &[u8; 16]) -> Result<[u8; 16]> {
        let args = RemoteNetworkPortLookupByUuidArgs {
            network: wire(net),
            uuid: *uuid,
        };
        Ok(self.call::<p::NetworkPortLookupByUuid>(&args)?.port.uuid)
    }
    fn network_port_create_xml(&self, net: &NetworkRef, xml: &str, flags: u32) -> Result<[u8; 16]> {
        let args = RemoteNetworkPortCreateXmlArgs {
            network: wire(net),
            xml: xml.to_string(),
            flags,
        };
        Ok(self.call::<p::NetworkPortCreateXml>(&args)?.port.uuid)
    }
    fn network_port_get_xml_desc(
        &self,
        net: &NetworkRef,
        uuid: &[u8; 16],
        flags: u32,
    ) -> Result<String> {
        let args = RemoteNetworkPortGetXmlDescArgs {
            port: port(net, uuid),
            flags,
        };
        Ok(self.call::<p::NetworkPortGetXmlDesc>(&args)?.xml)
    }
    fn network_port_delete(&self, net: &NetworkRef, uuid: &[u8; 16], flags: u32) -> Result<()> {
        let args = RemoteNetworkPortDeleteArgs {
            port: port(net, uuid),
            flags,
        };
        self.call::<p::NetworkPortDelete>(&args)
    }

    // ---- typed-parameter tuning (params): the calls are in tuning_params.rs.
    fn network_port_get_parameters(
        &self,
        net: &NetworkRef,
        uuid: &[u8; 16],
        flags: u32,
    ) -> Result<Vec<crate::core::driver::TypedParam>> {
        self.params_port_get(port(net, uuid), flags)
    }
    fn network_port_set_parameters(
        &self,
        net: &NetworkRef,
        uuid: &[u8; 16],
        params: &[crate::core::driver::TypedParam],
        flags: u32,
    ) -> Result<()> {
        self.params_port_set(port(net, uuid), params, flags)
    }
}
