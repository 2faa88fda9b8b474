//! libvirt's RPC protocol, written for oxvirt: XDR, packet framing, procedures (their types and
//! tables are generated, `crate::generated::proto_*`), a thread-safe client connection with
//! keepalive, and streams.

pub mod client;
pub mod packet;
pub mod program;
pub mod stream;
pub mod wire;
pub mod xdr;

pub use client::{Client, Keepalive, Transport};

#[cfg(test)]
mod proto_tests;
#[cfg(test)]
mod tests;

/// Feed arbitrary bytes through everything that parses what a daemon sends: framing, header,
/// error replies, domains, domain lists, events, typed parameters. Used by the fuzz target and
/// by tests; it must never panic, allocate without bound or loop forever, whatever the input.
pub fn decode_untrusted(data: &[u8]) {
    use crate::core::driver::DomainRef;
    use crate::generated::proto_types as t;
    use client::decode_reply as d;
    let mut r = data;
    let mut buf = Vec::new();
    while packet::read_packet(&mut r, &mut buf).is_ok() {
        let Ok((_, payload)) = packet::split(&buf) else {
            return;
        };
        let _ = client::decode_error(payload);
        let _ = d::<DomainRef>(payload);
        let _ = d::<t::RemoteNonnullDomainSnapshot>(payload);
        let _ = d::<t::RemoteConnectListAllDomainsRet>(payload);
        let _ = d::<t::RemoteConnectListDefinedDomainsRet>(payload);
        let _ = d::<t::RemoteDomainEventCallbackLifecycleMsg>(payload);
        let _ = d::<t::RemoteNodeGetInfoRet>(payload);
        let _ = d::<t::RemoteConnectGetAllDomainStatsRet>(payload);
    }
}
