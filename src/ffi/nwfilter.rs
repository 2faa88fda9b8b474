//! C entry points: nwfilter.
//!
//! Entry points of upstream `src/libvirt-nwfilter.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry); the entry points of this file not written
//! yet are generated stubs (`src/generated/ffi_stubs.rs`) that answer `VIR_ERR_NO_SUPPORT`.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`), for the first entry point written here.
#[allow(dead_code)]
const THIS: Domain = Domain::VIR_FROM_NWFILTER;
