//! Values of the domain tuning calls (scope: domtune): vCPUs, memory, guest time, control
//! state, security labels and the scheduler, in Rust terms.

/// `virVcpuInfo`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VcpuInfo {
    pub number: u32,
    pub state: i32,
    pub cpu_time: u64,
    pub cpu: i32,
}

/// `virDomainGetVcpus`: one [`VcpuInfo`] per vCPU reported and, when the caller asked for
/// maps (`maplen > 0`), `maplen` bytes of CPU map per reported vCPU.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vcpus {
    /// How many entries (and maps) of the caller's buffers are cleared before filling.
    pub cleared: usize,
    pub info: Vec<VcpuInfo>,
    pub cpumaps: Vec<u8>,
}

/// `virDomainControlInfo`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ControlInfo {
    pub state: u32,
    pub details: u32,
    pub state_time: u64,
}

/// `virSecurityLabel`: the label (empty when none) and whether it is enforced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecurityLabel {
    pub label: String,
    pub enforcing: i32,
}
