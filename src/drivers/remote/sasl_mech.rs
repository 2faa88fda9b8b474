//! The SASL mechanisms of the remote driver's client, as cyrus-sasl's client plugins behave on
//! the wire: DIGEST-MD5 (RFC 2831) with its integrity and confidentiality layers, SCRAM-SHA-256
//! and SCRAM-SHA-1 (RFC 5802/7677) and PLAIN (RFC 4616). The primitives (MD5, HMAC, SHA,
//! PBKDF2, RC4, DES) are RustCrypto's; the protocols are written here.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};

/// Why a mechanism step failed: cyrus's result code and its detail text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MechError {
    pub code: i32,
    pub detail: String,
}

/// cyrus-sasl result codes used here.
pub(crate) const SASL_FAIL: i32 = -1;
pub(crate) const SASL_BADPROT: i32 = -5;
pub(crate) const SASL_BADSERV: i32 = -10;

impl MechError {
    pub fn new(code: i32, detail: impl Into<String>) -> Self {
        MechError {
            code,
            detail: detail.into(),
        }
    }
    /// cyrus's `sasl_errdetail` text: "SASL(-1): generic failure: DETAIL".
    pub fn errdetail(&self) -> String {
        let what = match self.code {
            SASL_FAIL => "generic failure",
            -4 => "no mechanism available",
            SASL_BADPROT => "bad protocol / cancel",
            -7 => "invalid parameter supplied",
            -9 => "integrity check failed",
            SASL_BADSERV => "server failed mutual authentication step",
            -13 => "authentication failure",
            -15 => "mechanism too weak for this user",
            _ => "undefined error!",
        };
        format!("SASL({}): {what}: {}", self.code, self.detail)
    }
}

pub type MResult<T> = std::result::Result<T, MechError>;

/// The identities and secret a mechanism needs, gathered before it runs.
#[derive(Clone, Debug, Default)]
pub struct Identity {
    /// The authentication name (who logs in).
    pub authid: String,
    /// The authorization name (who to act as), when it differs.
    pub authzid: Option<String>,
    pub password: Vec<u8>,
}

/// What the client sends next, and whether it is done locally.
#[derive(Debug, PartialEq, Eq)]
pub struct Out {
    /// `None`: NULL data (as opposed to empty data).
    pub data: Option<Vec<u8>>,
    pub complete: bool,
}

/// One direction of a negotiated security layer.
pub trait Seal: Send {
    /// One frame on the wire for `plain` (at most `max_plain()` bytes), its length prefix
    /// included.
    fn seal(&mut self, plain: &[u8]) -> Vec<u8>;
    fn max_plain(&self) -> usize;
}

pub trait Unseal: Send {
    /// The plaintext of one frame (without its 4-byte length prefix).
    fn unseal(&mut self, frame: &[u8]) -> MResult<Vec<u8>>;
    /// The largest frame body accepted.
    fn max_frame(&self) -> usize;
}

/// A negotiated security layer.
pub struct Layer {
    pub seal: Box<dyn Seal>,
    pub unseal: Box<dyn Unseal>,
}

/// The client side of one mechanism.
pub trait Mechanism: Send {
    fn name(&self) -> &'static str;
    /// Whether the server speaks first (no initial response).
    fn server_first(&self) -> bool;
    /// The initial response (client-first mechanisms only).
    fn start(&mut self, id: &Identity) -> MResult<Out>;
    /// Look at the server's first data before any credential is asked for (DIGEST-MD5 picks
    /// its layer from the challenge, and fails there when none is acceptable).
    fn precheck(&mut self, _input: Option<&[u8]>) -> MResult<()> {
        Ok(())
    }
    /// Answer the server's data.
    fn step(&mut self, id: &Identity, input: Option<&[u8]>) -> MResult<Out>;
    /// The security strength factor of the layer negotiated (0: none).
    fn ssf(&self) -> u32 {
        0
    }
    /// The layer negotiated, once complete (taken once).
    fn take_layer(&mut self) -> Option<Layer> {
        None
    }
}

/// The mechanisms this client has, best first (cyrus's client orders its plugins by their
/// security properties: SCRAM before DIGEST-MD5 before PLAIN; SHA-256 before SHA-1).
pub(crate) const SUPPORTED: &[&str] = &["SCRAM-SHA-256", "SCRAM-SHA-1", "DIGEST-MD5", "PLAIN"];

/// The highest layer strength each mechanism can offer (cyrus's `max_ssf`).
pub fn max_ssf(name: &str) -> u32 {
    match name {
        "DIGEST-MD5" => 128,
        _ => 0,
    }
}

/// Whether a mechanism sends passwords in the clear (cyrus's SASL_SEC_NOPLAINTEXT missing).
pub fn plaintext(name: &str) -> bool {
    name == "PLAIN"
}

/// Make the client side of a supported mechanism. `min_ssf`/`max_ssf` are the bounds libvirt
/// sets (0/0 on a secure channel, 56/100000 on plain TCP), `external_ssf` the TLS key size in
/// bits, `service`/`host` make DIGEST-MD5's digest-uri.
pub fn new(
    name: &str,
    service: &str,
    host: &str,
    min_ssf: u32,
    max_ssf: u32,
    external_ssf: u32,
) -> Option<Box<dyn Mechanism>> {
    Some(match name {
        "DIGEST-MD5" => Box::new(DigestMd5::new(
            service,
            host,
            min_ssf,
            max_ssf,
            external_ssf,
        )),
        "SCRAM-SHA-256" => Box::new(Scram::<sha2::Sha256>::new("SCRAM-SHA-256")),
        "SCRAM-SHA-1" => Box::new(Scram::<sha1::Sha1>::new("SCRAM-SHA-1")),
        "PLAIN" => Box::new(Plain { done: false }),
        _ => return None,
    })
}

fn random_nonce() -> String {
    let mut raw = [0u8; 32];
    // The kernel's random source; without it no nonce can be made (and no login either).
    if getrandom::getrandom(&mut raw).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let h = Md5::digest(format!("{t}:{}", std::process::id()));
        raw[..16].copy_from_slice(&h);
        raw[16..].copy_from_slice(&h);
    }
    B64.encode(raw)
}

// ------------------------------------------------------------------------------------------
// PLAIN

struct Plain {
    done: bool,
}

impl Mechanism for Plain {
    fn name(&self) -> &'static str {
        "PLAIN"
    }
    fn server_first(&self) -> bool {
        false
    }
    fn start(&mut self, id: &Identity) -> MResult<Out> {
        let mut v = Vec::new();
        if let Some(z) = &id.authzid {
            v.extend_from_slice(z.as_bytes());
        }
        v.push(0);
        v.extend_from_slice(id.authid.as_bytes());
        v.push(0);
        v.extend_from_slice(&id.password);
        self.done = true;
        Ok(Out {
            data: Some(v),
            complete: true,
        })
    }
    fn step(&mut self, _id: &Identity, _input: Option<&[u8]>) -> MResult<Out> {
        if self.done {
            return Ok(Out {
                data: None,
                complete: true,
            });
        }
        Err(MechError::new(SASL_FAIL, "PLAIN step out of order"))
    }
}

// ------------------------------------------------------------------------------------------
// SCRAM

struct Scram<H> {
    name: &'static str,
    nonce: String,
    gs2: String,
    client_first_bare: String,
    server_signature: Option<Vec<u8>>,
    state: u8,
    _h: std::marker::PhantomData<H>,
}

/// RFC 5802's saslname: `=` and `,` escaped.
fn saslname(s: &str) -> String {
    s.replace('=', "=3D").replace(',', "=2C")
}

impl<H> Scram<H> {
    fn new(name: &'static str) -> Self {
        Scram {
            name,
            nonce: String::new(),
            gs2: String::new(),
            client_first_bare: String::new(),
            server_signature: None,
            state: 0,
            _h: std::marker::PhantomData,
        }
    }
}

fn scram_attrs(s: &str) -> Vec<(char, &str)> {
    s.split(',')
        .filter_map(|a| {
            let mut c = a.chars();
            let k = c.next()?;
            let rest = a.get(k.len_utf8()..)?;
            rest.strip_prefix('=').map(|v| (k, v))
        })
        .collect()
}

macro_rules! scram_impl {
    ($h:ty) => {
        impl Mechanism for Scram<$h> {
            fn name(&self) -> &'static str {
                self.name
            }
            fn server_first(&self) -> bool {
                false
            }
            fn start(&mut self, id: &Identity) -> MResult<Out> {
                self.nonce = random_nonce();
                self.gs2 = match &id.authzid {
                    Some(z) => format!("n,a={},", saslname(z)),
                    None => "n,,".to_string(),
                };
                self.client_first_bare = format!("n={},r={}", saslname(&id.authid), self.nonce);
                self.state = 1;
                Ok(Out {
                    data: Some(format!("{}{}", self.gs2, self.client_first_bare).into_bytes()),
                    complete: false,
                })
            }
            fn step(&mut self, id: &Identity, input: Option<&[u8]>) -> MResult<Out> {
                let text = std::str::from_utf8(input.unwrap_or_default())
                    .map_err(|_| MechError::new(SASL_BADPROT, "Invalid SCRAM server data"))?;
                match self.state {
                    1 => {
                        let attrs = scram_attrs(text);
                        let get = |k| attrs.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
                        let (Some(r), Some(s), Some(i)) = (get('r'), get('s'), get('i')) else {
                            return Err(MechError::new(
                                SASL_BADPROT,
                                format!("Invalid {} input expected", self.name),
                            ));
                        };
                        if r.len() <= self.nonce.len() || !r.starts_with(&self.nonce) {
                            return Err(MechError::new(
                                SASL_BADPROT,
                                "The nonce received from the server doesn't start from the nonce sent by the client",
                            ));
                        }
                        let salt = B64
                            .decode(s)
                            .map_err(|_| MechError::new(SASL_BADPROT, "Invalid base64 salt"))?;
                        let iters: u32 = i
                            .parse()
                            .ok()
                            .filter(|n| *n > 0)
                            .ok_or_else(|| MechError::new(SASL_BADPROT, "Invalid iteration count"))?;
                        let mut salted = vec![0u8; <$h as Digest>::output_size()];
                        pbkdf2::pbkdf2::<Hmac<$h>>(&id.password, &salt, iters, &mut salted)
                            .map_err(|_| MechError::new(SASL_FAIL, "PBKDF2 failed"))?;
                        let hm = |k: &[u8], d: &[u8]| -> Vec<u8> {
                            let mut m = <Hmac<$h> as Mac>::new_from_slice(k)
                                .expect("HMAC takes any key length");
                            m.update(d);
                            m.finalize().into_bytes().to_vec()
                        };
                        let client_key = hm(&salted, b"Client Key");
                        let stored = <$h as Digest>::digest(&client_key);
                        let without_proof = format!("c={},r={}", B64.encode(&self.gs2), r);
                        let auth_message =
                            format!("{},{},{}", self.client_first_bare, text, without_proof);
                        let sig = hm(&stored, auth_message.as_bytes());
                        let proof: Vec<u8> =
                            client_key.iter().zip(sig.iter()).map(|(a, b)| a ^ b).collect();
                        let server_key = hm(&salted, b"Server Key");
                        self.server_signature = Some(hm(&server_key, auth_message.as_bytes()));
                        self.state = 2;
                        Ok(Out {
                            data: Some(
                                format!("{without_proof},p={}", B64.encode(proof)).into_bytes(),
                            ),
                            complete: false,
                        })
                    }
                    2 => {
                        let attrs = scram_attrs(text);
                        if let Some((_, e)) = attrs.iter().find(|(k, _)| *k == 'e') {
                            return Err(MechError::new(
                                -13,
                                format!("Server returned error: {e}"),
                            ));
                        }
                        let Some((_, v)) = attrs.iter().find(|(k, _)| *k == 'v') else {
                            return Err(MechError::new(
                                SASL_BADPROT,
                                "Server final message doesn't contain verifier",
                            ));
                        };
                        let ok = B64.decode(v).ok() == self.server_signature;
                        if !ok {
                            return Err(MechError::new(
                                SASL_BADSERV,
                                "Server signature mismatch",
                            ));
                        }
                        self.state = 3;
                        Ok(Out {
                            data: None,
                            complete: true,
                        })
                    }
                    _ => Err(MechError::new(SASL_FAIL, "Invalid SCRAM client step")),
                }
            }
        }
    };
}

scram_impl!(sha2::Sha256);
scram_impl!(sha1::Sha1);

// ------------------------------------------------------------------------------------------
// DIGEST-MD5

const SEALING_CLIENT_SERVER: &str = "Digest H(A1) to client-to-server sealing key magic constant";
const SEALING_SERVER_CLIENT: &str = "Digest H(A1) to server-to-client sealing key magic constant";
const SIGNING_CLIENT_SERVER: &str =
    "Digest session key to client-to-server signing key magic constant";
const SIGNING_SERVER_CLIENT: &str =
    "Digest session key to server-to-client signing key magic constant";

/// DIGEST-MD5's ciphers as cyrus lists them: name, strength, bytes of H(A1) keyed, flag bit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cipher {
    pub name: &'static str,
    pub ssf: u32,
    n: usize,
}

pub(crate) const CIPHERS: &[Cipher] = &[
    Cipher {
        name: "rc4-40",
        ssf: 40,
        n: 5,
    },
    Cipher {
        name: "rc4-56",
        ssf: 56,
        n: 7,
    },
    Cipher {
        name: "rc4",
        ssf: 128,
        n: 16,
    },
    Cipher {
        name: "des",
        ssf: 55,
        n: 16,
    },
    Cipher {
        name: "3des",
        ssf: 112,
        n: 16,
    },
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Protection {
    None,
    Integrity,
    Privacy(Cipher),
}

/// The client's receive buffer, advertised as `maxbuf` (libvirt's 64 KiB).
const CLIENT_MAXBUF: usize = 65536;

struct DigestMd5 {
    service: String,
    host: String,
    min_ssf: u32,
    max_ssf: u32,
    external_ssf: u32,
    state: u8,
    rspauth: String,
    protection: Protection,
    server_maxbuf: usize,
    ha1: [u8; 16],
    challenge: Option<Challenge>,
}

#[derive(Clone)]
struct Challenge {
    realm: String,
    nonce: String,
    utf8: bool,
}

/// Split `a=b,c="d, e"` into pairs (values unquoted, `\x` unescaped); `None` on garbage.
pub(crate) fn digest_pairs(s: &str) -> Option<Vec<(String, String)>> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    let skip = |i: &mut usize| {
        while *i < b.len() && (b[*i] == b' ' || b[*i] == b'\t' || b[*i] == b'\r' || b[*i] == b'\n')
        {
            *i += 1;
        }
    };
    loop {
        skip(&mut i);
        while i < b.len() && b[i] == b',' {
            i += 1;
            skip(&mut i);
        }
        if i >= b.len() {
            return Some(out);
        }
        let ks = i;
        while i < b.len() && b[i] != b'=' && b[i] != b',' {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            return None;
        }
        let key = s[ks..i].trim().to_string();
        i += 1;
        skip(&mut i);
        let mut val = Vec::new();
        if i < b.len() && b[i] == b'"' {
            i += 1;
            loop {
                if i >= b.len() {
                    return None;
                }
                match b[i] {
                    b'"' => {
                        i += 1;
                        break;
                    }
                    b'\\' if i + 1 < b.len() => {
                        val.push(b[i + 1]);
                        i += 2;
                    }
                    c => {
                        val.push(c);
                        i += 1;
                    }
                }
            }
        } else {
            while i < b.len() && b[i] != b',' {
                val.push(b[i]);
                i += 1;
            }
            while val.last().is_some_and(|c| c.is_ascii_whitespace()) {
                val.pop();
            }
        }
        out.push((key, String::from_utf8_lossy(&val).into_owned()));
        skip(&mut i);
        if i < b.len() {
            if b[i] != b',' {
                return None;
            }
            i += 1;
        }
    }
}

/// cyrus's `add_to_challenge`: `name="value"` (with `"` and `\` escaped) or `name=value`.
fn add_pair(out: &mut String, name: &str, value: &str, quote: bool) {
    if !out.is_empty() {
        out.push(',');
    }
    out.push_str(name);
    out.push('=');
    if quote {
        out.push('"');
        for c in value.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// RFC 2831's rule as cyrus applies it to each of user name, realm and password: a UTF-8 string
/// entirely within ISO 8859-1 is hashed in ISO 8859-1.
fn latin1(s: &[u8]) -> Vec<u8> {
    let mut i = 0;
    let mut ok = true;
    while i < s.len() {
        let c = s[i];
        if c > 0xC3 {
            ok = false;
            break;
        }
        if (0xC0..=0xC3).contains(&c) {
            i += 1;
            if i == s.len() || !(0x80..=0xBF).contains(&s[i]) {
                ok = false;
                break;
            }
        }
        i += 1;
    }
    if !ok {
        return s.to_vec();
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c >= 0xC0 && i + 1 < s.len() {
            out.push(((c & 0x3) << 6) | (s[i + 1] & 0x3f));
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn md5(parts: &[&[u8]]) -> [u8; 16] {
    let mut h = Md5::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> [u8; 16] {
    let mut m = <Hmac<Md5> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

impl DigestMd5 {
    fn new(service: &str, host: &str, min_ssf: u32, max_ssf: u32, external_ssf: u32) -> Self {
        DigestMd5 {
            service: service.to_string(),
            host: host.to_string(),
            min_ssf,
            max_ssf,
            external_ssf,
            state: 1,
            rspauth: String::new(),
            protection: Protection::None,
            server_maxbuf: 65536,
            ha1: [0; 16],
            challenge: None,
        }
    }

    /// Read the server's challenge (RFC 2831 2.1.1) and choose the layer, as cyrus does
    /// before it asks for credentials.
    fn parse(&mut self, challenge: &str) -> MResult<()> {
        let pairs =
            digest_pairs(challenge).ok_or_else(|| MechError::new(SASL_BADAUTH, "Parse error"))?;
        let mut realms: Vec<String> = Vec::new();
        let mut nonce = None;
        let mut qops = 0u8;
        let mut saw_qop = false;
        let mut ciphers: Vec<String> = Vec::new();
        let mut utf8 = false;
        let mut algorithm = 0;
        for (k, v) in &pairs {
            match k.to_ascii_lowercase().as_str() {
                "realm" => realms.push(v.clone()),
                "nonce" => {
                    if nonce.is_some() {
                        return Err(MechError::new(
                            SASL_BADAUTH,
                            "Server sent more than one nonce",
                        ));
                    }
                    nonce = Some(v.clone());
                }
                "qop" => {
                    saw_qop = true;
                    for q in v.split(',').map(str::trim) {
                        match q {
                            "auth" => qops |= 1,
                            "auth-int" => qops |= 2,
                            "auth-conf" => qops |= 4,
                            _ => {}
                        }
                    }
                }
                "cipher" => ciphers.extend(v.split(',').map(|c| c.trim().to_string())),
                "maxbuf" => {
                    let n: usize = v.trim().parse().map_err(|_| {
                        MechError::new(
                            SASL_BADAUTH,
                            format!("Invalid maxbuf parameter received from server ({v})"),
                        )
                    })?;
                    if n <= 16 {
                        return Err(MechError::new(
                            SASL_BADAUTH,
                            format!(
                                "Invalid maxbuf parameter received from server (too small: {v})"
                            ),
                        ));
                    }
                    self.server_maxbuf = n.min(16 * 1024 * 1024);
                }
                "charset" => utf8 = v.eq_ignore_ascii_case("utf-8"),
                "algorithm" => {
                    if !v.eq_ignore_ascii_case("md5-sess") {
                        return Err(MechError::new(SASL_FAIL, "'algorithm' isn't 'md5-sess'"));
                    }
                    algorithm += 1;
                }
                _ => {}
            }
        }
        if !saw_qop {
            qops = 1;
        }
        if qops == 0 {
            return Err(MechError::new(
                SASL_BADAUTH,
                "Server doesn't support any known qop level",
            ));
        }
        if algorithm != 1 {
            return Err(MechError::new(
                SASL_FAIL,
                "Must see 'algorithm' once. Didn't see at all",
            ));
        }
        let Some(nonce) = nonce else {
            return Err(MechError::new(SASL_FAIL, "Don't have nonce."));
        };
        // The layer: the strongest cipher within our bounds that the server offers, else
        // integrity, else none (cyrus's client choice).
        let limit = self.max_ssf.saturating_sub(self.external_ssf);
        let musthave = self.min_ssf.saturating_sub(self.external_ssf);
        let mut chosen: Option<Cipher> = None;
        if limit > 1 && qops & 4 != 0 {
            for c in CIPHERS {
                if limit >= c.ssf
                    && musthave <= c.ssf
                    && ciphers.iter().any(|n| n == c.name)
                    && chosen.is_none_or(|b| c.ssf > b.ssf)
                {
                    chosen = Some(*c);
                }
            }
        }
        self.protection = match chosen {
            Some(c) => Protection::Privacy(c),
            None if limit >= 1 && musthave <= 1 && qops & 2 != 0 => Protection::Integrity,
            None if musthave == 0 => {
                if qops & 1 == 0 {
                    return Err(MechError::new(
                        SASL_FAIL,
                        "Server doesn't support \"no layer\"",
                    ));
                }
                Protection::None
            }
            None => {
                return Err(MechError::new(-15, "Can't find an acceptable layer"));
            }
        };
        // One realm offered: that one; none: the server's name; several: the first.
        let realm = realms.first().cloned().unwrap_or_else(|| self.host.clone());
        self.challenge = Some(Challenge { realm, nonce, utf8 });
        Ok(())
    }

    /// The response to the challenge read (RFC 2831 2.1.2), as cyrus builds it.
    fn respond(&mut self, id: &Identity) -> MResult<String> {
        let Some(Challenge { realm, nonce, utf8 }) = self.challenge.clone() else {
            return Err(MechError::new(SASL_FAIL, "no server challenge"));
        };
        let cnonce = random_nonce();
        let qop = match self.protection {
            Protection::Privacy(_) => "auth-conf",
            Protection::Integrity => "auth-int",
            Protection::None => "auth",
        };
        let uri = format!("{}/{}", self.service, self.host);
        let secret = md5(&[
            &latin1(id.authid.as_bytes()),
            b":",
            &latin1(realm.as_bytes()),
            b":",
            &latin1(&id.password),
        ]);
        let authzid = id.authzid.as_deref().filter(|z| *z != id.authid);
        let ha1 = match authzid {
            Some(z) => md5(&[
                &secret,
                b":",
                nonce.as_bytes(),
                b":",
                cnonce.as_bytes(),
                b":",
                z.as_bytes(),
            ]),
            None => md5(&[&secret, b":", nonce.as_bytes(), b":", cnonce.as_bytes()]),
        };
        self.ha1 = ha1;
        let ha1hex = hex(&ha1);
        let nc = "00000001";
        let digest = |method: &str| {
            let a2 = if qop == "auth" {
                md5(&[method.as_bytes(), b":", uri.as_bytes()])
            } else {
                md5(&[
                    method.as_bytes(),
                    b":",
                    uri.as_bytes(),
                    b":00000000000000000000000000000000",
                ])
            };
            hex(&md5(&[
                ha1hex.as_bytes(),
                b":",
                nonce.as_bytes(),
                b":",
                nc.as_bytes(),
                b":",
                cnonce.as_bytes(),
                b":",
                qop.as_bytes(),
                b":",
                hex(&a2).as_bytes(),
            ]))
        };
        let response = digest("AUTHENTICATE");
        self.rspauth = digest("");
        let mut out = String::new();
        add_pair(&mut out, "username", &id.authid, true);
        add_pair(&mut out, "realm", &realm, true);
        if let Some(z) = authzid {
            add_pair(&mut out, "authzid", z, true);
        }
        add_pair(&mut out, "nonce", &nonce, true);
        add_pair(&mut out, "cnonce", &cnonce, true);
        add_pair(&mut out, "nc", nc, false);
        add_pair(&mut out, "qop", qop, false);
        if let Protection::Privacy(c) = self.protection {
            add_pair(&mut out, "cipher", c.name, false);
        }
        add_pair(&mut out, "maxbuf", &CLIENT_MAXBUF.to_string(), false);
        if utf8 {
            add_pair(&mut out, "charset", "utf-8", false);
        }
        add_pair(&mut out, "digest-uri", &uri, true);
        add_pair(&mut out, "response", &response, false);
        Ok(out)
    }
}

const SASL_BADAUTH: i32 = -13;

impl Mechanism for DigestMd5 {
    fn name(&self) -> &'static str {
        "DIGEST-MD5"
    }
    fn server_first(&self) -> bool {
        true
    }
    fn start(&mut self, _id: &Identity) -> MResult<Out> {
        Ok(Out {
            data: None,
            complete: false,
        })
    }
    fn precheck(&mut self, input: Option<&[u8]>) -> MResult<()> {
        if self.state != 1 || self.challenge.is_some() {
            return Ok(());
        }
        let Some(ch) = input.filter(|d| !d.is_empty()) else {
            return Err(MechError::new(SASL_FAIL, "no server challenge"));
        };
        self.parse(&String::from_utf8_lossy(ch))
    }
    fn step(&mut self, id: &Identity, input: Option<&[u8]>) -> MResult<Out> {
        match self.state {
            1 => {
                self.precheck(input)?;
                let r = self.respond(id)?;
                self.state = 2;
                Ok(Out {
                    data: Some(r.into_bytes()),
                    complete: false,
                })
            }
            2 => {
                let text = String::from_utf8_lossy(input.unwrap_or_default()).into_owned();
                let pairs = digest_pairs(&text)
                    .ok_or_else(|| MechError::new(SASL_BADAUTH, "DIGEST-MD5 Received Garbage"))?;
                match pairs
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("rspauth"))
                {
                    Some((_, v)) if *v == self.rspauth => {
                        self.state = 3;
                        Ok(Out {
                            data: None,
                            complete: true,
                        })
                    }
                    Some(_) => Err(MechError::new(
                        SASL_BADSERV,
                        "DIGEST-MD5: This server wants us to believe that he knows shared secret",
                    )),
                    None => Err(MechError::new(SASL_FAIL, "")),
                }
            }
            _ => Err(MechError::new(SASL_FAIL, "Invalid DIGEST-MD5 client step")),
        }
    }
    fn ssf(&self) -> u32 {
        match self.protection {
            Protection::Privacy(c) => c.ssf,
            Protection::Integrity => 1,
            Protection::None => 0,
        }
    }
    fn take_layer(&mut self) -> Option<Layer> {
        if self.state != 3 {
            return None;
        }
        let (cipher, overhead) = match self.protection {
            Protection::None => return None,
            Protection::Integrity => (None, 16),
            Protection::Privacy(c) => (Some(c), 25),
        };
        self.protection = Protection::None;
        let n = cipher.map_or(16, |c| c.n);
        let kc_send = md5(&[&self.ha1[..n], SEALING_CLIENT_SERVER.as_bytes()]);
        let kc_recv = md5(&[&self.ha1[..n], SEALING_SERVER_CLIENT.as_bytes()]);
        let ki_send = md5(&[&self.ha1, SIGNING_CLIENT_SERVER.as_bytes()]);
        let ki_recv = md5(&[&self.ha1, SIGNING_SERVER_CLIENT.as_bytes()]);
        let (enc, dec) = match cipher {
            None => (None, None),
            Some(c) => (
                Some(Crypt::new(c.name, &kc_send)),
                Some(Crypt::new(c.name, &kc_recv)),
            ),
        };
        Some(Layer {
            seal: Box::new(DigestSeal {
                ki: ki_send,
                seq: 0,
                crypt: enc,
                max_plain: self.server_maxbuf - overhead,
            }),
            unseal: Box::new(DigestUnseal {
                ki: ki_recv,
                seq: 0,
                crypt: dec,
            }),
        })
    }
}

/// DES with its 7 key bytes spread over 8 (cyrus's `slidebits`; parity bits left clear).
fn slidebits(k: &[u8]) -> [u8; 8] {
    [
        k[0],
        (k[0] << 7) | (k[1] >> 1),
        (k[1] << 6) | (k[2] >> 2),
        (k[2] << 5) | (k[3] >> 3),
        (k[3] << 4) | (k[4] >> 4),
        (k[4] << 3) | (k[5] >> 5),
        (k[5] << 2) | (k[6] >> 6),
        k[6] << 1,
    ]
}

/// One direction's cipher state: RC4 and CBC both run on across frames.
enum Crypt {
    Rc4(Box<rc4::Rc4<rc4::consts::U16>>),
    Des { c: des::Des, iv: [u8; 8] },
    Tdes { c: des::TdesEde2, iv: [u8; 8] },
}

impl Crypt {
    fn new(name: &str, key: &[u8; 16]) -> Crypt {
        use des::cipher::KeyInit;
        let iv: [u8; 8] = key[8..16].try_into().unwrap_or_default();
        match name {
            "des" => Crypt::Des {
                c: des::Des::new(&slidebits(&key[..7]).into()),
                iv,
            },
            "3des" => {
                let mut k = [0u8; 16];
                k[..8].copy_from_slice(&slidebits(&key[..7]));
                k[8..].copy_from_slice(&slidebits(&key[7..14]));
                Crypt::Tdes {
                    c: des::TdesEde2::new(&k.into()),
                    iv,
                }
            }
            _ => Crypt::Rc4(Box::new(rc4::Rc4::new(key.into()))),
        }
    }
    fn block(&self) -> usize {
        match self {
            Crypt::Rc4(_) => 1,
            _ => 8,
        }
    }
    fn encrypt(&mut self, data: &mut [u8]) {
        use des::cipher::{BlockEncrypt, StreamCipher};
        match self {
            Crypt::Rc4(r) => r.apply_keystream(data),
            Crypt::Des { c, iv } => cbc_enc(|b| c.encrypt_block(b.into()), iv, data),
            Crypt::Tdes { c, iv } => cbc_enc(|b| c.encrypt_block(b.into()), iv, data),
        }
    }
    fn decrypt(&mut self, data: &mut [u8]) {
        use des::cipher::{BlockDecrypt, StreamCipher};
        match self {
            Crypt::Rc4(r) => r.apply_keystream(data),
            Crypt::Des { c, iv } => cbc_dec(|b| c.decrypt_block(b.into()), iv, data),
            Crypt::Tdes { c, iv } => cbc_dec(|b| c.decrypt_block(b.into()), iv, data),
        }
    }
}

fn cbc_enc(mut f: impl FnMut(&mut [u8; 8]), iv: &mut [u8; 8], data: &mut [u8]) {
    for chunk in data.chunks_exact_mut(8) {
        let mut b = [0u8; 8];
        for i in 0..8 {
            b[i] = chunk[i] ^ iv[i];
        }
        f(&mut b);
        chunk.copy_from_slice(&b);
        *iv = b;
    }
}

fn cbc_dec(mut f: impl FnMut(&mut [u8; 8]), iv: &mut [u8; 8], data: &mut [u8]) {
    for chunk in data.chunks_exact_mut(8) {
        let saved: [u8; 8] = (&*chunk).try_into().unwrap_or_default();
        let mut b = saved;
        f(&mut b);
        for i in 0..8 {
            chunk[i] = b[i] ^ iv[i];
        }
        *iv = saved;
    }
}

struct DigestSeal {
    ki: [u8; 16],
    seq: u32,
    crypt: Option<Crypt>,
    max_plain: usize,
}

impl Seal for DigestSeal {
    fn seal(&mut self, plain: &[u8]) -> Vec<u8> {
        let seq = self.seq.to_be_bytes();
        let mac = hmac_md5(&self.ki, &[&seq, plain]);
        let mut body = Vec::with_capacity(plain.len() + 32);
        body.extend_from_slice(plain);
        match &mut self.crypt {
            Some(c) => {
                let bs = c.block();
                if bs > 1 {
                    let pad = bs - (plain.len() + 10) % bs;
                    body.extend(std::iter::repeat_n(pad as u8, pad));
                }
                body.extend_from_slice(&mac[..10]);
                c.encrypt(&mut body);
            }
            None => body.extend_from_slice(&mac[..10]),
        }
        body.extend_from_slice(&1u16.to_be_bytes());
        body.extend_from_slice(&seq);
        self.seq = self.seq.wrapping_add(1);
        let mut frame = Vec::with_capacity(body.len() + 4);
        frame.extend_from_slice(&(body.len() as u32).to_be_bytes());
        frame.extend_from_slice(&body);
        frame
    }
    fn max_plain(&self) -> usize {
        self.max_plain
    }
}

struct DigestUnseal {
    ki: [u8; 16],
    seq: u32,
    crypt: Option<Crypt>,
}

impl Unseal for DigestUnseal {
    fn unseal(&mut self, frame: &[u8]) -> MResult<Vec<u8>> {
        if frame.len() < 16 {
            return Err(MechError::new(
                SASL_FAIL,
                "DIGEST-MD5 SASL packets must be at least 16 bytes long",
            ));
        }
        let n = frame.len();
        if frame[n - 6..n - 4] != [0, 1] {
            return Err(MechError::new(SASL_FAIL, "Wrong Version"));
        }
        let seq = u32::from_be_bytes(frame[n - 4..].try_into().unwrap_or_default());
        if seq != self.seq {
            return Err(MechError::new(
                SASL_FAIL,
                format!(
                    "Incorrect Sequence Number: received {seq}, expected {}",
                    self.seq
                ),
            ));
        }
        let mut body = frame[..n - 6].to_vec();
        let msg_len = match &mut self.crypt {
            Some(c) => {
                let bs = c.block();
                if !body.len().is_multiple_of(bs) {
                    return Err(MechError::new(SASL_FAIL, "bad padding"));
                }
                c.decrypt(&mut body);
                if bs > 1 {
                    let pad = body[body.len() - 11] as usize;
                    if !(1..=8).contains(&pad)
                        || body.len() < 10 + pad
                        || body[body.len() - 10 - pad..body.len() - 10]
                            .iter()
                            .any(|p| *p as usize != pad)
                    {
                        return Err(MechError::new(SASL_FAIL, "bad padding"));
                    }
                    body.len() - 10 - pad
                } else {
                    body.len() - 10
                }
            }
            None => body.len() - 10,
        };
        let seqb = self.seq.to_be_bytes();
        self.seq = self.seq.wrapping_add(1);
        let mac = hmac_md5(&self.ki, &[&seqb, &body[..msg_len]]);
        let got = &body[body.len() - 10..];
        if let Some(i) = (0..10).find(|i| mac[*i] != got[*i]) {
            return Err(MechError::new(
                SASL_FAIL,
                format!("CMAC doesn't match at byte {i}!"),
            ));
        }
        body.truncate(msg_len);
        Ok(body)
    }
    fn max_frame(&self) -> usize {
        CLIENT_MAXBUF
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_pairs() {
        let p = digest_pairs(
            r#"realm="vm",nonce="a\"b",qop="auth,auth-int,auth-conf",cipher="rc4-40,rc4-56,rc4",maxbuf=65536,charset=utf-8,algorithm=md5-sess"#,
        )
        .unwrap();
        assert_eq!(p[0], ("realm".into(), "vm".into()));
        assert_eq!(p[1].1, "a\"b");
        assert_eq!(p[3].1, "rc4-40,rc4-56,rc4");
        assert_eq!(p[6], ("algorithm".into(), "md5-sess".into()));
        assert!(digest_pairs("x").is_none());
    }

    /// RFC 2831 section 4's example: user chris, password secret, realm elwood.innosoft.com.
    #[test]
    fn rfc2831_example_response() {
        let mut m = DigestMd5::new("imap", "elwood.innosoft.com", 0, 0, 0);
        let id = Identity {
            authid: "chris".into(),
            authzid: None,
            password: b"secret".to_vec(),
        };
        let ch = r#"realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8"#;
        // The cnonce is random; recompute the example's with its fixed cnonce.
        m.parse(ch).unwrap();
        let _ = m.respond(&id).unwrap();
        let secret = md5(&[b"chris:elwood.innosoft.com:secret"]);
        let ha1 = md5(&[&secret, b":OA6MG9tEQGm2hh:OA6MHXh6VqTrRk"]);
        let a2 = md5(&[b"AUTHENTICATE:imap/elwood.innosoft.com"]);
        let resp = hex(&md5(&[
            hex(&ha1).as_bytes(),
            b":OA6MG9tEQGm2hh:00000001:OA6MHXh6VqTrRk:auth:",
            hex(&a2).as_bytes(),
        ]));
        assert_eq!(resp, "d388dad90d4bbd760a152321f2143af7");
    }

    #[test]
    fn layer_round_trip_each_cipher() {
        for c in CIPHERS {
            let ha1 = md5(&[c.name.as_bytes()]);
            // The peer decrypts with the key we encrypt with.
            let key = md5(&[&ha1[..c.n], SEALING_CLIENT_SERVER.as_bytes()]);
            let ki = md5(&[&ha1, SIGNING_CLIENT_SERVER.as_bytes()]);
            let mut seal = DigestSeal {
                ki,
                seq: 0,
                crypt: Some(Crypt::new(c.name, &key)),
                max_plain: 1000,
            };
            let mut unseal = DigestUnseal {
                ki,
                seq: 0,
                crypt: Some(Crypt::new(c.name, &key)),
            };
            for msg in [&b"hello"[..], &[7u8; 333][..], b""] {
                let f = seal.seal(msg);
                assert_eq!(
                    u32::from_be_bytes(f[..4].try_into().unwrap()) as usize,
                    f.len() - 4
                );
                assert_eq!(unseal.unseal(&f[4..]).unwrap(), msg, "{}", c.name);
            }
            let mut f = seal.seal(b"tampered");
            f[5] ^= 1;
            assert!(unseal.unseal(&f[4..]).is_err());
        }
    }

    #[test]
    fn latin1_hashing() {
        assert_eq!(latin1("é".as_bytes()), vec![0xe9]);
        assert_eq!(latin1("€".as_bytes()), "€".as_bytes());
        assert_eq!(latin1(b"plain"), b"plain");
    }

    #[test]
    fn scram_rfc7677_example() {
        // RFC 7677 section 3: user "user", password "pencil".
        let mut m = Scram::<sha2::Sha256>::new("SCRAM-SHA-256");
        let id = Identity {
            authid: "user".into(),
            authzid: None,
            password: b"pencil".to_vec(),
        };
        m.start(&id).unwrap();
        m.nonce = "rOprNGfwEbeRWgbNEkqO".into();
        m.client_first_bare = "n=user,r=rOprNGfwEbeRWgbNEkqO".into();
        let out = m
            .step(
                &id,
                Some(b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"),
            )
            .unwrap();
        assert_eq!(
            String::from_utf8(out.data.unwrap()).unwrap(),
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        let done = m
            .step(&id, Some(b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))
            .unwrap();
        assert!(done.complete);
    }
}
