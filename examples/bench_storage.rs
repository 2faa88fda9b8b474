//! Storage and node-file benchmark (issue 9), against Debian's libvirt 9.0.0 and against oxvirt
//! in one run, with the ratios:
//! - volumes: a test-driver node file with one dir pool of 10,000 volumes;
//!   `virStoragePoolListAllVolumes` + `virStorageVolFree` of each, and the legacy
//!   `virStoragePoolNumOfVolumes` + `virStoragePoolListVolumes` (names, freed);
//! - big node file: `virConnectOpen` + `virConnectClose` of a node file with 1,000 networks and
//!   1,000 pools (each pool with one volume).
//!
//! `cargo run --release --example bench_storage [VOLUMES]` writes the node files, then runs
//! itself as a child process once per library (loaded by `dlopen`). Environment: `OXVIRT_LIB`
//! (default `target/release/libvirt.so.0`), `REAL_LIB` (default
//! `/usr/lib/x86_64-linux-gnu/libvirt.so.0`).

use std::ffi::{CString, c_char, c_int, c_uint, c_void};
use std::fmt::Write;
use std::process::Command;
use std::time::{Duration, Instant};

type Ptr = *mut c_void;
type OpenFn = unsafe extern "C" fn(*const c_char) -> Ptr;
type CloseFn = unsafe extern "C" fn(Ptr) -> c_int;
type LookupFn = unsafe extern "C" fn(Ptr, *const c_char) -> Ptr;
type ListAllFn = unsafe extern "C" fn(Ptr, *mut *mut Ptr, c_uint) -> c_int;
type FreeFn = unsafe extern "C" fn(Ptr) -> c_int;
type NumFn = unsafe extern "C" fn(Ptr) -> c_int;
type NamesFn = unsafe extern "C" fn(Ptr, *mut *mut c_char, c_int) -> c_int;
type CountFn = unsafe extern "C" fn(Ptr) -> c_int;

struct Lib {
    open: OpenFn,
    close: CloseFn,
    pool_lookup: LookupFn,
    list_vols: ListAllFn,
    vol_free: FreeFn,
    pool_free: FreeFn,
    num_vols: NumFn,
    vol_names: NamesFn,
    num_nets: CountFn,
    num_pools: CountFn,
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
            pool_lookup: std::mem::transmute::<Ptr, LookupFn>(sym("virStoragePoolLookupByName")),
            list_vols: std::mem::transmute::<Ptr, ListAllFn>(sym("virStoragePoolListAllVolumes")),
            vol_free: std::mem::transmute::<Ptr, FreeFn>(sym("virStorageVolFree")),
            pool_free: std::mem::transmute::<Ptr, FreeFn>(sym("virStoragePoolFree")),
            num_vols: std::mem::transmute::<Ptr, NumFn>(sym("virStoragePoolNumOfVolumes")),
            vol_names: std::mem::transmute::<Ptr, NamesFn>(sym("virStoragePoolListVolumes")),
            num_nets: std::mem::transmute::<Ptr, CountFn>(sym("virConnectNumOfNetworks")),
            num_pools: std::mem::transmute::<Ptr, CountFn>(sym("virConnectNumOfStoragePools")),
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

fn child(lib_path: &str, vols_uri: &str, big_uri: &str, n: c_int) {
    let lib = load(lib_path);
    let curi = CString::new(vols_uri).unwrap();
    // SAFETY: a valid URI string; the connection stays open for the runs.
    let conn = unsafe { (lib.open)(curi.as_ptr()) };
    assert!(!conn.is_null(), "open of the volume node file failed");
    let pname = CString::new("bench-pool").unwrap();
    // SAFETY: a live connection and a valid name.
    let pool = unsafe { (lib.pool_lookup)(conn, pname.as_ptr()) };
    assert!(!pool.is_null(), "no bench-pool");
    let list_all = best(10, || {
        let mut vols: *mut Ptr = std::ptr::null_mut();
        // SAFETY: a live pool and a valid out-pointer.
        let k = unsafe { (lib.list_vols)(pool, &mut vols, 0) };
        assert_eq!(k, n);
        for i in 0..k as usize {
            // SAFETY: each handle of the listing is freed once.
            unsafe { (lib.vol_free)(*vols.add(i)) };
        }
        // SAFETY: the array was malloc'd by the library for the caller.
        unsafe { libc::free(vols as *mut c_void) };
    });
    let legacy = best(10, || {
        // SAFETY: a live pool.
        let k = unsafe { (lib.num_vols)(pool) };
        assert_eq!(k, n);
        let mut names: Vec<*mut c_char> = vec![std::ptr::null_mut(); k as usize];
        // SAFETY: `names` has room for `k` pointers.
        let got = unsafe { (lib.vol_names)(pool, names.as_mut_ptr(), k) };
        assert_eq!(got, n);
        for p in names {
            // SAFETY: each name was malloc'd by the library for the caller.
            unsafe { libc::free(p as *mut c_void) };
        }
    });
    // SAFETY: live handles, released once.
    unsafe {
        (lib.pool_free)(pool);
        (lib.close)(conn);
    }
    let buri = CString::new(big_uri).unwrap();
    let open_big = best(5, || {
        // SAFETY: a valid URI string; the connection is closed right after.
        let c = unsafe { (lib.open)(buri.as_ptr()) };
        assert!(!c.is_null(), "open of the big node file failed");
        // SAFETY: a live connection, closed once.
        unsafe {
            assert_eq!((lib.num_nets)(c), 1000);
            assert_eq!((lib.num_pools)(c), 1000);
            (lib.close)(c);
        }
    });
    println!(
        "RESULT {} {} {}",
        list_all.as_nanos(),
        legacy.as_nanos(),
        open_big.as_nanos()
    );
}

fn volume(x: &mut String, name: &str, path: &str) {
    let _ = write!(
        x,
        "    <volume type='file'>
      <name>{name}</name>
      <capacity unit='bytes'>1048576</capacity>
      <allocation unit='bytes'>4096</allocation>
      <target>
        <path>{path}</path>
        <format type='raw'/>
      </target>
    </volume>
"
    );
}

fn pool_head(x: &mut String, name: &str, i: usize, path: &str) {
    let _ = write!(
        x,
        "  <pool type='dir'>
    <name>{name}</name>
    <uuid>{i:08x}-1111-4000-8000-{i:012x}</uuid>
    <capacity unit='bytes'>107374182400</capacity>
    <allocation unit='bytes'>0</allocation>
    <available unit='bytes'>107374182400</available>
    <source>
    </source>
    <target>
      <path>{path}</path>
    </target>
"
    );
}

fn write_nodes(n: usize) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("oxvirt-bench-storage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut x = String::with_capacity(n * 300);
    x.push_str("<node>\n");
    pool_head(&mut x, "bench-pool", 0, "/var/lib/bench");
    for i in 0..n {
        volume(
            &mut x,
            &format!("vol{i}.img"),
            &format!("/var/lib/bench/vol{i}.img"),
        );
    }
    x.push_str("  </pool>\n</node>\n");
    let vols = dir.join("volumes.xml");
    std::fs::write(&vols, x).unwrap();

    let mut x = String::with_capacity(2000 * 600);
    x.push_str("<node>\n");
    for i in 0..1000usize {
        let _ = write!(
            x,
            "  <network>
    <name>net{i}</name>
    <uuid>{i:08x}-2222-4000-8000-{i:012x}</uuid>
    <bridge name='vbr{i}'/>
    <forward mode='nat'/>
    <ip address='10.{}.{}.1' netmask='255.255.255.0'>
      <dhcp>
        <range start='10.{}.{}.2' end='10.{}.{}.254'/>
      </dhcp>
    </ip>
  </network>
",
            i / 256,
            i % 256,
            i / 256,
            i % 256,
            i / 256,
            i % 256
        );
    }
    for i in 0..1000usize {
        let path = format!("/var/lib/pool{i}");
        pool_head(&mut x, &format!("pool{i}"), i + 1, &path);
        volume(&mut x, "disk.img", &format!("{path}/disk.img"));
        x.push_str("  </pool>\n");
    }
    x.push_str("</node>\n");
    let big = dir.join("big.xml");
    std::fs::write(&big, x).unwrap();
    (vols, big)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 6 && args[1] == "--child" {
        child(&args[2], &args[3], &args[4], args[5].parse().unwrap());
        return;
    }
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let ox = std::env::var("OXVIRT_LIB").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/libvirt.so.0").to_string()
    });
    let real = std::env::var("REAL_LIB")
        .unwrap_or_else(|_| "/usr/lib/x86_64-linux-gnu/libvirt.so.0".to_string());
    let (vols, big) = write_nodes(n);
    let vols_uri = format!("test://{}", vols.display());
    let big_uri = format!("test://{}", big.display());
    let me = std::env::current_exe().unwrap();
    let run = |lib: &str| -> Vec<f64> {
        let out = Command::new(&me)
            .args(["--child", lib, &vols_uri, &big_uri, &n.to_string()])
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
    let _ = std::fs::remove_dir_all(vols.parent().unwrap());
    println!("{n} volumes in one pool; 1,000 networks + 1,000 pools; best of several runs each");
    println!("real libvirt: {real}");
    println!("oxvirt:       {ox}");
    println!(
        "{:<44} {:>12} {:>12} {:>8}",
        "operation", "libvirt", "oxvirt", "ratio"
    );
    let names = [
        "ListAllVolumes + free, {n} volumes",
        "NumOfVolumes + ListVolumes (names), {n}",
        "open+close node file, 1000 nets + 1000 pools",
    ];
    for i in 0..3 {
        println!(
            "{:<44} {:>10.3}ms {:>10.3}ms {:>7.1}x",
            names[i].replace("{n}", &n.to_string()),
            r[i] / 1e6,
            o[i] / 1e6,
            r[i] / o[i]
        );
    }
}
