//! Events as drivers report them, for every object family: which object, which event id of its
//! family, and the payload that event id carries (libvirt's per-id callback arguments, in Rust
//! terms). The C runtime (`src/ffi/runtime/conn_events.rs`, `event_call.rs`) queues them per
//! connection and calls the application's callback through the signature of its event id.
//!
//! A family that gains events adds a variant to [`EventFamily`] and [`EventObject`] (and the
//! handle it becomes in `event_call.rs`); the payloads below cover every family's ids
//! (`Lifecycle` and `Plain` serve pools, node devices and secrets as they serve networks).

use super::{DomainRef, NetworkRef, NodeDeviceRef, PoolRef, SecretRef};
use std::sync::Arc;

/// The object family of an event registration (libvirt's event classes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventFamily {
    Domain,
    Network,
    /// scope ifnode
    NodeDevice,
    /// scope netsec.
    Secret,
    /// Storage pools (scope: storage).
    StoragePool,
}

/// The object an event is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventObject {
    Domain(DomainRef),
    Network(NetworkRef),
    /// scope ifnode
    NodeDevice(NodeDeviceRef),
    /// scope netsec.
    Secret(SecretRef),
    /// Storage pools (scope: storage).
    StoragePool(PoolRef),
}

/// What a registration filters on: the object's UUID, or its name for families without one
/// (node devices), as libvirt's event key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKey {
    Uuid([u8; 16]),
    Name(String),
}

impl EventObject {
    pub fn family(&self) -> EventFamily {
        match self {
            EventObject::Domain(_) => EventFamily::Domain,
            EventObject::Network(_) => EventFamily::Network,
            EventObject::NodeDevice(_) => EventFamily::NodeDevice,
            EventObject::Secret(_) => EventFamily::Secret,
            EventObject::StoragePool(_) => EventFamily::StoragePool,
        }
    }

    /// The key a registration's filter is compared with.
    pub fn key(&self) -> EventKey {
        match self {
            EventObject::Domain(d) => EventKey::Uuid(d.uuid),
            EventObject::Network(n) => EventKey::Uuid(n.uuid),
            EventObject::NodeDevice(d) => EventKey::Name(d.name.clone()),
            EventObject::Secret(s) => EventKey::Uuid(s.uuid),
            EventObject::StoragePool(p) => EventKey::Uuid(p.uuid),
        }
    }
}

/// One typed parameter of an event (tunable, job completed), as `virTypedParameter` holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    Int(i32),
    UInt(u32),
    LLong(i64),
    ULLong(u64),
    Double(f64),
    Boolean(bool),
    String(String),
}

pub type TypedParams = Vec<(String, ParamValue)>;

/// `virDomainEventGraphicsAddress`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GraphicsAddress {
    pub family: i32,
    pub node: String,
    pub service: String,
}

/// The arguments an event id's callback gets after its object (libvirt's
/// `virConnect*Event*Callback` typedefs). Which payload goes with which id is fixed by
/// [`payload_fits`]; an event whose payload does not fit its id is never delivered.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// Lifecycle of any family: `(event, detail)`.
    Lifecycle {
        event: i32,
        detail: i32,
    },
    /// Nothing but the object: domain reboot and control error, pool refresh, node device
    /// update, secret value changed.
    Plain,
    RtcChange {
        utc_offset: i64,
    },
    Watchdog {
        action: i32,
    },
    IoError {
        src_path: String,
        dev_alias: String,
        action: i32,
    },
    IoErrorReason {
        src_path: String,
        dev_alias: String,
        action: i32,
        reason: String,
    },
    Graphics {
        phase: i32,
        local: GraphicsAddress,
        remote: GraphicsAddress,
        auth_scheme: String,
        /// `(type, name)` identities.
        subject: Vec<(String, String)>,
    },
    /// Block job (id 8: the disk's path) and block job 2 (id 16: its target).
    BlockJob {
        disk: String,
        kind: i32,
        status: i32,
    },
    DiskChange {
        old_src: Option<String>,
        new_src: Option<String>,
        dev_alias: String,
        reason: i32,
    },
    TrayChange {
        dev_alias: String,
        reason: i32,
    },
    /// PM wakeup, PM suspend, PM suspend to disk: the reason.
    Pm {
        reason: i32,
    },
    BalloonChange {
        actual: u64,
    },
    /// Device removed, added, removal failed: the device alias.
    Device {
        alias: String,
    },
    /// Tunable and job completed.
    Params(TypedParams),
    AgentLifecycle {
        state: i32,
        reason: i32,
    },
    MigrationIteration {
        iteration: i32,
    },
    MetadataChange {
        kind: i32,
        nsuri: Option<String>,
    },
    BlockThreshold {
        dev: String,
        path: Option<String>,
        threshold: u64,
        excess: u64,
    },
    MemoryFailure {
        recipient: i32,
        action: i32,
        flags: u32,
    },
    MemoryDeviceSizeChange {
        alias: String,
        size: u64,
    },
}

/// One event: the object, its family's event id, the payload.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub object: EventObject,
    pub event_id: i32,
    pub payload: Payload,
}

impl Event {
    /// A lifecycle event (id 0 in every family).
    pub fn lifecycle(object: EventObject, event: i32, detail: i32) -> Self {
        Event {
            object,
            event_id: 0,
            payload: Payload::Lifecycle { event, detail },
        }
    }
}

/// Where a driver delivers the events of one registration (on the driver's own thread).
pub type EventSink = Arc<dyn Fn(Event) + Send + Sync>;

/// `virDomainEventID` values of libvirt 9.0.0.
pub(crate) mod domain_id {
    pub(crate) const LIFECYCLE: i32 = 0;
    pub(crate) const REBOOT: i32 = 1;
    pub(crate) const RTC_CHANGE: i32 = 2;
    pub(crate) const WATCHDOG: i32 = 3;
    pub(crate) const IO_ERROR: i32 = 4;
    pub(crate) const GRAPHICS: i32 = 5;
    pub(crate) const IO_ERROR_REASON: i32 = 6;
    pub(crate) const CONTROL_ERROR: i32 = 7;
    pub(crate) const BLOCK_JOB: i32 = 8;
    pub(crate) const DISK_CHANGE: i32 = 9;
    pub(crate) const TRAY_CHANGE: i32 = 10;
    pub(crate) const PMWAKEUP: i32 = 11;
    pub(crate) const PMSUSPEND: i32 = 12;
    pub(crate) const BALLOON_CHANGE: i32 = 13;
    pub(crate) const PMSUSPEND_DISK: i32 = 14;
    pub(crate) const DEVICE_REMOVED: i32 = 15;
    pub(crate) const BLOCK_JOB_2: i32 = 16;
    pub(crate) const TUNABLE: i32 = 17;
    pub(crate) const AGENT_LIFECYCLE: i32 = 18;
    pub(crate) const DEVICE_ADDED: i32 = 19;
    pub(crate) const MIGRATION_ITERATION: i32 = 20;
    pub(crate) const JOB_COMPLETED: i32 = 21;
    pub(crate) const DEVICE_REMOVAL_FAILED: i32 = 22;
    pub(crate) const METADATA_CHANGE: i32 = 23;
    pub(crate) const BLOCK_THRESHOLD: i32 = 24;
    pub(crate) const MEMORY_FAILURE: i32 = 25;
    pub(crate) const MEMORY_DEVICE_SIZE_CHANGE: i32 = 26;
    /// `VIR_DOMAIN_EVENT_ID_LAST`.
    pub(crate) const LAST: i32 = 27;
}

/// `virNetworkEventID` values of libvirt 9.0.0.
pub(crate) mod network_id {
    pub(crate) const LIFECYCLE: i32 = 0;
    /// `VIR_NETWORK_EVENT_ID_LAST`.
    pub(crate) const LAST: i32 = 1;
}

/// `virNodeDeviceEventID` (scope ifnode).
pub(crate) mod nodedev_id {
    pub(crate) const LIFECYCLE: i32 = 0;
    pub(crate) const UPDATE: i32 = 1;
    /// `VIR_NODE_DEVICE_EVENT_ID_LAST`.
    pub(crate) const LAST: i32 = 2;
}

/// `virSecretEventID` values of libvirt 9.0.0 (scope netsec).
pub(crate) mod secret_id {
    pub(crate) const LIFECYCLE: i32 = 0;
    pub(crate) const VALUE_CHANGED: i32 = 1;
    /// `VIR_SECRET_EVENT_ID_LAST`.
    pub(crate) const LAST: i32 = 2;
}

/// `virStoragePoolEventID` values of libvirt 9.0.0 (scope: storage).
/// Crate-private, so cbindgen does not put them in libvirt.h.
pub mod storage_pool_id {
    pub(crate) const LIFECYCLE: i32 = 0;
    pub(crate) const REFRESH: i32 = 1;
    /// `VIR_STORAGE_POOL_EVENT_ID_LAST`.
    pub(crate) const LAST: i32 = 2;
}

/// Whether `payload` is what the callback of `event_id` in `family` takes (the C runtime
/// calls the callback through that id's signature, so nothing else may reach it).
pub fn payload_fits(family: EventFamily, event_id: i32, payload: &Payload) -> bool {
    use Payload as P;
    use domain_id as d;
    match family {
        EventFamily::Domain => matches!(
            (event_id, payload),
            (d::LIFECYCLE, P::Lifecycle { .. })
                | (d::REBOOT | d::CONTROL_ERROR, P::Plain)
                | (d::RTC_CHANGE, P::RtcChange { .. })
                | (d::WATCHDOG, P::Watchdog { .. })
                | (d::IO_ERROR, P::IoError { .. })
                | (d::GRAPHICS, P::Graphics { .. })
                | (d::IO_ERROR_REASON, P::IoErrorReason { .. })
                | (d::BLOCK_JOB | d::BLOCK_JOB_2, P::BlockJob { .. })
                | (d::DISK_CHANGE, P::DiskChange { .. })
                | (d::TRAY_CHANGE, P::TrayChange { .. })
                | (d::PMWAKEUP | d::PMSUSPEND | d::PMSUSPEND_DISK, P::Pm { .. })
                | (d::BALLOON_CHANGE, P::BalloonChange { .. })
                | (
                    d::DEVICE_REMOVED | d::DEVICE_ADDED | d::DEVICE_REMOVAL_FAILED,
                    P::Device { .. }
                )
                | (d::TUNABLE | d::JOB_COMPLETED, P::Params(_))
                | (d::AGENT_LIFECYCLE, P::AgentLifecycle { .. })
                | (d::MIGRATION_ITERATION, P::MigrationIteration { .. })
                | (d::METADATA_CHANGE, P::MetadataChange { .. })
                | (d::BLOCK_THRESHOLD, P::BlockThreshold { .. })
                | (d::MEMORY_FAILURE, P::MemoryFailure { .. })
                | (
                    d::MEMORY_DEVICE_SIZE_CHANGE,
                    P::MemoryDeviceSizeChange { .. }
                )
        ),
        EventFamily::Network => {
            matches!(
                (event_id, payload),
                (network_id::LIFECYCLE, P::Lifecycle { .. })
            )
        }
        // scope ifnode
        EventFamily::NodeDevice => matches!(
            (event_id, payload),
            (nodedev_id::LIFECYCLE, P::Lifecycle { .. }) | (nodedev_id::UPDATE, P::Plain)
        ),
        EventFamily::Secret => matches!(
            (event_id, payload),
            (secret_id::LIFECYCLE, P::Lifecycle { .. }) | (secret_id::VALUE_CHANGED, P::Plain)
        ),
        EventFamily::StoragePool => matches!(
            (event_id, payload),
            (storage_pool_id::LIFECYCLE, P::Lifecycle { .. })
                | (storage_pool_id::REFRESH, P::Plain)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_fit_only_their_ids() {
        let lc = Payload::Lifecycle {
            event: 0,
            detail: 0,
        };
        assert!(payload_fits(EventFamily::Domain, 0, &lc));
        assert!(payload_fits(EventFamily::Network, 0, &lc));
        assert!(!payload_fits(EventFamily::Domain, 1, &lc));
        assert!(payload_fits(EventFamily::Domain, 1, &Payload::Plain));
        assert!(!payload_fits(EventFamily::Network, 1, &Payload::Plain));
        let dev = Payload::Device { alias: "x".into() };
        for id in [15, 19, 22] {
            assert!(payload_fits(EventFamily::Domain, id, &dev));
        }
        assert!(!payload_fits(EventFamily::Domain, 27, &Payload::Plain));
        // Every domain id below LAST has a payload that fits it.
        let all = [
            lc.clone(),
            Payload::Plain,
            Payload::RtcChange { utc_offset: 0 },
            Payload::Watchdog { action: 0 },
            Payload::IoError {
                src_path: String::new(),
                dev_alias: String::new(),
                action: 0,
            },
            Payload::Graphics {
                phase: 0,
                local: GraphicsAddress::default(),
                remote: GraphicsAddress::default(),
                auth_scheme: String::new(),
                subject: vec![],
            },
            Payload::IoErrorReason {
                src_path: String::new(),
                dev_alias: String::new(),
                action: 0,
                reason: String::new(),
            },
            Payload::BlockJob {
                disk: String::new(),
                kind: 0,
                status: 0,
            },
            Payload::DiskChange {
                old_src: None,
                new_src: None,
                dev_alias: String::new(),
                reason: 0,
            },
            Payload::TrayChange {
                dev_alias: String::new(),
                reason: 0,
            },
            Payload::Pm { reason: 0 },
            Payload::BalloonChange { actual: 0 },
            dev,
            Payload::Params(vec![]),
            Payload::AgentLifecycle {
                state: 0,
                reason: 0,
            },
            Payload::MigrationIteration { iteration: 0 },
            Payload::MetadataChange {
                kind: 0,
                nsuri: None,
            },
            Payload::BlockThreshold {
                dev: String::new(),
                path: None,
                threshold: 0,
                excess: 0,
            },
            Payload::MemoryFailure {
                recipient: 0,
                action: 0,
                flags: 0,
            },
            Payload::MemoryDeviceSizeChange {
                alias: String::new(),
                size: 0,
            },
        ];
        for id in 0..domain_id::LAST {
            let n = all
                .iter()
                .filter(|p| payload_fits(EventFamily::Domain, id, p))
                .count();
            assert_eq!(n, 1, "event id {id}");
        }
    }
}
