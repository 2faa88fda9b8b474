//! The remote driver. Until the RPC client lands, opening reports what libvirt reports when no
//! daemon answers, and a daemon that does answer is declined with NO_CONNECT.

use crate::core::connect::{Authenticator, Connection};
use crate::core::uri::Uri;
use crate::core::{Code, Domain, Result, VirError};
use std::os::unix::net::UnixStream;

const SOCKET: &str = "/var/run/libvirt/libvirt-sock";
const SOCKET_RO: &str = "/var/run/libvirt/libvirt-sock-ro";
const CA_CERT: &str = "/etc/pki/CA/cacert.pem";

pub fn open(
    uri: Option<&Uri>,
    readonly: bool,
    _auth: Option<&dyn Authenticator>,
) -> Result<Connection> {
    let transport = uri.and_then(|u| u.transport()).map(str::to_string);
    let server = uri.and_then(|u| u.server.clone());
    let transport = transport.unwrap_or_else(|| {
        if server.is_some() {
            "tls".into()
        } else {
            "unix".into()
        }
    });
    match transport.as_str() {
        "unix" => {
            let path = uri
                .and_then(|u| {
                    u.params()
                        .into_iter()
                        .find(|(k, _)| k == "socket")
                        .map(|(_, v)| v)
                })
                .unwrap_or_else(|| (if readonly { SOCKET_RO } else { SOCKET }).to_string());
            match UnixStream::connect(&path) {
                Err(e) => Err(VirError::system(
                    Domain::VIR_FROM_RPC,
                    e.raw_os_error().unwrap_or(libc::EIO),
                    &format!("Failed to connect socket to '{path}'"),
                )),
                Ok(_) => Err(declined(uri)),
            }
        }
        "tls" => {
            if let Err(e) = std::fs::metadata(CA_CERT) {
                return Err(VirError::system(
                    Domain::VIR_FROM_RPC,
                    e.raw_os_error().unwrap_or(libc::EIO),
                    &format!("Cannot read CA certificate '{CA_CERT}'"),
                ));
            }
            Err(declined(uri))
        }
        _ => Err(declined(uri)),
    }
}

fn declined(uri: Option<&Uri>) -> VirError {
    let name = uri.map(|u| u.format()).unwrap_or_default();
    VirError::detail(Domain::VIR_FROM_NONE, Code::VIR_ERR_NO_CONNECT, name)
}
