//! Connection URIs, split and re-formatted the way libvirt does (`virURIParse`/`virURIFormat`).

use super::error::{Code, Domain, Result, VirError};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Uri {
    pub scheme: String,
    pub user: Option<String>,
    pub server: Option<String>,
    pub port: Option<u16>,
    pub path: String,
    pub query: Option<String>,
    pub fragment: Option<String>,
}

impl Uri {
    pub fn parse(name: &str) -> Result<Uri> {
        let no_driver = || {
            VirError::detail(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_NO_CONNECT,
                format!("URI '{name}' does not include a driver name"),
            )
        };
        let colon = name.find(':').ok_or_else(no_driver)?;
        let scheme = &name[..colon];
        let valid_scheme = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if !valid_scheme {
            return Err(no_driver());
        }
        let mut rest = &name[colon + 1..];
        let mut uri = Uri {
            scheme: scheme.to_string(),
            ..Default::default()
        };
        if let Some(i) = rest.find('#') {
            uri.fragment = Some(rest[i + 1..].to_string());
            rest = &rest[..i];
        }
        if let Some(i) = rest.find('?') {
            uri.query = Some(rest[i + 1..].to_string());
            rest = &rest[..i];
        }
        if let Some(after) = rest.strip_prefix("//") {
            let end = after.find('/').unwrap_or(after.len());
            let mut auth = &after[..end];
            rest = &after[end..];
            if let Some(at) = auth.rfind('@') {
                uri.user = Some(auth[..at].to_string());
                auth = &auth[at + 1..];
            }
            // An IPv6 literal keeps its brackets out of the server name.
            let (host, port) = if let Some(stripped) = auth.strip_prefix('[') {
                match stripped.find(']') {
                    Some(i) => (&stripped[..i], stripped[i + 1..].strip_prefix(':')),
                    None => return Err(malformed(name)),
                }
            } else {
                match auth.rfind(':') {
                    Some(i) => (&auth[..i], Some(&auth[i + 1..])),
                    None => (auth, None),
                }
            };
            if !host.is_empty() {
                uri.server = Some(host.to_string());
            }
            if let Some(p) = port.filter(|p| !p.is_empty()) {
                uri.port = Some(p.parse().map_err(|_| malformed(name))?);
            }
        }
        uri.path = rest.to_string();
        Ok(uri)
    }

    /// The transport suffix of a `driver+transport` scheme.
    pub fn transport(&self) -> Option<&str> {
        self.scheme.split_once('+').map(|(_, t)| t)
    }

    /// The scheme without its transport suffix.
    pub fn driver(&self) -> &str {
        self.scheme.split('+').next().unwrap_or("")
    }

    /// The query parameters, `name=value` pairs separated by `&` or `;`.
    pub fn params(&self) -> Vec<(String, String)> {
        let Some(q) = &self.query else {
            return Vec::new();
        };
        q.split(['&', ';'])
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (unescape(k), unescape(v)),
                None => (unescape(p), String::new()),
            })
            .collect()
    }

    pub fn format(&self) -> String {
        let mut s = format!("{}://", self.scheme);
        if let Some(u) = &self.user {
            s.push_str(u);
            s.push('@');
        }
        if let Some(h) = &self.server {
            if h.contains(':') {
                s.push_str(&format!("[{h}]"));
            } else {
                s.push_str(h);
            }
        }
        if let Some(p) = self.port {
            s.push_str(&format!(":{p}"));
        }
        s.push_str(&self.path);
        if let Some(q) = &self.query {
            s.push('?');
            s.push_str(q);
        }
        if let Some(f) = &self.fragment {
            s.push('#');
            s.push_str(f);
        }
        s
    }
}

fn malformed(name: &str) -> VirError {
    VirError::detail(
        Domain::VIR_FROM_URI,
        Code::VIR_ERR_INTERNAL_ERROR,
        format!("Unable to parse URI {name}"),
    )
}

fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|c| hex(*c)),
                b.get(i + 2).and_then(|c| hex(*c)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::Uri;

    #[test]
    fn parses_and_formats_like_libvirt() {
        let u = Uri::parse("test:///default").unwrap();
        assert_eq!((u.scheme.as_str(), u.path.as_str()), ("test", "/default"));
        assert_eq!(u.server, None);
        assert_eq!(
            Uri::parse("test:/default").unwrap().format(),
            "test:///default"
        );
        let u = Uri::parse("qemu+ssh://root@host:2222/system?socket=/x&no_tty=1").unwrap();
        assert_eq!(u.transport(), Some("ssh"));
        assert_eq!(u.user.as_deref(), Some("root"));
        assert_eq!(u.server.as_deref(), Some("host"));
        assert_eq!(u.port, Some(2222));
        assert_eq!(u.params()[0], ("socket".into(), "/x".into()));
        assert_eq!(
            Uri::parse("test:///default#frag").unwrap().format(),
            "test:///default#frag"
        );
        assert!(Uri::parse("bogus").is_err());
    }
}
