//! The remote driver: every operation is an RPC call to a libvirt daemon (libvirtd, virtqemud,
//! virtproxyd) over a UNIX socket, TCP or ssh, with libvirt's handshake (AUTH_LIST, keepalive
//! feature, CONNECT_OPEN) and libvirt's client-side quirks.

pub mod tls;
pub mod transport;

use crate::core::connect::{Authenticator, Connection};
use crate::core::driver::{DomainInfo, DomainRef, HypervisorDriver, NodeInfo};
use crate::core::error::{Code, Domain};
use crate::core::stream::StreamBackend;
use crate::core::uri::Uri;
use crate::core::{Result, VirError};
use crate::rpc::client::{self, args, decode};
use crate::rpc::proto::{self, procs};
use crate::rpc::stream::RpcStream;
use crate::rpc::xdr::{Enc, XResult};
use crate::rpc::{Client, Keepalive};
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use std::ffi::{CStr, CString};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use transport::Kind;

/// How long closing waits for the daemon to acknowledge CONNECT_CLOSE.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// `virDomainEventID` lifecycle.
pub(crate) const EVENT_ID_LIFECYCLE: i32 = 0;

/// A lifecycle event: the domain, `virDomainEventType`, its detail.
pub type LifecycleCallback = Arc<dyn Fn(DomainRef, i32, i32) + Send + Sync>;

/// One local lifecycle subscription. The daemon accepts one registration per event and domain
/// filter on a connection, so local subscriptions with the same filter share it.
struct Sub {
    local: i32,
    daemon: i32,
    filter: Option<[u8; 16]>,
    cb: LifecycleCallback,
}

#[derive(Default)]
struct Subs {
    next: i32,
    list: Vec<Sub>,
}

pub struct RemoteDriver {
    client: Client,
    /// The daemon's driver type, fetched once (as libvirt's client caches it).
    kind: Mutex<Option<&'static CStr>>,
    event_callbacks: Arc<Mutex<Subs>>,
    keepalive_supported: bool,
    closed: AtomicBool,
}

/// Driver type names live for the whole process: a handful of distinct strings at most.
fn intern(s: &str) -> &'static CStr {
    static SEEN: Lazy<Mutex<Vec<&'static CStr>>> = Lazy::new(|| Mutex::new(Vec::new()));
    let mut v = SEEN.lock();
    if let Some(c) = v.iter().find(|c| c.to_bytes() == s.as_bytes()) {
        return c;
    }
    let c: &'static CStr = Box::leak(CString::new(s).unwrap_or_default().into_boxed_c_str());
    v.push(c);
    c
}

fn int_ret(p: &[u8]) -> Result<i32> {
    decode(p, |d| d.i32())
}

fn string_ret(p: &[u8]) -> Result<String> {
    decode(p, |d| d.string(proto::STRING_MAX))
}

fn dom_ret(p: &[u8]) -> Result<DomainRef> {
    decode(p, proto::dec_domain)
}

fn uhyper_ret(p: &[u8]) -> Result<u64> {
    decode(p, |d| d.u64())
}

fn dom_args(d: &DomainRef, more: impl FnOnce(&mut Enc)) -> Vec<u8> {
    args(|e| {
        proto::enc_domain(e, d);
        more(e);
    })
}

fn rpc_error(msg: String) -> VirError {
    VirError::detail(Domain::VIR_FROM_REMOTE, Code::VIR_ERR_RPC, msg)
}

/// Open a connection to a daemon.
pub fn open(
    uri: Option<&Uri>,
    readonly: bool,
    _auth: Option<&dyn Authenticator>,
) -> Result<Connection> {
    let (driver, uri) = connect(uri, readonly)?;
    Ok(Connection::new(uri, readonly, driver))
}

/// Open a connection to a daemon: the driver, and the URI `virConnectGetURI` reports.
pub fn connect(uri: Option<&Uri>, readonly: bool) -> Result<(Arc<RemoteDriver>, String)> {
    let p = transport::plan(uri, readonly)?;
    let t = match p.kind {
        Kind::Unix => transport::connect_unix(&p.socket)?,
        Kind::Tcp => transport::connect_tcp(
            p.host.as_deref().unwrap_or("localhost"),
            p.port.unwrap_or(transport::TCP_PORT),
        )?,
        Kind::Ssh => transport::connect_ssh(&p, readonly)?,
        Kind::Tls => {
            let home = std::env::var("HOME").ok();
            let files = tls::files(p.param("pkipath"), transport::is_root(), home.as_deref());
            let config = tls::client_config(&files, p.flag("no_verify")?)?;
            let host = p.host.as_deref().unwrap_or("localhost");
            let tcp = transport::tcp_stream(host, p.port.unwrap_or(transport::TLS_PORT))?;
            tls::connect(tcp, host, config)?
        }
    };
    let client = Client::connect(t, Some(Keepalive::default()))?;
    authenticate(&client, p.param("auth"))?;
    let keepalive_supported = supports_feature(&client, proto::FEATURE_PROGRAM_KEEPALIVE)?;
    client.call(
        procs::CONNECT_OPEN,
        &args(|e| {
            e.opt_string(Some(&p.name)).u32(readonly as u32);
        }),
    )?;
    let uri_text = match uri {
        Some(u) => u.format(),
        None => string_ret(&client.call(procs::CONNECT_GET_URI, &[])?)?,
    };
    let drv = Arc::new(RemoteDriver {
        client,
        kind: Mutex::new(None),
        event_callbacks: Arc::new(Mutex::new(Subs::default())),
        keepalive_supported,
        closed: AtomicBool::new(false),
    });
    drv.install_event_router();
    Ok((drv, uri_text))
}

fn supports_feature(c: &Client, feature: i32) -> Result<bool> {
    let r = c.call(
        procs::CONNECT_SUPPORTS_FEATURE,
        &args(|e| {
            e.i32(feature);
        }),
    )?;
    Ok(int_ret(&r)? != 0)
}

/// AUTH_LIST first (the daemon lets root through on a polkit socket right there), then the
/// method it asks for.
fn authenticate(c: &Client, wanted: Option<&str>) -> Result<()> {
    let r = c.call(procs::AUTH_LIST, &[])?;
    let types = decode(&r, |d| {
        let n = d.count(proto::AUTH_TYPE_LIST_MAX, 4)?;
        (0..n).map(|_| d.i32()).collect::<XResult<Vec<i32>>>()
    })?;
    let chosen = match wanted {
        None => types.first().copied().unwrap_or(proto::AUTH_NONE),
        Some(w) => {
            let want = if w.eq_ignore_ascii_case("polkit") {
                proto::AUTH_POLKIT
            } else if w.to_ascii_lowercase().starts_with("sasl") {
                proto::AUTH_SASL
            } else if w.eq_ignore_ascii_case("none") {
                proto::AUTH_NONE
            } else {
                -1
            };
            if !(types.contains(&want) || want == proto::AUTH_NONE && types.is_empty()) {
                return Err(VirError::detail(
                    Domain::VIR_FROM_REMOTE,
                    Code::VIR_ERR_AUTH_FAILED,
                    format!("requested authentication type {w} rejected"),
                ));
            }
            want
        }
    };
    match chosen {
        proto::AUTH_NONE => Ok(()),
        proto::AUTH_POLKIT => {
            let r = c.call(procs::AUTH_POLKIT, &[])?;
            let complete = int_ret(&r)?;
            if complete == 0 {
                return Err(VirError::new(
                    Domain::VIR_FROM_REMOTE,
                    Code::VIR_ERR_AUTH_FAILED,
                    Some("polkit authentication did not complete"),
                ));
            }
            Ok(())
        }
        proto::AUTH_SASL => Err(VirError::detail(
            Domain::VIR_FROM_REMOTE,
            Code::VIR_ERR_NO_SUPPORT,
            "SASL authentication (the daemon asks for it; oxvirt supports none and polkit)",
        )),
        other => Err(VirError::detail(
            Domain::VIR_FROM_REMOTE,
            Code::VIR_ERR_AUTH_FAILED,
            format!("unsupported authentication type {other}"),
        )),
    }
}

impl Drop for RemoteDriver {
    fn drop(&mut self) {
        self.close();
    }
}

impl RemoteDriver {
    fn call(&self, proc_: i32, a: &[u8]) -> Result<Vec<u8>> {
        self.client.call(proc_, a)
    }

    fn dom_call(&self, proc_: i32, d: &DomainRef) -> Result<Vec<u8>> {
        self.call(proc_, &dom_args(d, |_| {}))
    }

    fn dom_flags_call(&self, proc_: i32, d: &DomainRef, flags: u32) -> Result<Vec<u8>> {
        self.call(
            proc_,
            &dom_args(d, |e| {
                e.u32(flags);
            }),
        )
    }

    /// Say goodbye to the daemon (bounded) and shut the connection.
    pub fn close(&self) {
        if self.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        if self.client.is_alive() {
            let _ = self
                .client
                .call_timeout(procs::CONNECT_CLOSE, &[], CLOSE_TIMEOUT);
        }
        self.client.close();
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn keepalive_supported(&self) -> bool {
        self.keepalive_supported
    }

    /// `virConnectSetKeepAlive`: `interval <= 0` turns the client's pings off. Returns 1 when
    /// the daemon does not speak the keepalive protocol, as libvirt does.
    pub fn set_keepalive(&self, interval: i32, count: u32) -> Result<i32> {
        // `interval <= 0` also stops the keepalive oxvirt runs by itself from the start (a
        // documented difference: libvirt's client without an event loop runs none).
        if interval <= 0 {
            self.client.set_keepalive(None);
        }
        if !self.keepalive_supported {
            return Ok(1);
        }
        if interval > 0 {
            self.client.set_keepalive(Some(Keepalive {
                interval: Duration::from_secs(interval as u64),
                count,
            }));
        }
        Ok(0)
    }

    fn install_event_router(&self) {
        let cbs = self.event_callbacks.clone();
        self.client
            .set_event_handler(Some(Arc::new(move |proc_, payload: &[u8]| {
                if proc_ != procs::DOMAIN_EVENT_CALLBACK_LIFECYCLE {
                    return;
                }
                let Ok((cb_id, dom, event, detail)) = decode(payload, |d| {
                    Ok((d.i32()?, proto::dec_domain(d)?, d.i32()?, d.i32()?))
                }) else {
                    return;
                };
                let targets: Vec<LifecycleCallback> = cbs
                    .lock()
                    .list
                    .iter()
                    .filter(|s| s.daemon == cb_id)
                    .map(|s| s.cb.clone())
                    .collect();
                for f in targets {
                    f(dom.clone(), event, detail);
                }
            })));
    }

    /// Register for lifecycle events of one domain (or all); a local subscription id.
    pub fn lifecycle_event_register(
        &self,
        dom: Option<&DomainRef>,
        cb: LifecycleCallback,
    ) -> Result<i32> {
        // Hold the table while registering so an event for the new id cannot be missed.
        let mut subs = self.event_callbacks.lock();
        let filter = dom.map(|d| d.uuid);
        let shared = subs
            .list
            .iter()
            .find(|s| s.filter == filter)
            .map(|s| s.daemon);
        let daemon = match shared {
            Some(id) => id,
            None => {
                let r = self.call(
                    procs::CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
                    &args(|e| {
                        e.i32(EVENT_ID_LIFECYCLE);
                        match dom {
                            Some(d) => {
                                e.u32(1);
                                proto::enc_domain(e, d);
                            }
                            None => {
                                e.u32(0);
                            }
                        }
                    }),
                );
                int_ret(&r?)?
            }
        };
        let local = subs.next;
        subs.next += 1;
        subs.list.push(Sub {
            local,
            daemon,
            filter,
            cb,
        });
        Ok(local)
    }

    pub fn lifecycle_event_deregister(&self, local: i32) -> Result<()> {
        let mut subs = self.event_callbacks.lock();
        let Some(pos) = subs.list.iter().position(|s| s.local == local) else {
            return Err(HypervisorDriver::event_callback_unknown(self, local));
        };
        let daemon = subs.list.remove(pos).daemon;
        if subs.list.iter().any(|s| s.daemon == daemon) {
            return Ok(());
        }
        self.call(
            procs::CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
            &args(|e| {
                e.i32(daemon);
            }),
        )?;
        Ok(())
    }

    /// `virConnectRegisterCloseCallback`'s hook: called with a `virConnectCloseReason`.
    pub fn add_close_handler(&self, f: Arc<dyn Fn(i32) + Send + Sync>) -> u64 {
        self.client.add_close_handler(f)
    }

    pub fn remove_close_handler(&self, id: u64) -> bool {
        self.client.remove_close_handler(id)
    }

    fn list_children(
        &self,
        proc_: i32,
        d: &DomainRef,
        max: usize,
        flags: u32,
    ) -> Result<Vec<String>> {
        let r = self.call(
            proc_,
            &dom_args(d, |e| {
                e.i32(1).u32(flags);
            }),
        )?;
        let (names, _) = decode(&r, |x| {
            let n = x.count(max, 4 + proto::DOMAIN_MIN_WIRE)?;
            let v = (0..n)
                .map(|_| proto::dec_named_child(x).map(|(n, _)| n))
                .collect::<XResult<Vec<_>>>()?;
            Ok((v, x.i32()?))
        })?;
        Ok(names)
    }

    fn child_call(
        &self,
        proc_: i32,
        d: &DomainRef,
        name: &str,
        more: impl FnOnce(&mut Enc),
    ) -> Result<Vec<u8>> {
        self.call(
            proc_,
            &args(|e| {
                proto::enc_named_child(e, name, d);
                more(e);
            }),
        )
    }
}

fn child_name_ret(p: &[u8]) -> Result<String> {
    decode(p, |d| proto::dec_named_child(d).map(|(n, _)| n))
}

fn names_ret(p: &[u8], max: usize) -> Result<Vec<String>> {
    decode(p, |d| {
        let n = d.count(max, 4)?;
        (0..n)
            .map(|_| d.string(proto::STRING_MAX))
            .collect::<XResult<Vec<_>>>()
    })
}

fn check_list_max(what: &str, asked: usize) -> Result<i32> {
    if asked > proto::DOMAIN_LIST_MAX {
        return Err(rpc_error(format!(
            "Too many {what} '{asked}' for limit '{}'",
            proto::DOMAIN_LIST_MAX
        )));
    }
    Ok(asked as i32)
}

impl HypervisorDriver for RemoteDriver {
    fn get_type(&self) -> &'static CStr {
        if let Some(t) = *self.kind.lock() {
            return t;
        }
        // The trait cannot fail here; an unreachable daemon shows as an empty type, and the
        // next call reports the connection error.
        match self
            .call(procs::CONNECT_GET_TYPE, &[])
            .and_then(|r| string_ret(&r))
        {
            Ok(s) => {
                let t = intern(&s);
                *self.kind.lock() = Some(t);
                t
            }
            Err(_) => c"",
        }
    }
    fn get_version(&self) -> Result<u64> {
        uhyper_ret(&self.call(procs::CONNECT_GET_VERSION, &[])?)
    }
    fn get_lib_version(&self) -> Result<Option<u64>> {
        Ok(Some(uhyper_ret(
            &self.call(procs::CONNECT_GET_LIB_VERSION, &[])?,
        )?))
    }
    fn get_hostname(&self) -> Result<String> {
        string_ret(&self.call(procs::CONNECT_GET_HOSTNAME, &[])?)
    }
    fn get_max_vcpus(&self, kind: Option<&str>) -> Result<i32> {
        int_ret(&self.call(
            procs::CONNECT_GET_MAX_VCPUS,
            &args(|e| {
                e.opt_string(kind);
            }),
        )?)
    }
    fn is_secure(&self) -> Result<bool> {
        let s = int_ret(&self.call(procs::CONNECT_IS_SECURE, &[])?)?;
        Ok(s != 0 && self.client.is_secure())
    }
    fn is_encrypted(&self) -> Result<bool> {
        let s = int_ret(&self.call(procs::CONNECT_IS_SECURE, &[])?)?;
        Ok(s != 0 && self.client.is_encrypted())
    }
    fn is_alive(&self) -> Result<bool> {
        Ok(self.client.is_alive())
    }
    fn node_get_info(&self) -> Result<NodeInfo> {
        let r = self.call(procs::NODE_GET_INFO, &[])?;
        decode(&r, |d| {
            // char model[32]: one word per character, NUL-terminated.
            let mut model = Vec::with_capacity(32);
            for _ in 0..32 {
                model.push(d.i32()? as u8);
            }
            let end = model.iter().position(|b| *b == 0).unwrap_or(32);
            Ok(NodeInfo {
                model: String::from_utf8_lossy(&model[..end]).into_owned(),
                memory: d.u64()?,
                cpus: d.i32()? as u32,
                mhz: d.i32()? as u32,
                nodes: d.i32()? as u32,
                sockets: d.i32()? as u32,
                cores: d.i32()? as u32,
                threads: d.i32()? as u32,
            })
        })
    }
    fn get_capabilities(&self) -> Result<String> {
        string_ret(&self.call(procs::CONNECT_GET_CAPABILITIES, &[])?)
    }

    fn list_all_domains(&self, flags: u32) -> Result<Vec<DomainRef>> {
        let r = self.call(
            procs::CONNECT_LIST_ALL_DOMAINS,
            &args(|e| {
                e.i32(1).u32(flags);
            }),
        )?;
        let (doms, _) = decode(&r, |d| {
            let n = d.count(proto::DOMAIN_LIST_MAX, proto::DOMAIN_MIN_WIRE)?;
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                v.push(proto::dec_domain(d)?);
            }
            Ok((v, d.u32()?))
        })?;
        Ok(doms)
    }
    fn count_all_domains(&self, flags: u32) -> Result<usize> {
        let r = self.call(
            procs::CONNECT_LIST_ALL_DOMAINS,
            &args(|e| {
                e.i32(0).u32(flags);
            }),
        )?;
        let (_, n) = decode(&r, |d| {
            let n = d.count(proto::DOMAIN_LIST_MAX, proto::DOMAIN_MIN_WIRE)?;
            for _ in 0..n {
                proto::dec_domain(d)?;
            }
            Ok(((), d.u32()?))
        })?;
        Ok(n as usize)
    }
    fn num_of_domains(&self) -> Result<i32> {
        int_ret(&self.call(procs::CONNECT_NUM_OF_DOMAINS, &[])?)
    }
    fn list_domains(&self, max: usize) -> Result<Vec<i32>> {
        let m = check_list_max("domain IDs", max)?;
        let r = self.call(
            procs::CONNECT_LIST_DOMAINS,
            &args(|e| {
                e.i32(m);
            }),
        )?;
        let ids = decode(&r, |d| {
            let n = d.count(proto::DOMAIN_LIST_MAX, 4)?;
            (0..n).map(|_| d.i32()).collect::<XResult<Vec<_>>>()
        })?;
        if ids.len() > max {
            return Err(rpc_error(format!(
                "Too many domain IDs '{}' for limit '{max}'",
                ids.len()
            )));
        }
        Ok(ids)
    }
    fn num_of_defined_domains(&self) -> Result<i32> {
        int_ret(&self.call(procs::CONNECT_NUM_OF_DEFINED_DOMAINS, &[])?)
    }
    fn list_defined_domains(&self, max: usize) -> Result<Vec<String>> {
        let m = check_list_max("domain names", max)?;
        let r = self.call(
            procs::CONNECT_LIST_DEFINED_DOMAINS,
            &args(|e| {
                e.i32(m);
            }),
        )?;
        let names = names_ret(&r, proto::DOMAIN_LIST_MAX)?;
        if names.len() > max {
            return Err(rpc_error(format!(
                "Too many domain names '{}' for limit '{max}'",
                names.len()
            )));
        }
        Ok(names)
    }
    fn lookup_by_name(&self, name: &str) -> Result<DomainRef> {
        dom_ret(&self.call(
            procs::DOMAIN_LOOKUP_BY_NAME,
            &args(|e| {
                e.string(name);
            }),
        )?)
    }
    fn lookup_by_id(&self, id: i32) -> Result<DomainRef> {
        dom_ret(&self.call(
            procs::DOMAIN_LOOKUP_BY_ID,
            &args(|e| {
                e.i32(id);
            }),
        )?)
    }
    fn lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<DomainRef> {
        dom_ret(&self.call(
            procs::DOMAIN_LOOKUP_BY_UUID,
            &args(|e| {
                e.opaque_fixed(uuid);
            }),
        )?)
    }

    fn domain_get_info(&self, d: &DomainRef) -> Result<DomainInfo> {
        let r = self.dom_call(procs::DOMAIN_GET_INFO, d)?;
        decode(&r, |x| {
            Ok(DomainInfo {
                state: x.u32()? as u8,
                max_mem: x.u64()?,
                memory: x.u64()?,
                nr_virt_cpu: x.u32()? as u16,
                cpu_time: x.u64()?,
            })
        })
    }
    fn domain_get_state(&self, d: &DomainRef, flags: u32) -> Result<(i32, i32)> {
        let r = self.dom_flags_call(procs::DOMAIN_GET_STATE, d, flags)?;
        decode(&r, |x| Ok((x.i32()?, x.i32()?)))
    }
    fn domain_get_os_type(&self, d: &DomainRef) -> Result<String> {
        string_ret(&self.dom_call(procs::DOMAIN_GET_OS_TYPE, d)?)
    }
    fn domain_get_max_memory(&self, d: &DomainRef) -> Result<u64> {
        uhyper_ret(&self.dom_call(procs::DOMAIN_GET_MAX_MEMORY, d)?)
    }
    fn domain_is_active(&self, d: &DomainRef) -> Result<bool> {
        Ok(int_ret(&self.dom_call(procs::DOMAIN_IS_ACTIVE, d)?)? != 0)
    }
    fn domain_is_persistent(&self, d: &DomainRef) -> Result<bool> {
        Ok(int_ret(&self.dom_call(procs::DOMAIN_IS_PERSISTENT, d)?)? != 0)
    }
    fn domain_is_updated(&self, d: &DomainRef) -> Result<bool> {
        Ok(int_ret(&self.dom_call(procs::DOMAIN_IS_UPDATED, d)?)? != 0)
    }
    fn domain_get_xml_desc(&self, d: &DomainRef, flags: u32) -> Result<String> {
        string_ret(&self.dom_flags_call(procs::DOMAIN_GET_XML_DESC, d, flags)?)
    }

    fn domain_create(&self, d: &DomainRef, flags: u32) -> Result<i32> {
        let r = self.dom_flags_call(procs::DOMAIN_CREATE_WITH_FLAGS, d, flags)?;
        Ok(dom_ret(&r)?.id)
    }
    fn domain_create_xml(&self, xml: &str, flags: u32) -> Result<DomainRef> {
        dom_ret(&self.call(
            procs::DOMAIN_CREATE_XML,
            &args(|e| {
                e.string(xml).u32(flags);
            }),
        )?)
    }
    fn domain_define_xml(&self, xml: &str, flags: u32) -> Result<DomainRef> {
        let r = self.call(
            procs::DOMAIN_DEFINE_XML_FLAGS,
            &args(|e| {
                e.string(xml).u32(flags);
            }),
        );
        match r {
            // Daemons older than the flags variant.
            Err(e) if flags == 0 && e.code == Code::VIR_ERR_NO_SUPPORT as i32 => {
                dom_ret(&self.call(
                    procs::DOMAIN_DEFINE_XML,
                    &args(|e| {
                        e.string(xml);
                    }),
                )?)
            }
            r => dom_ret(&r?),
        }
    }
    fn domain_undefine(&self, d: &DomainRef, flags: u32) -> Result<()> {
        self.dom_flags_call(procs::DOMAIN_UNDEFINE_FLAGS, d, flags)
            .map(drop)
    }
    fn domain_suspend(&self, d: &DomainRef) -> Result<()> {
        self.dom_call(procs::DOMAIN_SUSPEND, d).map(drop)
    }
    fn domain_resume(&self, d: &DomainRef) -> Result<()> {
        self.dom_call(procs::DOMAIN_RESUME, d).map(drop)
    }
    /// libvirt's client leaves the handle's id alone after a shutdown request.
    fn domain_shutdown(&self, d: &DomainRef, flags: u32) -> Result<i32> {
        self.dom_flags_call(procs::DOMAIN_SHUTDOWN_FLAGS, d, flags)?;
        Ok(d.id)
    }
    fn domain_reboot(&self, d: &DomainRef, flags: u32) -> Result<()> {
        self.dom_flags_call(procs::DOMAIN_REBOOT, d, flags)
            .map(drop)
    }
    /// libvirt's client marks the handle inactive after a destroy.
    fn domain_destroy(&self, d: &DomainRef, flags: u32) -> Result<i32> {
        self.dom_flags_call(procs::DOMAIN_DESTROY_FLAGS, d, flags)?;
        Ok(-1)
    }
    fn domain_get_autostart(&self, d: &DomainRef) -> Result<bool> {
        Ok(int_ret(&self.dom_call(procs::DOMAIN_GET_AUTOSTART, d)?)? != 0)
    }
    fn domain_set_autostart(&self, d: &DomainRef, autostart: bool) -> Result<()> {
        self.call(
            procs::DOMAIN_SET_AUTOSTART,
            &dom_args(d, |e| {
                e.i32(autostart as i32);
            }),
        )
        .map(drop)
    }
    /// As with destroy, the handle shows the domain inactive afterwards.
    fn domain_managed_save(&self, d: &DomainRef, flags: u32) -> Result<i32> {
        self.dom_flags_call(procs::DOMAIN_MANAGED_SAVE, d, flags)?;
        Ok(-1)
    }
    fn domain_has_managed_save_image(&self, d: &DomainRef, flags: u32) -> Result<bool> {
        Ok(int_ret(&self.dom_flags_call(procs::DOMAIN_HAS_MANAGED_SAVE_IMAGE, d, flags)?)? != 0)
    }
    fn domain_managed_save_remove(&self, d: &DomainRef, flags: u32) -> Result<()> {
        self.dom_flags_call(procs::DOMAIN_MANAGED_SAVE_REMOVE, d, flags)
            .map(drop)
    }

    fn snapshot_create_xml(&self, d: &DomainRef, xml: &str, flags: u32) -> Result<String> {
        child_name_ret(&self.call(
            procs::DOMAIN_SNAPSHOT_CREATE_XML,
            &dom_args(d, |e| {
                e.string(xml).u32(flags);
            }),
        )?)
    }
    fn snapshot_num(&self, d: &DomainRef, flags: u32) -> Result<i32> {
        int_ret(&self.dom_flags_call(procs::DOMAIN_SNAPSHOT_NUM, d, flags)?)
    }
    fn snapshot_list_all(&self, d: &DomainRef, flags: u32) -> Result<Vec<String>> {
        self.list_children(
            procs::DOMAIN_LIST_ALL_SNAPSHOTS,
            d,
            proto::SNAPSHOT_LIST_MAX,
            flags,
        )
    }
    fn snapshot_lookup_by_name(&self, d: &DomainRef, name: &str, flags: u32) -> Result<String> {
        child_name_ret(&self.call(
            procs::DOMAIN_SNAPSHOT_LOOKUP_BY_NAME,
            &dom_args(d, |e| {
                e.string(name).u32(flags);
            }),
        )?)
    }
    fn snapshot_get_xml_desc(&self, d: &DomainRef, name: &str, flags: u32) -> Result<String> {
        string_ret(
            &self.child_call(procs::DOMAIN_SNAPSHOT_GET_XML_DESC, d, name, |e| {
                e.u32(flags);
            })?,
        )
    }
    fn snapshot_delete(&self, d: &DomainRef, name: &str, flags: u32) -> Result<()> {
        self.child_call(procs::DOMAIN_SNAPSHOT_DELETE, d, name, |e| {
            e.u32(flags);
        })
        .map(drop)
    }
    fn checkpoint_create_xml(&self, d: &DomainRef, xml: &str, flags: u32) -> Result<String> {
        child_name_ret(&self.call(
            procs::DOMAIN_CHECKPOINT_CREATE_XML,
            &dom_args(d, |e| {
                e.string(xml).u32(flags);
            }),
        )?)
    }
    fn checkpoint_list_all(&self, d: &DomainRef, flags: u32) -> Result<Vec<String>> {
        self.list_children(
            procs::DOMAIN_LIST_ALL_CHECKPOINTS,
            d,
            proto::CHECKPOINT_LIST_MAX,
            flags,
        )
    }
    fn checkpoint_lookup_by_name(&self, d: &DomainRef, name: &str, flags: u32) -> Result<String> {
        child_name_ret(&self.call(
            procs::DOMAIN_CHECKPOINT_LOOKUP_BY_NAME,
            &dom_args(d, |e| {
                e.string(name).u32(flags);
            }),
        )?)
    }
    fn checkpoint_get_xml_desc(&self, d: &DomainRef, name: &str, flags: u32) -> Result<String> {
        string_ret(
            &self.child_call(procs::DOMAIN_CHECKPOINT_GET_XML_DESC, d, name, |e| {
                e.u32(flags);
            })?,
        )
    }
    fn checkpoint_delete(&self, d: &DomainRef, name: &str, flags: u32) -> Result<()> {
        self.child_call(procs::DOMAIN_CHECKPOINT_DELETE, d, name, |e| {
            e.u32(flags);
        })
        .map(drop)
    }

    fn set_keepalive(&self, interval: i32, count: u32) -> Result<i32> {
        RemoteDriver::set_keepalive(self, interval, count)
    }
    fn add_close_handler(&self, f: Arc<dyn Fn(i32) + Send + Sync>) -> Result<Option<u64>> {
        Ok(Some(self.client.add_close_handler(f)))
    }
    fn close_callback_check(&self) -> Result<()> {
        if self.client.is_alive() {
            Ok(())
        } else {
            Err(VirError::new(
                Domain::VIR_FROM_RPC,
                Code::VIR_ERR_INTERNAL_ERROR,
                Some("client socket is closed"),
            ))
        }
    }
    fn closes_by_itself(&self) -> bool {
        true
    }
    fn remove_close_handler(&self, id: u64) -> Result<()> {
        self.client.remove_close_handler(id);
        Ok(())
    }
    fn domain_event_lifecycle_register(
        &self,
        dom: Option<&DomainRef>,
        cb: Arc<dyn Fn(DomainRef, i32, i32) + Send + Sync>,
    ) -> Result<i32> {
        self.lifecycle_event_register(dom, cb)
    }
    fn event_callback_unknown(&self, id: i32) -> VirError {
        VirError::detail(
            Domain::VIR_FROM_NONE,
            Code::VIR_ERR_INVALID_ARG,
            format!("event callback id {id} not registered"),
        )
    }
    fn domain_event_lifecycle_deregister(&self, id: i32) -> Result<()> {
        self.lifecycle_event_deregister(id)
    }

    fn domain_open_console(
        &self,
        d: &DomainRef,
        dev_name: Option<&str>,
        flags: u32,
        nonblock: bool,
    ) -> Result<Arc<dyn StreamBackend>> {
        let (_, shared) = self.client.call_stream(
            procs::DOMAIN_OPEN_CONSOLE,
            &dom_args(d, |e| {
                e.opt_string(dev_name).u32(flags);
            }),
        )?;
        Ok(Arc::new(RpcStream::new(
            self.client.inner().clone(),
            shared,
            nonblock,
        )))
    }
}

/// Close reasons, re-exported for the C layer's close callbacks.
#[allow(unused_imports)]
pub(crate) use client::{
    CLOSE_REASON_CLIENT, CLOSE_REASON_EOF, CLOSE_REASON_ERROR, CLOSE_REASON_KEEPALIVE,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_auth_type_is_an_auth_failure() {
        use crate::rpc::client::Transport;
        use crate::rpc::packet::{self, Header, PROG_REMOTE, Status, Type};
        use std::io::Write;
        use std::os::unix::net::UnixStream;
        let (a, mut b) = UnixStream::pair().unwrap();
        let (r, w) = (a.try_clone().unwrap(), a.try_clone().unwrap());
        let t = Transport {
            reader: Box::new(r),
            writer: Box::new(w),
            closer: Box::new(move || {
                let _ = a.shutdown(std::net::Shutdown::Both);
            }),
            eof_detail: None,
            secure: true,
            encrypted: false,
        };
        let c = Client::connect(t, None).unwrap();
        let daemon = std::thread::spawn(move || {
            let mut buf = Vec::new();
            loop {
                packet::read_packet(&mut b, &mut buf).unwrap();
                let (h, _) = packet::split(&buf).unwrap();
                if h.prog == PROG_REMOTE {
                    let mut e = crate::rpc::xdr::Enc::new();
                    e.u32(1).i32(99);
                    let rh = Header::new(PROG_REMOTE, h.proc_, Type::Reply, h.serial, Status::Ok);
                    b.write_all(&packet::encode(&rh, &e.buf)).unwrap();
                    return b;
                }
            }
        });
        let e = authenticate(&c, None).unwrap_err();
        let _b = daemon.join().unwrap();
        assert_eq!(e.code, Code::VIR_ERR_AUTH_FAILED as i32);
        assert_eq!(e.domain, Domain::VIR_FROM_REMOTE as i32);
        assert_eq!(
            e.message(),
            "authentication failed: unsupported authentication type 99"
        );
    }

    #[test]
    fn no_daemon_is_a_socket_error() {
        let e = open(
            Some(&Uri::parse("test+unix:///default?socket=/nonexistent/oxvirt-sock").unwrap()),
            false,
            None,
        )
        .err()
        .unwrap();
        assert_eq!(e.code, Code::VIR_ERR_SYSTEM_ERROR as i32);
        assert_eq!(e.domain, Domain::VIR_FROM_RPC as i32);
        assert_eq!(
            e.message(),
            "Failed to connect socket to '/nonexistent/oxvirt-sock': No such file or directory"
        );
        let e = open(
            Some(&Uri::parse("test+tcp://127.0.0.1:1/default").unwrap()),
            false,
            None,
        )
        .err()
        .unwrap();
        assert_eq!(
            e.message(),
            "unable to connect to server at '127.0.0.1:1': Connection refused"
        );
    }
}
