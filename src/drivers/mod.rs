//! Drivers, and the choice among them that `virConnectOpen` makes from a URI.

pub mod remote;
pub mod test_driver;

use crate::core::connect::{Authenticator, CONNECT_RO, Connection};
use crate::core::uri::Uri;
use crate::core::{Result, VirError};

/// Open a connection the way libvirt picks a driver: `test:` URIs without a host are served
/// in-process; everything else goes to the remote driver and a daemon.
pub fn open(
    name: Option<&str>,
    flags: u32,
    auth: Option<&dyn Authenticator>,
) -> Result<Connection> {
    let env = std::env::var("LIBVIRT_DEFAULT_URI")
        .ok()
        .filter(|s| !s.is_empty());
    let name = match name.filter(|s| !s.is_empty()) {
        Some(n) => Some(n.to_string()),
        None => env,
    };
    let readonly = flags & CONNECT_RO != 0;
    let Some(name) = name else {
        return remote::open(None, readonly, auth);
    };
    let uri = Uri::parse(&name)?;
    // libvirt's guess at a forgotten slash, for the drivers whose URIs need a path.
    if let Some(h) = &uri.server
        && ["qemu", "vbox", "vz"].contains(&uri.scheme.as_str())
        && (h == "session" || h == "system")
    {
        return Err(VirError::detail(
            crate::core::Domain::VIR_FROM_NONE,
            crate::core::Code::VIR_ERR_INTERNAL_ERROR,
            format!("invalid URI {name} (maybe you want {}:///{h})", uri.scheme),
        ));
    }
    if uri.scheme == "test" && uri.server.is_none() {
        let driver = test_driver::open(&uri, flags, auth)?;
        return Ok(Connection {
            uri: uri.format(),
            readonly,
            driver,
        });
    }
    remote::open(Some(&uri), readonly, auth)
}

/// Keep the compiler honest about the error type used by the drivers.
#[allow(dead_code)]
fn _assert_error_type(e: VirError) -> VirError {
    e
}
