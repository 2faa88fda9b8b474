//! The admin client, safe Rust: where a URI's admin socket is, one RPC connection per
//! `virAdmConnect`, the objects the API hands out (connections, servers, clients) with libvirt's
//! reference counting, and one typed call of the admin program per API function.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::ffi::CString;
use std::sync::Arc;
use virt::core::conf::{Conf, client_config_path};
use virt::core::uri::Uri;
use virt::core::{Code, Domain, Result, VirError};
use virt::generated::proto_procs::admin as p;
use virt::generated::proto_types::*;
use virt::rpc::{Client, Keepalive};

pub const THIS: Domain = Domain::VIR_FROM_ADMIN;
/// `VIR_CONNECT_NO_ALIASES`.
const NO_ALIASES: u32 = 2;

fn config_unsupported(msg: String) -> VirError {
    VirError::detail(THIS, Code::VIR_ERR_CONFIG_UNSUPPORTED, msg)
}

/// `virGetUserRuntimeDirectory`.
fn user_runtime_dir() -> String {
    match std::env::var("XDG_RUNTIME_DIR") {
        Ok(d) if !d.is_empty() => format!("{d}/libvirt"),
        _ => format!("{}/.cache/libvirt", virt::core::conf::home_dir().display()),
    }
}

/// The admin socket a URI names: `?socket=`, else `libvirt-admin-sock` (scheme `libvirtd`) or
/// `SCHEME-admin-sock` (`virt*` schemes) in the system or the session run directory.
pub fn socket_path(uri: &Uri) -> Result<String> {
    let mut sock = None;
    for (name, value) in uri.params() {
        if name == "socket" {
            sock = Some(value);
        } else {
            return Err(config_unsupported(format!(
                "Unknown URI parameter '{name}'"
            )));
        }
    }
    if let Some(s) = sock {
        return Ok(s);
    }
    let base = if uri.scheme == "libvirtd" {
        "libvirt-admin-sock".to_string()
    } else if uri.scheme.starts_with("virt") {
        format!("{}-admin-sock", uri.scheme)
    } else {
        return Err(config_unsupported(format!(
            "Unsupported URI scheme '{}'",
            uri.scheme
        )));
    };
    match uri.path.as_str() {
        "/system" => Ok(format!("/run/libvirt/{base}")),
        "/session" => Ok(format!("{}/{base}", user_runtime_dir())),
        other => Err(config_unsupported(format!(
            "Invalid URI path '{other}', try '/system'"
        ))),
    }
}

/// `virAdmGetDefaultURI`.
fn default_uri(conf: Option<&Conf>) -> Result<String> {
    if let Ok(u) = std::env::var("LIBVIRT_ADMIN_DEFAULT_URI")
        && !u.is_empty()
    {
        return Ok(u);
    }
    if let Some(c) = conf
        && let Some(u) = c.get_string("uri_default")?
    {
        return Ok(u);
    }
    Ok(if virt::sys::effective_uid() == 0 {
        "libvirtd:///system".into()
    } else {
        "libvirtd:///session".into()
    })
}

/// What `virURIParse` makes of a name without a scheme (a relative reference) for
/// `getSocketPath`: no scheme.
fn parse_uri(name: &str) -> Result<Uri> {
    match Uri::parse(name) {
        Ok(u) => Ok(u),
        Err(e) if e.code == Code::VIR_ERR_NO_CONNECT as i32 => {
            Err(config_unsupported("No URI scheme specified".into()))
        }
        Err(e) => Err(e),
    }
}

/// One open admin connection.
pub struct Conn {
    pub client: Client,
    pub uri: Uri,
    /// The RPC client's close handler (the application's close callback), removed before a
    /// close the application asked for.
    pub close_handler: Mutex<Option<u64>>,
}

impl Conn {
    pub fn open(name: Option<&str>, flags: u32) -> Result<Conn> {
        let conf = Conf::load(&client_config_path("libvirt-admin.conf"))?;
        let mut uristr = match name {
            Some(n) => n.to_string(),
            None => default_uri(conf.as_ref())?,
        };
        if flags & NO_ALIASES == 0
            && let Some(c) = &conf
            && let Some(a) = virt::drivers::resolve_alias(c, &uristr)?
        {
            uristr = a;
        }
        let uri = parse_uri(&uristr)?;
        let sock = socket_path(&uri)?;
        let t = virt::drivers::remote::transport::connect_unix(&sock)?;
        let client = Client::connect(t, Some(Keepalive::default()))?;
        client.call_proc::<p::ConnectOpen>(&AdminConnectOpenArgs {
            flags: flags & !NO_ALIASES,
        })?;
        Ok(Conn {
            client,
            uri,
            close_handler: Mutex::new(None),
        })
    }

    /// The last reference went: say goodbye (bounded) and shut the connection.
    fn dispose(&self) {
        if let Some(id) = self.close_handler.lock().take() {
            self.client.remove_close_handler(id);
        }
        if self.client.is_alive() {
            let _ = self
                .client
                .call_proc_timeout::<p::ConnectClose>(&(), std::time::Duration::from_secs(5));
        }
        self.client.close();
    }

    pub fn lib_version(&self) -> Result<u64> {
        Ok(self
            .client
            .call_proc::<p::ConnectGetLibVersion>(&())?
            .lib_ver)
    }

    pub fn list_servers(&self, need: bool, flags: u32) -> Result<(Vec<String>, u32)> {
        let r = self
            .client
            .call_proc::<p::ConnectListServers>(&AdminConnectListServersArgs {
                need_results: need as u32,
                flags,
            })?;
        Ok((r.servers.into_iter().map(|s| s.name).collect(), r.ret))
    }

    pub fn lookup_server(&self, name: &str, flags: u32) -> Result<String> {
        let args = AdminConnectLookupServerArgs {
            name: name.to_string(),
            flags,
        };
        Ok(self
            .client
            .call_proc::<p::ConnectLookupServer>(&args)?
            .srv
            .name)
    }

    pub fn logging_outputs(&self, flags: u32) -> Result<(String, u32)> {
        let args = AdminConnectGetLoggingOutputsArgs { flags };
        let r = self
            .client
            .call_proc::<p::ConnectGetLoggingOutputs>(&args)?;
        Ok((r.outputs, r.noutputs))
    }

    pub fn logging_filters(&self, flags: u32) -> Result<(Option<String>, u32)> {
        let args = AdminConnectGetLoggingFiltersArgs { flags };
        let r = self
            .client
            .call_proc::<p::ConnectGetLoggingFilters>(&args)?;
        Ok((r.filters, r.nfilters))
    }

    pub fn set_logging_outputs(&self, outputs: Option<String>, flags: u32) -> Result<()> {
        let args = AdminConnectSetLoggingOutputsArgs { outputs, flags };
        self.client.call_proc::<p::ConnectSetLoggingOutputs>(&args)
    }

    pub fn set_logging_filters(&self, filters: Option<String>, flags: u32) -> Result<()> {
        let args = AdminConnectSetLoggingFiltersArgs { filters, flags };
        self.client.call_proc::<p::ConnectSetLoggingFilters>(&args)
    }

    pub fn set_daemon_timeout(&self, timeout: u32, flags: u32) -> Result<()> {
        let args = AdminConnectSetDaemonTimeoutArgs { timeout, flags };
        self.client.call_proc::<p::ConnectSetDaemonTimeout>(&args)
    }
}

/// The admin program's limits on typed parameter lists (admin_protocol.x; the generated
/// constants are private to the main crate).
pub const ADMIN_SERVER_THREADPOOL_PARAMETERS_MAX: u32 = 32;
pub const ADMIN_CLIENT_INFO_PARAMETERS_MAX: u32 = 64;
pub const ADMIN_SERVER_CLIENT_LIMITS_MAX: u32 = 32;

/// A typed parameter, as the wire has it.
pub type Param = AdminTypedParam;

/// `virTypedParamsDeserialize`'s limit check.
pub fn check_limit(params: &[Param], limit: u32) -> Result<()> {
    if params.len() > limit as usize {
        return Err(VirError::detail(
            THIS,
            Code::VIR_ERR_RPC,
            format!("too many parameters '{}' for limit '{limit}'", params.len()),
        ));
    }
    Ok(())
}

fn nonnull_server(name: &str) -> AdminNonnullServer {
    AdminNonnullServer {
        name: name.to_string(),
    }
}

/// Calls on a server (by name) of a connection.
impl Conn {
    pub fn threadpool_params(&self, srv: &str, flags: u32) -> Result<Vec<Param>> {
        let args = AdminServerGetThreadpoolParametersArgs {
            srv: nonnull_server(srv),
            flags,
        };
        let r = self
            .client
            .call_proc::<p::ServerGetThreadpoolParameters>(&args)?;
        check_limit(&r.params, ADMIN_SERVER_THREADPOOL_PARAMETERS_MAX)?;
        Ok(r.params)
    }

    pub fn set_threadpool_params(&self, srv: &str, params: Vec<Param>, flags: u32) -> Result<()> {
        check_limit(&params, ADMIN_SERVER_THREADPOOL_PARAMETERS_MAX)?;
        let args = AdminServerSetThreadpoolParametersArgs {
            srv: nonnull_server(srv),
            params,
            flags,
        };
        self.client
            .call_proc::<p::ServerSetThreadpoolParameters>(&args)
    }

    pub fn client_limits(&self, srv: &str, flags: u32) -> Result<Vec<Param>> {
        let args = AdminServerGetClientLimitsArgs {
            srv: nonnull_server(srv),
            flags,
        };
        let r = self.client.call_proc::<p::ServerGetClientLimits>(&args)?;
        check_limit(&r.params, ADMIN_SERVER_CLIENT_LIMITS_MAX)?;
        Ok(r.params)
    }

    pub fn set_client_limits(&self, srv: &str, params: Vec<Param>, flags: u32) -> Result<()> {
        check_limit(&params, ADMIN_SERVER_CLIENT_LIMITS_MAX)?;
        let args = AdminServerSetClientLimitsArgs {
            srv: nonnull_server(srv),
            params,
            flags,
        };
        self.client.call_proc::<p::ServerSetClientLimits>(&args)
    }

    pub fn update_tls_files(&self, srv: &str, flags: u32) -> Result<()> {
        let args = AdminServerUpdateTlsFilesArgs {
            srv: nonnull_server(srv),
            flags,
        };
        self.client.call_proc::<p::ServerUpdateTlsFiles>(&args)
    }

    pub fn list_clients(
        &self,
        srv: &str,
        need: bool,
        flags: u32,
    ) -> Result<(Vec<AdminNonnullClient>, u32)> {
        let args = AdminServerListClientsArgs {
            srv: nonnull_server(srv),
            need_results: need as u32,
            flags,
        };
        let r = self.client.call_proc::<p::ServerListClients>(&args)?;
        Ok((r.clients, r.ret))
    }

    pub fn lookup_client(&self, srv: &str, id: u64, flags: u32) -> Result<AdminNonnullClient> {
        let args = AdminServerLookupClientArgs {
            srv: nonnull_server(srv),
            id,
            flags,
        };
        Ok(self.client.call_proc::<p::ServerLookupClient>(&args)?.clnt)
    }

    pub fn client_info(&self, clnt: &AdminNonnullClient, flags: u32) -> Result<Vec<Param>> {
        let args = AdminClientGetInfoArgs {
            clnt: clnt.clone(),
            flags,
        };
        let r = self.client.call_proc::<p::ClientGetInfo>(&args)?;
        check_limit(&r.params, ADMIN_CLIENT_INFO_PARAMETERS_MAX)?;
        Ok(r.params)
    }

    pub fn close_client(&self, clnt: &AdminNonnullClient, flags: u32) -> Result<()> {
        let args = AdminClientCloseArgs {
            clnt: clnt.clone(),
            flags,
        };
        self.client.call_proc::<p::ClientClose>(&args)
    }
}

/// A server object: its connection and its name (a C string for `virAdmServerGetName`).
pub struct Server {
    pub conn: usize,
    pub name: CString,
}

/// A client object: its server and what the daemon said of it.
pub struct AdmClient {
    pub srv: usize,
    pub info: AdminNonnullClient,
}

pub enum Object {
    Conn(Arc<Conn>),
    Server(Arc<Server>),
    Client(Arc<AdmClient>),
}

struct Entry {
    obj: Object,
    refs: usize,
}

/// Every live object by its handle (the address the application holds). A handle is never
/// dereferenced: a NULL, stale or foreign pointer is simply not found.
static OBJECTS: Mutex<Option<HashMap<usize, Entry>>> = Mutex::new(None);

use crate::ffi::{free_handle, new_handle};

/// Register an object with one reference, taking a reference on its parent.
pub fn register(obj: Object) -> usize {
    let parent = match &obj {
        Object::Conn(_) => None,
        Object::Server(s) => Some(s.conn),
        Object::Client(c) => Some(c.srv),
    };
    let h = new_handle();
    let mut g = OBJECTS.lock();
    let map = g.get_or_insert_with(HashMap::new);
    if let Some(p) = parent
        && let Some(e) = map.get_mut(&p)
    {
        e.refs += 1;
    }
    map.insert(h, Entry { obj, refs: 1 });
    h
}

pub fn conn(h: usize) -> Option<Arc<Conn>> {
    match OBJECTS.lock().as_ref()?.get(&h)?.obj {
        Object::Conn(ref c) => Some(c.clone()),
        _ => None,
    }
}

/// A server and its connection (`virCheckAdmServer`).
pub fn server(h: usize) -> Option<(Arc<Server>, Arc<Conn>)> {
    let g = OBJECTS.lock();
    let map = g.as_ref()?;
    let Object::Server(ref s) = map.get(&h)?.obj else {
        return None;
    };
    let Object::Conn(ref c) = map.get(&s.conn)?.obj else {
        return None;
    };
    Some((s.clone(), c.clone()))
}

/// A client, its server's name and its connection (`virCheckAdmClient`).
pub fn client(h: usize) -> Option<(Arc<AdmClient>, Arc<Conn>)> {
    let g = OBJECTS.lock();
    let map = g.as_ref()?;
    let Object::Client(ref c) = map.get(&h)?.obj else {
        return None;
    };
    let Object::Server(ref s) = map.get(&c.srv)?.obj else {
        return None;
    };
    let Object::Conn(ref conn) = map.get(&s.conn)?.obj else {
        return None;
    };
    Some((c.clone(), conn.clone()))
}

pub fn add_ref(h: usize) {
    if let Some(e) = OBJECTS.lock().as_mut().and_then(|m| m.get_mut(&h)) {
        e.refs += 1;
    }
}

/// Drop one reference; the last one disposes of the object, which drops its parent's. Whether
/// the object is gone.
pub fn unref(h: usize) -> bool {
    let mut disposed = Vec::new();
    let mut gone = false;
    {
        let mut g = OBJECTS.lock();
        let Some(map) = g.as_mut() else {
            return false;
        };
        let mut cur = Some(h);
        while let Some(k) = cur.take() {
            let Some(e) = map.get_mut(&k) else { break };
            e.refs -= 1;
            if e.refs > 0 {
                break;
            }
            let e = map.remove(&k).expect("entry just seen");
            if k == h {
                gone = true;
            }
            cur = match &e.obj {
                Object::Conn(_) => None,
                Object::Server(s) => Some(s.conn),
                Object::Client(c) => Some(c.srv),
            };
            free_handle(k);
            disposed.push(e.obj);
        }
    }
    // Disposal talks to the daemon: outside the lock.
    for o in disposed {
        if let Object::Conn(c) = o {
            c.dispose();
        }
    }
    gone
}
