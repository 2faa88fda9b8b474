//! Values of the pinning and IOThread calls (scope: pin), in Rust terms.

/// One `virDomainIOThreadInfo`: the IOThread's id and its CPU map (as many bytes as the
/// driver's bitmap needs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IoThreadInfo {
    pub iothread_id: u32,
    pub cpumap: Vec<u8>,
}
