//! Packet framing of libvirt's RPC: a 4-byte big-endian length that counts itself, a 24-byte
//! header (program, version, procedure, type, serial, status), then the payload.

use super::xdr::{Dec, XResult, XdrError};
use std::io::{self, Read};

use crate::generated::proto_procs::{keepalive, remote};
use crate::generated::proto_types as t;

/// Largest header + payload a libvirt 9.0.0 peer sends or accepts (32 MiB).
pub(crate) const MESSAGE_MAX: usize = t::VIR_NET_MESSAGE_MAX as usize;
pub(crate) const LEN_SIZE: usize = t::VIR_NET_MESSAGE_LEN_MAX as usize;
pub(crate) const HEADER_SIZE: usize = t::VIR_NET_MESSAGE_HEADER_MAX as usize;
/// Largest payload.
pub(crate) const PAYLOAD_MAX: usize = t::VIR_NET_MESSAGE_PAYLOAD_MAX as usize;

/// Program numbers.
pub(crate) const PROG_REMOTE: u32 = remote::PROGRAM;
pub(crate) const PROG_KEEPALIVE: u32 = keepalive::PROGRAM;
pub(crate) const PROTOCOL_VERSION: u32 = remote::VERSION;

/// libs scope: the programs whose replies the client accepts (remote, and the QEMU, LXC and
/// admin programs that libvirt-qemu/-lxc/-admin speak over the same framing).
pub(crate) fn known_program(prog: u32) -> bool {
    use crate::generated::proto_procs::{admin, lxc, qemu};
    [PROG_REMOTE, qemu::PROGRAM, lxc::PROGRAM, admin::PROGRAM].contains(&prog)
}

/// `virNetMessageType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Call = t::VIR_NET_CALL as isize,
    Reply = t::VIR_NET_REPLY as isize,
    Message = t::VIR_NET_MESSAGE as isize,
    Stream = t::VIR_NET_STREAM as isize,
    CallWithFds = t::VIR_NET_CALL_WITH_FDS as isize,
    ReplyWithFds = t::VIR_NET_REPLY_WITH_FDS as isize,
    StreamHole = t::VIR_NET_STREAM_HOLE as isize,
}

impl Type {
    const ALL: [Type; 7] = [
        Type::Call,
        Type::Reply,
        Type::Message,
        Type::Stream,
        Type::CallWithFds,
        Type::ReplyWithFds,
        Type::StreamHole,
    ];
    fn from_u32(v: u32) -> Option<Type> {
        Self::ALL.into_iter().find(|t| *t as u32 == v)
    }
}

/// `virNetMessageStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok = t::VIR_NET_OK as isize,
    Error = t::VIR_NET_ERROR as isize,
    Continue = t::VIR_NET_CONTINUE as isize,
}

impl Status {
    fn from_u32(v: u32) -> Option<Status> {
        [Status::Ok, Status::Error, Status::Continue]
            .into_iter()
            .find(|s| *s as u32 == v)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub prog: u32,
    pub vers: u32,
    pub proc_: i32,
    pub kind: Type,
    pub serial: u32,
    pub status: Status,
}

impl Header {
    pub fn new(prog: u32, proc_: i32, kind: Type, serial: u32, status: Status) -> Header {
        Header {
            prog,
            vers: PROTOCOL_VERSION,
            proc_,
            kind,
            serial,
            status,
        }
    }

    pub fn decode(d: &mut Dec<'_>) -> XResult<Header> {
        let prog = d.u32()?;
        let vers = d.u32()?;
        let proc_ = d.i32()?;
        let kind = Type::from_u32(d.u32()?).ok_or(XdrError::Invalid("message type"))?;
        let serial = d.u32()?;
        let status = Status::from_u32(d.u32()?).ok_or(XdrError::Invalid("message status"))?;
        Ok(Header {
            prog,
            vers,
            proc_,
            kind,
            serial,
            status,
        })
    }
}

/// A whole packet ready for the wire: length word, header, payload.
pub fn encode(h: &Header, payload: &[u8]) -> Vec<u8> {
    let total = LEN_SIZE + HEADER_SIZE + payload.len();
    let mut v = Vec::with_capacity(total);
    v.extend_from_slice(&(total as u32).to_be_bytes());
    for w in [
        h.prog,
        h.vers,
        h.proc_ as u32,
        h.kind as u32,
        h.serial,
        h.status as u32,
    ] {
        v.extend_from_slice(&w.to_be_bytes());
    }
    v.extend_from_slice(payload);
    v
}

/// Why the byte stream stopped making sense.
#[derive(Debug)]
pub enum FrameError {
    /// Clean end of stream before a new packet.
    Eof,
    Io(io::Error),
    /// A length word below the minimum or above the maximum.
    BadLength(u32),
    /// A header that does not decode.
    BadHeader(XdrError),
}

/// Check a length word the way the daemon does: it counts itself and the header, and the rest
/// may not exceed `MESSAGE_MAX`.
pub fn check_length(len: u32) -> Result<usize, FrameError> {
    let len = len as usize;
    if len < LEN_SIZE + HEADER_SIZE || len - LEN_SIZE > MESSAGE_MAX {
        return Err(FrameError::BadLength(len as u32));
    }
    Ok(len - LEN_SIZE)
}

/// Split one packet body (without the length word) into header and payload.
pub fn split(body: &[u8]) -> Result<(Header, &[u8]), FrameError> {
    let mut d = Dec::new(body);
    let h = Header::decode(&mut d).map_err(FrameError::BadHeader)?;
    Ok((h, &body[HEADER_SIZE..]))
}

/// Read one packet body (header + payload) from `r` into `buf`.
pub fn read_packet(r: &mut dyn Read, buf: &mut Vec<u8>) -> Result<(), FrameError> {
    let mut lenb = [0u8; LEN_SIZE];
    let mut got = 0;
    while got < LEN_SIZE {
        match r.read(&mut lenb[got..]) {
            Ok(0) => return Err(FrameError::Eof),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(FrameError::Io(e)),
        }
    }
    let body = check_length(u32::from_be_bytes(lenb))?;
    // Grow with the data that actually arrives, not with what the length word promises.
    buf.clear();
    buf.reserve(body.min(1 << 16));
    let got = r
        .take(body as u64)
        .read_to_end(buf)
        .map_err(FrameError::Io)?;
    if got < body {
        // A peer that goes away mid-packet is an end of file, as for libvirt.
        return Err(FrameError::Eof);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_bytes_from_the_reference() {
        // AUTH_LIST call as virsh sends it.
        let p = encode(
            &Header::new(PROG_REMOTE, 66, Type::Call, 0, Status::Ok),
            &[],
        );
        let hex: Vec<String> = p
            .chunks(4)
            .map(|c| format!("{:08x}", u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
            .collect();
        assert_eq!(
            hex.join(" "),
            "0000001c 20008086 00000001 00000042 00000000 00000000 00000000"
        );
        let mut r: &[u8] = &p;
        let mut buf = Vec::new();
        read_packet(&mut r, &mut buf).unwrap();
        let (h, payload) = split(&buf).unwrap();
        assert_eq!(h.proc_, 66);
        assert_eq!(h.kind, Type::Call);
        assert!(payload.is_empty());
    }

    #[test]
    fn lengths_are_checked() {
        assert!(check_length(27).is_err());
        assert!(check_length(28).is_ok());
        assert!(check_length(33_554_436).is_ok());
        assert!(check_length(33_554_437).is_err());
        assert!(check_length(u32::MAX).is_err());
        let mut r: &[u8] = &[0, 0, 0, 40, 1, 2];
        assert!(matches!(
            read_packet(&mut r, &mut Vec::new()),
            Err(FrameError::Eof)
        ));
        let mut r: &[u8] = &[];
        assert!(matches!(
            read_packet(&mut r, &mut Vec::new()),
            Err(FrameError::Eof)
        ));
        let mut body = vec![0u8; 24];
        body[15] = 9; // type 9 does not exist
        assert!(matches!(split(&body), Err(FrameError::BadHeader(_))));
    }
}
