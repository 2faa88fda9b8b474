//! Link libvirt-lxc.so.0 as an ELF filter of libvirt.so.0 (libs/README.md): SONAME
//! `libvirt-lxc.so.0`, `DT_FILTER libvirt.so.0`, every public symbol at its Debian node
//! (`libvirt_lxc.syms`, from tools/gen-libs.py). The definitions are compiled as
//! `oxvirt_filter_NAME` and published as `NAME` with `--defsym`, so that rustc's anonymous
//! version script does not claim them (as the main crate's build.rs does).

use std::fs;
use std::path::Path;

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let syms = Path::new(&dir).join("libvirt_lxc.syms");
    let tsv = Path::new(&dir).join("../../abi/libvirt-lxc-9.0.0.tsv");
    println!("cargo:rerun-if-changed={}", syms.display());
    println!("cargo:rerun-if-changed={}", tsv.display());
    let mut args = vec![
        "-Wl,-soname,libvirt-lxc.so.0".to_string(),
        "-Wl,--filter=libvirt.so.0".to_string(),
        "-fuse-ld=lld".to_string(),
        format!("-Wl,--version-script={}", syms.display()),
    ];
    let facts = fs::read_to_string(&tsv).expect("abi/libvirt-lxc-9.0.0.tsv");
    for line in facts.lines().filter(|l| l.starts_with("func\t")) {
        let name = line.split('\t').nth(1).expect("fact table row");
        args.push(format!("-Wl,--defsym={name}=oxvirt_filter_{name}"));
    }
    for a in args {
        println!("cargo:rustc-cdylib-link-arg={a}");
    }
}
