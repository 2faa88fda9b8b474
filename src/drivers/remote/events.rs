//! Events over the remote protocol: the local subscriptions of one connection (several local
//! registrations of the same family, event id and object filter share one daemon
//! registration, as libvirt's client counts them) and the decoding of every event MESSAGE the
//! daemon sends to a callback registration into an [`Event`].
//!
//! A family that gains events adds its MESSAGE procedures to [`decode`] (each carries the
//! daemon's callback id) and a register/deregister pair calling [`RemoteDriver::event_register`]
//! / [`RemoteDriver::event_deregister`] with its REMOTE_PROC_CONNECT_*_EVENT_(DE)REGISTER_ANY.

use super::RemoteDriver;
use crate::core::Result;
use crate::core::driver::events::{GraphicsAddress, ParamValue, TypedParams, domain_id};
use crate::core::driver::{
    DomainRef, Event, EventFamily, EventKey, EventObject, EventSink, HypervisorDriver, NetworkRef,
    Payload,
};
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;
use crate::rpc::program::Procedure;
use crate::rpc::xdr::Xdr;

/// One local subscription.
pub(super) struct Sub {
    local: i32,
    daemon: i32,
    family: EventFamily,
    event_id: i32,
    filter: Option<EventKey>,
    cb: EventSink,
}

#[derive(Default)]
pub(super) struct Subs {
    next: i32,
    list: Vec<Sub>,
}

impl Subs {
    /// The sinks of the daemon registration `daemon` of `family`.
    fn targets(&self, family: EventFamily, daemon: i32) -> Vec<EventSink> {
        self.list
            .iter()
            .filter(|s| s.family == family && s.daemon == daemon)
            .map(|s| s.cb.clone())
            .collect()
    }
}

fn params(list: Vec<RemoteTypedParam>) -> TypedParams {
    list.into_iter()
        .map(|p| {
            let v = match p.value {
                RemoteTypedParamValue::Int(v) => ParamValue::Int(v),
                RemoteTypedParamValue::Uint(v) => ParamValue::UInt(v),
                RemoteTypedParamValue::Llong(v) => ParamValue::LLong(v),
                RemoteTypedParamValue::Ullong(v) => ParamValue::ULLong(v),
                RemoteTypedParamValue::Double(v) => ParamValue::Double(v),
                RemoteTypedParamValue::Boolean(v) => ParamValue::Boolean(v != 0),
                RemoteTypedParamValue::String(v) => ParamValue::String(v),
            };
            (p.field, v)
        })
        .collect()
}

fn addr(a: RemoteDomainEventGraphicsAddress) -> GraphicsAddress {
    GraphicsAddress {
        family: a.family,
        node: a.node,
        service: a.service,
    }
}

fn dom_event(dom: DomainRef, event_id: i32, payload: Payload) -> Event {
    Event {
        object: EventObject::Domain(dom),
        event_id,
        payload,
    }
}

/// The family, daemon callback id and event of one event MESSAGE; `None` for procedures that
/// are not events of a callback registration, or that do not decode.
pub(super) fn decode(proc_: i32, body: &[u8]) -> Option<(EventFamily, i32, Event)> {
    macro_rules! args {
        ($proc:ty) => {
            <$proc as Procedure>::Args::from_xdr(body).ok()?
        };
    }
    use Payload as P;
    use domain_id as d;
    let dom = |cb: i32, dom: DomainRef, id: i32, payload: Payload| {
        Some((EventFamily::Domain, cb, dom_event(dom, id, payload)))
    };
    match proc_ {
        n if n == p::DomainEventCallbackLifecycle::NUM => {
            let m = args!(p::DomainEventCallbackLifecycle);
            let (event, detail) = (m.msg.event, m.msg.detail);
            dom(
                m.callback_id,
                m.msg.dom,
                d::LIFECYCLE,
                P::Lifecycle { event, detail },
            )
        }
        n if n == p::DomainEventCallbackReboot::NUM => {
            let m = args!(p::DomainEventCallbackReboot);
            dom(m.callback_id, m.msg.dom, d::REBOOT, P::Plain)
        }
        n if n == p::DomainEventCallbackRtcChange::NUM => {
            let m = args!(p::DomainEventCallbackRtcChange);
            let utc_offset = m.msg.offset;
            dom(
                m.callback_id,
                m.msg.dom,
                d::RTC_CHANGE,
                P::RtcChange { utc_offset },
            )
        }
        n if n == p::DomainEventCallbackWatchdog::NUM => {
            let m = args!(p::DomainEventCallbackWatchdog);
            let action = m.msg.action;
            dom(
                m.callback_id,
                m.msg.dom,
                d::WATCHDOG,
                P::Watchdog { action },
            )
        }
        n if n == p::DomainEventCallbackIoError::NUM => {
            let m = args!(p::DomainEventCallbackIoError);
            let payload = P::IoError {
                src_path: m.msg.src_path,
                dev_alias: m.msg.dev_alias,
                action: m.msg.action,
            };
            dom(m.callback_id, m.msg.dom, d::IO_ERROR, payload)
        }
        n if n == p::DomainEventCallbackGraphics::NUM => {
            let m = args!(p::DomainEventCallbackGraphics);
            let payload = P::Graphics {
                phase: m.msg.phase,
                local: addr(m.msg.local),
                remote: addr(m.msg.remote),
                auth_scheme: m.msg.auth_scheme,
                subject: m
                    .msg
                    .subject
                    .into_iter()
                    .map(|i| (i.r#type, i.name))
                    .collect(),
            };
            dom(m.callback_id, m.msg.dom, d::GRAPHICS, payload)
        }
        n if n == p::DomainEventCallbackIoErrorReason::NUM => {
            let m = args!(p::DomainEventCallbackIoErrorReason);
            let payload = P::IoErrorReason {
                src_path: m.msg.src_path,
                dev_alias: m.msg.dev_alias,
                action: m.msg.action,
                reason: m.msg.reason,
            };
            dom(m.callback_id, m.msg.dom, d::IO_ERROR_REASON, payload)
        }
        n if n == p::DomainEventCallbackControlError::NUM => {
            let m = args!(p::DomainEventCallbackControlError);
            dom(m.callback_id, m.msg.dom, d::CONTROL_ERROR, P::Plain)
        }
        n if n == p::DomainEventCallbackBlockJob::NUM => {
            let m = args!(p::DomainEventCallbackBlockJob);
            let payload = P::BlockJob {
                disk: m.msg.path,
                kind: m.msg.r#type,
                status: m.msg.status,
            };
            dom(m.callback_id, m.msg.dom, d::BLOCK_JOB, payload)
        }
        n if n == p::DomainEventCallbackDiskChange::NUM => {
            let m = args!(p::DomainEventCallbackDiskChange);
            let payload = P::DiskChange {
                old_src: m.msg.old_src_path,
                new_src: m.msg.new_src_path,
                dev_alias: m.msg.dev_alias,
                reason: m.msg.reason,
            };
            dom(m.callback_id, m.msg.dom, d::DISK_CHANGE, payload)
        }
        n if n == p::DomainEventCallbackTrayChange::NUM => {
            let m = args!(p::DomainEventCallbackTrayChange);
            let payload = P::TrayChange {
                dev_alias: m.msg.dev_alias,
                reason: m.msg.reason,
            };
            dom(m.callback_id, m.msg.dom, d::TRAY_CHANGE, payload)
        }
        n if n == p::DomainEventCallbackPmwakeup::NUM => {
            let m = args!(p::DomainEventCallbackPmwakeup);
            let reason = m.reason;
            dom(m.callback_id, m.msg.dom, d::PMWAKEUP, P::Pm { reason })
        }
        n if n == p::DomainEventCallbackPmsuspend::NUM => {
            let m = args!(p::DomainEventCallbackPmsuspend);
            let reason = m.reason;
            dom(m.callback_id, m.msg.dom, d::PMSUSPEND, P::Pm { reason })
        }
        n if n == p::DomainEventCallbackBalloonChange::NUM => {
            let m = args!(p::DomainEventCallbackBalloonChange);
            let actual = m.msg.actual;
            dom(
                m.callback_id,
                m.msg.dom,
                d::BALLOON_CHANGE,
                P::BalloonChange { actual },
            )
        }
        n if n == p::DomainEventCallbackPmsuspendDisk::NUM => {
            let m = args!(p::DomainEventCallbackPmsuspendDisk);
            let reason = m.reason;
            dom(
                m.callback_id,
                m.msg.dom,
                d::PMSUSPEND_DISK,
                P::Pm { reason },
            )
        }
        n if n == p::DomainEventCallbackDeviceRemoved::NUM => {
            let m = args!(p::DomainEventCallbackDeviceRemoved);
            let alias = m.msg.dev_alias;
            dom(
                m.callback_id,
                m.msg.dom,
                d::DEVICE_REMOVED,
                P::Device { alias },
            )
        }
        n if n == p::DomainEventBlockJob2::NUM => {
            let m = args!(p::DomainEventBlockJob2);
            let payload = P::BlockJob {
                disk: m.dst,
                kind: m.r#type,
                status: m.status,
            };
            dom(m.callback_id, m.dom, d::BLOCK_JOB_2, payload)
        }
        n if n == p::DomainEventCallbackTunable::NUM => {
            let m = args!(p::DomainEventCallbackTunable);
            dom(
                m.callback_id,
                m.dom,
                d::TUNABLE,
                P::Params(params(m.params)),
            )
        }
        n if n == p::DomainEventCallbackAgentLifecycle::NUM => {
            let m = args!(p::DomainEventCallbackAgentLifecycle);
            let (state, reason) = (m.state, m.reason);
            dom(
                m.callback_id,
                m.dom,
                d::AGENT_LIFECYCLE,
                P::AgentLifecycle { state, reason },
            )
        }
        n if n == p::DomainEventCallbackDeviceAdded::NUM => {
            let m = args!(p::DomainEventCallbackDeviceAdded);
            let alias = m.dev_alias;
            dom(m.callback_id, m.dom, d::DEVICE_ADDED, P::Device { alias })
        }
        n if n == p::DomainEventCallbackMigrationIteration::NUM => {
            let m = args!(p::DomainEventCallbackMigrationIteration);
            let iteration = m.iteration;
            let payload = P::MigrationIteration { iteration };
            dom(m.callback_id, m.dom, d::MIGRATION_ITERATION, payload)
        }
        n if n == p::DomainEventCallbackJobCompleted::NUM => {
            let m = args!(p::DomainEventCallbackJobCompleted);
            dom(
                m.callback_id,
                m.dom,
                d::JOB_COMPLETED,
                P::Params(params(m.params)),
            )
        }
        n if n == p::DomainEventCallbackDeviceRemovalFailed::NUM => {
            let m = args!(p::DomainEventCallbackDeviceRemovalFailed);
            let alias = m.dev_alias;
            dom(
                m.callback_id,
                m.dom,
                d::DEVICE_REMOVAL_FAILED,
                P::Device { alias },
            )
        }
        n if n == p::DomainEventCallbackMetadataChange::NUM => {
            let m = args!(p::DomainEventCallbackMetadataChange);
            let payload = P::MetadataChange {
                kind: m.r#type,
                nsuri: m.nsuri,
            };
            dom(m.callback_id, m.dom, d::METADATA_CHANGE, payload)
        }
        n if n == p::DomainEventBlockThreshold::NUM => {
            let m = args!(p::DomainEventBlockThreshold);
            let payload = P::BlockThreshold {
                dev: m.dev,
                path: m.path,
                threshold: m.threshold,
                excess: m.excess,
            };
            dom(m.callback_id, m.dom, d::BLOCK_THRESHOLD, payload)
        }
        n if n == p::DomainEventMemoryFailure::NUM => {
            let m = args!(p::DomainEventMemoryFailure);
            let payload = P::MemoryFailure {
                recipient: m.recipient,
                action: m.action,
                flags: m.flags,
            };
            dom(m.callback_id, m.dom, d::MEMORY_FAILURE, payload)
        }
        n if n == p::DomainEventMemoryDeviceSizeChange::NUM => {
            let m = args!(p::DomainEventMemoryDeviceSizeChange);
            let payload = P::MemoryDeviceSizeChange {
                alias: m.alias,
                size: m.size,
            };
            dom(m.callback_id, m.dom, d::MEMORY_DEVICE_SIZE_CHANGE, payload)
        }
        n if n == p::NetworkEventLifecycle::NUM => {
            let m = args!(p::NetworkEventLifecycle);
            let net = NetworkRef {
                name: m.net.name,
                uuid: m.net.uuid,
            };
            let ev = Event::lifecycle(EventObject::Network(net), m.event, m.detail);
            Some((EventFamily::Network, m.callback_id, ev))
        }
        // scope ifnode: node device lifecycle and update.
        n if n == p::NodeDeviceEventLifecycle::NUM => {
            let m = args!(p::NodeDeviceEventLifecycle);
            let dev = crate::core::driver::NodeDeviceRef {
                name: m.dev.name,
                parent: None,
            };
            let ev = Event::lifecycle(EventObject::NodeDevice(dev), m.event, m.detail);
            Some((EventFamily::NodeDevice, m.callback_id, ev))
        }
        n if n == p::NodeDeviceEventUpdate::NUM => {
            let m = args!(p::NodeDeviceEventUpdate);
            let dev = crate::core::driver::NodeDeviceRef {
                name: m.dev.name,
                parent: None,
            };
            let ev = Event {
                object: EventObject::NodeDevice(dev),
                event_id: crate::core::driver::events::nodedev_id::UPDATE,
                payload: Payload::Plain,
            };
            Some((EventFamily::NodeDevice, m.callback_id, ev))
        }
        // scope netsec: secret events.
        n if n == p::SecretEventLifecycle::NUM => {
            let m = args!(p::SecretEventLifecycle);
            let ev = Event::lifecycle(EventObject::Secret(secret_ref(m.secret)), m.event, m.detail);
            Some((EventFamily::Secret, m.callback_id, ev))
        }
        n if n == p::SecretEventValueChanged::NUM => {
            let m = args!(p::SecretEventValueChanged);
            let ev = Event {
                object: EventObject::Secret(secret_ref(m.secret)),
                event_id: crate::core::driver::events::secret_id::VALUE_CHANGED,
                payload: Payload::Plain,
            };
            Some((EventFamily::Secret, m.callback_id, ev))
        }
        // Storage pool events (scope: storage).
        n if n == p::StoragePoolEventLifecycle::NUM => {
            let m = args!(p::StoragePoolEventLifecycle);
            let pool = crate::core::driver::PoolRef {
                name: m.pool.name,
                uuid: m.pool.uuid,
            };
            let ev = Event::lifecycle(EventObject::StoragePool(pool), m.event, m.detail);
            Some((EventFamily::StoragePool, m.callback_id, ev))
        }
        n if n == p::StoragePoolEventRefresh::NUM => {
            let m = args!(p::StoragePoolEventRefresh);
            let pool = crate::core::driver::PoolRef {
                name: m.pool.name,
                uuid: m.pool.uuid,
            };
            let ev = Event {
                object: EventObject::StoragePool(pool),
                event_id: crate::core::driver::events::storage_pool_id::REFRESH,
                payload: Payload::Plain,
            };
            Some((EventFamily::StoragePool, m.callback_id, ev))
        }
        _ => None,
    }
}

impl RemoteDriver {
    /// Route event MESSAGEs to the local subscriptions of their daemon registration.
    pub(super) fn install_event_router(&self) {
        let subs = self.event_callbacks.clone();
        self.client
            .set_event_handler(Some(std::sync::Arc::new(move |proc_, body: &[u8]| {
                let Some((family, daemon, ev)) = decode(proc_, body) else {
                    return;
                };
                let targets = subs.lock().targets(family, daemon);
                for f in targets {
                    f(ev.clone());
                }
            })));
    }

    /// A local subscription to `event_id` of `family` for `filter`: shares the daemon
    /// registration of an earlier one with the same family, id and filter, or makes one with
    /// `register()` (the daemon's callback id). A local subscription id.
    pub(super) fn event_register(
        &self,
        family: EventFamily,
        event_id: i32,
        filter: Option<EventKey>,
        cb: EventSink,
        register: impl FnOnce() -> Result<i32>,
    ) -> Result<i32> {
        // Hold the table while registering so an event for the new id cannot be missed.
        let mut subs = self.event_callbacks.lock();
        let shared = subs
            .list
            .iter()
            .find(|s| s.family == family && s.event_id == event_id && s.filter == filter)
            .map(|s| s.daemon);
        let daemon = match shared {
            Some(id) => id,
            None => register()?,
        };
        let local = subs.next;
        subs.next += 1;
        subs.list.push(Sub {
            local,
            daemon,
            family,
            event_id,
            filter,
            cb,
        });
        Ok(local)
    }

    /// End the local subscription `local`; the daemon registration ends with its last one
    /// (`deregister(daemon_id)`).
    pub(super) fn event_deregister(
        &self,
        local: i32,
        deregister: impl FnOnce(i32) -> Result<()>,
    ) -> Result<()> {
        let mut subs = self.event_callbacks.lock();
        let Some(pos) = subs.list.iter().position(|s| s.local == local) else {
            return Err(HypervisorDriver::event_callback_unknown(self, local));
        };
        let gone = subs.list.remove(pos);
        if subs
            .list
            .iter()
            .any(|s| s.family == gone.family && s.daemon == gone.daemon)
        {
            return Ok(());
        }
        deregister(gone.daemon)
    }

    pub(super) fn domain_event_register(
        &self,
        dom: Option<&DomainRef>,
        event_id: i32,
        cb: EventSink,
    ) -> Result<i32> {
        let filter = dom.map(|d| EventKey::Uuid(d.uuid));
        self.event_register(EventFamily::Domain, event_id, filter, cb, || {
            Ok(self
                .call::<p::ConnectDomainEventCallbackRegisterAny>(
                    &RemoteConnectDomainEventCallbackRegisterAnyArgs {
                        event_id,
                        dom: dom.cloned(),
                    },
                )?
                .callback_id)
        })
    }

    pub(super) fn domain_event_deregister(&self, local: i32) -> Result<()> {
        self.event_deregister(local, |callback_id| {
            self.call::<p::ConnectDomainEventCallbackDeregisterAny>(
                &RemoteConnectDomainEventCallbackDeregisterAnyArgs { callback_id },
            )
        })
    }

    /// `NetworkDriver::connect_network_event_register_any` over the remote driver. The remote
    /// network family is another scope's (src/drivers/remote/network.rs, branch `netsec`): its
    /// `impl NetworkDriver for RemoteDriver` calls this and [`Self::network_event_deregister`].
    pub fn network_event_register(
        &self,
        net: Option<&NetworkRef>,
        event_id: i32,
        cb: EventSink,
    ) -> Result<i32> {
        let filter = net.map(|n| EventKey::Uuid(n.uuid));
        self.event_register(EventFamily::Network, event_id, filter, cb, || {
            Ok(self
                .call::<p::ConnectNetworkEventRegisterAny>(
                    &RemoteConnectNetworkEventRegisterAnyArgs {
                        event_id,
                        net: net.map(|n| RemoteNonnullNetwork {
                            name: n.name.clone(),
                            uuid: n.uuid,
                        }),
                    },
                )?
                .callback_id)
        })
    }

    pub fn network_event_deregister(&self, local: i32) -> Result<()> {
        self.event_deregister(local, |callback_id| {
            self.call::<p::ConnectNetworkEventDeregisterAny>(
                &RemoteConnectNetworkEventDeregisterAnyArgs { callback_id },
            )
        })
    }
}

// --- scope netsec: secret events ---

fn secret_ref(s: RemoteNonnullSecret) -> crate::core::driver::SecretRef {
    crate::core::driver::SecretRef {
        uuid: s.uuid,
        usage_type: s.usage_type,
        usage_id: s.usage_id,
    }
}

impl RemoteDriver {
    pub(super) fn secret_event_register(
        &self,
        secret: Option<&crate::core::driver::SecretRef>,
        event_id: i32,
        cb: EventSink,
    ) -> Result<i32> {
        let filter = secret.map(|s| EventKey::Uuid(s.uuid));
        self.event_register(EventFamily::Secret, event_id, filter, cb, || {
            Ok(self
                .call::<p::ConnectSecretEventRegisterAny>(
                    &RemoteConnectSecretEventRegisterAnyArgs {
                        event_id,
                        secret: secret.map(|s| RemoteNonnullSecret {
                            uuid: s.uuid,
                            usage_type: s.usage_type,
                            usage_id: s.usage_id.clone(),
                        }),
                    },
                )?
                .callback_id)
        })
    }

    pub(super) fn secret_event_deregister(&self, local: i32) -> Result<()> {
        self.event_deregister(local, |callback_id| {
            self.call::<p::ConnectSecretEventDeregisterAny>(
                &RemoteConnectSecretEventDeregisterAnyArgs { callback_id },
            )
        })
    }
}
