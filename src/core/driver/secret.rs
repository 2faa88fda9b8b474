//! The secret family (libvirt's `driver-secret.h`).

#[allow(unused_imports)]
use super::unsupported;
#[allow(unused_imports)]
use crate::core::error::Result;

/// What a public handle needs to know of a secret: libvirt's `virSecret` is
/// `{uuid, usageType, usageID}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecretRef {
    pub uuid: [u8; 16],
    pub usage_type: i32,
    pub usage_id: String,
}

/// Every method defaults to "not supported" (see the module documentation of `driver`).
#[allow(unused_variables)]
pub trait SecretDriver: Send + Sync {
    fn connect_num_of_secrets(&self) -> Result<i32> {
        unsupported()
    }
    /// UUID strings.
    fn connect_list_secrets(&self, max: usize) -> Result<Vec<String>> {
        unsupported()
    }
    fn connect_list_all_secrets(&self, flags: u32) -> Result<Vec<SecretRef>> {
        unsupported()
    }
    fn secret_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<SecretRef> {
        unsupported()
    }
    fn secret_lookup_by_usage(&self, usage_type: i32, usage_id: &str) -> Result<SecretRef> {
        unsupported()
    }
    fn secret_define_xml(&self, xml: &str, flags: u32) -> Result<SecretRef> {
        unsupported()
    }
    fn secret_get_xml_desc(&self, secret: &SecretRef, flags: u32) -> Result<String> {
        unsupported()
    }
    fn secret_set_value(&self, secret: &SecretRef, value: &[u8], flags: u32) -> Result<()> {
        unsupported()
    }
    fn secret_get_value(&self, secret: &SecretRef, flags: u32) -> Result<Vec<u8>> {
        unsupported()
    }
    fn secret_undefine(&self, secret: &SecretRef) -> Result<()> {
        unsupported()
    }
    /// Secret events of `event_id` (a `virSecretEventID`) for one secret or all, handed to
    /// `cb`; the driver's registration id (see `connect_network_event_register_any`).
    fn connect_secret_event_register_any(
        &self,
        secret: Option<&SecretRef>,
        event_id: i32,
        cb: super::EventSink,
    ) -> Result<i32> {
        unsupported()
    }
    fn connect_secret_event_deregister_any(&self, id: i32) -> Result<()> {
        unsupported()
    }
    /// Whether this driver has secret events at all: libvirt's deregistration answers
    /// NO_SUPPORT for any id on a connection whose secret driver has none.
    fn has_secret_events(&self) -> bool {
        false
    }
}
