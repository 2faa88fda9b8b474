//! Value types of the domain statistics and miscellaneous domain calls (scope: domstats):
//! what the drivers answer for `virDomainBlockStats`, `virDomainInterfaceStats`,
//! `virDomainGetBlockInfo`, `virDomainGetCPUStats`, `virConnectGetAllDomainStats`, ...

use super::DomainRef;

/// `virDomainBlockStatsStruct`; -1 is "unknown", as libvirt's entry point pre-fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockStats {
    pub rd_req: i64,
    pub rd_bytes: i64,
    pub wr_req: i64,
    pub wr_bytes: i64,
    pub errs: i64,
}

/// `virDomainInterfaceStatsStruct`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InterfaceStats {
    pub rx_bytes: i64,
    pub rx_packets: i64,
    pub rx_errs: i64,
    pub rx_drop: i64,
    pub tx_bytes: i64,
    pub tx_packets: i64,
    pub tx_errs: i64,
    pub tx_drop: i64,
}

/// `virDomainBlockInfo`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockInfo {
    pub capacity: u64,
    pub allocation: u64,
    pub physical: u64,
}

/// One typed parameter's value (`virTypedParameterType` and its union member).
#[derive(Clone, Debug, PartialEq)]
pub enum TypedValue {
    Int(i32),
    UInt(u32),
    LLong(i64),
    ULLong(u64),
    Double(f64),
    Boolean(bool),
    String(String),
}

/// A named typed parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedParam {
    pub field: String,
    pub value: TypedValue,
}

impl TypedParam {
    pub fn new(field: impl Into<String>, value: TypedValue) -> TypedParam {
        TypedParam {
            field: field.into(),
            value,
        }
    }
}

/// What `virDomainGetCPUStats` answers: its return value, and the `nparams * ncpus` grid of
/// parameters (row-major per CPU; `None` is a slot the driver left empty, which libvirt zeroes).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CpuStats {
    pub ret: i32,
    pub params: Vec<Option<TypedParam>>,
}

/// One record of `virConnectGetAllDomainStats` / `virDomainListGetStats`.
#[derive(Clone, Debug, PartialEq)]
pub struct DomainStatsRecord {
    pub dom: DomainRef,
    pub params: Vec<TypedParam>,
}
