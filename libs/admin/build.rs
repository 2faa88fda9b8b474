//! Link libvirt-admin.so.0 as Debian's: SONAME `libvirt-admin.so.0`, every public symbol at its
//! Debian node (`libvirt_admin.syms`, from tools/gen-libs.py). The exports are compiled as
//! `oxvirt_NAME` and published as `NAME` with `--defsym`, so that rustc's anonymous
//! version script does not claim them (as the main crate's build.rs does).

use std::fs;
use std::path::Path;

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let syms = Path::new(&dir).join("libvirt_admin.syms");
    let tsv = Path::new(&dir).join("../../abi/libvirt-admin-9.0.0.tsv");
    println!("cargo:rerun-if-changed={}", syms.display());
    println!("cargo:rerun-if-changed={}", tsv.display());
    let mut args = vec![
        "-Wl,-soname,libvirt-admin.so.0".to_string(),
        "-fuse-ld=lld".to_string(),
        // The main crate's exports (oxvirt_vir*, which rustc would re-export from its rlib)
        // stay inside: this library publishes libvirt-admin's symbols only.
        "-Wl,--exclude-libs,ALL".to_string(),
        format!("-Wl,--version-script={}", syms.display()),
    ];
    let facts = fs::read_to_string(&tsv).expect("abi/libvirt-admin-9.0.0.tsv");
    for line in facts.lines().filter(|l| l.starts_with("func\t")) {
        let name = line.split('\t').nth(1).expect("fact table row");
        args.push(format!("-Wl,--defsym={name}=oxvirt_{name}"));
    }
    for a in args {
        println!("cargo:rustc-cdylib-link-arg={a}");
    }
}
