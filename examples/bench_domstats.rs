//! Domain statistics benchmark (issue 9): `virConnectGetAllDomainStats` over a test-driver node
//! file of 10,000 domains (half shut off), against Debian's libvirt 9.0.0 and against oxvirt in
//! one run, with the ratios.
//!
//! `cargo run --release --example bench_domstats [DOMAINS]` writes the node file, then runs
//! itself twice as a child process, once with each library loaded by `dlopen`, and prints:
//! - all stats: `virConnectGetAllDomainStats(conn, 0, &recs, 0)` (every group the test driver
//!   fills) + `virDomainStatsRecordListFree`;
//! - state, running only: the state group with `VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING`;
//! - list of 100: `virDomainListGetStats` of 100 domain handles.
//!
//! Environment: `OXVIRT_LIB` (default `target/release/libvirt.so.0`), `REAL_LIB` (default
//! `/usr/lib/x86_64-linux-gnu/libvirt.so.0`).

use std::ffi::{CString, c_char, c_int, c_uint, c_void};
use std::process::Command;
use std::time::{Duration, Instant};

type Ptr = *mut c_void;
type OpenFn = unsafe extern "C" fn(*const c_char) -> Ptr;
type CloseFn = unsafe extern "C" fn(Ptr) -> c_int;
type AllStatsFn = unsafe extern "C" fn(Ptr, c_uint, *mut *mut Ptr, c_uint) -> c_int;
type ListStatsFn = unsafe extern "C" fn(*mut Ptr, c_uint, *mut *mut Ptr, c_uint) -> c_int;
type RecFreeFn = unsafe extern "C" fn(*mut Ptr);
type ListFn = unsafe extern "C" fn(Ptr, *mut *mut Ptr, c_uint) -> c_int;
type FreeFn = unsafe extern "C" fn(Ptr) -> c_int;

struct Lib {
    open: OpenFn,
    close: CloseFn,
    all: AllStatsFn,
    list_stats: ListStatsFn,
    rec_free: RecFreeFn,
    list: ListFn,
    free: FreeFn,
}

fn load(path: &str) -> Lib {
    let p = CString::new(path).unwrap();
    // SAFETY: dlopen with a valid C string; the handle is kept for the process lifetime.
    let h = unsafe { libc::dlopen(p.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
    assert!(!h.is_null(), "cannot dlopen {path}");
    let sym = |name: &str| {
        let n = CString::new(name).unwrap();
        // SAFETY: `h` is a live handle and `n` a valid C string.
        let s = unsafe { libc::dlsym(h, n.as_ptr()) };
        assert!(!s.is_null(), "{path} lacks {name}");
        s
    };
    // SAFETY: each symbol is the libvirt function of that name, whose C signature the
    // matching type spells out.
    unsafe {
        Lib {
            open: std::mem::transmute::<Ptr, OpenFn>(sym("virConnectOpen")),
            close: std::mem::transmute::<Ptr, CloseFn>(sym("virConnectClose")),
            all: std::mem::transmute::<Ptr, AllStatsFn>(sym("virConnectGetAllDomainStats")),
            list_stats: std::mem::transmute::<Ptr, ListStatsFn>(sym("virDomainListGetStats")),
            rec_free: std::mem::transmute::<Ptr, RecFreeFn>(sym("virDomainStatsRecordListFree")),
            list: std::mem::transmute::<Ptr, ListFn>(sym("virConnectListAllDomains")),
            free: std::mem::transmute::<Ptr, FreeFn>(sym("virDomainFree")),
        }
    }
}

/// The fastest of `reps` runs of `f` (the least disturbed by the other load on the machine).
fn best(reps: usize, mut f: impl FnMut()) -> Duration {
    (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

/// `virDomainStatsRecord`'s layout.
#[repr(C)]
struct Record {
    dom: Ptr,
    params: Ptr,
    nparams: c_int,
}

fn all_stats(lib: &Lib, conn: Ptr, stats: c_uint, flags: c_uint, expect: c_int, nparams: c_int) {
    let mut recs: *mut Ptr = std::ptr::null_mut();
    // SAFETY: a live connection and a valid out-pointer.
    let n = unsafe { (lib.all)(conn, stats, &mut recs, flags) };
    assert_eq!(n, expect);
    // SAFETY: the first record of a non-empty NULL-terminated list is a record.
    let first = unsafe { &*(*recs as *const Record) };
    assert_eq!(first.nparams, nparams);
    // SAFETY: the list came from the library and is freed once.
    unsafe { (lib.rec_free)(recs) };
}

fn child(lib_path: &str, uri: &str, n: c_int) {
    let lib = load(lib_path);
    let curi = CString::new(uri).unwrap();
    // SAFETY: a valid URI string; the connection stays open for the runs.
    let conn = unsafe { (lib.open)(curi.as_ptr()) };
    assert!(!conn.is_null(), "open failed");
    let all = best(10, || all_stats(&lib, conn, 0, 0, n, 2));
    let running = best(10, || all_stats(&lib, conn, 1, 16, n / 2, 2));
    let mut doms: *mut Ptr = std::ptr::null_mut();
    // SAFETY: as above.
    let k = unsafe { (lib.list)(conn, &mut doms, 0) };
    assert_eq!(k, n);
    let mut hundred: Vec<Ptr> = (0..100.min(k as usize))
        // SAFETY: the array holds `k` handles.
        .map(|i| unsafe { *doms.add(i) })
        .collect();
    hundred.push(std::ptr::null_mut());
    let list = best(50, || {
        let mut recs: *mut Ptr = std::ptr::null_mut();
        // SAFETY: a NULL-terminated array of live handles and a valid out-pointer.
        let m = unsafe { (lib.list_stats)(hundred.as_mut_ptr(), 1, &mut recs, 0) };
        assert_eq!(m, hundred.len() as c_int - 1);
        // SAFETY: freed once.
        unsafe { (lib.rec_free)(recs) };
    });
    for i in 0..k as usize {
        // SAFETY: each handle of the listing is freed once.
        unsafe { (lib.free)(*doms.add(i)) };
    }
    // SAFETY: the array was malloc'd by the library for the caller.
    unsafe { libc::free(doms as *mut c_void) };
    // SAFETY: `conn` is live and closed once.
    unsafe { (lib.close)(conn) };
    println!(
        "RESULT {} {} {}",
        all.as_nanos(),
        running.as_nanos(),
        list.as_nanos()
    );
}

fn write_node(n: usize) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("oxvirt-bench-stats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut x = String::with_capacity(n * 500);
    x.push_str("<node>\n");
    for i in 0..n {
        let state = if i % 2 == 0 {
            "    <test:runstate>5</test:runstate>\n"
        } else {
            ""
        };
        x.push_str(&format!(
            "  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>bench{i}</name>
    <uuid>{i:08x}-0000-4000-8000-{i:012x}</uuid>
    <memory>1048576</memory>
    <vcpu>2</vcpu>
    <os>
      <type>hvm</type>
    </os>
    <devices>
      <disk type='file' device='disk'>
        <source file='/var/lib/images/bench{i}.img'/>
        <target dev='vda' bus='virtio'/>
      </disk>
    </devices>
{state}  </domain>
"
        ));
    }
    x.push_str("</node>\n");
    let p = dir.join("bench-node.xml");
    std::fs::write(&p, x).unwrap();
    p
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 5 && args[1] == "--child" {
        child(&args[2], &args[3], args[4].parse().unwrap());
        return;
    }
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let ox = std::env::var("OXVIRT_LIB").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/libvirt.so.0").to_string()
    });
    let real = std::env::var("REAL_LIB")
        .unwrap_or_else(|_| "/usr/lib/x86_64-linux-gnu/libvirt.so.0".to_string());
    let node = write_node(n);
    let uri = format!("test://{}", node.display());
    let me = std::env::current_exe().unwrap();
    let run = |lib: &str| -> Vec<f64> {
        let out = Command::new(&me)
            .args(["--child", lib, &uri, &n.to_string()])
            .env_remove("LD_LIBRARY_PATH")
            .output()
            .expect("cannot run the benchmark child");
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find(|l| l.starts_with("RESULT "))
            .unwrap_or_else(|| {
                panic!(
                    "child for {lib} failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                )
            });
        line[7..]
            .split(' ')
            .map(|v| v.parse::<f64>().unwrap())
            .collect()
    };
    let r = run(&real);
    let o = run(&ox);
    let _ = std::fs::remove_dir_all(node.parent().unwrap());
    println!("{n} domains (half shut off); best of several runs each");
    println!("real libvirt: {real}");
    println!("oxvirt:       {ox}");
    println!(
        "{:<40} {:>12} {:>12} {:>8}",
        "operation", "libvirt", "oxvirt", "ratio"
    );
    let names = [
        "GetAllDomainStats, all groups (+free)",
        "GetAllDomainStats, state, RUNNING only",
        "ListGetStats of 100 domains (+free)",
    ];
    for i in 0..3 {
        println!(
            "{:<40} {:>10.3}ms {:>10.3}ms {:>7.1}x",
            names[i],
            r[i] / 1e6,
            o[i] / 1e6,
            r[i] / o[i]
        );
    }
}
