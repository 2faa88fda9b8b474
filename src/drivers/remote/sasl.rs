//! SASL authentication of the remote driver, as libvirt's client does it (remoteAuthSASL and
//! cyrus-sasl's client library behind it): AUTH_SASL_INIT for the daemon's mechanisms, the
//! client's choice among them under libvirt's strength rules, the credentials (libvirt's
//! `auth.conf` first, then one call of the application's `virConnectAuth` callback with every
//! credential still missing), AUTH_SASL_START / AUTH_SASL_STEP until both sides are done, the
//! strength check on an insecure channel, and then the security layer wrapping every later
//! byte of the connection (each packet length-prefixed and sealed by the mechanism).

use super::sasl_mech::{self, Identity, Layer, MechError, Mechanism, Seal, Unseal};
use crate::core::authconf::AuthConf;
use crate::core::connect::{Authenticator, Credential};
use crate::core::error::{Code, Domain};
use crate::core::{Result, VirError};
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;
use crate::rpc::{Client, Keepalive, Transport};
use parking_lot::Mutex;
use std::io::{Read, Write};
use std::sync::Arc;

/// `REMOTE_AUTH_SASL_DATA_MAX`.
const DATA_MAX: usize = 65536;

/// `virConnectCredentialType` values SASL asks for.
const CRED_USERNAME: i32 = 1;
const CRED_AUTHNAME: i32 = 2;
const CRED_PASSPHRASE: i32 = 5;

/// libvirt's minimum strength on a channel that is not secure by itself (DES).
const MIN_SSF: u32 = 56;

fn auth_failed(domain: Domain, msg: String) -> VirError {
    VirError::detail(domain, Code::VIR_ERR_AUTH_FAILED, msg)
}

/// What the driver knows about the connection when it authenticates.
pub struct Params<'a> {
    /// The server's name as the URI gives it ("localhost" without one): the SASL server name
    /// (DIGEST-MD5's digest-uri) and the `auth.conf` host.
    pub hostname: &'a str,
    /// Whether the channel is secure by itself (UNIX socket, TLS, ssh).
    pub secure: bool,
    /// `?auth=sasl.MECH`.
    pub wantmech: Option<&'a str>,
    pub auth: Option<&'a dyn Authenticator>,
    pub conf: &'a AuthConf,
}

/// What authentication left behind.
pub struct Outcome {
    /// The channel is secure now (a layer strong enough was negotiated).
    pub secure: bool,
    /// The layer to install on the connection, if the mechanism negotiated one.
    pub layer: Option<Layer>,
}

/// One credential cyrus asks for, in the order of its prompt list.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    User,
    Authname,
    Pass,
}

impl Need {
    fn cred(self) -> i32 {
        match self {
            Need::User => CRED_USERNAME,
            Need::Authname => CRED_AUTHNAME,
            Need::Pass => CRED_PASSPHRASE,
        }
    }
    fn conf_key(self) -> &'static str {
        match self {
            Need::User => "username",
            Need::Authname => "authname",
            Need::Pass => "password",
        }
    }
    /// cyrus's fixed challenge text for the prompt.
    fn challenge(self) -> &'static str {
        match self {
            Need::User => "Authorization Name",
            Need::Authname => "Authentication Name",
            Need::Pass => "Password",
        }
    }
    fn prompt(self) -> &'static str {
        match self {
            Need::User => "Please enter your authorization name",
            Need::Authname => "Please enter your authentication name",
            Need::Pass => "Please enter your password",
        }
    }
}

fn registered(p: &Params, cred: i32) -> bool {
    p.auth.is_some_and(|a| a.credtypes().contains(&cred))
}

/// cyrus's canonicalisation of a user name: surrounding white space goes, and the name is
/// refused when the count of leading blanks equals the length of what is left (cyrus's test,
/// which is meant to catch an all-blank name: it catches "" and " a", not "   ").
fn canon(s: &str) -> std::result::Result<String, MechError> {
    let space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r');
    let lead = s.len() - s.trim_start_matches(space).len();
    let t = s.trim_matches(space);
    if lead == t.len() {
        return Err(MechError::new(
            sasl_mech::SASL_FAIL,
            "All-whitespace username.",
        ));
    }
    Ok(t.to_string())
}

/// The credentials: those cyrus would prompt for, filled from `auth.conf`, the rest from one
/// call of the application's callback (libvirt's remoteAuthInteract). The outer error is
/// libvirt's own; the inner one cyrus's, which the caller words as a failed start or step.
fn gather(p: &Params) -> Result<std::result::Result<Identity, MechError>> {
    let mut needs = Vec::new();
    if registered(p, CRED_USERNAME) {
        needs.push(Need::User);
    }
    let authname_cb = registered(p, CRED_AUTHNAME);
    if authname_cb {
        needs.push(Need::Authname);
    }
    needs.push(Need::Pass);
    let mut values: Vec<Option<String>> = Vec::new();
    for n in &needs {
        values.push(p.conf.lookup(Some(p.hostname), n.conf_key())?);
    }
    let mut creds: Vec<Credential> = Vec::new();
    let mut slots = Vec::new();
    for (i, n) in needs.iter().enumerate() {
        if values[i].is_none() {
            creds.push(Credential {
                kind: n.cred(),
                prompt: n.prompt().to_string(),
                challenge: Some(n.challenge().to_string()),
                ..Default::default()
            });
            slots.push(i);
        }
    }
    if !creds.is_empty() {
        let Some(auth) = p.auth.filter(|a| a.has_callback()) else {
            return Err(auth_failed(
                Domain::VIR_FROM_REMOTE,
                "No authentication callback available".into(),
            ));
        };
        if !auth.ask(&mut creds) {
            return Err(auth_failed(
                Domain::VIR_FROM_REMOTE,
                "Failed to collect auth credentials".into(),
            ));
        }
        for (c, i) in creds.into_iter().zip(slots) {
            values[i] = c.result;
        }
    }
    let get = |n: Need| {
        needs
            .iter()
            .position(|x| *x == n)
            .map(|i| values[i].clone())
    };
    let missing = |what: &str| {
        MechError::new(
            -7,
            format!("Unexpectedly missing a prompt result in {what}"),
        )
    };
    let authid = if authname_cb {
        match get(Need::Authname).flatten() {
            Some(a) => a,
            None => return Ok(Err(missing("_plug_get_simple"))),
        }
    } else {
        // cyrus's own answer when the application offers no AUTHNAME: the login name.
        std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_default()
    };
    let Some(password) = get(Need::Pass).flatten() else {
        return Ok(Err(missing("_plug_get_password")));
    };
    let authid = match canon(&authid) {
        Ok(a) => a,
        Err(e) => return Ok(Err(e)),
    };
    let authzid = match get(Need::User).flatten() {
        Some(u) if !u.is_empty() => match canon(&u) {
            Ok(u) if u != authid => Some(u),
            Ok(_) => None,
            Err(e) => return Ok(Err(e)),
        },
        _ => None,
    };
    Ok(Ok(Identity {
        authid,
        authzid,
        password: password.into_bytes(),
    }))
}

/// `gather` with the client's keepalive paused: the application's callback may prompt a person
/// for as long as it takes, and libvirt's client does not ping meanwhile (a daemon that is not
/// authenticated yet does not answer pings).
fn gather_quietly(client: &Client, p: &Params) -> Result<std::result::Result<Identity, MechError>> {
    client.set_keepalive(None);
    let r = gather(p);
    client.set_keepalive(Some(Keepalive::default()));
    r
}

fn start_error(e: &MechError) -> VirError {
    auth_failed(
        Domain::VIR_FROM_RPC,
        format!(
            "Failed to start SASL negotiation: {} ({})",
            e.code,
            e.errdetail()
        ),
    )
}

fn step_error(e: &MechError) -> VirError {
    auth_failed(
        Domain::VIR_FROM_RPC,
        format!(
            "Failed to step SASL negotiation: {} ({})",
            e.code,
            e.errdetail()
        ),
    )
}

/// The mechanism cyrus's client would pick from `list`: the best one it has that the daemon
/// offers, that it has the prompts for and that meets libvirt's strength rules.
fn choose(p: &Params, list: &str) -> std::result::Result<&'static str, MechError> {
    let offered: Vec<&str> = list
        .split(|c: char| c == ',' || c.is_ascii_whitespace())
        .filter(|s| !s.is_empty())
        .collect();
    let min_ssf = if p.secure { 0 } else { MIN_SSF };
    if offered.is_empty() {
        // cyrus gives no reason for an empty list.
        return Err(MechError::new(-4, ""));
    }
    for m in sasl_mech::SUPPORTED {
        if !offered.iter().any(|o| o.eq_ignore_ascii_case(m)) {
            continue;
        }
        // Every mechanism here needs a password prompt.
        if !registered(p, CRED_PASSPHRASE) {
            continue;
        }
        if min_ssf > sasl_mech::max_ssf(m) {
            continue;
        }
        if !p.secure && sasl_mech::plaintext(m) {
            continue;
        }
        return Ok(m);
    }
    Err(MechError::new(-4, "No worthy mechs found"))
}

fn to_wire(d: Option<Vec<u8>>) -> (i32, Vec<i8>) {
    match d {
        None => (1, Vec::new()),
        Some(v) => (0, v.into_iter().map(|b| b as i8).collect()),
    }
}

fn from_wire(nil: i32, d: Vec<i8>) -> Option<Vec<u8>> {
    (nil == 0).then(|| d.into_iter().map(|b| b as u8).collect())
}

/// Run SASL authentication on `client` (AUTH_LIST chose SASL).
pub fn authenticate(client: &Client, p: &Params) -> Result<Outcome> {
    let (min_ssf, max_ssf) = if p.secure { (0, 0) } else { (MIN_SSF, 100_000) };
    let mechlist = client.call_proc::<p::AuthSaslInit>(&())?.mechlist;
    let list = match p.wantmech {
        Some(w) => {
            // libvirt looks the wanted name up as a substring, case and all.
            if !mechlist.contains(w) {
                return Err(auth_failed(
                    Domain::VIR_FROM_REMOTE,
                    format!("SASL mechanism {w} not supported by server"),
                ));
            }
            w.to_string()
        }
        None => mechlist,
    };
    let name = choose(p, &list).map_err(|e| start_error(&e))?;
    // TLS's own strength would count here (cyrus's external SSF); on a secure channel libvirt
    // asks for neither a minimum nor a layer, so it changes nothing.
    let mut mech: Box<dyn Mechanism> =
        sasl_mech::new(name, "libvirt", p.hostname, min_ssf, max_ssf, 0)
            .ok_or_else(|| start_error(&MechError::new(-4, "No worthy mechs found")))?;
    let mut ident: Option<Identity> = None;
    let first = if mech.server_first() {
        mech.start(&Identity::default())
    } else {
        let id = gather_quietly(client, p)?.map_err(|e| start_error(&e))?;
        let r = mech.start(&id);
        ident = Some(id);
        r
    }
    .map_err(|e| start_error(&e))?;
    let mut local_complete = first.complete;
    if let Some(d) = &first.data
        && d.len() > DATA_MAX
    {
        return Err(auth_failed(
            Domain::VIR_FROM_REMOTE,
            format!("SASL negotiation data too long: {} bytes", d.len()),
        ));
    }
    let (nil, data) = to_wire(first.data);
    let r = client.call_proc::<p::AuthSaslStart>(&RemoteAuthSaslStartArgs {
        mech: name.to_string(),
        nil,
        data,
    })?;
    let mut complete = r.complete != 0;
    let mut serverin = from_wire(r.nil, r.data);
    if !(complete && local_complete) {
        // Even when the daemon is done, the client steps at least once (mutual
        // authentication: it checks what the daemon proved).
        loop {
            let id = match &ident {
                Some(i) => i.clone(),
                None => {
                    mech.precheck(serverin.as_deref())
                        .map_err(|e| step_error(&e))?;
                    let i = gather_quietly(client, p)?.map_err(|e| step_error(&e))?;
                    ident = Some(i.clone());
                    i
                }
            };
            let out = mech
                .step(&id, serverin.as_deref())
                .map_err(|e| step_error(&e))?;
            local_complete = out.complete;
            if complete && local_complete {
                break;
            }
            let (nil, data) = to_wire(out.data);
            let r = client.call_proc::<p::AuthSaslStep>(&RemoteAuthSaslStepArgs { nil, data })?;
            complete = r.complete != 0;
            serverin = from_wire(r.nil, r.data);
            if complete && local_complete {
                break;
            }
        }
        if !p.secure {
            let ssf = mech.ssf();
            if ssf < MIN_SSF {
                return Err(auth_failed(
                    Domain::VIR_FROM_REMOTE,
                    format!("negotiation SSF {ssf} was not strong enough"),
                ));
            }
            return Ok(Outcome {
                secure: true,
                layer: mech.take_layer(),
            });
        }
    }
    Ok(Outcome {
        secure: p.secure,
        layer: mech.take_layer(),
    })
}

// ------------------------------------------------------------------------------------------
// The security layer on the connection.

/// Where a negotiated layer goes: the transport's reader and writer consult it on every
/// read and write, so it can be installed once the handshake that negotiated it is over.
#[derive(Default)]
pub struct LayerSlot {
    seal: Mutex<Option<Box<dyn Seal>>>,
    unseal: Mutex<Option<Box<dyn Unseal>>>,
}

impl LayerSlot {
    /// From now on, everything written is sealed and everything read unsealed. The daemon
    /// sends nothing after its last handshake reply until the client's next (sealed) call, so
    /// any byte read after this belongs to the layer.
    pub fn install(&self, l: Layer) {
        let mut w = self.seal.lock();
        *self.unseal.lock() = Some(l.unseal);
        *w = Some(l.seal);
    }
}

/// The transport `t` with a slot for a SASL layer (nothing changes until one is installed).
pub fn wrap(t: Transport) -> (Transport, Arc<LayerSlot>) {
    let slot = Arc::new(LayerSlot::default());
    let t = Transport {
        reader: Box::new(LayerReader {
            inner: t.reader,
            slot: slot.clone(),
            raw: Vec::new(),
            plain: Vec::new(),
            pos: 0,
            buf: vec![0u8; 64 * 1024].into_boxed_slice(),
        }),
        writer: Box::new(LayerWriter {
            inner: t.writer,
            slot: slot.clone(),
        }),
        closer: t.closer,
        eof_detail: t.eof_detail,
        secure: t.secure,
        encrypted: t.encrypted,
    };
    (t, slot)
}

fn layer_io_error(what: &str, e: &MechError) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("failed to {what} SASL data: {} ({})", e.code, e.errdetail()),
    )
}

struct LayerReader {
    inner: Box<dyn Read + Send>,
    slot: Arc<LayerSlot>,
    /// Bytes read and not yet unsealed (or passed through).
    raw: Vec<u8>,
    plain: Vec<u8>,
    pos: usize,
    buf: Box<[u8]>,
}

impl Read for LayerReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.pos < self.plain.len() {
                let n = out.len().min(self.plain.len() - self.pos);
                out[..n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
                self.pos += n;
                return Ok(n);
            }
            {
                let mut u = self.slot.unseal.lock();
                match u.as_mut() {
                    None if !self.raw.is_empty() => {
                        self.plain = std::mem::take(&mut self.raw);
                        self.pos = 0;
                        continue;
                    }
                    None => {}
                    Some(u) if self.raw.len() >= 4 => {
                        let len = u32::from_be_bytes([
                            self.raw[0],
                            self.raw[1],
                            self.raw[2],
                            self.raw[3],
                        ]) as usize;
                        if len > u.max_frame() {
                            return Err(layer_io_error(
                                "decode",
                                &MechError::new(
                                    sasl_mech::SASL_FAIL,
                                    "encoded packet size too big",
                                ),
                            ));
                        }
                        if self.raw.len() >= 4 + len {
                            let p = u
                                .unseal(&self.raw[4..4 + len])
                                .map_err(|e| layer_io_error("decode", &e))?;
                            self.raw.drain(..4 + len);
                            self.plain = p;
                            self.pos = 0;
                            continue;
                        }
                    }
                    Some(_) => {}
                }
            }
            let n = self.inner.read(&mut self.buf)?;
            if n == 0 {
                return Ok(0);
            }
            self.raw.extend_from_slice(&self.buf[..n]);
        }
    }
}

struct LayerWriter {
    inner: Box<dyn Write + Send>,
    slot: Arc<LayerSlot>,
}

impl Write for LayerWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut s = self.slot.seal.lock();
        match s.as_mut() {
            None => self.inner.write(buf),
            Some(s) => {
                // As libvirt, at most the layer's output size per frame.
                for chunk in buf.chunks(s.max_plain().max(1)) {
                    let f = s.seal(chunk);
                    self.inner.write_all(&f)?;
                }
                Ok(buf.len())
            }
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixStream;

    /// A toy layer: frames of `len, bytes ^ 0x5a`, at most 3 plain bytes each.
    struct Xor;
    impl Seal for Xor {
        fn seal(&mut self, plain: &[u8]) -> Vec<u8> {
            let mut f = (plain.len() as u32).to_be_bytes().to_vec();
            f.extend(plain.iter().map(|b| b ^ 0x5a));
            f
        }
        fn max_plain(&self) -> usize {
            3
        }
    }
    impl Unseal for Xor {
        fn unseal(&mut self, frame: &[u8]) -> sasl_mech::MResult<Vec<u8>> {
            Ok(frame.iter().map(|b| b ^ 0x5a).collect())
        }
        fn max_frame(&self) -> usize {
            8
        }
    }

    fn pair() -> (Transport, Arc<LayerSlot>, UnixStream) {
        let (a, b) = UnixStream::pair().unwrap();
        let t = Transport {
            reader: Box::new(a.try_clone().unwrap()),
            writer: Box::new(a.try_clone().unwrap()),
            closer: Box::new(|| {}),
            eof_detail: None,
            secure: false,
            encrypted: false,
        };
        let (t, slot) = wrap(t);
        (t, slot, b)
    }

    #[test]
    fn layer_starts_with_the_next_byte_and_frames_both_ways() {
        let (mut t, slot, mut peer) = pair();
        // Before the layer: bytes pass as they are.
        t.writer.write_all(b"raw").unwrap();
        let mut got = [0u8; 3];
        peer.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"raw");
        peer.write_all(b"hi").unwrap();
        let mut two = [0u8; 2];
        t.reader.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"hi");
        slot.install(Layer {
            seal: Box::new(Xor),
            unseal: Box::new(Xor),
        });
        // Written in frames of at most 3 plain bytes.
        t.writer.write_all(b"hello").unwrap();
        let mut wire = [0u8; 4 + 3 + 4 + 2];
        peer.read_exact(&mut wire).unwrap();
        assert_eq!(&wire[..4], &3u32.to_be_bytes());
        assert_eq!(wire[4] ^ 0x5a, b'h');
        assert_eq!(&wire[7..11], &2u32.to_be_bytes());
        // Read: a frame split across writes, then two frames in one.
        let mut f = 5u32.to_be_bytes().to_vec();
        f.extend(b"world".iter().map(|b| b ^ 0x5a));
        peer.write_all(&f[..6]).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        peer.write_all(&f[6..]).unwrap();
        let mut five = [0u8; 5];
        t.reader.read_exact(&mut five).unwrap();
        assert_eq!(&five, b"world");
        // A frame larger than the layer accepts is an error, not an allocation.
        peer.write_all(&9u32.to_be_bytes()).unwrap();
        assert!(t.reader.read(&mut five).is_err());
    }
}
