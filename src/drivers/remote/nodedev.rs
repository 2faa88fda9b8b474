//! The remote driver's node device family: one typed call per function.

use super::RemoteDriver;
use super::interface::{list_max, reply_max};
use crate::core::Result;
use crate::core::driver::{
    DestroyOutcome, EventFamily, EventKey, EventSink, NodeDeviceDriver, NodeDeviceRef,
};
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;

/// A handle from the daemon: libvirt's client knows no parent until it asks.
fn local(d: RemoteNonnullNodeDevice) -> NodeDeviceRef {
    NodeDeviceRef {
        name: d.name,
        parent: None,
    }
}

impl NodeDeviceDriver for RemoteDriver {
    fn node_num_of_devices(&self, cap: Option<&str>, flags: u32) -> Result<i32> {
        let args = RemoteNodeNumOfDevicesArgs {
            cap: cap.map(str::to_string),
            flags,
        };
        Ok(self.call::<p::NodeNumOfDevices>(&args)?.num)
    }
    fn node_list_devices(&self, cap: Option<&str>, max: usize, flags: u32) -> Result<Vec<String>> {
        const API: &str = "virNodeListDevices";
        let maxnames = list_max(max, REMOTE_NODE_DEVICE_LIST_MAX, "string", "names", API)?;
        let args = RemoteNodeListDevicesArgs {
            cap: cap.map(str::to_string),
            maxnames,
            flags,
        };
        let r = self.call::<p::NodeListDevices>(&args)?;
        reply_max(r.names, max, "string", "names", API)
    }
    fn connect_list_all_node_devices(&self, flags: u32) -> Result<Vec<NodeDeviceRef>> {
        let args = RemoteConnectListAllNodeDevicesArgs {
            need_results: 1,
            flags,
        };
        let r = self.call::<p::ConnectListAllNodeDevices>(&args)?;
        Ok(r.devices.into_iter().map(local).collect())
    }
    fn node_device_lookup_by_name(&self, name: &str) -> Result<NodeDeviceRef> {
        let args = RemoteNodeDeviceLookupByNameArgs {
            name: name.to_string(),
        };
        Ok(local(self.call::<p::NodeDeviceLookupByName>(&args)?.dev))
    }
    fn node_device_get_xml_desc(&self, dev: &NodeDeviceRef, flags: u32) -> Result<String> {
        let args = RemoteNodeDeviceGetXmlDescArgs {
            name: dev.name.clone(),
            flags,
        };
        Ok(self.call::<p::NodeDeviceGetXmlDesc>(&args)?.xml)
    }
    fn node_device_get_parent(&self, dev: &NodeDeviceRef) -> Result<Option<String>> {
        let args = RemoteNodeDeviceGetParentArgs {
            name: dev.name.clone(),
        };
        Ok(self.call::<p::NodeDeviceGetParent>(&args)?.parent_name)
    }
    fn node_device_num_of_caps(&self, dev: &NodeDeviceRef) -> Result<i32> {
        let args = RemoteNodeDeviceNumOfCapsArgs {
            name: dev.name.clone(),
        };
        Ok(self.call::<p::NodeDeviceNumOfCaps>(&args)?.num)
    }
    fn node_device_list_caps(&self, dev: &NodeDeviceRef, max: usize) -> Result<Vec<String>> {
        const API: &str = "virNodeDeviceListCaps";
        let maxnames = list_max(
            max,
            REMOTE_NODE_DEVICE_CAPS_LIST_MAX,
            "string",
            "names",
            API,
        )?;
        let args = RemoteNodeDeviceListCapsArgs {
            name: dev.name.clone(),
            maxnames,
        };
        let r = self.call::<p::NodeDeviceListCaps>(&args)?;
        reply_max(r.names, max, "string", "names", API)
    }
    fn node_device_create_xml(&self, xml: &str, flags: u32) -> Result<NodeDeviceRef> {
        let args = RemoteNodeDeviceCreateXmlArgs {
            xml_desc: xml.to_string(),
            flags,
        };
        Ok(local(self.call::<p::NodeDeviceCreateXml>(&args)?.dev))
    }
    fn node_device_destroy(&self, dev: &NodeDeviceRef) -> Result<DestroyOutcome> {
        let args = RemoteNodeDeviceDestroyArgs {
            name: dev.name.clone(),
        };
        self.call::<p::NodeDeviceDestroy>(&args)?;
        Ok(DestroyOutcome::Done)
    }
    fn node_device_define_xml(&self, xml: &str, flags: u32) -> Result<NodeDeviceRef> {
        let args = RemoteNodeDeviceDefineXmlArgs {
            xml_desc: xml.to_string(),
            flags,
        };
        Ok(local(self.call::<p::NodeDeviceDefineXml>(&args)?.dev))
    }
    fn node_device_undefine(&self, dev: &NodeDeviceRef, flags: u32) -> Result<()> {
        let args = RemoteNodeDeviceUndefineArgs {
            name: dev.name.clone(),
            flags,
        };
        self.call::<p::NodeDeviceUndefine>(&args)
    }
    fn node_device_create(&self, dev: &NodeDeviceRef, flags: u32) -> Result<()> {
        let args = RemoteNodeDeviceCreateArgs {
            name: dev.name.clone(),
            flags,
        };
        self.call::<p::NodeDeviceCreate>(&args)
    }
    fn node_device_get_autostart(&self, dev: &NodeDeviceRef) -> Result<i32> {
        let args = RemoteNodeDeviceGetAutostartArgs {
            name: dev.name.clone(),
        };
        Ok(self.call::<p::NodeDeviceGetAutostart>(&args)?.autostart)
    }
    fn node_device_set_autostart(&self, dev: &NodeDeviceRef, autostart: i32) -> Result<()> {
        let args = RemoteNodeDeviceSetAutostartArgs {
            name: dev.name.clone(),
            autostart,
        };
        self.call::<p::NodeDeviceSetAutostart>(&args)
    }
    fn node_device_is_persistent(&self, dev: &NodeDeviceRef) -> Result<i32> {
        let args = RemoteNodeDeviceIsPersistentArgs {
            name: dev.name.clone(),
        };
        Ok(self.call::<p::NodeDeviceIsPersistent>(&args)?.persistent)
    }
    fn node_device_is_active(&self, dev: &NodeDeviceRef) -> Result<i32> {
        let args = RemoteNodeDeviceIsActiveArgs {
            name: dev.name.clone(),
        };
        Ok(self.call::<p::NodeDeviceIsActive>(&args)?.active)
    }
    fn node_device_lookup_scsi_host_by_wwn(
        &self,
        wwnn: &str,
        wwpn: &str,
        flags: u32,
    ) -> Result<NodeDeviceRef> {
        let args = RemoteNodeDeviceLookupScsiHostByWwnArgs {
            wwnn: wwnn.to_string(),
            wwpn: wwpn.to_string(),
            flags,
        };
        Ok(local(
            self.call::<p::NodeDeviceLookupScsiHostByWwn>(&args)?.dev,
        ))
    }

    // ---- Node device events.
    fn connect_node_device_event_register_any(
        &self,
        dev: Option<&NodeDeviceRef>,
        event_id: i32,
        cb: EventSink,
    ) -> Result<i32> {
        let filter = dev.map(|d| EventKey::Name(d.name.clone()));
        self.event_register(EventFamily::NodeDevice, event_id, filter, cb, || {
            Ok(self
                .call::<p::ConnectNodeDeviceEventRegisterAny>(
                    &RemoteConnectNodeDeviceEventRegisterAnyArgs {
                        event_id,
                        dev: dev.map(|d| RemoteNonnullNodeDevice {
                            name: d.name.clone(),
                        }),
                    },
                )?
                .callback_id)
        })
    }
    fn connect_node_device_event_deregister_any(&self, id: i32) -> Result<()> {
        self.event_deregister(id, |callback_id| {
            self.call::<p::ConnectNodeDeviceEventDeregisterAny>(
                &RemoteConnectNodeDeviceEventDeregisterAnyArgs { callback_id },
            )
        })
    }
}
