//! Every reply and message type of the protocol table through its decoder (and, when it
//! decodes, an encode/decode round trip): the first byte picks the program, the next two the
//! procedure, the rest is the payload.
//! Run: cargo +nightly fuzz run rpc_reply -- -max_total_time=60
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    virt::rpc::decode_incoming_untrusted(data);
});
