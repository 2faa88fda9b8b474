//! What a procedure of libvirt's RPC programs is, as the generated tables
//! (`crate::generated::proto_procs`) describe it: a marker type per procedure implementing
//! [`Procedure`], so a call is typed by its argument and reply, and a [`ProcInfo`] row per
//! procedure for lookups by number.

use super::xdr::Xdr;

/// How a procedure travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A CALL the peer answers with a REPLY.
    Call,
    /// A one-way MESSAGE (events from the daemon, keepalive).
    Message,
}

/// libvirt's `@priority`: high-priority calls never wait on a hypervisor's monitor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    Low,
    High,
}

/// Whether the call opens a stream, and which way its data flows (from the client's side:
/// `Read` is data from the daemon). The number is the stream's position among the public
/// API's parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    None,
    Read(u32),
    Write(u32),
}

/// One procedure of a program's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProcInfo {
    pub num: i32,
    pub name: &'static str,
    pub kind: Kind,
    /// The XDR type names of the arguments (or message) and of the reply, `void` for none.
    pub args: &'static str,
    pub ret: &'static str,
    pub priority: Priority,
    pub stream: Stream,
    /// The flag that makes the stream sparse, if it can be.
    pub sparse_flag: Option<&'static str>,
}

/// A procedure as a type: `client.call::<remote::DomainGetInfo>(&args)`.
pub trait Procedure {
    const PROG: u32;
    const NUM: i32;
    const NAME: &'static str;
    const KIND: Kind;
    const PRIORITY: Priority;
    const STREAM: Stream;
    /// The arguments of a call, or the body of a message.
    type Args: Xdr;
    /// The reply of a call (`()` for none and for messages).
    type Ret: Xdr;
}

/// The row of `table` (sorted by number, as the generated tables are) for procedure `num`.
pub fn lookup(table: &'static [ProcInfo], num: i32) -> Option<&'static ProcInfo> {
    table
        .binary_search_by_key(&num, |p| p.num)
        .ok()
        .map(|i| &table[i])
}

/// Decode `payload` as a `T`; when it decodes, encode the value, decode that and encode again:
/// both encodings must be the same bytes (a value the decoder accepts is one the encoder
/// writes back faithfully). Panics when they differ, so a fuzzer reports it.
pub fn round_trip<T: Xdr>(payload: &[u8]) -> bool {
    let Ok(v) = T::dec(&mut super::xdr::Dec::new(payload)) else {
        return false;
    };
    let once = v.to_xdr();
    let again = T::dec(&mut super::xdr::Dec::new(&once))
        .expect("a re-encoded value decodes")
        .to_xdr();
    assert_eq!(once, again, "XDR encoding of a decoded value is not stable");
    true
}
