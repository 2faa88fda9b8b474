//! libvirt's RPC protocol, written for oxvirt: XDR, packet framing, the remote program's types,
//! a thread-safe client connection with keepalive, and streams.

pub mod client;
pub mod packet;
pub mod program;
pub mod proto;
pub mod stream;
pub mod wire;
pub mod xdr;

pub use client::{Client, Keepalive, Transport};

#[cfg(test)]
mod proto_tests;
#[cfg(test)]
mod tests;

/// Feed arbitrary bytes through everything that parses what a daemon sends: framing, header,
/// error replies, domains, domain lists. Used by the fuzz target and by tests; it must never
/// panic, allocate without bound or loop forever, whatever the input.
pub fn decode_untrusted(data: &[u8]) {
    use xdr::Dec;
    let mut r = data;
    let mut buf = Vec::new();
    while packet::read_packet(&mut r, &mut buf).is_ok() {
        let Ok((_, payload)) = packet::split(&buf) else {
            return;
        };
        let _ = client::decode(payload, proto::dec_error);
        let _ = client::decode(payload, proto::dec_domain);
        let _ = client::decode(payload, proto::dec_named_child);
        let _ = client::decode(payload, |d: &mut Dec<'_>| {
            let n = d.count(proto::DOMAIN_LIST_MAX, proto::DOMAIN_MIN_WIRE)?;
            for _ in 0..n {
                proto::dec_domain(d)?;
            }
            d.u32()
        });
        let _ = client::decode(payload, |d| {
            let n = d.count(proto::DOMAIN_LIST_MAX, 4)?;
            (0..n)
                .map(|_| d.string(proto::STRING_MAX))
                .collect::<xdr::XResult<Vec<_>>>()
        });
    }
}
