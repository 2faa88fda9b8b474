//! The per-connection registration state behind the event and close-callback entry points
//! (held by each connection handle); [`super::conn_events`] acts on it.

use crate::core::driver::{Event, EventFamily, EventKey};
use crate::generated::abi_types::*;
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::sync::Arc;

/// What the application registered for one callback id.
pub(crate) struct Reg {
    pub(crate) id: i32,
    pub(crate) family: EventFamily,
    pub(crate) event_id: i32,
    /// The application's function, as an address (generic or legacy signature).
    pub(crate) cb: usize,
    pub(crate) opaque: usize,
    pub(crate) freecb: virFreeCallback,
    /// Only events of this object (by its key), as libvirt filters.
    pub(crate) key: Option<EventKey>,
    pub(crate) legacy: bool,
    /// The driver's registration id.
    pub(crate) driver_id: i32,
}

/// A close callback the driver accepted (drivers that never close keep none).
pub(crate) struct CloseReg {
    pub(crate) cb: virConnectCloseFunc,
    pub(crate) opaque: usize,
    pub(crate) freecb: virFreeCallback,
    pub(crate) driver_id: u64,
}

/// An event waiting for the loop: local callback id and the event.
pub(crate) type Queued = (i32, Event);

#[derive(Default)]
pub struct ConnEvents {
    pub(crate) next_id: i32,
    pub(crate) regs: Vec<Reg>,
    /// What dispatches the queue on the application's loop, while any registration is left.
    pub(crate) dispatch: Option<crate::core::event::LoopDispatch>,
    pub(crate) queue: Arc<Mutex<VecDeque<Queued>>>,
    pub(crate) close: Option<CloseReg>,
    /// Application callbacks running right now (event dispatch, close callback).
    pub(crate) running: usize,
    /// Ends of registrations that came while callbacks ran: their free callbacks and
    /// connection references wait until none runs, so a running callback never sees its
    /// opaque data freed under it.
    pub(crate) deferred: Vec<(virFreeCallback, usize)>,
}
