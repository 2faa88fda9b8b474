//! Listing benchmark: the same workload against Debian's libvirt 9.0.0 and against oxvirt, in
//! one run, with the ratios.
//!
//! `cargo run --release --example bench_listing [DOMAINS]` writes a node file with DOMAINS
//! domains (default 10,000; half shut off), then runs itself twice as a child process, once
//! with each library loaded by `dlopen` (two libvirt.so.0 in one process would clash), and
//! prints per-operation times and real/oxvirt ratios:
//! - open: `virConnectOpen` of the node file + `virConnectClose`;
//! - list+free: `virConnectListAllDomains(0)`, then `virDomainFree` on each and `free`;
//! - filtered: the same with ACTIVE|PERSISTENT (half the domains);
//! - count: `virConnectListAllDomains` with a NULL array.
//!
//! Environment: `OXVIRT_LIB` (default `target/release/libvirt.so.0`), `REAL_LIB` (default
//! `/usr/lib/x86_64-linux-gnu/libvirt.so.0`).

use std::ffi::{CString, c_char, c_int, c_uint, c_void};
use std::process::Command;
use std::time::{Duration, Instant};

type Ptr = *mut c_void;
type OpenFn = unsafe extern "C" fn(*const c_char) -> Ptr;
type CloseFn = unsafe extern "C" fn(Ptr) -> c_int;
type ListFn = unsafe extern "C" fn(Ptr, *mut *mut Ptr, c_uint) -> c_int;
type FreeFn = unsafe extern "C" fn(Ptr) -> c_int;

struct Lib {
    open: OpenFn,
    close: CloseFn,
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

fn list_and_free(lib: &Lib, conn: Ptr, flags: c_uint, expect: c_int) {
    let mut arr: *mut Ptr = std::ptr::null_mut();
    // SAFETY: a live connection and a valid out-pointer.
    let n = unsafe { (lib.list)(conn, &mut arr, flags) };
    assert_eq!(n, expect);
    for i in 0..n as usize {
        // SAFETY: the array holds `n` new domain handles.
        unsafe { (lib.free)(*arr.add(i)) };
    }
    // SAFETY: the array was malloc'd by the library for the caller.
    unsafe { libc::free(arr as *mut c_void) };
}

fn child(lib_path: &str, uri: &str, n: c_int) {
    let lib = load(lib_path);
    let curi = CString::new(uri).unwrap();
    let open = best(5, || {
        // SAFETY: a valid URI string; the connection is closed right away.
        let c = unsafe { (lib.open)(curi.as_ptr()) };
        assert!(!c.is_null(), "open failed");
        // SAFETY: `c` is live.
        unsafe { (lib.close)(c) };
    });
    // SAFETY: as above; kept open for the listing runs.
    let conn = unsafe { (lib.open)(curi.as_ptr()) };
    assert!(!conn.is_null());
    let list = best(30, || list_and_free(&lib, conn, 0, n));
    let filtered = best(30, || list_and_free(&lib, conn, 1 | 4, n / 2));
    let count = best(200, || {
        // SAFETY: a NULL array asks for the count only.
        let k = unsafe { (lib.list)(conn, std::ptr::null_mut(), 0) };
        assert_eq!(k, n);
    });
    // SAFETY: `conn` is live and closed once.
    unsafe { (lib.close)(conn) };
    println!(
        "RESULT {} {} {} {}",
        open.as_nanos(),
        list.as_nanos(),
        filtered.as_nanos(),
        count.as_nanos()
    );
}

fn write_node(n: usize) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("oxvirt-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut x = String::with_capacity(n * 700);
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
    <uuid>{:08x}-0000-4000-8000-{:012x}</uuid>
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
      <interface type='network'>
        <mac address='52:54:00:{:02x}:{:02x}:{:02x}'/>
        <source network='default'/>
      </interface>
    </devices>
{state}  </domain>
",
            i,
            i,
            (i >> 16) & 0xff,
            (i >> 8) & 0xff,
            i & 0xff
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
        "{:<34} {:>12} {:>12} {:>8}",
        "operation", "libvirt", "oxvirt", "ratio"
    );
    let names = [
        "open node XML (+close)",
        "list all + free each",
        "list ACTIVE|PERSISTENT + free",
        "count only (NULL array)",
    ];
    let mut worst = f64::INFINITY;
    for i in 0..4 {
        let ratio = r[i] / o[i];
        worst = worst.min(ratio);
        println!(
            "{:<34} {:>10.3}ms {:>10.3}ms {:>7.1}x",
            names[i],
            r[i] / 1e6,
            o[i] / 1e6,
            ratio
        );
    }
    println!(
        "smallest speed-up: {worst:.1}x ({})",
        if worst >= 5.0 {
            "meets the 5x goal"
        } else {
            "BELOW the 5x goal"
        }
    );
}
