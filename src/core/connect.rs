//! Connections: what a `virConnectPtr` stands for, and the credentials exchange of
//! `virConnectOpenAuth`.

use super::authconf::AuthConf;
use super::driver::{Drivers, HypervisorDriver};
use super::error::{Code, Domain, Result, VirError};
use std::sync::Arc;

/// `VIR_CONNECT_RO`.
pub(crate) const CONNECT_RO: u32 = 1;

/// An open connection to one driver.
pub struct Connection {
    /// The URI as `virConnectGetURI` reports it.
    pub uri: String,
    pub readonly: bool,
    /// One driver per object family.
    pub drivers: Drivers,
}

impl Connection {
    /// A connection whose driver serves the hypervisor family only.
    pub fn new(uri: String, readonly: bool, hypervisor: Arc<dyn HypervisorDriver>) -> Self {
        Connection {
            uri,
            readonly,
            drivers: Drivers::new(hypervisor),
        }
    }

    /// The hypervisor family's driver.
    pub fn hv(&self) -> &dyn HypervisorDriver {
        &*self.drivers.hypervisor
    }
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
    /// The credential types the application listed, in its order.
    fn credtypes(&self) -> Vec<i32>;
    /// Whether a callback was given at all.
    fn has_callback(&self) -> bool;
    /// Run the callback on `creds`, filling in `result`; false when it returned < 0.
    fn ask(&self, creds: &mut [Credential]) -> bool;
}

/// `VIR_CRED_AUTHNAME`, `VIR_CRED_PASSPHRASE`, `VIR_CRED_NOECHOPROMPT`.
pub(crate) const CRED_AUTHNAME: i32 = 2;
pub(crate) const CRED_PASSPHRASE: i32 = 5;
pub(crate) const CRED_NOECHOPROMPT: i32 = 7;

fn auth_error(code: Code, msg: &str) -> VirError {
    VirError::detail(Domain::VIR_FROM_AUTH, code, msg)
}

/// The application's authenticator, or libvirt's error when there is none.
fn given(auth: Option<&dyn Authenticator>) -> Result<&dyn Authenticator> {
    auth.ok_or_else(|| {
        auth_error(
            Code::VIR_ERR_INVALID_ARG,
            "Missing authentication credentials",
        )
    })
}

/// libvirt looks for a matching credential type before it looks at the callback.
fn callback(auth: &dyn Authenticator) -> Result<()> {
    if auth.has_callback() {
        Ok(())
    } else {
        Err(auth_error(
            Code::VIR_ERR_INVALID_ARG,
            "Missing authentication callback",
        ))
    }
}

/// Ask for a user name the way libvirt's drivers do: `auth.conf` first, then one AUTHNAME
/// credential. `Ok(None)`: the callback succeeded without answering, which libvirt reports as
/// an unknown failure.
pub fn ask_username(
    conf: &AuthConf,
    auth: Option<&dyn Authenticator>,
    host: &str,
) -> Result<Option<String>> {
    if let Some(v) = conf.lookup(Some(host), "username")? {
        return Ok(Some(v));
    }
    let auth = given(auth)?;
    if !auth.credtypes().contains(&CRED_AUTHNAME) {
        return Err(auth_error(
            Code::VIR_ERR_AUTH_FAILED,
            "Missing VIR_CRED_AUTHNAME credential type",
        ));
    }
    callback(auth)?;
    let mut cred = [Credential {
        kind: CRED_AUTHNAME,
        prompt: format!("Enter username for {host}"),
        challenge: Some(host.to_string()),
        ..Default::default()
    }];
    if !auth.ask(&mut cred) {
        return Err(auth_error(
            Code::VIR_ERR_AUTH_FAILED,
            "Username request failed",
        ));
    }
    Ok(cred[0].result.take())
}

/// Ask for `user`'s password: `auth.conf` first, then the first PASSPHRASE or NOECHOPROMPT
/// type the application lists.
pub fn ask_password(
    conf: &AuthConf,
    auth: Option<&dyn Authenticator>,
    user: &str,
    host: &str,
) -> Result<Option<String>> {
    if let Some(v) = conf.lookup(Some(host), "password")? {
        return Ok(Some(v));
    }
    let auth = given(auth)?;
    let Some(kind) = auth
        .credtypes()
        .into_iter()
        .find(|t| *t == CRED_PASSPHRASE || *t == CRED_NOECHOPROMPT)
    else {
        return Err(auth_error(
            Code::VIR_ERR_AUTH_FAILED,
            "Missing VIR_CRED_PASSPHRASE or VIR_CRED_NOECHOPROMPT credential type",
        ));
    };
    callback(auth)?;
    let mut cred = [Credential {
        kind,
        prompt: format!("Enter {user}'s password for {host}"),
        challenge: Some(host.to_string()),
        ..Default::default()
    }];
    if !auth.ask(&mut cred) {
        return Err(auth_error(
            Code::VIR_ERR_AUTH_FAILED,
            "Password request failed",
        ));
    }
    Ok(cred[0].result.take())
}
