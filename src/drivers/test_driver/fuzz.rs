//! Entry points for the cargo-fuzz targets in `fuzz/`: whatever bytes a node file, a domain,
//! snapshot or checkpoint document, or a network, pool, volume, interface or node device
//! document holds go the way the C API sends them, and every outcome
//! must be a result (an error is fine), never a crash, a hang or unbounded memory.

use super::{Node, TestDriver, fixture, parse};
use crate::core::driver::{
    HypervisorDriver, InterfaceDriver, NetworkDriver, NodeDeviceDriver, StorageDriver,
};
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

/// A network, storage pool, volume, interface or node device document: the first byte picks
/// the family and how it enters (define or create), the rest is the document. What is accepted
/// is printed back and, for the families that define, defined again from its own XML.
pub fn object_xml(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    with_fixture(|drv| match which % 7 {
        0 => {
            if let Ok(n) = drv.network_define_xml(text, 0)
                && let Ok(x) = drv.network_get_xml_desc(&n, 0)
            {
                let _ = drv.network_define_xml(&x, 0);
            }
        }
        1 => {
            if let Ok(n) = drv.network_create_xml(text, 0) {
                let _ = drv.network_get_xml_desc(&n, 0);
            }
        }
        2 => {
            if let Ok(p) = drv.storage_pool_define_xml(text, 0)
                && let Ok(x) = drv.storage_pool_get_xml_desc(&p, 0)
            {
                let _ = drv.storage_pool_define_xml(&x, 0);
            }
        }
        3 => {
            if let Ok(p) = drv.storage_pool_create_xml(text, 0) {
                let _ = drv.storage_pool_get_xml_desc(&p, 0);
            }
        }
        4 => {
            let Ok(pools) = drv.connect_list_all_storage_pools(0) else {
                return;
            };
            let Some(pool) = pools.first() else { return };
            if let Ok(v) = drv.storage_vol_create_xml(pool, text, 0) {
                let _ = drv.storage_vol_get_xml_desc(&v, 0);
            }
        }
        5 => {
            if let Ok(i) = drv.interface_define_xml(text, 0)
                && let Ok(x) = drv.interface_get_xml_desc(&i, 0)
            {
                let _ = drv.interface_define_xml(&x, 0);
            }
        }
        _ => {
            if let Ok(d) = drv.node_device_create_xml(text, 0) {
                let _ = drv.node_device_get_xml_desc(&d, 0);
            }
        }
    })
}
