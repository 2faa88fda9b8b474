//! The `+tls` transport: TCP with TLS (rustls, ring provider) and x509 client certificates in
//! libvirt's locations, then the daemon's one-byte confirmation that it accepted the client.
//!
//! The RPC client reads on one thread and writes on others, while a TLS session is a single
//! state machine: both halves share it behind a mutex and do socket I/O outside it. Encrypted
//! records are written under a second lock taken before the session lock is released, so
//! records reach the wire in the order they were sealed.

use crate::core::error::{Code, Domain};
use crate::core::{Result, VirError};
use crate::rpc::Transport;
use parking_lot::Mutex;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::WebPkiClientVerifier;
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore,
    SignatureScheme,
};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;

/// Where the CA certificate, the client certificate and its key are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca: String,
    pub cert: String,
    pub key: String,
}

const SYS_CA: &str = "/etc/pki/CA/cacert.pem";
const SYS_CERT: &str = "/etc/pki/libvirt/clientcert.pem";
const SYS_KEY: &str = "/etc/pki/libvirt/private/clientkey.pem";

/// libvirt's choice: `?pkipath=DIR` → DIR/{cacert,clientcert,clientkey}.pem; otherwise the
/// system locations for root, and for others `~/.pki/libvirt/` when it holds a CA certificate.
pub fn files(pkipath: Option<&str>, root: bool, home: Option<&str>) -> TlsFiles {
    let dir_files = |d: &str| TlsFiles {
        ca: format!("{d}/cacert.pem"),
        cert: format!("{d}/clientcert.pem"),
        key: format!("{d}/clientkey.pem"),
    };
    if let Some(d) = pkipath {
        return dir_files(d);
    }
    if !root && let Some(h) = home {
        let user = dir_files(&format!("{h}/.pki/libvirt"));
        if std::path::Path::new(&user.ca).exists() {
            return user;
        }
    }
    TlsFiles {
        ca: SYS_CA.into(),
        cert: SYS_CERT.into(),
        key: SYS_KEY.into(),
    }
}

fn rpc_err(code: Code, msg: String) -> VirError {
    VirError::detail(Domain::VIR_FROM_RPC, code, msg)
}

fn read_error(what: &str, path: &str, e: &std::io::Error) -> VirError {
    VirError::system(
        Domain::VIR_FROM_RPC,
        e.raw_os_error().unwrap_or(libc::EIO),
        &format!("Cannot read {what} '{path}'"),
    )
}

/// The words libvirt (GnuTLS) uses for why a certificate does not verify.
fn cert_reason(e: &rustls::Error) -> String {
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer | CertificateError::BadSignature => {
                "The certificate hasn't got a known issuer.".into()
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "The certificate has expired.".into()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "The certificate is not yet activated.".into()
            }
            CertificateError::Revoked => "The certificate has been revoked.".into(),
            other => format!("{other:?}"),
        },
        other => other.to_string(),
    }
}

/// The client identity, if both files exist (libvirt goes on without one otherwise, and the
/// daemon decides), after checking the certificate against our own CA as libvirt does.
fn identity(
    f: &TlsFiles,
    roots: &Arc<RootCertStore>,
    provider: &Arc<CryptoProvider>,
) -> Result<Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>> {
    if !std::path::Path::new(&f.cert).exists() || !std::path::Path::new(&f.key).exists() {
        return Ok(None);
    }
    let pem = std::fs::read(&f.cert).map_err(|e| read_error("certificate", &f.cert, &e))?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| {
            rpc_err(
                Code::VIR_ERR_SYSTEM_ERROR,
                format!("Unable to import client certificate {}: {e}", f.cert),
            )
        })?;
    let Some(leaf) = chain.first() else {
        return Err(rpc_err(
            Code::VIR_ERR_SYSTEM_ERROR,
            format!("Unable to import client certificate {}", f.cert),
        ));
    };
    let key = PrivateKeyDer::from_pem_file(&f.key).map_err(|e| {
        rpc_err(
            Code::VIR_ERR_SYSTEM_ERROR,
            format!("Unable to import private key {}: {e}", f.key),
        )
    })?;
    let own = WebPkiClientVerifier::builder_with_provider(roots.clone(), provider.clone())
        .build()
        .map_err(|e| rpc_err(Code::VIR_ERR_SYSTEM_ERROR, format!("{e}")))?;
    if let Err(e) = own.verify_client_cert(leaf, &chain[1..], UnixTime::now()) {
        return Err(rpc_err(
            Code::VIR_ERR_SYSTEM_ERROR,
            format!(
                "Our own certificate {} failed validation against {}: {}",
                f.cert,
                f.ca,
                cert_reason(&e)
            ),
        ));
    }
    Ok(Some((chain, key)))
}

/// `no_verify=1`: the server's certificate is not checked (signatures still are).
#[derive(Debug)]
struct NoVerify(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The client configuration for these files.
pub fn client_config(f: &TlsFiles, no_verify: bool) -> Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let pem = std::fs::read(&f.ca).map_err(|e| read_error("CA certificate", &f.ca, &e))?;
    let mut roots = RootCertStore::empty();
    for c in CertificateDer::pem_slice_iter(&pem) {
        let c = c.map_err(|e| {
            rpc_err(
                Code::VIR_ERR_SYSTEM_ERROR,
                format!("Unable to import CA certificate {}: {e}", f.ca),
            )
        })?;
        roots.add(c).map_err(|e| {
            rpc_err(
                Code::VIR_ERR_SYSTEM_ERROR,
                format!("Unable to import CA certificate {}: {e}", f.ca),
            )
        })?;
    }
    if roots.is_empty() {
        return Err(rpc_err(
            Code::VIR_ERR_SYSTEM_ERROR,
            format!("Unable to import CA certificate {}", f.ca),
        ));
    }
    let roots = Arc::new(roots);
    let ident = identity(f, &roots, &provider)?;
    let verifier: Arc<dyn ServerCertVerifier> = if no_verify {
        Arc::new(NoVerify(provider.clone()))
    } else {
        WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
            .build()
            .map_err(|e| rpc_err(Code::VIR_ERR_SYSTEM_ERROR, format!("{e}")))?
    };
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| rpc_err(Code::VIR_ERR_SYSTEM_ERROR, format!("{e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    match ident {
        Some((chain, key)) => builder.with_client_auth_cert(chain, key).map_err(|e| {
            rpc_err(
                Code::VIR_ERR_SYSTEM_ERROR,
                format!("Unable to import private key {}: {e}", f.key),
            )
        }),
        None => Ok(builder.with_no_client_auth()),
    }
}

struct Shared {
    conn: Mutex<ClientConnection>,
    /// The socket's write side; taken before `conn` is released when sealed records are due.
    wire: Mutex<TcpStream>,
}

impl Shared {
    /// Seal whatever the session wants to send and write it, in order.
    fn flush(&self, mut c: parking_lot::MutexGuard<'_, ClientConnection>) -> std::io::Result<()> {
        if !c.wants_write() {
            return Ok(());
        }
        let mut out = Vec::new();
        while c.wants_write() {
            c.write_tls(&mut out)?;
        }
        let mut w = self.wire.lock();
        drop(c);
        w.write_all(&out)
    }
}

struct TlsReader {
    s: Arc<Shared>,
    raw: TcpStream,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
}

impl Read for TlsReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let mut c = self.s.conn.lock();
            match c.reader().read(out) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
            if self.pos < self.len {
                let mut rd = &self.buf[self.pos..self.len];
                let k = c.read_tls(&mut rd)?;
                self.pos += k;
                c.process_new_packets().map_err(std::io::Error::other)?;
                self.s.flush(c)?;
                continue;
            }
            drop(c);
            let n = self.raw.read(&mut self.buf)?;
            if n == 0 {
                return Ok(0);
            }
            self.pos = 0;
            self.len = n;
        }
    }
}

struct TlsWriter {
    s: Arc<Shared>,
}

impl Write for TlsWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let mut c = self.s.conn.lock();
        let n = c.writer().write(data)?;
        self.s.flush(c)?;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn confirmation_error(e: &std::io::Error) -> VirError {
    // GnuTLS reports a peer that hung up or failed the session as an I/O error.
    let errno = match e.raw_os_error() {
        Some(n) => n,
        None => libc::EIO,
    };
    VirError::system(
        Domain::VIR_FROM_RPC,
        errno,
        "Unable to read TLS confirmation",
    )
}

/// Handshake on `tcp` with `config`, then wait for the daemon's confirmation byte.
pub fn connect(tcp: TcpStream, host: &str, config: ClientConfig) -> Result<Transport> {
    let name = ServerName::try_from(host.to_string()).map_err(|e| {
        rpc_err(
            Code::VIR_ERR_INVALID_ARG,
            format!("invalid server name '{host}': {e}"),
        )
    })?;
    let mut conn = ClientConnection::new(Arc::new(config), name)
        .map_err(|e| rpc_err(Code::VIR_ERR_SYSTEM_ERROR, format!("{e}")))?;
    let mut sock = tcp;
    let _ = sock.set_read_timeout(Some(std::time::Duration::from_secs(30)));
    while conn.is_handshaking() {
        if let Err(e) = conn.complete_io(&mut sock) {
            return Err(handshake_error(&e));
        }
    }
    let mut byte = [0u8; 1];
    if let Err(e) = rustls::Stream::new(&mut conn, &mut sock).read_exact(&mut byte) {
        return Err(confirmation_error(&e));
    }
    if byte[0] != 1 {
        return Err(rpc_err(
            Code::VIR_ERR_RPC,
            "server verification (of our certificate or IP address) failed".into(),
        ));
    }
    let _ = sock.set_read_timeout(None);
    let clone = |s: &TcpStream| {
        s.try_clone().map_err(|e| {
            VirError::system(
                Domain::VIR_FROM_RPC,
                e.raw_os_error().unwrap_or(libc::EIO),
                "Unable to duplicate socket",
            )
        })
    };
    let raw = clone(&sock)?;
    let closer = clone(&sock)?;
    let shared = Arc::new(Shared {
        conn: Mutex::new(conn),
        wire: Mutex::new(sock),
    });
    Ok(Transport {
        reader: Box::new(TlsReader {
            s: shared.clone(),
            raw,
            buf: vec![0u8; 64 * 1024].into_boxed_slice(),
            pos: 0,
            len: 0,
        }),
        writer: Box::new(TlsWriter { s: shared }),
        closer: Box::new(move || {
            let _ = closer.shutdown(Shutdown::Both);
        }),
        eof_detail: None,
        secure: true,
        encrypted: true,
    })
}

fn handshake_error(e: &std::io::Error) -> VirError {
    match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
        // libvirt's words whatever the reason (the certificate's issuer, dates or names).
        Some(rustls::Error::InvalidCertificate(_)) => rpc_err(
            Code::VIR_ERR_AUTH_FAILED,
            "Failed to verify peer's certificate".into(),
        ),
        Some(te) => rpc_err(
            Code::VIR_ERR_AUTH_FAILED,
            format!("TLS handshake failed {te}"),
        ),
        None => confirmation_error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_locations() {
        let f = files(Some("/p"), false, Some("/home/u"));
        assert_eq!(f.ca, "/p/cacert.pem");
        assert_eq!(f.cert, "/p/clientcert.pem");
        assert_eq!(f.key, "/p/clientkey.pem");
        let f = files(None, true, Some("/root"));
        assert_eq!(
            (f.ca.as_str(), f.cert.as_str(), f.key.as_str()),
            (SYS_CA, SYS_CERT, SYS_KEY)
        );
        // A user without ~/.pki/libvirt/cacert.pem uses the system files.
        let f = files(None, false, Some("/nonexistent-home"));
        assert_eq!(f.ca, SYS_CA);
    }

    #[test]
    fn missing_ca_is_libvirts_error() {
        let f = files(Some("/nonexistent-pki"), true, None);
        let e = client_config(&f, false).unwrap_err();
        assert_eq!((e.code, e.domain), (38, 7));
        assert_eq!(
            e.message(),
            "Cannot read CA certificate '/nonexistent-pki/cacert.pem': No such file or directory"
        );
    }
}
