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

/// The programs whose incoming payloads [`decode_incoming_untrusted`] reaches, with their
/// tables and decoders.
type IncomingDecoder = fn(i32, &[u8]) -> Option<bool>;
const INCOMING: &[(&[program::ProcInfo], IncomingDecoder)] = {
    use crate::generated::proto_procs as p;
    &[
        (p::remote::PROCEDURES, p::remote::decode_incoming),
        (p::qemu::PROCEDURES, p::qemu::decode_incoming),
        (p::lxc::PROCEDURES, p::lxc::decode_incoming),
        (p::admin::PROCEDURES, p::admin::decode_incoming),
    ]
};

/// Feed arbitrary bytes through the decoder of one reply or message type of the protocol
/// table: the first byte picks the program (remote, qemu, lxc, admin), the next two the
/// procedure among the program's, the rest is the payload. Every type of the table is reachable,
/// and a payload that decodes must encode back stably. For the `rpc_reply` fuzz target; it must
/// never panic, allocate without bound or loop forever, whatever the input.
pub fn decode_incoming_untrusted(data: &[u8]) {
    if data.len() < 3 {
        return;
    }
    let (table, decode) = INCOMING[data[0] as usize % INCOMING.len()];
    let proc = &table[u16::from_be_bytes([data[1], data[2]]) as usize % table.len()];
    let _ = decode(proc.num, &data[3..]);
}

#[cfg(test)]
mod incoming_tests {
    use super::*;

    /// Every procedure of every program has a decoder, and none panics on the payloads a
    /// hostile peer starts with: nothing, zeros, all ones, a huge length.
    #[test]
    fn every_procedure_decodes_hostile_payloads() {
        let payloads: [Vec<u8>; 4] = [vec![], vec![0; 4096], vec![0xff; 4096], {
            let mut v = vec![0x7f, 0xff, 0xff, 0xff];
            v.extend(std::iter::repeat_n(0x41, 64));
            v
        }];
        let mut n = 0;
        for (table, decode) in INCOMING {
            for proc in table.iter() {
                for p in &payloads {
                    assert!(
                        decode(proc.num, p).is_some(),
                        "{} has no decoder",
                        proc.name
                    );
                }
                n += 1;
            }
            assert_eq!(decode(-1, &[]), None);
        }
        assert_eq!(
            n,
            443 + 7 + 1 + 19,
            "procedures of remote, qemu, lxc and admin"
        );
    }

    /// A void reply decodes from nothing; a reply that needs data does not.
    #[test]
    fn decode_outcomes_follow_the_types() {
        use crate::generated::proto_procs::remote;
        // REMOTE_PROC_CONNECT_CLOSE (2) replies with nothing.
        assert_eq!(remote::decode_incoming(2, &[]), Some(true));
        // REMOTE_PROC_CONNECT_GET_TYPE (3) replies with a string: nothing is not one.
        assert_eq!(remote::decode_incoming(3, &[]), Some(false));
        assert_eq!(
            remote::decode_incoming(3, &[0, 0, 0, 4, b't', b'e', b's', b't']),
            Some(true)
        );
    }
}
