//! Whatever a daemon (or anyone on the socket) sends goes through the packet and XDR decoders.
//! Run: cargo +nightly fuzz run rpc_packet -- -max_total_time=60
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    virt::rpc::decode_untrusted(data);
});
