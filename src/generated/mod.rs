//! Generated code only: every file of this folder is written by a tool from a fact table and
//! checked by that tool's `--check` in `scripts/test.sh`. Do not edit by hand.
//!
//! - `abi_consts.rs`, `abi_types.rs`: `tools/gen-abi.py` from `abi/libvirt-9.0.0.tsv` and
//!   Debian's `libvirt-api.xml` (enum values, macros, structs, handle and callback types).
//! - `cpu_models.rs`: `tools/gen-cpu-models.py` from `abi/cpu-models-9.0.0.tsv` (itself
//!   derived from Debian's CPU map): the CPU model names per CPU driver family.
//! - `keycodes.rs`: `tools/gen-keycodes.py` from `abi/keycodes-9.0.0.tsv` (itself derived
//!   from libvirt 9.0.0's keycodemapdb): the valid key codes of each virDomainSendKey codeset.
//! - `cpu_map.rs`: `tools/gen-cpu-map.py` from Debian's CPU map: the vendors, features and
//!   models the CPU baseline decodes with (left as written, not formatted by rustfmt).
//! - `ffi_stubs.rs`: `tools/gen-stubs.py` from `abi/libvirt-9.0.0.tsv`: the C entry points not
//!   written by hand yet, each answering NO_SUPPORT (a module of `ffi`, which uses its macros).
//! - `proto_types.rs`, `proto_procs.rs`: `tools/gen-proto.py --rust` from
//!   `abi/protocol-9.0.0.tsv` (libvirt's RPC programs: every XDR type with its bounded
//!   encode/decode, and per program the procedure markers and table).
#![allow(clippy::all)]

pub mod abi_consts;
pub mod abi_types;
#[rustfmt::skip]
pub mod cpu_map;
pub mod cpu_models;
pub mod keycodes;
pub mod proto_procs;
pub mod proto_types;
