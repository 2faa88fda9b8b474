//! The client against scripted fake daemons on socket pairs: ordering, errors, events,
//! keepalive, faults and streams. Every test is bounded in time.

use super::client::{Client, Keepalive, Transport, args, decode};
use super::packet::{self, Header, PROG_KEEPALIVE, PROG_REMOTE, Status, Type};
use super::program::Procedure;
use super::stream::RpcStream;
use super::xdr::Xdr;
use crate::core::VirError;
use crate::core::stream::{Io, StreamBackend};
use crate::generated::proto_procs::{keepalive, remote};
use crate::generated::proto_types::VirNetMessageError;
use std::io::{Read, Write};
use std::net::Shutdown;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Procedures the fake daemons answer: any will do, the client only matches serials.
const SUPPORTS: i32 = remote::ConnectSupportsFeature::NUM;
const CONSOLE: i32 = remote::DomainOpenConsole::NUM;

fn transport(s: UnixStream) -> Transport {
    let r = s.try_clone().unwrap();
    let w = s.try_clone().unwrap();
    Transport {
        reader: Box::new(r),
        writer: Box::new(w),
        closer: Box::new(move || {
            let _ = s.shutdown(Shutdown::Both);
        }),
        eof_detail: None,
        secure: true,
        encrypted: false,
    }
}

/// The daemon's side: read and write whole packets.
struct Peer(UnixStream);

impl Peer {
    fn read(&mut self) -> Option<(Header, Vec<u8>)> {
        let mut buf = Vec::new();
        packet::read_packet(&mut self.0, &mut buf).ok()?;
        let (h, p) = packet::split(&buf).ok()?;
        Some((h, p.to_vec()))
    }
    fn read_call(&mut self) -> (Header, Vec<u8>) {
        loop {
            let (h, p) = self.read().expect("client went away");
            if h.prog == PROG_REMOTE {
                return (h, p);
            }
        }
    }
    fn write(&mut self, h: Header, payload: &[u8]) {
        let _ = self.0.write_all(&packet::encode(&h, payload));
    }
    fn reply(&mut self, call: &Header, payload: &[u8]) {
        self.write(
            Header::new(
                PROG_REMOTE,
                call.proc_,
                Type::Reply,
                call.serial,
                Status::Ok,
            ),
            payload,
        );
    }
    fn reply_err(&mut self, call: &Header, e: &VirError) {
        let enc = super::xdr::Enc::with_buf(VirNetMessageError::from(e).to_xdr());
        self.write(
            Header::new(
                PROG_REMOTE,
                call.proc_,
                Type::Reply,
                call.serial,
                Status::Error,
            ),
            &enc.buf,
        );
    }
}

fn pair(ka: Option<Keepalive>) -> (Client, Peer) {
    let (a, b) = UnixStream::pair().unwrap();
    b.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    (Client::connect(transport(a), ka).unwrap(), Peer(b))
}

fn serve<F: FnOnce(Peer) + Send + 'static>(
    ka: Option<Keepalive>,
    f: F,
) -> (Client, std::thread::JoinHandle<()>) {
    let (c, p) = pair(ka);
    (c, std::thread::spawn(move || f(p)))
}

fn int_payload(v: i32) -> Vec<u8> {
    args(|e| {
        e.i32(v);
    })
}

#[test]
fn replies_out_of_order_reach_their_callers() {
    let (c, t) = serve(None, |mut p| {
        let (h1, a1) = p.read_call();
        let (h2, a2) = p.read_call();
        // Answer the second call first; each reply echoes its argument.
        p.reply(&h2, &a2);
        p.reply(&h1, &a1);
        std::thread::sleep(Duration::from_millis(200));
    });
    let c = Arc::new(c);
    let c2 = c.clone();
    let first = std::thread::spawn(move || c2.call(SUPPORTS, &int_payload(1)));
    std::thread::sleep(Duration::from_millis(50));
    let second = c.call(SUPPORTS, &int_payload(2)).unwrap();
    assert_eq!(second, int_payload(2));
    assert_eq!(first.join().unwrap().unwrap(), int_payload(1));
    t.join().unwrap();
}

#[test]
fn many_threads_share_one_connection() {
    let (c, t) = serve(None, |mut p| {
        // Collect batches and answer them in reverse order.
        let mut done = 0;
        while done < 400 {
            let mut batch = Vec::new();
            for _ in 0..4 {
                batch.push(p.read_call());
            }
            for (h, a) in batch.iter().rev() {
                p.reply(h, a);
            }
            done += 4;
        }
    });
    let c = Arc::new(c);
    let ok = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let c = c.clone();
            let ok = ok.clone();
            std::thread::spawn(move || {
                for j in 0..100 {
                    let v = i * 1000 + j;
                    let r = c.call(SUPPORTS, &int_payload(v)).unwrap();
                    assert_eq!(r, int_payload(v));
                    ok.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for th in threads {
        th.join().unwrap();
    }
    assert_eq!(ok.load(Ordering::Relaxed), 400);
    t.join().unwrap();
}

#[test]
fn daemon_errors_arrive_field_for_field() {
    let sent = VirError {
        code: 42,
        domain: 12,
        level: 2,
        message: Some("Domain not found".into()),
        str1: Some("Domain not found".into()),
        str2: None,
        str3: None,
        int1: -1,
        int2: -1,
    };
    let s2 = sent.clone();
    let (c, t) = serve(None, move |mut p| {
        let (h, _) = p.read_call();
        p.reply_err(&h, &s2);
        let (h, _) = p.read_call();
        // "unknown procedure" is reported as NO_SUPPORT by libvirt's client.
        let mut e = VirError::new(
            crate::core::Domain::VIR_FROM_RPC,
            crate::core::Code::VIR_ERR_RPC,
            None,
        );
        e.message = Some("unknown procedure: 999".into());
        p.reply_err(&h, &e);
    });
    assert_eq!(
        c.call(remote::DomainLookupByName::NUM, &[]).unwrap_err(),
        sent
    );
    let e = c.call(999, &[]).unwrap_err();
    assert_eq!(e.code, crate::core::Code::VIR_ERR_NO_SUPPORT as i32);
    t.join().unwrap();
}

#[test]
fn events_are_routed_by_procedure_not_serial() {
    let (c, t) = serve(None, |mut p| {
        let (h, _) = p.read_call();
        // An event with the same serial as the pending call, before its reply.
        p.write(
            Header::new(
                PROG_REMOTE,
                remote::DomainEventCallbackLifecycle::NUM,
                Type::Message,
                h.serial,
                Status::Ok,
            ),
            &int_payload(77),
        );
        p.reply(&h, &int_payload(5));
        std::thread::sleep(Duration::from_millis(100));
    });
    let seen = Arc::new(parking_lot::Mutex::new(Vec::new()));
    let s2 = seen.clone();
    c.set_event_handler(Some(Arc::new(move |proc_, payload: &[u8]| {
        s2.lock().push((proc_, payload.to_vec()));
    })));
    // Serial 0 is the first call, as with libvirt's client.
    assert_eq!(c.call(SUPPORTS, &[]).unwrap(), int_payload(5));
    t.join().unwrap();
    assert_eq!(*seen.lock(), vec![(318, int_payload(77))]);
}

#[test]
fn ping_is_answered_with_pong() {
    // The peer hangs up only once the client has been looked at: a timed wait raced it.
    let (checked, wait_checked) = std::sync::mpsc::channel::<()>();
    let (c, t) = serve(None, move |mut p| {
        p.write(
            Header::new(
                PROG_KEEPALIVE,
                keepalive::Ping::NUM,
                Type::Message,
                0,
                Status::Ok,
            ),
            &[],
        );
        let (h, payload) = p.read().unwrap();
        assert_eq!(
            (h.prog, h.proc_, h.kind, h.serial, h.status),
            (
                PROG_KEEPALIVE,
                keepalive::Pong::NUM,
                Type::Message,
                0,
                Status::Ok
            )
        );
        assert!(payload.is_empty());
        let _ = wait_checked.recv();
    });
    assert!(c.is_alive());
    checked.send(()).unwrap();
    t.join().unwrap();
}

#[test]
fn silent_daemon_is_declared_dead_by_keepalive() {
    let ka = Keepalive {
        interval: Duration::from_millis(100),
        count: 2,
    };
    let (c, p) = pair(Some(ka));
    let pings = Arc::new(AtomicUsize::new(0));
    let p2 = pings.clone();
    // Reads everything, answers nothing.
    let t = std::thread::spawn(move || {
        let mut p = p;
        while let Some((h, _)) = p.read() {
            if h.prog == PROG_KEEPALIVE && h.proc_ == keepalive::Ping::NUM {
                p2.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    let closed = Arc::new(parking_lot::Mutex::new(None));
    let cl = closed.clone();
    c.add_close_handler(Arc::new(move |r| *cl.lock() = Some(r)));
    let start = Instant::now();
    let e = c.call(SUPPORTS, &[]).unwrap_err();
    let took = start.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(took >= Duration::from_millis(250), "took {took:?}");
    assert_eq!(
        e.message(),
        "internal error: connection closed due to keepalive timeout"
    );
    // The close handlers run once the connection is torn down; give them a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    while closed.lock().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(*closed.lock(), Some(super::client::CLOSE_REASON_KEEPALIVE));
    assert!(!c.is_alive());
    t.join().unwrap();
    assert_eq!(pings.load(Ordering::Relaxed), 2);
    // Later calls fail at once.
    let e = c.call(SUPPORTS, &[]).unwrap_err();
    assert_eq!(e.message(), "internal error: client socket is closed");
}

#[test]
fn keepalive_turned_off_waits_for_a_slow_daemon() {
    let ka = Keepalive {
        interval: Duration::from_millis(100),
        count: 2,
    };
    let (c, t) = serve(Some(ka), |mut p| {
        let (h, _) = p.read_call();
        // Silent for several keepalive periods, ignoring pings, then answers.
        std::thread::sleep(Duration::from_millis(800));
        p.reply(&h, &int_payload(7));
        std::thread::sleep(Duration::from_millis(300));
    });
    c.set_keepalive(None);
    let r = c.call(60, &[]).unwrap();
    assert_eq!(decode(&r, |d| d.i32()).unwrap(), 7);
    assert!(c.is_alive());
    t.join().unwrap();
}

#[test]
fn answered_keepalive_keeps_an_idle_connection() {
    // Generous numbers: the test must hold on a loaded 2-core machine too.
    // The client gives up after interval x count without a pong: 1.5 s of the peer thread not
    // being scheduled. The peer answers until the call comes (or its 10 s read timeout), and
    // hangs up only once the client has the reply: a keepalive PING written after the hang-up
    // but before the reader took the reply fails the call with EPIPE (1 run in 40 did).
    let ka = Keepalive {
        interval: Duration::from_millis(300),
        count: 5,
    };
    let (replied, wait_replied) = std::sync::mpsc::channel::<()>();
    let (c, t) = serve(Some(ka), move |mut p| {
        loop {
            let Some((h, _)) = p.read() else { return };
            if h.prog == PROG_KEEPALIVE && h.proc_ == keepalive::Ping::NUM {
                p.write(
                    Header::new(
                        PROG_KEEPALIVE,
                        keepalive::Pong::NUM,
                        Type::Message,
                        0,
                        Status::Ok,
                    ),
                    &[],
                );
            } else if h.prog == PROG_REMOTE {
                p.reply(&h, &[]);
                let _ = wait_replied.recv();
                return;
            }
        }
    });
    // Several keepalive intervals of idleness, each answered.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(c.is_alive());
    c.call(SUPPORTS, &[]).unwrap();
    replied.send(()).unwrap();
    t.join().unwrap();
}

fn expect_fault(script: impl FnOnce(&mut Peer, &Header) + Send + 'static) -> VirError {
    let (c, t) = serve(None, move |mut p| {
        let (h, _) = p.read_call();
        script(&mut p, &h);
        std::thread::sleep(Duration::from_millis(100));
    });
    let start = Instant::now();
    let e = c.call(SUPPORTS, &[]).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(3));
    assert!(!c.is_alive());
    t.join().unwrap();
    e
}

#[test]
fn daemon_gone_mid_call() {
    let e = expect_fault(|p, _| {
        let _ = p.0.shutdown(Shutdown::Both);
    });
    assert_eq!(e.code, crate::core::Code::VIR_ERR_SYSTEM_ERROR as i32);
    assert_eq!(e.domain, crate::core::Domain::VIR_FROM_RPC as i32);
    assert_eq!(
        e.message(),
        "End of file while reading data: Input/output error"
    );
}

#[test]
fn oversized_packet() {
    let e = expect_fault(|p, _| {
        let _ = p.0.write_all(&33_554_437u32.to_be_bytes());
    });
    assert_eq!(e.code, crate::core::Code::VIR_ERR_RPC as i32);
    assert!(e.message().contains("too large"), "{}", e.message());
}

#[test]
fn undersized_packet() {
    let e = expect_fault(|p, _| {
        let _ = p.0.write_all(&[0, 0, 0, 8, 0, 0, 0, 0]);
    });
    assert!(e.message().contains("too small"), "{}", e.message());
}

#[test]
fn truncated_packet() {
    let e = expect_fault(|p, h| {
        let pkt = packet::encode(
            &Header::new(PROG_REMOTE, h.proc_, Type::Reply, h.serial, Status::Ok),
            &[0; 40],
        );
        let _ = p.0.write_all(&pkt[..30]);
        let _ = p.0.shutdown(Shutdown::Both);
    });
    assert_eq!(
        e.message(),
        "End of file while reading data: Input/output error"
    );
}

#[test]
fn malformed_header_and_error_payload() {
    let e = expect_fault(|p, h| {
        let mut pkt = packet::encode(
            &Header::new(PROG_REMOTE, h.proc_, Type::Reply, h.serial, Status::Ok),
            &[],
        );
        pkt[4 + 15] = 9; // no such message type
        let _ = p.0.write_all(&pkt);
    });
    assert!(e.message().contains("Unable to decode message header"));

    // An error reply whose remote_error is cut short: the call fails with a decode error.
    let (c, t) = serve(None, |mut p| {
        let (h, _) = p.read_call();
        p.write(
            Header::new(PROG_REMOTE, h.proc_, Type::Reply, h.serial, Status::Error),
            &[0, 0, 0, 1, 0, 0],
        );
    });
    let e = c.call(SUPPORTS, &[]).unwrap_err();
    assert!(e.message().contains("Unable to decode message payload"));
    t.join().unwrap();

    // A reply nobody waits for is a protocol violation.
    let e = expect_fault(|p, h| {
        p.write(
            Header::new(
                PROG_REMOTE,
                h.proc_,
                Type::Reply,
                h.serial + 100,
                Status::Ok,
            ),
            &[],
        );
    });
    assert!(e.message().contains("no call waiting for reply"));
}

#[test]
fn reply_payload_decoding_ignores_trailing_bytes() {
    // libvirt's client decodes what it expects and ignores the rest; short payloads fail.
    let good = int_payload(3);
    assert_eq!(decode(&good, |d| d.i32()).unwrap(), 3);
    let mut long = good.clone();
    long.extend_from_slice(&[0, 0, 0, 0, 9]);
    assert_eq!(decode(&long, |d| d.i32()).unwrap(), 3);
    assert!(decode(&good[..2], |d| d.i32()).is_err());

    // The same through a live connection.
    let (c, t) = serve(None, move |mut p| {
        let (h, _) = p.read_call();
        p.reply(&h, &long);
        std::thread::sleep(Duration::from_millis(300));
    });
    let r = c.call(60, &[]).unwrap();
    assert_eq!(decode(&r, |d| d.i32()).unwrap(), 3);
    assert!(c.is_alive());
    t.join().unwrap();
}

#[test]
fn continue_reply_fails_only_that_call() {
    let (c, t) = serve(None, |mut p| {
        let (h, _) = p.read_call();
        p.write(
            Header::new(
                PROG_REMOTE,
                h.proc_,
                Type::Reply,
                h.serial,
                Status::Continue,
            ),
            &[],
        );
        let (h, _) = p.read_call();
        p.reply(&h, &int_payload(5));
    });
    let e = c.call(60, &[]).unwrap_err();
    assert_eq!(e.code, crate::core::Code::VIR_ERR_RPC as i32);
    assert_eq!(e.domain, crate::core::Domain::VIR_FROM_RPC as i32);
    assert_eq!(e.message(), "Unexpected message status 2");
    assert!(c.is_alive());
    let r = c.call(60, &[]).unwrap();
    assert_eq!(decode(&r, |d| d.i32()).unwrap(), 5);
    t.join().unwrap();
}

#[test]
fn error_reply_without_message_reads_unknown_error() {
    let (c, t) = serve(None, |mut p| {
        let (h, _) = p.read_call();
        let e = VirError {
            message: None,
            ..VirError::detail(
                crate::core::Domain::VIR_FROM_QEMU,
                crate::core::Code::VIR_ERR_OPERATION_FAILED,
                "x",
            )
        };
        p.reply_err(&h, &e);
    });
    let e = c.call(60, &[]).unwrap_err();
    assert_eq!(e.code, crate::core::Code::VIR_ERR_OPERATION_FAILED as i32);
    assert_eq!(e.message.as_deref(), Some("Unknown error"));
    t.join().unwrap();
}

#[test]
fn stream_data_both_ways_eof_and_finish() {
    let (c, t) = serve(None, |mut p| {
        let (h, _) = p.read_call();
        p.reply(&h, &[]);
        let st = |s| Header::new(PROG_REMOTE, h.proc_, Type::Stream, h.serial, s);
        p.write(st(Status::Continue), b"hello ");
        p.write(st(Status::Continue), b"world");
        // Client data arrives as raw CONTINUE payload.
        let (h2, data) = p.read().unwrap();
        assert_eq!(
            (h2.kind, h2.status, h2.serial),
            (Type::Stream, Status::Continue, h.serial)
        );
        assert_eq!(data, b"typed");
        // EOF, then the client's finish is confirmed.
        p.write(st(Status::Continue), b"");
        let (h3, data) = p.read().unwrap();
        assert_eq!((h3.kind, h3.status), (Type::Stream, Status::Ok));
        assert!(data.is_empty());
        p.write(st(Status::Ok), b"");
        // Late packets for a finished stream are ignored.
        p.write(st(Status::Continue), b"late");
        let (h4, _) = p.read_call();
        p.reply(&h4, &[]);
    });
    let (_, shared) = c.call_stream(CONSOLE, &[]).unwrap();
    let s = RpcStream::new(c.stream_conn(), shared, false);
    let mut got = Vec::new();
    let mut buf = [0u8; 4];
    while got.len() < 11 {
        match s.recv(&mut buf).unwrap() {
            Io::Done(n) => got.extend_from_slice(&buf[..n]),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(got, b"hello world");
    assert_eq!(s.send(b"typed").unwrap(), Io::Done(5));
    assert_eq!(s.recv(&mut buf).unwrap(), Io::Eof);
    s.finish().unwrap();
    c.call(SUPPORTS, &[]).unwrap();
    t.join().unwrap();
}

#[test]
fn stream_server_error_and_nonblocking_reads() {
    // The error is sent once the client has seen an empty stream, not after a timed wait that a
    // loaded machine can outlast.
    let (empty_seen, wait_empty_seen) = std::sync::mpsc::channel::<()>();
    let (c, t) = serve(None, move |mut p| {
        let (h, _) = p.read_call();
        p.reply(&h, &[]);
        let _ = wait_empty_seen.recv();
        let mut err = VirError::new(
            crate::core::Domain::VIR_FROM_STREAMS,
            crate::core::Code::VIR_ERR_RPC,
            None,
        );
        err.message = Some("stream had I/O failure".into());
        let e = super::xdr::Enc::with_buf(VirNetMessageError::from(&err).to_xdr());
        p.write(
            Header::new(PROG_REMOTE, h.proc_, Type::Stream, h.serial, Status::Error),
            &e.buf,
        );
        std::thread::sleep(Duration::from_millis(200));
    });
    let (_, shared) = c.call_stream(CONSOLE, &[]).unwrap();
    let s = RpcStream::new(c.stream_conn(), shared, true);
    let woken = Arc::new(AtomicUsize::new(0));
    let w2 = woken.clone();
    s.set_waker(Some(Arc::new(move || {
        w2.fetch_add(1, Ordering::Relaxed);
    })));
    let mut buf = [0u8; 16];
    assert_eq!(s.recv(&mut buf).unwrap(), Io::WouldBlock);
    assert_eq!(s.readiness() & crate::core::stream::EVENT_READABLE, 0);
    empty_seen.send(()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(3);
    while woken.load(Ordering::Relaxed) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(woken.load(Ordering::Relaxed) > 0);
    assert_ne!(s.readiness() & crate::core::stream::EVENT_READABLE, 0);
    let e = s.recv(&mut buf).unwrap_err();
    assert_eq!((e.code, e.domain), (39, 38));
    assert_eq!(e.message(), "stream had I/O failure");
    assert!(s.send(b"x").is_err());
    // Aborting a stream the server ended with an error reports that error (as libvirt's
    // client does), without a round trip.
    let e = s.abort().unwrap_err();
    assert_eq!((e.code, e.domain), (39, 38));
    t.join().unwrap();
}

#[test]
fn stream_fails_when_the_daemon_dies() {
    let (c, t) = serve(None, |mut p| {
        let (h, _) = p.read_call();
        p.reply(&h, &[]);
        std::thread::sleep(Duration::from_millis(100));
        let _ = p.0.shutdown(Shutdown::Both);
    });
    let (_, shared) = c.call_stream(CONSOLE, &[]).unwrap();
    let s = RpcStream::new(c.stream_conn(), shared, false);
    let mut buf = [0u8; 16];
    let e = s.recv(&mut buf).unwrap_err();
    assert!(e.message().starts_with("End of file"));
    assert!(s.finish().is_err());
    t.join().unwrap();
}

#[test]
fn garbage_never_panics() {
    // Random bytes after a valid reply never crash the reader; the call ends one way or another.
    let mut seed: u64 = 0x1234_5678;
    for _ in 0..50 {
        let mut junk = vec![0u8; 64];
        for b in junk.iter_mut() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            *b = (seed >> 33) as u8;
        }
        // Keep the length plausible half of the time.
        if seed & 1 == 0 {
            junk[..4].copy_from_slice(&64u32.to_be_bytes());
        }
        let (c, t) = serve(None, move |mut p| {
            let _ = p.read_call();
            let _ = p.0.write_all(&junk);
            let _ = p.0.shutdown(Shutdown::Both);
        });
        let _ = c.call(SUPPORTS, &[]);
        t.join().unwrap();
    }
}

#[test]
fn close_fails_pending_calls_promptly() {
    let (c, p) = pair(None);
    let c = Arc::new(c);
    let c2 = c.clone();
    let th = std::thread::spawn(move || c2.call(SUPPORTS, &[]));
    std::thread::sleep(Duration::from_millis(50));
    c.close();
    let e = th.join().unwrap().unwrap_err();
    assert_eq!(e.message(), "internal error: client socket is closed");
    drop(p);
    let mut rest = Vec::new();
    let _ = (&mut &[][..]).read_to_end(&mut rest);
}

#[test]
fn untrusted_decoding_survives_random_and_mutated_input() {
    // A valid packet carrying a domain list, then many mutations and random inputs.
    let mut e = super::xdr::Enc::new();
    e.u32(2);
    for name in ["a", "bb"] {
        e.string(name).opaque_fixed(&[7; 16]).i32(1);
    }
    e.u32(2);
    let good = packet::encode(
        &Header::new(
            PROG_REMOTE,
            remote::ConnectListAllDomains::NUM,
            Type::Reply,
            3,
            Status::Ok,
        ),
        &e.buf,
    );
    super::decode_untrusted(&good);
    let mut seed: u64 = 42;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for _ in 0..20_000 {
        let mut m = good.clone();
        for _ in 0..1 + next() % 4 {
            let i = next() % m.len();
            m[i] = next() as u8;
        }
        if next() % 4 == 0 {
            m.truncate(next() % m.len());
        }
        super::decode_untrusted(&m);
        let junk: Vec<u8> = (0..next() % 96).map(|_| next() as u8).collect();
        super::decode_untrusted(&junk);
    }
}

#[test]
fn an_event_handler_may_call_back_into_the_connection() {
    let (c, t) = serve(None, |mut p| {
        let (h, _) = p.read_call();
        p.write(
            Header::new(
                PROG_REMOTE,
                remote::DomainEventCallbackLifecycle::NUM,
                Type::Message,
                1,
                Status::Ok,
            ),
            &[],
        );
        p.reply(&h, &[]);
        // The handler's own call.
        let (h2, _) = p.read_call();
        p.reply(&h2, &int_payload(9));
        std::thread::sleep(Duration::from_millis(100));
    });
    let c = Arc::new(c);
    let weak = Arc::downgrade(&c);
    let got = Arc::new(parking_lot::Mutex::new(None));
    let g2 = got.clone();
    c.set_event_handler(Some(Arc::new(move |_, _: &[u8]| {
        if let Some(c) = weak.upgrade() {
            *g2.lock() = Some(c.call(SUPPORTS, &[]));
        }
    })));
    c.call(SUPPORTS, &[]).unwrap();
    let deadline = Instant::now() + Duration::from_secs(3);
    while got.lock().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(got.lock().take().unwrap().unwrap(), int_payload(9));
    t.join().unwrap();
}

#[test]
fn write_errors_never_carry_the_transports_stderr() {
    // ssh gone before the first call: libvirt reports the write's errno alone, while a read
    // failure names what ssh said (the `eof_detail`).
    struct Broken;
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from_raw_os_error(libc::EPIPE))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let (a, _b) = UnixStream::pair().unwrap();
    let r = a.try_clone().unwrap();
    let t = Transport {
        reader: Box::new(r),
        writer: Box::new(Broken),
        closer: Box::new(move || {
            let _ = a.shutdown(Shutdown::Both);
        }),
        eof_detail: Some(Box::new(|| Some("ssh: exited early".to_string()))),
        secure: true,
        encrypted: false,
    };
    let c = Client::connect(t, None).unwrap();
    let e = c.call(60, &[]).unwrap_err();
    assert_eq!(e.code, crate::core::Code::VIR_ERR_SYSTEM_ERROR as i32);
    assert_eq!(e.domain, crate::core::Domain::VIR_FROM_RPC as i32);
    assert_eq!(e.message(), "Cannot write data: Broken pipe");
    assert_eq!(e.int1, libc::EPIPE);
    assert!(!c.is_alive());
}

/// sparse: a `virNetStreamHole` payload.
fn hole_payload(len: i64, flags: u32) -> Vec<u8> {
    let mut e = super::xdr::Enc::new();
    e.i64(len).u32(flags);
    e.into_inner()
}

#[test]
fn sparse_stream_holes_in_order_both_ways() {
    let (c, t) = serve(None, |mut p| {
        let (h, _) = p.read_call();
        p.reply(&h, &[]);
        let st = |s| Header::new(PROG_REMOTE, h.proc_, Type::Stream, h.serial, s);
        let hole = Header::new(
            PROG_REMOTE,
            h.proc_,
            Type::StreamHole,
            h.serial,
            Status::Continue,
        );
        p.write(st(Status::Continue), b"ab");
        p.write(hole, &hole_payload(5, 0));
        p.write(st(Status::Continue), b"cd");
        p.write(hole, &hole_payload(3, 0));
        p.write(st(Status::Continue), b"");
        // The client's hole arrives as a STREAM_HOLE packet with its payload.
        let (h2, data) = p.read().unwrap();
        assert_eq!((h2.kind, h2.status), (Type::StreamHole, Status::Continue));
        assert_eq!(data, hole_payload(7, 0));
        let (h3, _) = p.read().unwrap();
        assert_eq!((h3.kind, h3.status), (Type::Stream, Status::Ok));
        p.write(st(Status::Ok), b"");
    });
    let (_, shared) = c.call_stream(CONSOLE, &[]).unwrap();
    let s = RpcStream::new_sparse(c.stream_conn(), shared, false);
    let mut buf = [0xffu8; 16];
    assert_eq!(s.recv_flags(&mut buf, true).unwrap(), Io::Done(2));
    assert_eq!(&buf[..2], b"ab");
    assert_eq!(s.recv_flags(&mut buf, true).unwrap(), Io::Hole);
    assert_eq!(s.recv_hole(0).unwrap(), 5);
    assert_eq!(s.recv_hole(0).unwrap(), 0);
    assert_eq!(s.recv_flags(&mut buf, true).unwrap(), Io::Done(2));
    assert_eq!(&buf[..2], b"cd");
    // Without STOP_AT_HOLE the hole reads as zeroes.
    let mut buf = [0xffu8; 16];
    assert_eq!(s.recv_flags(&mut buf, false).unwrap(), Io::Done(3));
    assert_eq!(&buf[..3], &[0, 0, 0]);
    assert_eq!(s.recv_flags(&mut buf, true).unwrap(), Io::Eof);
    let e = s.recv_hole(1).unwrap_err();
    assert_eq!(
        e.message.as_deref(),
        Some("unsupported flags (0x1) in function remoteStreamRecvHole")
    );
    s.send_hole(7, 0).unwrap();
    s.finish().unwrap();
    t.join().unwrap();
}

#[test]
fn hole_on_a_stream_not_opened_sparse() {
    let (c, t) = serve(None, |mut p| {
        let (h, _) = p.read_call();
        p.reply(&h, &[]);
        p.write(
            Header::new(
                PROG_REMOTE,
                h.proc_,
                Type::Stream,
                h.serial,
                Status::Continue,
            ),
            b"x",
        );
        p.write(
            Header::new(
                PROG_REMOTE,
                h.proc_,
                Type::StreamHole,
                h.serial,
                Status::Continue,
            ),
            &hole_payload(4, 0),
        );
        std::thread::sleep(Duration::from_millis(200));
    });
    let (_, shared) = c.call_stream(CONSOLE, &[]).unwrap();
    let s = RpcStream::new(c.stream_conn(), shared, false);
    let mut buf = [0u8; 4];
    assert_eq!(s.recv(&mut buf).unwrap(), Io::Done(1));
    let e = s.recv(&mut buf).unwrap_err();
    assert_eq!(e.code, crate::core::Code::VIR_ERR_RPC as i32);
    assert!(
        e.message
            .as_deref()
            .unwrap_or("")
            .contains("Unexpected stream hole")
    );
    let e = s.send_hole(1, 0).unwrap_err();
    assert_eq!(e.code, crate::core::Code::VIR_ERR_OPERATION_INVALID as i32);
    t.join().unwrap();
}
