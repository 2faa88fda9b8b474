//! The generated protocol types and tables: wire forms written out word by word (the
//! encoders they replaced produced the same bytes), round trips, protocol bounds on decode,
//! and the procedure tables.

use super::program::{self, Kind, Procedure, Stream};
use super::xdr::{Dec, Enc, Xdr, XdrError};
use crate::core::driver::DomainRef;
use crate::generated::proto_procs::{admin, keepalive, lxc, qemu, remote};
use crate::generated::proto_types::*;
use std::sync::Arc;

fn dom(name: &str, id: i32) -> DomainRef {
    DomainRef {
        name: Arc::from(std::ffi::CString::new(name).unwrap().as_c_str()),
        uuid: *b"\x66\x95\xeb\x01\xf6\xa4\x83\x04\x79\xaa\x97\xf2\x50\x2e\x19\x3f",
        id,
    }
}

/// The wire form of `remote_nonnull_domain`, spelled out.
fn dom_words(e: &mut Enc, d: &DomainRef) {
    e.string(d.name_str()).opaque_fixed(&d.uuid).i32(d.id);
}

fn round_trip<T: Xdr + PartialEq + std::fmt::Debug>(v: &T, expect: &[u8]) {
    let bytes = v.to_xdr();
    assert_eq!(bytes, expect, "encoding of {v:?}");
    assert_eq!(&T::from_xdr(&bytes).unwrap(), v);
    // Every proper prefix is short, never a panic or a different value.
    for n in 0..bytes.len() {
        assert!(T::from_xdr(&bytes[..n]).is_err(), "prefix {n} of {v:?}");
    }
    // A trailing byte is refused.
    let mut more = bytes.clone();
    more.push(0);
    assert_eq!(T::from_xdr(&more), Err(XdrError::Trailing(1)));
}

#[test]
fn domain_matches_the_daemon_bytes() {
    let hex = "00000004 74657374 6695eb01 f6a48304 79aa97f2 502e193f 00000001";
    let bytes: Vec<u8> = hex
        .split(' ')
        .flat_map(|w| u32::from_str_radix(w, 16).unwrap().to_be_bytes())
        .collect();
    round_trip(&dom("test", 1), &bytes);
    assert_eq!(<RemoteNonnullDomain as Xdr>::MIN_WIRE, 24);
    // An interior NUL cuts the C name there, as before.
    let mut e = Enc::new();
    e.string("ab\0cd").opaque_fixed(&[0; 16]).i32(-1);
    assert_eq!(DomainRef::from_xdr(&e.buf).unwrap().name_str(), "ab");
}

#[test]
fn snapshot_and_checkpoint_are_name_then_domain() {
    let snap = RemoteNonnullDomainSnapshot {
        name: "s1".into(),
        dom: dom("test", 1),
    };
    let mut e = Enc::new();
    e.string("s1");
    dom_words(&mut e, &snap.dom);
    round_trip(&snap, &e.buf);
    let cp = RemoteNonnullDomainCheckpoint {
        name: "s1".into(),
        dom: dom("test", 1),
    };
    round_trip(&cp, &e.buf);
}

#[test]
fn errors_keep_every_field() {
    let err = RemoteError {
        code: 42,
        domain: 12,
        message: Some("Domain not found".into()),
        level: 2,
        dom: None,
        str1: Some("Domain not found".into()),
        str2: None,
        str3: Some("x".into()),
        int1: -1,
        int2: 7,
        net: None,
    };
    let mut e = Enc::new();
    e.i32(42)
        .i32(12)
        .opt_string(Some("Domain not found"))
        .i32(2)
        .u32(0)
        .opt_string(Some("Domain not found"))
        .opt_string(None)
        .opt_string(Some("x"))
        .i32(-1)
        .i32(7)
        .u32(0);
    round_trip(&err, &e.buf);
    // The framework's own error type has the same wire form.
    let net = VirNetMessageError::from_xdr(&e.buf).unwrap();
    assert_eq!(net.message.as_deref(), Some("Domain not found"));
    assert_eq!(net.to_xdr(), e.buf);
    // With the (unused) domain and network present.
    let full = RemoteError {
        dom: Some(dom("test", 1)),
        net: Some(RemoteNonnullNetwork {
            name: "default".into(),
            uuid: [7; 16],
        }),
        ..err
    };
    let mut e = Enc::new();
    e.i32(42)
        .i32(12)
        .opt_string(Some("Domain not found"))
        .i32(2)
        .u32(1);
    dom_words(&mut e, &dom("test", 1));
    e.opt_string(Some("Domain not found"))
        .opt_string(None)
        .opt_string(Some("x"))
        .i32(-1)
        .i32(7)
        .u32(1)
        .string("default")
        .opaque_fixed(&[7; 16]);
    round_trip(&full, &e.buf);
}

#[test]
fn list_replies() {
    let doms = RemoteConnectListAllDomainsRet {
        domains: vec![dom("a", 1), dom("bb", -1), dom("ccc", 3)],
        ret: 3,
    };
    let mut e = Enc::new();
    e.u32(3);
    for d in &doms.domains {
        dom_words(&mut e, d);
    }
    e.u32(3);
    round_trip(&doms, &e.buf);

    let snaps = RemoteDomainListAllSnapshotsRet {
        snapshots: vec![RemoteNonnullDomainSnapshot {
            name: "s".into(),
            dom: dom("a", 1),
        }],
        ret: 1,
    };
    let mut e = Enc::new();
    e.u32(1).string("s");
    dom_words(&mut e, &dom("a", 1));
    e.i32(1);
    round_trip(&snaps, &e.buf);

    let names = RemoteConnectListDefinedDomainsRet {
        names: vec!["x".into(), "yz".into()],
    };
    let mut e = Enc::new();
    e.u32(2).string("x").string("yz");
    round_trip(&names, &e.buf);

    let ids = RemoteConnectListDomainsRet { ids: vec![1, 2, 3] };
    let mut e = Enc::new();
    e.u32(3).i32(1).i32(2).i32(3);
    round_trip(&ids, &e.buf);
}

#[test]
fn calls_already_spoken() {
    let mut e = Enc::new();
    e.opt_string(Some("test:///default")).u32(1);
    round_trip(
        &RemoteConnectOpenArgs {
            name: Some("test:///default".into()),
            flags: 1,
        },
        &e.buf,
    );
    let mut e = Enc::new();
    dom_words(&mut e, &dom("t", 2));
    e.opt_string(None).u32(2);
    round_trip(
        &RemoteDomainOpenConsoleArgs {
            dom: dom("t", 2),
            dev_name: None,
            flags: 2,
        },
        &e.buf,
    );
    let mut e = Enc::new();
    e.u32(1).u64(2).u64(3).u32(4).u64(5);
    round_trip(
        &RemoteDomainGetInfoRet {
            state: 1,
            max_mem: 2,
            memory: 3,
            nr_virt_cpu: 4,
            cpu_time: 5,
        },
        &e.buf,
    );
    // char model[32]: one word per character.
    let mut model = [0i8; 32];
    model[..6].copy_from_slice(&[105, 54, 56, 54, 0, 0]);
    let info = RemoteNodeGetInfoRet {
        model,
        memory: 1 << 20,
        cpus: 8,
        mhz: 2000,
        nodes: 1,
        sockets: 1,
        cores: 4,
        threads: 2,
    };
    let mut e = Enc::new();
    for c in model {
        e.i32(c as i32);
    }
    e.u64(1 << 20).i32(8).i32(2000).i32(1).i32(1).i32(4).i32(2);
    round_trip(&info, &e.buf);
    let mut e = Enc::new();
    e.i32(7);
    dom_words(&mut e, &dom("t", 2));
    e.i32(5).i32(1);
    round_trip(
        &RemoteDomainEventCallbackLifecycleMsg {
            callback_id: 7,
            msg: RemoteDomainEventLifecycleMsg {
                dom: dom("t", 2),
                event: 5,
                detail: 1,
            },
        },
        &e.buf,
    );
    let mut e = Enc::new();
    e.i32(0).u32(1);
    dom_words(&mut e, &dom("t", 2));
    round_trip(
        &RemoteConnectDomainEventCallbackRegisterAnyArgs {
            event_id: 0,
            dom: Some(dom("t", 2)),
        },
        &e.buf,
    );
}

#[test]
fn unions_by_discriminant() {
    let vals = [
        (RemoteTypedParamValue::Int(-3), 1),
        (RemoteTypedParamValue::Uint(3), 2),
        (RemoteTypedParamValue::Llong(-1 << 40), 3),
        (RemoteTypedParamValue::Ullong(1 << 40), 4),
        (RemoteTypedParamValue::Double(0.5), 5),
        (RemoteTypedParamValue::Boolean(1), 6),
        (RemoteTypedParamValue::String("v".into()), 7),
    ];
    for (v, disc) in vals {
        let p = RemoteTypedParam {
            field: "f".into(),
            value: v.clone(),
        };
        let mut e = Enc::new();
        e.string("f").i32(disc);
        match &v {
            RemoteTypedParamValue::Int(x) | RemoteTypedParamValue::Boolean(x) => e.i32(*x),
            RemoteTypedParamValue::Uint(x) => e.u32(*x),
            RemoteTypedParamValue::Llong(x) => e.i64(*x),
            RemoteTypedParamValue::Ullong(x) => e.u64(*x),
            RemoteTypedParamValue::Double(x) => e.u64(x.to_bits()),
            RemoteTypedParamValue::String(x) => e.string(x),
        };
        round_trip(&p, &e.buf);
    }
    // A discriminant without an arm is refused.
    let mut e = Enc::new();
    e.i32(8).i32(0);
    assert!(matches!(
        RemoteTypedParamValue::from_xdr(&e.buf),
        Err(XdrError::Invalid(_))
    ));
}

#[test]
fn bounds_are_checked_before_allocating() {
    // One domain more than REMOTE_DOMAIN_LIST_MAX.
    let mut e = Enc::new();
    e.u32(REMOTE_DOMAIN_LIST_MAX + 1);
    assert!(matches!(
        RemoteConnectListAllDomainsRet::from_xdr(&e.buf),
        Err(XdrError::TooLong { max: 16384, .. })
    ));
    // A count within the limit but beyond the bytes there are (24 bytes a domain at least).
    let mut e = Enc::new();
    e.u32(100).u64(0);
    assert!(matches!(
        RemoteConnectListAllDomainsRet::from_xdr(&e.buf),
        Err(XdrError::Short { want: 2400, .. })
    ));
    // A string over its bound: REMOTE_STRING_MAX for names.
    let mut e = Enc::new();
    e.u32(REMOTE_STRING_MAX + 1);
    assert!(matches!(
        RemoteDomainLookupByNameArgs::from_xdr(&e.buf),
        Err(XdrError::TooLong { what: "string", .. })
    ));
    // `char label<REMOTE_SECURITY_LABEL_MAX>`: 4097 characters at most.
    let mut e = Enc::new();
    e.u32(4098);
    assert!(matches!(
        RemoteDomainGetSecurityLabelRet::from_xdr(&e.buf),
        Err(XdrError::TooLong { max: 4097, .. })
    ));
    // Opaque data: a secret value holds 65536 bytes at most.
    let mut e = Enc::new();
    e.u32(65537);
    assert!(matches!(
        RemoteSecretGetValueRet::from_xdr(&e.buf),
        Err(XdrError::TooLong { what: "opaque", .. })
    ));
    // Bad presence word of optional data.
    let mut e = Enc::new();
    e.u32(2);
    assert!(RemoteConnectGetMaxVcpusArgs::from_xdr(&e.buf).is_err());
}

#[test]
fn procedure_tables() {
    for (table, last) in [
        (remote::PROCEDURES, 443),
        (qemu::PROCEDURES, 7),
        (lxc::PROCEDURES, 1),
        (admin::PROCEDURES, 19),
        (keepalive::PROCEDURES, 2),
    ] {
        // Numbers 1..=last, each once, in order.
        let nums: Vec<i32> = table.iter().map(|p| p.num).collect();
        assert_eq!(nums, (1..=last).collect::<Vec<_>>());
        for p in table {
            assert_eq!(program::lookup(table, p.num), Some(p));
        }
        assert_eq!(program::lookup(table, last + 1), None);
    }
    assert_eq!(remote::PROGRAM, 0x2000_8086);
    assert_eq!(qemu::PROGRAM, 0x2000_8087);
    assert_eq!(lxc::PROGRAM, 0x0006_8000);
    assert_eq!(admin::PROGRAM, 0x0690_0690);
    assert_eq!(keepalive::PROGRAM, 0x6b65_6570);
    assert_eq!(remote::DomainGetInfo::NUM, 16);
    assert_eq!(remote::DomainGetInfo::PROG, remote::PROGRAM);
    assert_eq!(remote::ConnectListAllDomains::NUM, 273);
    assert_eq!(remote::DomainOpenConsole::STREAM, Stream::Read(2));
    assert_eq!(remote::StorageVolUpload::STREAM, Stream::Write(1));
    let up = program::lookup(remote::PROCEDURES, 208).unwrap();
    assert_eq!(up.sparse_flag, Some("VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM"));
    assert_eq!(up.args, "remote_storage_vol_upload_args");
    assert_eq!(up.ret, "void");
    assert_eq!(remote::DomainEventCallbackLifecycle::KIND, Kind::Message);
    assert_eq!(remote::DomainEventCallbackLifecycle::NUM, 318);
    assert_eq!(keepalive::Ping::KIND, Kind::Message);
    assert_eq!(keepalive::Pong::NUM, 2);
    assert_eq!(
        remote::ConnectOpen::PRIORITY,
        crate::rpc::program::Priority::High
    );
    let events = remote::PROCEDURES
        .iter()
        .filter(|p| p.kind == Kind::Message)
        .count();
    assert!(events > 50, "{events} event procedures");
}

#[test]
fn decoding_from_a_shared_decoder_leaves_the_rest() {
    let mut e = Enc::new();
    dom_words(&mut e, &dom("a", 1));
    e.u32(9);
    let mut d = Dec::new(&e.buf);
    assert_eq!(DomainRef::dec(&mut d).unwrap().id, 1);
    assert_eq!(d.u32().unwrap(), 9);
    d.finish().unwrap();
}
