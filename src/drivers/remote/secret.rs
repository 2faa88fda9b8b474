//! The remote driver's secret family, one typed call each through the generated protocol
//! tables.

use super::RemoteDriver;
use super::network::check_strings;
use crate::core::Result;
use crate::core::driver::{SecretDriver, SecretRef};
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;

fn wire(s: &SecretRef) -> RemoteNonnullSecret {
    RemoteNonnullSecret {
        uuid: s.uuid,
        usage_type: s.usage_type,
        usage_id: s.usage_id.clone(),
    }
}

fn local(s: RemoteNonnullSecret) -> SecretRef {
    SecretRef {
        uuid: s.uuid,
        usage_type: s.usage_type,
        usage_id: s.usage_id,
    }
}

impl SecretDriver for RemoteDriver {
    fn connect_secret_event_register_any(
        &self,
        secret: Option<&SecretRef>,
        event_id: i32,
        cb: crate::core::driver::EventSink,
    ) -> Result<i32> {
        self.secret_event_register(secret, event_id, cb)
    }
    fn connect_secret_event_deregister_any(&self, id: i32) -> Result<()> {
        self.secret_event_deregister(id)
    }
    fn has_secret_events(&self) -> bool {
        true
    }
    fn connect_num_of_secrets(&self) -> Result<i32> {
        Ok(self.call::<p::ConnectNumOfSecrets>(&())?.num)
    }
    fn connect_list_secrets(&self, max: usize) -> Result<Vec<String>> {
        const F: &str = "virConnectListSecrets";
        check_strings(max, None, REMOTE_SECRET_LIST_MAX, "uuids", F)?;
        let args = RemoteConnectListSecretsArgs {
            maxuuids: max as i32,
        };
        let uuids = self.call::<p::ConnectListSecrets>(&args)?.uuids;
        check_strings(max, Some(uuids.len()), REMOTE_SECRET_LIST_MAX, "uuids", F)?;
        Ok(uuids)
    }
    fn connect_list_all_secrets(&self, flags: u32) -> Result<Vec<SecretRef>> {
        let args = RemoteConnectListAllSecretsArgs {
            need_results: 1,
            flags,
        };
        let r = self.call::<p::ConnectListAllSecrets>(&args)?;
        Ok(r.secrets.into_iter().map(local).collect())
    }
    fn secret_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<SecretRef> {
        let args = RemoteSecretLookupByUuidArgs { uuid: *uuid };
        Ok(local(self.call::<p::SecretLookupByUuid>(&args)?.secret))
    }
    fn secret_lookup_by_usage(&self, usage_type: i32, usage_id: &str) -> Result<SecretRef> {
        let args = RemoteSecretLookupByUsageArgs {
            usage_type,
            usage_id: usage_id.to_string(),
        };
        Ok(local(self.call::<p::SecretLookupByUsage>(&args)?.secret))
    }
    fn secret_define_xml(&self, xml: &str, flags: u32) -> Result<SecretRef> {
        let args = RemoteSecretDefineXmlArgs {
            xml: xml.to_string(),
            flags,
        };
        Ok(local(self.call::<p::SecretDefineXml>(&args)?.secret))
    }
    fn secret_get_xml_desc(&self, secret: &SecretRef, flags: u32) -> Result<String> {
        let args = RemoteSecretGetXmlDescArgs {
            secret: wire(secret),
            flags,
        };
        Ok(self.call::<p::SecretGetXmlDesc>(&args)?.xml)
    }
    fn secret_set_value(&self, secret: &SecretRef, value: &[u8], flags: u32) -> Result<()> {
        let args = RemoteSecretSetValueArgs {
            secret: wire(secret),
            value: value.to_vec(),
            flags,
        };
        self.call::<p::SecretSetValue>(&args)
    }
    fn secret_get_value(&self, secret: &SecretRef, flags: u32) -> Result<Vec<u8>> {
        let args = RemoteSecretGetValueArgs {
            secret: wire(secret),
            flags,
        };
        Ok(self.call::<p::SecretGetValue>(&args)?.value)
    }
    fn secret_undefine(&self, secret: &SecretRef) -> Result<()> {
        self.call::<p::SecretUndefine>(&RemoteSecretUndefineArgs {
            secret: wire(secret),
        })
    }
}
