//! libvirt's configuration file format (`libvirt.conf`): `name = value` lines, `#` comments,
//! values that are numbers, quoted strings (`"..."` or `'...'`) or lists of them in `[...]`
//! spanning lines. Errors are libvirt's: VIR_ERR_CONF_SYNTAX from VIR_FROM_CONF,
//! "FILE:LINE: what was expected".
//!
//! Where the client's file lives: `/etc/libvirt/NAME` for root, `$XDG_CONFIG_HOME/libvirt/NAME`
//! (default `~/.config/libvirt/NAME`) for anyone else.

use super::{Code, Domain, Result, VirError};
use std::path::PathBuf;

/// One value of a configuration file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Long(i64),
    Str(String),
    List(Vec<Value>),
}

/// A parsed configuration file: its entries in file order.
#[derive(Clone, Debug, Default)]
pub struct Conf {
    pub filename: String,
    pub entries: Vec<(String, Value)>,
}

impl Conf {
    /// Parse `text`, read from `filename` (named in errors).
    pub fn parse(filename: &str, text: &str) -> Result<Conf> {
        let mut p = Parser {
            file: filename,
            s: text.as_bytes(),
            i: 0,
            line: 1,
        };
        let mut entries = Vec::new();
        loop {
            p.skip_blanks_and_comments(true);
            if p.i >= p.s.len() {
                break;
            }
            let name = p.name()?;
            p.skip_blanks();
            if p.peek() != Some(b'=') {
                return Err(p.error("expecting an assignment"));
            }
            p.i += 1;
            p.skip_blanks();
            let v = p.value()?;
            p.skip_blanks();
            match p.peek() {
                None | Some(b'\n') | Some(b'#') | Some(b';') => {
                    if p.peek() == Some(b';') {
                        p.i += 1;
                    }
                }
                Some(b'\r') => {}
                _ => return Err(p.error("expecting a separator")),
            }
            // A later assignment of the same name replaces the earlier one, as in libvirt.
            if let Some(e) = entries.iter_mut().find(|(n, _)| *n == name) {
                e.1 = v;
            } else {
                entries.push((name, v));
            }
        }
        Ok(Conf {
            filename: filename.to_string(),
            entries,
        })
    }

    /// Read and parse the file at `path`; `Ok(None)` when it does not exist.
    pub fn load(path: &std::path::Path) -> Result<Option<Conf>> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                Conf::parse(&path.to_string_lossy(), &text).map(Some)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(VirError::system(
                Domain::VIR_FROM_CONF,
                e.raw_os_error().unwrap_or(libc::EIO),
                &format!("Failed to open file '{}'", path.display()),
            )),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// `virConfGetValueString`: a string entry, or None when absent.
    pub fn get_string(&self, name: &str) -> Result<Option<String>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s.clone())),
            Some(_) => Err(VirError::internal(
                Domain::VIR_FROM_CONF,
                format!(
                    "{}: expected a string for '{name}' parameter",
                    self.filename
                ),
            )),
        }
    }

    /// `virConfGetValueStringList` without wrapping: a list of strings, or None when absent.
    pub fn get_string_list(&self, name: &str) -> Result<Option<Vec<String>>> {
        let bad = || {
            VirError::internal(
                Domain::VIR_FROM_CONF,
                format!(
                    "{}: expected a string list for '{name}' parameter",
                    self.filename
                ),
            )
        };
        match self.get(name) {
            None => Ok(None),
            Some(Value::List(items)) => items
                .iter()
                .map(|v| match v {
                    Value::Str(s) => Ok(s.clone()),
                    _ => Err(bad()),
                })
                .collect::<Result<Vec<_>>>()
                .map(Some),
            Some(_) => Err(bad()),
        }
    }
}

/// Where the client library reads its configuration file `name` (`virConfLoadConfigPath`).
pub fn client_config_path(name: &str) -> PathBuf {
    if crate::sys::effective_uid() == 0 {
        PathBuf::from("/etc/libvirt").join(name)
    } else {
        user_config_dir().join(name)
    }
}

/// `virGetUserConfigDirectory`: `$XDG_CONFIG_HOME/libvirt`, default `$HOME/.config/libvirt`.
pub fn user_config_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| home_dir().join(".config"));
    base.join("libvirt")
}

/// `$HOME`, or the password database's entry for the user.
pub fn home_dir() -> PathBuf {
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(crate::sys::passwd_home)
        .unwrap_or_else(|| PathBuf::from("/"))
}

/// The client's `libvirt.conf`, when there is one.
pub fn load_client_conf() -> Result<Option<Conf>> {
    Conf::load(&client_config_path("libvirt.conf"))
}

struct Parser<'a> {
    file: &'a str,
    s: &'a [u8],
    i: usize,
    line: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> VirError {
        VirError::detail(
            Domain::VIR_FROM_CONF,
            Code::VIR_ERR_CONF_SYNTAX,
            format!("{}:{}: {what}", self.file, self.line),
        )
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// Blanks, comments and (with `newlines`) line ends.
    fn skip_blanks_and_comments(&mut self, newlines: bool) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r') => self.i += 1,
                Some(b'\n') if newlines => {
                    self.line += 1;
                    self.i += 1;
                }
                Some(b'#') => {
                    while !matches!(self.peek(), None | Some(b'\n')) {
                        self.i += 1;
                    }
                }
                _ => return,
            }
        }
    }

    fn skip_blanks_and_eol(&mut self) {
        while let Some(c @ (b' ' | b'\t' | b'\r' | b'\n')) = self.peek() {
            if c == b'\n' {
                self.line += 1;
            }
            self.i += 1;
        }
    }

    fn name(&mut self) -> Result<String> {
        let start = self.i;
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {}
            _ => return Err(self.error("expecting a name")),
        }
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':' | b'+' | b'-'))
        {
            self.i += 1;
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }

    fn string(&mut self) -> Result<String> {
        let q = self.peek().unwrap_or(b'"');
        // """triple-quoted""" strings span lines.
        if self.s[self.i..].starts_with(b"\"\"\"") {
            self.i += 3;
            let start = self.i;
            while !self.s[self.i..].starts_with(b"\"\"\"") {
                match self.peek() {
                    None => return Err(self.error("unterminated string")),
                    Some(b'\n') => self.line += 1,
                    _ => {}
                }
                self.i += 1;
            }
            let v = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
            self.i += 3;
            return Ok(v);
        }
        self.i += 1;
        let start = self.i;
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(self.error("unterminated string")),
                Some(c) if c == q => break,
                _ => self.i += 1,
            }
        }
        let v = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        self.i += 1;
        Ok(v)
    }

    fn number(&mut self) -> Result<i64> {
        let start = self.i;
        if matches!(self.peek(), Some(b'-' | b'+')) {
            self.i += 1;
        }
        while matches!(self.peek(), Some(c) if c.is_ascii_digit()) {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| self.error("unterminated number"))
    }

    fn value(&mut self) -> Result<Value> {
        match self.peek() {
            Some(b'"' | b'\'') => self.string().map(Value::Str),
            Some(c) if c.is_ascii_digit() || c == b'-' || c == b'+' => {
                self.number().map(Value::Long)
            }
            Some(b'[') => {
                // Inside a list only blanks and line ends separate items: a comment there is
                // "expecting a value", as in libvirt.
                self.i += 1;
                let mut items = Vec::new();
                self.skip_blanks_and_eol();
                if self.peek().is_some() && self.peek() != Some(b']') {
                    items.push(self.value()?);
                    self.skip_blanks_and_eol();
                }
                while self.peek().is_some() && self.peek() != Some(b']') {
                    if self.peek() != Some(b',') {
                        return Err(self.error("expecting a separator in list"));
                    }
                    self.i += 1;
                    self.skip_blanks_and_eol();
                    if self.peek() == Some(b']') {
                        break;
                    }
                    items.push(self.value()?);
                    self.skip_blanks_and_eol();
                }
                if self.peek() != Some(b']') {
                    return Err(self.error("list is not closed with ]"));
                }
                self.i += 1;
                Ok(Value::List(items))
            }
            _ => Err(self.error("expecting a value")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_lists_numbers_comments() {
        let c = Conf::parse(
            "t.conf",
            "# c\nuri_default = \"test:///default\"  # tail\nuri_aliases = [\n  \"a=test:///default\",\n  'b=qemu:///system',\n]\nn = 12\n",
        )
        .unwrap();
        assert_eq!(
            c.get_string("uri_default").unwrap().as_deref(),
            Some("test:///default")
        );
        assert_eq!(
            c.get_string_list("uri_aliases").unwrap().unwrap(),
            vec!["a=test:///default", "b=qemu:///system"]
        );
        assert_eq!(c.get("n"), Some(&Value::Long(12)));
        assert!(c.get_string("n").is_err());
        assert_eq!(c.get_string("absent").unwrap(), None);
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let e = Conf::parse("/x/libvirt.conf", "a = \"x\"\nb = \n").unwrap_err();
        assert_eq!(e.code, Code::VIR_ERR_CONF_SYNTAX as i32);
        assert_eq!(
            e.message(),
            "configuration file syntax error: /x/libvirt.conf:2: expecting a value"
        );
        let e = Conf::parse("f", "a \"x\"\n").unwrap_err();
        assert!(
            e.message().ends_with("f:1: expecting an assignment"),
            "{e:?}"
        );
        let e = Conf::parse("f", "l = [\n \"a\", # no comments in lists\n]\n").unwrap_err();
        assert!(e.message().ends_with("f:2: expecting a value"), "{e:?}");
        let e = Conf::parse("f", "l = [ \"a\"").unwrap_err();
        assert!(
            e.message().ends_with("f:1: list is not closed with ]"),
            "{e:?}"
        );
        let e = Conf::parse("f", "a = \"x\n").unwrap_err();
        assert!(e.message().ends_with("f:1: unterminated string"), "{e:?}");
    }
}
