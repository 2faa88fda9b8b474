//! Entry points for the cargo-fuzz targets in `fuzz/`: whatever bytes a node file, a domain,
//! snapshot or checkpoint document holds go the way the C API sends them, and every outcome
//! must be a result (an error is fine), never a crash, a hang or unbounded memory.

use super::{Node, TestDriver, fixture, parse};
use crate::core::driver::HypervisorDriver;
use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

/// Inputs that share one driver before it is made afresh: parsing the fixture for every input
/// would be most of the work (the fuzzer then runs several times faster), while a bounded
/// number of inputs keeps what they define from growing without bound.
const INPUTS_PER_DRIVER: u32 = 256;

thread_local! {
    static SHARED: RefCell<(u32, Option<TestDriver>)> = const { RefCell::new((0, None)) };
}

/// Run `f` on a driver of the default fixture, made afresh every [`INPUTS_PER_DRIVER`] inputs.
fn with_fixture(f: impl FnOnce(&TestDriver)) {
    SHARED.with(|cell| {
        let mut shared = cell.borrow_mut();
        if shared.0 % INPUTS_PER_DRIVER == 0 || shared.1.is_none() {
            shared.1 = Node::from_xml(fixture::DEFAULT_NODE_XML, None, None)
                .ok()
                .map(|node| TestDriver {
                    node: Arc::new(node),
                });
        }
        shared.0 = shared.0.wrapping_add(1);
        if let Some(drv) = &shared.1 {
            f(drv);
        }
    })
}

/// A node file's bytes (decoded as a file would be); `file=` references resolve in a
/// directory that does not exist.
pub fn node_file(data: &[u8]) {
    let text = parse::decode(data.to_vec());
    if let Ok(node) = Node::from_xml(
        &text,
        Some(Path::new("/nonexistent/oxvirt-fuzz")),
        Some("fuzz.xml"),
    ) {
        let drv = TestDriver {
            node: Arc::new(node),
        };
        if let Ok(doms) = drv.list_all_domains(0) {
            for d in doms {
                let _ = drv.domain_get_xml_desc(&d, 0);
                let _ = drv.domain_get_xml_desc(&d, 2);
            }
        }
    }
}

/// A domain document through define and create, and its XML back through define again.
pub fn domain_xml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    with_fixture(|drv| {
        if let Ok(d) = drv.domain_define_xml(text, 0)
            && let Ok(x) = drv.domain_get_xml_desc(&d, 0)
        {
            let _ = drv.domain_define_xml(&x, 0);
        }
        let _ = drv.domain_create_xml(text, 0);
    })
}

/// A snapshot document on the fixture's running domain.
pub fn snapshot_xml(data: &[u8]) {
    moment(data, true)
}

/// A checkpoint document on the fixture's running domain.
pub fn checkpoint_xml(data: &[u8]) {
    moment(data, false)
}

fn moment(data: &[u8], snapshot: bool) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    with_fixture(|drv| {
        let Ok(doms) = drv.list_all_domains(0) else {
            return;
        };
        let Some(d) = doms.first() else { return };
        if snapshot {
            if let Ok(name) = drv.snapshot_create_xml(d, text, 0) {
                let _ = drv.snapshot_get_xml_desc(d, &name, 0);
            }
        } else if let Ok(name) = drv.checkpoint_create_xml(d, text, 0) {
            let _ = drv.checkpoint_get_xml_desc(d, &name, 0);
        }
    })
}
