//! Connection URIs, split and re-formatted the way libvirt does (`virURIParse`/`virURIFormat`).

use super::error::{Code, Domain, Result, VirError};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Uri {
    pub scheme: String,
    pub user: Option<String>,
    pub server: Option<String>,
    /// libxml2 reads any port up to INT_MAX.
    pub port: Option<u32>,
    pub path: String,
    pub query: Option<String>,
    pub fragment: Option<String>,
}

impl Uri {
    /// Split `name` as libvirt does: RFC 3986 as libxml2 2.9 implements it (an absolute URI,
    /// else a relative reference), user, host, path and fragment percent-decoded and cut at a
    /// decoded NUL, the query kept raw, IPv6 brackets dropped, no port without a host.
    pub fn parse(name: &str) -> Result<Uri> {
        let p = rfc3986::parse(name.as_bytes()).ok_or_else(|| malformed(name))?;
        let Some(scheme) = p.scheme else {
            return Err(VirError::detail(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_NO_CONNECT,
                format!("URI '{name}' does not include a driver name"),
            ));
        };
        let mut server = p.server;
        if let Some(h) = &server
            && h.len() >= 2
            && h.starts_with('[')
            && h.ends_with(']')
            && h.contains(':')
        {
            server = Some(h[1..h.len() - 1].to_string());
        }
        let port = match &server {
            Some(h) if !h.is_empty() => p.port.filter(|p| *p > 0),
            _ => None,
        };
        Ok(Uri {
            scheme,
            user: p.user,
            server,
            port,
            path: p.path.unwrap_or_default(),
            query: p.query,
            fragment: p.fragment,
        })
    }

    /// The transport suffix of a `driver+transport` scheme.
    pub fn transport(&self) -> Option<&str> {
        self.scheme.split_once('+').map(|(_, t)| t)
    }

    /// The scheme without its transport suffix.
    pub fn driver(&self) -> &str {
        self.scheme.split('+').next().unwrap_or("")
    }

    /// The query parameters as libvirt splits them (`virURIParseParams`): a section ends at the
    /// next `&` if there is one anywhere further on, else at the next `;`; `name` alone has
    /// the value "", `=value` is skipped; names and values are percent-decoded (no `+`).
    pub fn params(&self) -> Vec<(String, String)> {
        let Some(q) = &self.query else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut rest = q.as_str();
        while !rest.is_empty() {
            let end = rest
                .find('&')
                .or_else(|| rest.find(';'))
                .unwrap_or(rest.len());
            let section = &rest[..end];
            match section.find('=') {
                _ if section.is_empty() => {}
                None => out.push((unescape(section), String::new())),
                Some(0) => {}
                Some(eq) => out.push((unescape(&section[..eq]), unescape(&section[eq + 1..]))),
            }
            rest = rest.get(end + 1..).unwrap_or("");
        }
        out
    }

    /// `virURIFormat`: libxml2's `xmlSaveUri` on these parts, with `//` always written and
    /// user, path and fragment re-escaped.
    pub fn format(&self) -> String {
        let mut s = format!("{}://", self.scheme);
        if let Some(u) = &self.user {
            escape_into(&mut s, u, |c| unreserved(c) || b";:&=+$,".contains(&c));
            s.push('@');
        }
        if let Some(h) = &self.server {
            if h.contains(':') {
                s.push_str(&format!("[{h}]"));
            } else {
                s.push_str(h);
            }
        }
        if let Some(p) = self.port.filter(|p| *p > 0) {
            s.push_str(&format!(":{p}"));
        }
        let mut path = self.path.as_str();
        // libxml2 keeps the colon of a drive letter in file:///c: unescaped.
        let b = path.as_bytes();
        if self.scheme == "file"
            && b.len() >= 3
            && b[0] == b'/'
            && b[1].is_ascii_alphabetic()
            && b[2] == b':'
        {
            s.push_str(&path[..3]);
            path = &path[3..];
        }
        escape_into(&mut s, path, |c| unreserved(c) || b"/;@&=+$,".contains(&c));
        if let Some(q) = &self.query {
            s.push('?');
            s.push_str(q);
        }
        if let Some(f) = &self.fragment {
            s.push('#');
            escape_into(&mut s, f, |c| unreserved(c) || b";/?:@&=+$,[]".contains(&c));
        }
        s
    }
}

/// RFC 2396's unreserved set, which libxml2 uses when it writes a URI back.
fn unreserved(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&c)
}

fn escape_into(out: &mut String, s: &str, keep: impl Fn(u8) -> bool) {
    for c in s.bytes() {
        if keep(c) {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
}

fn malformed(name: &str) -> VirError {
    VirError::detail(
        Domain::VIR_FROM_URI,
        Code::VIR_ERR_INTERNAL_ERROR,
        format!("Unable to parse URI {name}"),
    )
}

/// Percent-decode as libxml2 does (`%` and two hex digits; anything else is kept), then cut at
/// a decoded NUL as a C string would be.
fn unescape_bytes(b: &[u8]) -> String {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    if let Some(nul) = out.iter().position(|c| *c == 0) {
        out.truncate(nul);
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn unescape(s: &str) -> String {
    unescape_bytes(s.as_bytes())
}

/// The grammar of RFC 3986 with libxml2 2.9's choices: `parse` answers `None` exactly where
/// `xmlParseURI` fails.
mod rfc3986 {
    use super::unescape_bytes;

    #[derive(Default)]
    pub struct Parts {
        pub scheme: Option<String>,
        pub user: Option<String>,
        pub server: Option<String>,
        pub port: Option<u32>,
        pub path: Option<String>,
        pub query: Option<String>,
        pub fragment: Option<String>,
    }

    struct P<'a> {
        s: &'a [u8],
        i: usize,
        out: Parts,
    }

    fn unreserved(c: u8) -> bool {
        c.is_ascii_alphanumeric() || b"-._~".contains(&c)
    }

    fn sub_delim(c: u8) -> bool {
        b"!$&()*+,;='".contains(&c)
    }

    impl P<'_> {
        fn at(&self, k: usize) -> u8 {
            self.s.get(self.i + k).copied().unwrap_or(0)
        }
        fn pct(&self) -> bool {
            self.at(0) == b'%' && self.at(1).is_ascii_hexdigit() && self.at(2).is_ascii_hexdigit()
        }
        fn pchar(&self) -> bool {
            let c = self.at(0);
            unreserved(c) || self.pct() || sub_delim(c) || c == b':' || c == b'@'
        }
        /// One character, or a whole `%XX`.
        fn step(&mut self) {
            self.i += if self.at(0) == b'%' { 3 } else { 1 };
        }
        fn text(&self, from: usize) -> String {
            unescape_bytes(&self.s[from..self.i])
        }
        /// A segment: pchars up to `stop`; an empty one is an error unless `empty` allows it.
        fn segment(&mut self, stop: u8, empty: bool) -> bool {
            if !self.pchar() {
                return empty;
            }
            while self.pchar() && self.at(0) != stop {
                self.step();
            }
            true
        }
        /// The path from `from` to here, absent when empty.
        fn set_path(&mut self, from: usize) {
            self.out.path = (self.i > from).then(|| self.text(from));
        }
        fn more_segments(&mut self) {
            while self.at(0) == b'/' {
                self.i += 1;
                self.segment(0, true);
            }
        }

        fn authority(&mut self) -> bool {
            let start = self.i;
            while {
                let c = self.at(0);
                unreserved(c) || self.pct() || sub_delim(c) || c == b':'
            } {
                self.step();
            }
            if self.at(0) == b'@' {
                // libxml2 decodes an empty user name as the whole rest of the URI.
                let user = if self.i == start {
                    unescape_bytes(&self.s[start..])
                } else {
                    self.text(start)
                };
                self.out.user = Some(user);
                self.i += 1;
            } else {
                self.i = start;
            }
            let host = self.i;
            if self.at(0) == b'[' {
                while self.at(0) != b']' && self.at(0) != 0 {
                    self.i += 1;
                }
                if self.at(0) != b']' {
                    return false;
                }
                self.i += 1;
            } else {
                while {
                    let c = self.at(0);
                    unreserved(c) || self.pct() || sub_delim(c)
                } {
                    self.step();
                }
            }
            self.out.server = (self.i > host).then(|| self.text(host));
            if self.at(0) == b':' {
                self.i += 1;
                if !self.at(0).is_ascii_digit() {
                    return false;
                }
                let mut port: u32 = 0;
                while self.at(0).is_ascii_digit() {
                    port = match port
                        .checked_mul(10)
                        .and_then(|p| p.checked_add((self.at(0) - b'0') as u32))
                        .filter(|p| *p <= i32::MAX as u32)
                    {
                        Some(p) => p,
                        None => return false,
                    };
                    self.i += 1;
                }
                self.out.port = Some(port);
            }
            true
        }

        /// `//authority path-abempty`, `path-absolute`, or a path of plain segments (whose
        /// first may not hold a colon in a relative reference).
        fn hier(&mut self, relative: bool) -> bool {
            let from = self.i;
            if self.at(0) == b'/' && self.at(1) == b'/' {
                self.i += 2;
                if !self.authority() {
                    return false;
                }
                let from = self.i;
                self.more_segments();
                self.set_path(from);
            } else if self.at(0) == b'/' {
                self.i += 1;
                if self.segment(0, false) {
                    self.more_segments();
                }
                self.set_path(from);
            } else if self.pchar() {
                self.segment(if relative { b':' } else { 0 }, false);
                self.more_segments();
                self.set_path(from);
            }
            true
        }

        /// `[?query][#fragment]` and the end of the string.
        fn tail(&mut self) -> bool {
            if self.at(0) == b'?' {
                self.i += 1;
                let from = self.i;
                while self.pchar() || self.at(0) == b'/' || self.at(0) == b'?' {
                    self.step();
                }
                self.out.query = Some(String::from_utf8_lossy(&self.s[from..self.i]).into_owned());
            }
            if self.at(0) == b'#' {
                self.i += 1;
                let from = self.i;
                while self.pchar() || b"/?[]".contains(&self.at(0)) {
                    self.step();
                }
                self.out.fragment = Some(self.text(from));
            }
            self.i == self.s.len()
        }
    }

    fn absolute(s: &[u8]) -> Option<Parts> {
        let mut p = P {
            s,
            i: 0,
            out: Parts::default(),
        };
        if !p.at(0).is_ascii_alphabetic() {
            return None;
        }
        while p.at(0).is_ascii_alphanumeric() || b"+-.".contains(&p.at(0)) {
            p.i += 1;
        }
        p.out.scheme = Some(String::from_utf8_lossy(&s[..p.i]).into_owned());
        if p.at(0) != b':' {
            return None;
        }
        p.i += 1;
        (p.hier(false) && p.tail()).then_some(p.out)
    }

    fn relative(s: &[u8]) -> Option<Parts> {
        let mut p = P {
            s,
            i: 0,
            out: Parts::default(),
        };
        (p.hier(true) && p.tail()).then_some(p.out)
    }

    /// `xmlParseURI`: an absolute URI, else a relative reference, else nothing. A NUL byte
    /// ends the string as it would in C.
    pub fn parse(s: &[u8]) -> Option<Parts> {
        let s = &s[..s.iter().position(|c| *c == 0).unwrap_or(s.len())];
        absolute(s).or_else(|| relative(s))
    }
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
