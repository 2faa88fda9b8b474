//! The parts of libvirt's remote program (0x20008086) oxvirt speaks: procedure numbers, limits,
//! and the wire forms of domains, snapshots, checkpoints and errors.

// A table of protocol facts: not every procedure or feature number is used yet.
#![allow(dead_code)]

use super::packet::STRING_MAX as MSG_STRING_MAX;
use super::xdr::{Dec, Enc, XResult};
use crate::core::VirError;
use crate::core::driver::DomainRef;
use crate::core::error::{Code, Domain};
use std::ffi::CString;
use std::sync::Arc;

/// `REMOTE_STRING_MAX`.
pub(crate) const STRING_MAX: usize = 4_194_304;
/// `REMOTE_DOMAIN_LIST_MAX`.
pub(crate) const DOMAIN_LIST_MAX: usize = 16_384;
/// `REMOTE_AUTH_TYPE_LIST_MAX`.
pub(crate) const AUTH_TYPE_LIST_MAX: usize = 20;
/// `REMOTE_DOMAIN_SNAPSHOT_LIST_MAX` / `REMOTE_DOMAIN_CHECKPOINT_LIST_MAX`.
pub(crate) const SNAPSHOT_LIST_MAX: usize = 16_384;
pub(crate) const CHECKPOINT_LIST_MAX: usize = 16_384;

/// Authentication types of AUTH_LIST.
pub(crate) const AUTH_NONE: i32 = 0;
pub(crate) const AUTH_SASL: i32 = 1;
pub(crate) const AUTH_POLKIT: i32 = 2;

/// Features asked with CONNECT_SUPPORTS_FEATURE.
pub(crate) const FEATURE_PROGRAM_KEEPALIVE: i32 = 10;
pub(crate) const FEATURE_REMOTE_EVENT_CALLBACK: i32 = 14;
pub(crate) const FEATURE_REMOTE_CLOSE_CALLBACK: i32 = 15;

/// Procedure numbers (`remote_procedure`).
pub mod procs {
    pub(crate) const CONNECT_OPEN: i32 = 1;
    pub(crate) const CONNECT_CLOSE: i32 = 2;
    pub(crate) const CONNECT_GET_TYPE: i32 = 3;
    pub(crate) const CONNECT_GET_VERSION: i32 = 4;
    pub(crate) const CONNECT_GET_MAX_VCPUS: i32 = 5;
    pub(crate) const NODE_GET_INFO: i32 = 6;
    pub(crate) const CONNECT_GET_CAPABILITIES: i32 = 7;
    pub(crate) const DOMAIN_CREATE_XML: i32 = 10;
    pub(crate) const DOMAIN_DEFINE_XML: i32 = 11;
    pub(crate) const DOMAIN_GET_XML_DESC: i32 = 14;
    pub(crate) const DOMAIN_GET_AUTOSTART: i32 = 15;
    pub(crate) const DOMAIN_GET_INFO: i32 = 16;
    pub(crate) const DOMAIN_GET_MAX_MEMORY: i32 = 17;
    pub(crate) const DOMAIN_GET_OS_TYPE: i32 = 19;
    pub(crate) const CONNECT_LIST_DEFINED_DOMAINS: i32 = 21;
    pub(crate) const DOMAIN_LOOKUP_BY_ID: i32 = 22;
    pub(crate) const DOMAIN_LOOKUP_BY_NAME: i32 = 23;
    pub(crate) const DOMAIN_LOOKUP_BY_UUID: i32 = 24;
    pub(crate) const CONNECT_NUM_OF_DEFINED_DOMAINS: i32 = 25;
    pub(crate) const DOMAIN_REBOOT: i32 = 27;
    pub(crate) const DOMAIN_RESUME: i32 = 28;
    pub(crate) const DOMAIN_SET_AUTOSTART: i32 = 29;
    pub(crate) const DOMAIN_SUSPEND: i32 = 34;
    pub(crate) const CONNECT_LIST_DOMAINS: i32 = 37;
    pub(crate) const CONNECT_NUM_OF_DOMAINS: i32 = 51;
    pub(crate) const CONNECT_GET_HOSTNAME: i32 = 59;
    pub(crate) const CONNECT_SUPPORTS_FEATURE: i32 = 60;
    pub(crate) const AUTH_LIST: i32 = 66;
    pub(crate) const AUTH_POLKIT: i32 = 70;
    pub(crate) const CONNECT_GET_URI: i32 = 110;
    pub(crate) const CONNECT_IS_SECURE: i32 = 149;
    pub(crate) const DOMAIN_IS_ACTIVE: i32 = 150;
    pub(crate) const DOMAIN_IS_PERSISTENT: i32 = 151;
    pub(crate) const CONNECT_GET_LIB_VERSION: i32 = 157;
    pub(crate) const DOMAIN_MANAGED_SAVE: i32 = 182;
    pub(crate) const DOMAIN_HAS_MANAGED_SAVE_IMAGE: i32 = 183;
    pub(crate) const DOMAIN_MANAGED_SAVE_REMOVE: i32 = 184;
    pub(crate) const DOMAIN_SNAPSHOT_CREATE_XML: i32 = 185;
    pub(crate) const DOMAIN_SNAPSHOT_GET_XML_DESC: i32 = 186;
    pub(crate) const DOMAIN_SNAPSHOT_NUM: i32 = 187;
    pub(crate) const DOMAIN_SNAPSHOT_LOOKUP_BY_NAME: i32 = 189;
    pub(crate) const DOMAIN_SNAPSHOT_DELETE: i32 = 193;
    pub(crate) const DOMAIN_CREATE_WITH_FLAGS: i32 = 196;
    pub(crate) const DOMAIN_OPEN_CONSOLE: i32 = 201;
    pub(crate) const DOMAIN_IS_UPDATED: i32 = 202;
    pub(crate) const DOMAIN_SCREENSHOT: i32 = 211;
    pub(crate) const DOMAIN_GET_STATE: i32 = 212;
    pub(crate) const DOMAIN_UNDEFINE_FLAGS: i32 = 231;
    pub(crate) const DOMAIN_DESTROY_FLAGS: i32 = 234;
    pub(crate) const DOMAIN_SHUTDOWN_FLAGS: i32 = 258;
    pub(crate) const CONNECT_LIST_ALL_DOMAINS: i32 = 273;
    pub(crate) const DOMAIN_LIST_ALL_SNAPSHOTS: i32 = 274;
    pub(crate) const CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: i32 = 316;
    pub(crate) const CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY: i32 = 317;
    pub(crate) const DOMAIN_EVENT_CALLBACK_LIFECYCLE: i32 = 318;
    pub(crate) const DOMAIN_DEFINE_XML_FLAGS: i32 = 350;
    pub(crate) const CONNECT_REGISTER_CLOSE_CALLBACK: i32 = 360;
    pub(crate) const CONNECT_UNREGISTER_CLOSE_CALLBACK: i32 = 361;
    pub(crate) const DOMAIN_CHECKPOINT_CREATE_XML: i32 = 411;
    pub(crate) const DOMAIN_CHECKPOINT_GET_XML_DESC: i32 = 412;
    pub(crate) const DOMAIN_LIST_ALL_CHECKPOINTS: i32 = 413;
    pub(crate) const DOMAIN_CHECKPOINT_LOOKUP_BY_NAME: i32 = 415;
    pub(crate) const DOMAIN_CHECKPOINT_DELETE: i32 = 417;
}

/// Smallest wire size of a `remote_nonnull_domain` (empty name): length word, uuid, id.
pub(crate) const DOMAIN_MIN_WIRE: usize = 4 + 16 + 4;

/// `remote_nonnull_domain`.
pub fn enc_domain(e: &mut Enc, d: &DomainRef) {
    e.string(d.name_str()).opaque_fixed(&d.uuid).i32(d.id);
}

pub fn dec_domain(d: &mut Dec<'_>) -> XResult<DomainRef> {
    let name = d.string(STRING_MAX)?;
    let mut uuid = [0u8; 16];
    uuid.copy_from_slice(d.opaque_fixed(16)?);
    let id = d.i32()?;
    // A name with an interior NUL cannot be a C string; keep the part before it.
    let name = match CString::new(name) {
        Ok(c) => c,
        Err(e) => {
            let n = e.nul_position();
            CString::new(e.into_vec()[..n].to_vec()).unwrap_or_default()
        }
    };
    Ok(DomainRef {
        name: Arc::from(name.as_c_str()),
        uuid,
        id,
    })
}

/// `remote_nonnull_domain_snapshot` / `remote_nonnull_domain_checkpoint`: name, then domain.
pub fn enc_named_child(e: &mut Enc, name: &str, dom: &DomainRef) {
    e.string(name);
    enc_domain(e, dom);
}

pub fn dec_named_child(d: &mut Dec<'_>) -> XResult<(String, DomainRef)> {
    let name = d.string(STRING_MAX)?;
    let dom = dec_domain(d)?;
    Ok((name, dom))
}

/// `remote_error`, decoded with every optional field, into libvirt's error model exactly as the
/// daemon sent it.
pub fn dec_error(d: &mut Dec<'_>) -> XResult<VirError> {
    let code = d.i32()?;
    let domain = d.i32()?;
    let message = d.opt_string(MSG_STRING_MAX)?;
    let level = d.i32()?;
    if d.present()? {
        dec_domain(d)?;
    }
    let str1 = d.opt_string(MSG_STRING_MAX)?;
    let str2 = d.opt_string(MSG_STRING_MAX)?;
    let str3 = d.opt_string(MSG_STRING_MAX)?;
    let int1 = d.i32()?;
    let int2 = d.i32()?;
    if d.present()? {
        // remote_nonnull_network: name, uuid.
        d.string(STRING_MAX)?;
        d.opaque_fixed(16)?;
    }
    Ok(VirError {
        code,
        domain,
        level,
        message,
        str1,
        str2,
        str3,
        int1,
        int2,
    })
}

/// Encode a `remote_error` (used by tests that play the daemon).
pub fn enc_error(e: &mut Enc, err: &VirError) {
    e.i32(err.code)
        .i32(err.domain)
        .opt_string(err.message.as_deref())
        .i32(err.level)
        .u32(0)
        .opt_string(err.str1.as_deref())
        .opt_string(err.str2.as_deref())
        .opt_string(err.str3.as_deref())
        .i32(err.int1)
        .i32(err.int2)
        .u32(0);
}

/// The error for a payload that did not decode (libvirt: VIR_ERR_RPC "Unable to decode message
/// payload").
pub fn decode_failure(what: impl std::fmt::Display) -> VirError {
    let mut e = VirError::new(
        Domain::VIR_FROM_RPC,
        Code::VIR_ERR_RPC,
        Some("Unable to decode message payload"),
    );
    e.message = Some(format!("{}: {what}", e.message()));
    e
}

/// libvirt's client maps the server's "unknown procedure" to NO_SUPPORT.
pub fn map_unknown_procedure(e: VirError) -> VirError {
    if e.code == Code::VIR_ERR_RPC as i32
        && e.message
            .as_deref()
            .is_some_and(|m| m.starts_with("unknown procedure"))
    {
        let mut n = e;
        n.code = Code::VIR_ERR_NO_SUPPORT as i32;
        return n;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_wire_form_matches_the_daemon() {
        let hex = "00000004 74657374 6695eb01 f6a48304 79aa97f2 502e193f 00000001";
        let bytes: Vec<u8> = hex
            .split(' ')
            .flat_map(|w| u32::from_str_radix(w, 16).unwrap().to_be_bytes())
            .collect();
        let mut d = Dec::new(&bytes);
        let dom = dec_domain(&mut d).unwrap();
        d.finish().unwrap();
        assert_eq!(dom.name_str(), "test");
        assert_eq!(
            crate::core::uuid::format(&dom.uuid),
            "6695eb01-f6a4-8304-79aa-97f2502e193f"
        );
        assert_eq!(dom.id, 1);
        let mut e = Enc::new();
        enc_domain(&mut e, &dom);
        assert_eq!(e.buf, bytes);
    }

    #[test]
    fn errors_keep_every_field() {
        let sent = VirError {
            code: 42,
            domain: 12,
            level: 2,
            message: Some("Domain not found".into()),
            str1: Some("Domain not found".into()),
            str2: None,
            str3: Some("x".into()),
            int1: -1,
            int2: 7,
        };
        let mut e = Enc::new();
        enc_error(&mut e, &sent);
        let mut d = Dec::new(&e.buf);
        assert_eq!(dec_error(&mut d).unwrap(), sent);
        d.finish().unwrap();
        // A message may be absent.
        let mut e = Enc::new();
        enc_error(
            &mut e,
            &VirError {
                message: None,
                ..sent.clone()
            },
        );
        assert_eq!(dec_error(&mut Dec::new(&e.buf)).unwrap().message, None);
    }
}
