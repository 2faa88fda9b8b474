//! `auth.conf`: credentials the client library answers from a file before it asks the
//! application's callback, as libvirt's `virAuthGetUsername`/`virAuthGetPassword` do.
//!
//! Which file: `LIBVIRT_AUTH_FILE` when set (even if it cannot be read: then the lookup fails
//! with libvirt's unknown error), else the URI's `authfile` parameter, else
//! `$XDG_CONFIG_HOME/libvirt/auth.conf` (default `~/.config`, for root too) if readable, else
//! `/etc/libvirt/auth.conf` if readable, else none.
//!
//! The file is a GLib key file. `[auth-SERVICE-HOSTNAME]` (else `[auth-SERVICE-default]`) names
//! a `credentials=NAME` group `[credentials-NAME]` whose keys (`username`, `password`, and for
//! SASL `authname`, `realm`) answer the credential of that name.

use super::error::{Code, Domain, Result, VirError};
use super::uri::Uri;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where a driver looks up credentials: the service (`test`, `libvirt`, `ssh`...) and the
/// connection's URI (for its `authfile` parameter).
#[derive(Clone, Debug, Default)]
pub struct AuthConf {
    pub service: &'static str,
    authfile: Option<String>,
}

impl AuthConf {
    pub fn new(service: &'static str, uri: Option<&Uri>) -> AuthConf {
        let authfile = uri.and_then(|u| {
            u.params()
                .into_iter()
                .find(|(k, _)| k == "authfile")
                .map(|(_, v)| v)
        });
        AuthConf { service, authfile }
    }

    /// `virAuthGetConfigFilePathURI`.
    pub fn path(&self) -> Option<PathBuf> {
        if let Some(env) = std::env::var_os("LIBVIRT_AUTH_FILE") {
            return Some(PathBuf::from(env));
        }
        if let Some(p) = &self.authfile {
            return Some(PathBuf::from(p));
        }
        [
            super::conf::user_config_dir().join("auth.conf"),
            PathBuf::from("/etc/libvirt/auth.conf"),
        ]
        .into_iter()
        .find(|p| std::fs::File::open(p).is_ok())
    }

    /// The value of credential `credname` (`username`, `password`, ...) for `hostname`
    /// (`None`: `localhost`), or `None` when the file does not answer it.
    pub fn lookup(&self, hostname: Option<&str>, credname: &str) -> Result<Option<String>> {
        let Some(path) = self.path() else {
            return Ok(None);
        };
        crate::vir_debug!(
            "util.authconfig",
            "virAuthConfigLookup",
            "Lookup '{}' '{}' '{}'",
            self.service,
            hostname.unwrap_or("(null)"),
            credname
        );
        // libvirt reports nothing when the file cannot be loaded: the caller fails with the
        // unknown error.
        let file = load(&path).ok_or_else(VirError::generic)?;
        file.lookup(&path, self.service, hostname, credname)
    }
}

fn load(path: &Path) -> Option<KeyFile> {
    KeyFile::parse(&std::fs::read(path).ok()?)
}

/// A parsed key file: groups (duplicates merged) of keys (the last one wins), raw values.
/// GLib checks values for UTF-8 when they are read, not when the file is loaded.
#[derive(Debug, Default)]
pub struct KeyFile {
    groups: HashMap<Vec<u8>, HashMap<Vec<u8>, Vec<u8>>>,
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

impl KeyFile {
    /// Parse GLib key-file syntax; `None` where GLib fails to load the file.
    pub fn parse(data: &[u8]) -> Option<KeyFile> {
        let mut kf = KeyFile::default();
        let mut current: Option<Vec<u8>> = None;
        for raw in data.split(|b| *b == b'\n') {
            let line = trim_start(raw.strip_suffix(b"\r").unwrap_or(raw));
            if line.is_empty() || line[0] == b'#' {
                continue;
            }
            if line[0] == b'['
                && let Some(close) = line.iter().position(|b| *b == b']')
                && line[close + 1..].iter().all(|b| *b == b' ' || *b == b'\t')
            {
                let name = &line[1..close];
                if !valid_group(name) {
                    return None;
                }
                kf.groups.entry(name.to_vec()).or_default();
                current = Some(name.to_vec());
                continue;
            }
            let eq = line.iter().position(|b| *b == b'=')?;
            if eq == 0 {
                return None;
            }
            let group = current.as_ref()?;
            let key = line[..eq].trim_ascii_end();
            if !valid_key(key) {
                return None;
            }
            let value = trim_start(&line[eq + 1..]);
            kf.groups
                .get_mut(group)?
                .insert(key.to_vec(), value.to_vec());
        }
        Some(kf)
    }

    fn has_group(&self, name: &str) -> bool {
        self.groups.contains_key(name.as_bytes())
    }

    /// `g_key_file_get_string`: the unescaped value, `None` when absent or not UTF-8.
    fn get_string(&self, group: &str, key: &str) -> Option<String> {
        let raw = self.groups.get(group.as_bytes())?.get(key.as_bytes())?;
        Some(unescape(std::str::from_utf8(raw).ok()?))
    }

    /// `virAuthConfigLookup`.
    fn lookup(
        &self,
        path: &Path,
        service: &str,
        hostname: Option<&str>,
        credname: &str,
    ) -> Result<Option<String>> {
        let hostname = hostname.unwrap_or("localhost");
        let mut authgroup = format!("auth-{service}-{hostname}");
        if !self.has_group(&authgroup) {
            authgroup = format!("auth-{service}-default");
        }
        if !self.has_group(&authgroup) {
            return Ok(None);
        }
        let syntax =
            |msg: String| VirError::detail(Domain::VIR_FROM_NONE, Code::VIR_ERR_CONF_SYNTAX, msg);
        let Some(cred) = self.get_string(&authgroup, "credentials") else {
            return Err(syntax(format!(
                "Missing item 'credentials' in group '{authgroup}' in '{}'",
                path.display()
            )));
        };
        let credgroup = format!("credentials-{cred}");
        if !self.has_group(&credgroup) {
            return Err(syntax(format!(
                "Missing group 'credentials-{cred}' referenced from group '{authgroup}' in '{}'",
                path.display()
            )));
        }
        Ok(self.get_string(&credgroup, credname))
    }
}

/// GLib's group names: not empty, no brackets, no ASCII control characters.
fn valid_group(name: &[u8]) -> bool {
    !name.is_empty()
        && !name
            .iter()
            .any(|b| *b == b'[' || *b == b']' || b.is_ascii_control())
}

/// GLib's key names: not empty, no leading or trailing space, an optional `[locale]` suffix.
fn valid_key(key: &[u8]) -> bool {
    let end = key
        .iter()
        .position(|b| *b == b'[' || *b == b']')
        .unwrap_or(key.len());
    let name = &key[..end];
    if name.is_empty() || name[0] == b' ' || name[name.len() - 1] == b' ' {
        return false;
    }
    match &key[end..] {
        [] => true,
        locale => {
            locale.len() > 2
                && locale[0] == b'['
                && locale[locale.len() - 1] == b']'
                && !locale[1..locale.len() - 1]
                    .iter()
                    .any(|b| *b == b'[' || *b == b']')
        }
    }
}

/// GLib's string escapes: `\s`, `\n`, `\t`, `\r`, `\\`; another character after `\` keeps
/// both (GLib complains but still returns the value), a `\` at the end is dropped.
fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut it = v.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            None => break,
            Some('s') => out.push(' '),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look(text: &str, service: &str, host: Option<&str>, cred: &str) -> Result<Option<String>> {
        KeyFile::parse(text.as_bytes())
            .expect("parses")
            .lookup(Path::new("f"), service, host, cred)
    }

    #[test]
    fn groups_and_fallback() {
        let t = "# c\n[credentials-x]\nusername = admin\npassword=a\\sb\n\n[auth-test-localhost]\ncredentials=x\n[auth-libvirt-default]\ncredentials=x\n";
        assert_eq!(
            look(t, "test", None, "username").unwrap().as_deref(),
            Some("admin")
        );
        assert_eq!(
            look(t, "test", None, "password").unwrap().as_deref(),
            Some("a b")
        );
        assert_eq!(look(t, "test", Some("h"), "username").unwrap(), None);
        assert_eq!(
            look(t, "libvirt", Some("h"), "username")
                .unwrap()
                .as_deref(),
            Some("admin")
        );
        assert_eq!(look(t, "test", None, "realm").unwrap(), None);
    }

    #[test]
    fn errors() {
        let e = look("[auth-test-localhost]\nx=y\n", "test", None, "username").unwrap_err();
        assert_eq!(e.code, Code::VIR_ERR_CONF_SYNTAX as i32);
        let e = look(
            "[auth-test-localhost]\ncredentials=y\n",
            "test",
            None,
            "username",
        )
        .unwrap_err();
        assert!(e.message.unwrap().contains("Missing group 'credentials-y'"));
        for bad in ["k=v\n", "[g]\ngarbage\n", "[]\n", "[g]\n=v\n", "[g] x\n"] {
            assert!(KeyFile::parse(bad.as_bytes()).is_none(), "{bad:?}");
        }
        assert!(KeyFile::parse(b"[g]\nk[de]=v\n[a b]\nk\t= v\xff\n").is_some());
        assert_eq!(unescape("a\\qb\\sc\\"), "a\\qb c");
    }
}
