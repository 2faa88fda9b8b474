//! Connections: what a `virConnectPtr` stands for, and the credentials exchange of
//! `virConnectOpenAuth`.

use super::driver::Driver;
use super::error::Result;
use std::sync::Arc;

/// `VIR_CONNECT_RO`.
pub const CONNECT_RO: u32 = 1;
/// `VIR_CONNECT_NO_ALIASES`.
pub const CONNECT_NO_ALIASES: u32 = 2;

/// An open connection to one driver.
pub struct Connection {
    /// The URI as `virConnectGetURI` reports it.
    pub uri: String,
    pub readonly: bool,
    pub driver: Arc<dyn Driver>,
}

/// One credential a driver asks for (`virConnectCredential`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Credential {
    /// A `virConnectCredentialType` value.
    pub kind: i32,
    pub prompt: String,
    pub challenge: Option<String>,
    pub default: Option<String>,
    /// Filled in by the authenticator.
    pub result: Option<String>,
}

/// The application's side of `virConnectAuth`: which credential types it can answer, and the
/// callback that answers them.
pub trait Authenticator {
    fn supports(&self, kind: i32) -> bool;
    /// Fill in `result` of each credential; an error aborts the open.
    fn ask(&self, creds: &mut [Credential]) -> Result<()>;
}
