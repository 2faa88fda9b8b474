//! `virConnectListAllDomains` returns a list taken at one instant, even while other threads
//! create, destroy, define and undefine domains.
//!
//! Eight mutator threads each own three domains `mK_0..2` and bring them into existence one
//! after the other, then remove them in the same order, forever (for a bounded time). Seen at
//! one instant, a mutator's three domains are present as one of 000, 100, 110, 111, 011, 001;
//! the patterns 010 and 101 can only come from a list assembled across several instants.
//! Eight lister threads list with various filters and check every list: those patterns, no
//! duplicate, each entry matching the filter, and the static domains always all there.

use std::ffi::{CStr, CString, c_int, c_uint};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use virt::ffi::abi_types::{virConnectPtr, virDomainPtr};
use virt::ffi::domain::{
    virConnectListAllDomains, virDomainCreateXML, virDomainDefineXML, virDomainDestroy,
    virDomainFree, virDomainGetID, virDomainGetName, virDomainUndefine,
};
use virt::ffi::libvirt::{virConnectClose, virConnectOpen};

const MUTATORS: usize = 8;
const LISTERS: usize = 8;
const STATIC_DOMAINS: usize = 200;
const RUN_FOR: Duration = Duration::from_secs(3);
const RUN_MAX: Duration = Duration::from_secs(60);

const ACTIVE: c_uint = 1;
const INACTIVE: c_uint = 2;
const PERSISTENT: c_uint = 4;
const TRANSIENT: c_uint = 8;

struct Conn(virConnectPtr);
// SAFETY: a libvirt connection may be used from any thread; the pointer is only an address.
unsafe impl Send for Conn {}
// SAFETY: as above; every call goes through the thread-safe exported API.
unsafe impl Sync for Conn {}

fn node_file() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("oxvirt-atomic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut xml = String::from("<node>\n");
    for i in 0..STATIC_DOMAINS {
        // Half running, half shut off.
        let ns = if i.is_multiple_of(2) {
            "<test:runstate>5</test:runstate>"
        } else {
            ""
        };
        xml.push_str(&format!(
            "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\
             <name>static{i}</name><memory>1024</memory><os><type>hvm</type></os>{ns}</domain>\n"
        ));
    }
    xml.push_str("</node>\n");
    let path = dir.join("node.xml");
    std::fs::write(&path, xml).unwrap();
    path
}

fn domain_xml(name: &str) -> CString {
    CString::new(format!(
        "<domain type='test'><name>{name}</name><memory>1024</memory><os><type>hvm</type></os></domain>"
    ))
    .unwrap()
}

/// One mutator: mutator `k` even uses CreateXML/Destroy (transient, active), odd uses
/// DefineXML/Undefine (persistent, inactive).
fn mutate(conn: &Conn, k: usize, stop: &AtomicBool, cycles: &AtomicUsize) {
    let xmls: Vec<CString> = (0..3).map(|j| domain_xml(&format!("m{k}_{j}"))).collect();
    while !stop.load(Ordering::Relaxed) {
        let mut doms: Vec<virDomainPtr> = Vec::new();
        for x in &xmls {
            let d = if k.is_multiple_of(2) {
                virDomainCreateXML(conn.0, x.as_ptr(), 0)
            } else {
                virDomainDefineXML(conn.0, x.as_ptr())
            };
            assert!(!d.is_null(), "mutator {k} could not add a domain");
            doms.push(d);
        }
        for d in doms {
            let r = if k.is_multiple_of(2) {
                virDomainDestroy(d)
            } else {
                virDomainUndefine(d)
            };
            assert_eq!(r, 0, "mutator {k} could not remove a domain");
            assert_eq!(virDomainFree(d), 0);
        }
        cycles.fetch_add(1, Ordering::Relaxed);
    }
}

#[derive(Default)]
struct Seen {
    lists: usize,
    /// Lists in which some mutator's domains were partly present (the interesting instants).
    partial: usize,
}

fn check_list(conn: &Conn, flags: c_uint, seen: &mut Seen) {
    let mut arr: *mut virDomainPtr = std::ptr::null_mut();
    let n = virConnectListAllDomains(conn.0, &mut arr, flags);
    assert!(n >= 0, "listing failed");
    assert!(!arr.is_null());
    let mut present = [[false; 3]; MUTATORS];
    let mut statics = [false; STATIC_DOMAINS];
    for i in 0..n as usize {
        // SAFETY: the array holds `n` domain pointers and a trailing NULL.
        let d = unsafe { *arr.add(i) };
        assert!(!d.is_null());
        // SAFETY: a live domain's name is a valid C string while the handle lives.
        let name = unsafe { CStr::from_ptr(virDomainGetName(d)) }
            .to_str()
            .unwrap()
            .to_string();
        let active = virDomainGetID(d) != c_uint::MAX;
        if flags & (ACTIVE | INACTIVE) == ACTIVE {
            assert!(active, "{name} listed as active without an id");
        }
        if flags & (ACTIVE | INACTIVE) == INACTIVE {
            assert!(!active, "{name} listed as inactive with an id");
        }
        if let Some(rest) = name.strip_prefix("static") {
            let i: usize = rest.parse().unwrap();
            assert!(!statics[i], "{name} listed twice");
            statics[i] = true;
            // Static domains never change: odd ones run, even ones are shut off.
            assert_eq!(active, i % 2 == 1, "{name} changed state");
        } else {
            let (k, j) = name[1..].split_once('_').unwrap();
            let (k, j): (usize, usize) = (k.parse().unwrap(), j.parse().unwrap());
            assert!(!present[k][j], "{name} listed twice");
            present[k][j] = true;
            assert_eq!(active, k % 2 == 0, "{name} has the wrong kind");
        }
        assert_eq!(virDomainFree(d), 0);
    }
    // SAFETY: the trailing entry exists and is NULL.
    assert!(unsafe { *arr.add(n as usize) }.is_null());
    // SAFETY: the array came from malloc and is freed once.
    unsafe { libc::free(arr as *mut libc::c_void) };

    let mut partial = false;
    for (k, p) in present.iter().enumerate() {
        let pattern = (p[0] as u8) << 2 | (p[1] as u8) << 1 | p[2] as u8;
        assert!(
            pattern != 0b010 && pattern != 0b101,
            "mutator {k}'s domains seen as {pattern:03b}: not one instant (flags {flags:#x})"
        );
        partial |= pattern != 0 && pattern != 0b111;
    }
    let group = |yes: c_uint, no: c_uint, is: bool| {
        let g = flags & (yes | no);
        g == 0 || (is && g & yes != 0) || (!is && g & no != 0)
    };
    let expect_statics = (0..STATIC_DOMAINS)
        .filter(|i| group(ACTIVE, INACTIVE, i % 2 == 1) && group(PERSISTENT, TRANSIENT, true))
        .count();
    assert_eq!(
        statics.iter().filter(|s| **s).count(),
        expect_statics,
        "static domains missing (flags {flags:#x})"
    );
    seen.lists += 1;
    seen.partial += partial as usize;
}

#[test]
fn lists_are_atomic_under_concurrent_mutation() {
    let path = node_file();
    let uri = CString::new(format!("test://{}", path.display())).unwrap();
    let conn = Arc::new(Conn(virConnectOpen(uri.as_ptr())));
    assert!(!conn.0.is_null(), "cannot open {}", path.display());
    let stop = Arc::new(AtomicBool::new(false));
    let cycles = Arc::new(AtomicUsize::new(0));

    let mut mutators = Vec::new();
    for k in 0..MUTATORS {
        let (conn, stop, cycles) = (conn.clone(), stop.clone(), cycles.clone());
        mutators.push(std::thread::spawn(move || mutate(&conn, k, &stop, &cycles)));
    }
    let filters: [c_uint; LISTERS] = [
        0,
        ACTIVE,
        INACTIVE,
        PERSISTENT,
        TRANSIENT,
        ACTIVE | PERSISTENT,
        ACTIVE | INACTIVE,
        INACTIVE | PERSISTENT,
    ];
    let mut listers = Vec::new();
    // Lists checked and lists that caught a mutator mid-cycle, as they happen.
    let progress = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
    for flags in filters {
        let (conn, stop, progress) = (conn.clone(), stop.clone(), progress.clone());
        listers.push(std::thread::spawn(move || {
            let mut seen = Seen::default();
            while !stop.load(Ordering::Relaxed) {
                let partial = seen.partial;
                check_list(&conn, flags, &mut seen);
                progress.0.fetch_add(1, Ordering::Relaxed);
                progress
                    .1
                    .fetch_add(seen.partial - partial, Ordering::Relaxed);
            }
            seen
        }));
    }
    // RUN_FOR at least, and on a loaded machine until the run has proved something (the
    // thresholds below), within RUN_MAX: how much a fixed time achieves varies with the load.
    let enough = || {
        progress.0.load(Ordering::Relaxed) > 100
            && cycles.load(Ordering::Relaxed) > 100
            && progress.1.load(Ordering::Relaxed) > 10
    };
    let start = Instant::now();
    while start.elapsed() < RUN_FOR || (!enough() && start.elapsed() < RUN_MAX) {
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::Relaxed);
    for m in mutators {
        m.join().expect("a mutator failed");
    }
    let mut total = Seen::default();
    for l in listers {
        let s = l.join().expect("a lister found an inconsistent list");
        total.lists += s.lists;
        total.partial += s.partial;
    }
    let cycles = cycles.load(Ordering::Relaxed);
    eprintln!(
        "{} lists checked, {} caught mutators mid-cycle; {} mutation cycles",
        total.lists, total.partial, cycles
    );
    // The test only proves something if the lists overlapped the mutations.
    assert!(total.lists > 100 && cycles > 100 && total.partial > 10);

    // Everything the mutators made is gone again; the connection still works.
    let mut arr: *mut virDomainPtr = std::ptr::null_mut();
    let n: c_int = virConnectListAllDomains(conn.0, std::ptr::null_mut(), 0);
    assert_eq!(n as usize, STATIC_DOMAINS);
    let m = virConnectListAllDomains(conn.0, &mut arr, 0);
    for i in 0..m as usize {
        // SAFETY: `m` entries then NULL.
        assert_eq!(virDomainFree(unsafe { *arr.add(i) }), 0);
    }
    // SAFETY: malloc'd by the library, freed once.
    unsafe { libc::free(arr as *mut libc::c_void) };
    assert_eq!(virConnectClose(conn.0), 0);
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}
