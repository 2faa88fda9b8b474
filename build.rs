//! Link libvirt.so.0 as libvirt does: SONAME `libvirt.so.0`, every public symbol at its own
//! `LIBVIRT_x.y.z` node. The exports are compiled as `oxvirt_NAME` (see src/ffi/mod.rs) and
//! published as `NAME` with `--defsym`, so rustc's own anonymous version script cannot claim
//! them; `libvirt_public.syms` then assigns each to its node. Both come from one fact table.

use std::fs;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let tsv = Path::new(&root).join("abi/libvirt-9.0.0.tsv");
    let syms = Path::new(&root).join("libvirt_public.syms");
    println!("cargo:rerun-if-changed={}", tsv.display());
    println!("cargo:rerun-if-changed={}", syms.display());

    let facts = fs::read_to_string(&tsv).expect("abi/libvirt-9.0.0.tsv");
    let mut args = vec![
        "-Wl,-soname,libvirt.so.0".to_string(),
        // GNU ld honours only one version script and rustc passes its own; lld merges them.
        "-fuse-ld=lld".to_string(),
        format!("-Wl,--version-script={}", syms.display()),
    ];
    // Functions only: the one data symbol is defined with its size in src/ffi/libvirt.rs.
    let mut tables = vec![facts];
    // libs scope: libvirt-qemu.so.0 and libvirt-lxc.so.0 are filters of libvirt.so.0 (libs/),
    // so libvirt.so.0 holds their functions too, at their own LIBVIRT_QEMU_*/LIBVIRT_LXC_*
    // nodes (the version scripts the filters use; lld merges them with ours).
    for lib in ["qemu", "lxc"] {
        let tsv = Path::new(&root).join(format!("abi/libvirt-{lib}-9.0.0.tsv"));
        let syms = Path::new(&root).join(format!("libs/{lib}/libvirt_{lib}.syms"));
        println!("cargo:rerun-if-changed={}", tsv.display());
        println!("cargo:rerun-if-changed={}", syms.display());
        tables.push(fs::read_to_string(&tsv).expect("abi/libvirt-<lib>-9.0.0.tsv"));
        args.push(format!("-Wl,--version-script={}", syms.display()));
    }
    for line in tables
        .iter()
        .flat_map(|t| t.lines())
        .filter(|l| l.starts_with("func\t"))
    {
        let name = line.split('\t').nth(1).expect("fact table row");
        args.push(format!("-Wl,--defsym={name}=oxvirt_{name}"));
    }
    // One response file instead of 500 command-line arguments.
    let out = std::env::var("OUT_DIR").unwrap();
    let rsp = Path::new(&out).join("link-args.rsp");
    fs::write(&rsp, args.join("\n")).unwrap();
    println!("cargo:rustc-cdylib-link-arg=@{}", rsp.display());
}
