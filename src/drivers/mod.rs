//! Drivers, and the choice among them that `virConnectOpen` makes from a URI.

pub mod remote;
pub mod test_driver;

use crate::core::connect::{Authenticator, CONNECT_RO, Connection};
use crate::core::uri::Uri;
use crate::core::{Result, VirError};

/// `VIR_CONNECT_NO_ALIASES`.
const CONNECT_NO_ALIASES: u32 = 2;

/// Open a connection the way libvirt picks a driver: `test:` URIs without a host are served
/// in-process; everything else goes to the remote driver and a daemon.
///
/// The URI as libvirt resolves it: an empty name is no name; no name means
/// `LIBVIRT_DEFAULT_URI` when set and not empty, else the client `libvirt.conf`'s
/// `uri_default`; then, unless `VIR_CONNECT_NO_ALIASES`, an exact `uri_aliases` entry
/// `ALIAS=URI` replaces it.
pub fn open(
    name: Option<&str>,
    flags: u32,
    auth: Option<&dyn Authenticator>,
) -> Result<Connection> {
    let conf = crate::core::conf::load_client_conf()?;
    if let Some(c) = &conf {
        crate::vir_debug!(
            "util.conf",
            "virConfLoadConfig",
            "Loading config file '{}'",
            c.filename
        );
    }
    let name = match name.filter(|s| !s.is_empty()) {
        Some(n) => Some(n.to_string()),
        None => default_uri(conf.as_ref())?,
    };
    let readonly = flags & CONNECT_RO != 0;
    let Some(mut name) = name else {
        return remote::open(None, readonly, auth);
    };
    if flags & CONNECT_NO_ALIASES == 0
        && let Some(c) = &conf
        && let Some(target) = resolve_alias(c, &name)?
    {
        name = target;
    }
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
        let extras = test_driver::Extras::from_query(uri.query.as_deref())?;
        let driver = test_driver::open(&uri, flags, auth)?;
        let mut conn = Connection::new(uri.format(), readonly, driver.clone());
        conn.drivers.network = driver.clone();
        conn.drivers.storage = driver.clone();
        // scope ifnode
        conn.drivers.interface = driver.clone();
        if extras.secrets {
            conn.drivers.secret = driver.clone();
        }
        conn.drivers.nodedev = driver;
        return Ok(conn);
    }
    remote::open(Some(&uri), readonly, auth)
}

/// `virConnectGetDefaultURI`.
fn default_uri(conf: Option<&crate::core::conf::Conf>) -> Result<Option<String>> {
    if let Some(env) = std::env::var("LIBVIRT_DEFAULT_URI")
        .ok()
        .filter(|s| !s.is_empty())
    {
        crate::vir_debug!(
            "libvirt",
            "virConnectGetDefaultURI",
            "Using LIBVIRT_DEFAULT_URI '{env}'"
        );
        return Ok(Some(env));
    }
    let Some(conf) = conf else {
        return Ok(None);
    };
    let uri = conf.get_string("uri_default")?;
    if let Some(u) = &uri {
        crate::vir_debug!(
            "libvirt",
            "virConnectGetDefaultURI",
            "Using config file uri '{u}'"
        );
    }
    Ok(uri)
}

/// `virURIResolveAlias`: the URI of the `uri_aliases` entry named exactly `alias`.
pub fn resolve_alias(conf: &crate::core::conf::Conf, alias: &str) -> Result<Option<String>> {
    use crate::core::{Code, Domain};
    let Some(aliases) = conf.get_string_list("uri_aliases")? else {
        return Ok(None);
    };
    for entry in &aliases {
        let Some((name, uri)) = entry.split_once('=') else {
            return Err(VirError::detail(
                Domain::VIR_FROM_URI,
                Code::VIR_ERR_CONF_SYNTAX,
                format!(
                    "Malformed 'uri_aliases' config entry '{entry}', expected 'alias=uri://host/path'"
                ),
            ));
        };
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(VirError::detail(
                Domain::VIR_FROM_URI,
                Code::VIR_ERR_CONF_SYNTAX,
                format!(
                    "Malformed 'uri_aliases' config entry '{entry}', aliases may only contain 'a-Z, 0-9, _, -'"
                ),
            ));
        }
        if name == alias {
            crate::vir_debug!(
                "util.uri",
                "virURIFindAliasMatch",
                "Resolved alias '{alias}' to '{uri}'"
            );
            return Ok(Some(uri.to_string()));
        }
    }
    Ok(None)
}

/// Keep the compiler honest about the error type used by the drivers.
#[allow(dead_code)]
fn _assert_error_type(e: VirError) -> VirError {
    e
}
