//! The test driver's XML input: `virt::drivers::test_driver::fuzz::object_xml` (see there).
//! Run: cargo +nightly fuzz run object_xml -- -max_total_time=60
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    virt::drivers::test_driver::fuzz::object_xml(data);
});
