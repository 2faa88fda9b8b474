//! Every XML document the test driver reads goes through here: node files, `file=` targets,
//! domain, snapshot and checkpoint XML. The limits are libxml2's defaults as libvirt 9.0.0 uses
//! them (no `XML_PARSE_HUGE`): at most 257 nested elements, names of at most 50,000 bytes and
//! attribute values of at most 10,000,000 bytes. They are checked by a streaming pass over the
//! text before any tree is built, so a hostile document costs no more than its own size.
//! Errors carry libxml2's wording where libvirt shows it, in libvirt's layout
//! (`URL:LINE: MESSAGE\nCONTEXT\n---^`).
//!
//! Files are read with a bound too ([`read_file`]), and in the encodings libxml2 detects
//! without iconv tables: UTF-8, UTF-16 (byte order mark) and ISO-8859-1/US-ASCII (declared).

use crate::core::{Code, Domain, Result, VirError};
use std::io::Read;
use std::path::Path;

/// libxml2's `xmlParserMaxDepth`: opening an element while this many plus one are open fails.
const MAX_DEPTH: usize = 256;
/// libxml2's `XML_MAX_NAME_LENGTH`.
const MAX_NAME_LEN: usize = 50_000;
/// libxml2's `XML_MAX_TEXT_LENGTH`, which bounds attribute values.
const MAX_ATTR_LEN: usize = 10_000_000;
/// The largest file the test driver reads (node files, `file=` targets). libxml2 has no such
/// bound; this one keeps `/dev/zero`-like or endless inputs from eating the machine.
const MAX_FILE_LEN: usize = 64 << 20;
/// roxmltree's node count bound (entity expansion included).
const MAX_NODES: u32 = 16_000_000;

/// Where a document comes from: the name libvirt prints before `:LINE:` and the error domain
/// of its parser errors.
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    pub url: &'a str,
    pub domain: Domain,
    /// Read from a file: libxml2 then holds only what it has read so far, in chunks of 4,000
    /// bytes, and the context line it prints ends there.
    pub file: bool,
}

/// libxml2's read size (`MINLEN`) and how much it keeps ahead of the parser (`INPUT_CHUNK`).
const FILE_CHUNK: usize = 4000;
const LOOKAHEAD: usize = 250;

/// libvirt's `catchXMLError` layout for a libxml2 error `msg` found at byte `offset`.
fn located(origin: Origin, text: &str, offset: usize, msg: &str) -> VirError {
    let offset = offset.min(text.len());
    let bytes = text.as_bytes();
    let before = &bytes[..offset];
    // libxml2 counts a line per "\n" and per "\r" not followed by "\n".
    let mut line = 1usize;
    for (i, &b) in before.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            line += 1;
        }
    }
    // As catchXMLError: back over line ends, back to the start of the line.
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let eol = |b: u8| b == b'\n' || b == b'\r';
    let mut cur = offset;
    while cur > 0 && eol(at(cur)) {
        cur -= 1;
    }
    while cur > 0 && !eol(at(cur)) {
        cur -= 1;
    }
    if eol(at(cur)) {
        cur += 1;
    }
    let col = offset.saturating_sub(cur);
    let buffered = if origin.file {
        (offset + LOOKAHEAD).div_ceil(FILE_CHUNK) * FILE_CHUNK
    } else {
        bytes.len()
    }
    .min(bytes.len());
    let end = bytes[cur..buffered]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r' || b == 0)
        .map_or(buffered, |p| cur + p);
    // libvirt prints an empty context line as "(null)".
    let context = if cur == end {
        "(null)".into()
    } else {
        String::from_utf8_lossy(&bytes[cur..end])
    };
    let pointer: String = bytes[cur..end]
        .iter()
        .take(col)
        .map(|&b| if b == b'\t' { '\t' } else { '-' })
        .chain(std::iter::once('^'))
        .collect();
    VirError::detail(
        origin.domain,
        Code::VIR_ERR_XML_DETAIL,
        format!("{}:{line}: {msg}\n{context}\n{pointer}", origin.url),
    )
}

/// "Document is empty", which libxml2 reports with no context line (libvirt prints "(null)").
fn empty(origin: Origin) -> VirError {
    VirError::detail(
        origin.domain,
        Code::VIR_ERR_XML_DETAIL,
        format!("{}:1: Document is empty\n(null)\n^", origin.url),
    )
}

/// The streaming limits pass: the first limit the document breaks, as libxml2 would report it,
/// or `None` (syntax errors are left to the tree parser).
fn check_limits(origin: Origin, text: &str) -> Option<VirError> {
    use quick_xml::events::Event;
    let body = text.trim_start_matches('\u{feff}');
    if body.is_empty() || body.starts_with('\0') {
        return Some(empty(origin));
    }
    let lead = body.len() - body.trim_start_matches([' ', '\t', '\n', '\r']).len();
    if !body[lead..].starts_with('<') {
        let off = text.len() - body.len() + lead;
        return Some(located(
            origin,
            text,
            off,
            "Start tag expected, '<' not found",
        ));
    }
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0usize;
    // The open elements (name, offset of their '<'), for libxml2's end-of-data error.
    let mut open: Vec<(String, usize)> = Vec::new();
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(_) => return None,
        };
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if depth > MAX_DEPTH {
                    return Some(located(
                        origin,
                        text,
                        at,
                        &format!(
                            "Excessive depth in document: {MAX_DEPTH} use XML_PARSE_HUGE option"
                        ),
                    ));
                }
                let name = e.name();
                if name.as_ref().len() > MAX_NAME_LEN {
                    return Some(located(origin, text, at + 1, "Name too long: NCName"));
                }
                for a in e.html_attributes().with_checks(false).flatten() {
                    if a.key.as_ref().len() > MAX_NAME_LEN {
                        return Some(located(origin, text, at + 1, "Name too long: NCName"));
                    }
                    if a.value.len() > MAX_ATTR_LEN {
                        return Some(located(origin, text, at + 1, "AttValue length too long"));
                    }
                }
                if matches!(ev, Event::Start(_)) {
                    depth += 1;
                    open.push((String::from_utf8_lossy(name.as_ref()).into_owned(), at));
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                open.pop();
            }
            // The text ends inside an element: libxml2 names the innermost one and the line
            // its start tag is on, at the end of the text.
            Event::Eof => {
                let (name, start) = open.pop()?;
                let line = 1 + text.as_bytes()[..start.min(text.len())]
                    .iter()
                    .enumerate()
                    .filter(|&(i, &b)| {
                        b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n'))
                    })
                    .count();
                return Some(located(
                    origin,
                    text,
                    text.len(),
                    &format!("Premature end of data in tag {name} line {line}"),
                ));
            }
            _ => {}
        }
    }
}

/// The error for a document roxmltree rejects. libxml2's wording is not reproduced; the code,
/// the domain and the `URL:LINE:` prefix are libvirt's.
fn syntax_error(origin: Origin, e: &roxmltree::Error) -> VirError {
    VirError::detail(
        origin.domain,
        Code::VIR_ERR_XML_DETAIL,
        format!("{}:{}: {e}", origin.url, e.pos().row),
    )
}

/// Parse `text` within libvirt's limits.
pub fn parse<'a>(text: &'a str, origin: Origin) -> Result<roxmltree::Document<'a>> {
    if let Some(e) = check_limits(origin, text) {
        return Err(e);
    }
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: MAX_NODES,
    };
    let doc = roxmltree::Document::parse_with_options(text, opts)
        .map_err(|e| syntax_error(origin, &e))?;
    // Entities can nest elements the text does not show; count them in the tree.
    if text.contains("<!ENTITY") {
        // Elements open around each node, in document order (parents come first).
        let mut depth = vec![0usize; doc.descendants().count()];
        for n in doc.descendants() {
            let Some(p) = n.parent() else { continue };
            let d = depth[p.id().get() as usize] + usize::from(p.is_element());
            depth[n.id().get() as usize] = d;
            if n.is_element() && d > MAX_DEPTH {
                return Err(located(
                    origin,
                    text,
                    n.range().start,
                    &format!("Excessive depth in document: {MAX_DEPTH} use XML_PARSE_HUGE option"),
                ));
            }
        }
    }
    Ok(doc)
}

/// The error libvirt's test driver gives for a file it cannot open.
pub fn unreadable(path: &Path) -> VirError {
    VirError::detail(
        Domain::VIR_FROM_TEST,
        Code::VIR_ERR_XML_ERROR,
        format!("failed to parse xml document '{}'", path.display()),
    )
}

/// Read a file the test driver parses: at most [`MAX_FILE_LEN`] bytes, stopping at once when
/// the first bytes already show it is no XML document; decoded to UTF-8.
pub fn read_file(path: &Path) -> Result<String> {
    let origin = Origin {
        url: &path.to_string_lossy(),
        domain: Domain::VIR_FROM_TEST,
        file: true,
    };
    let mut f = std::fs::File::open(path).map_err(|_| unreadable(path))?;
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 << 10];
    loop {
        let n = match f.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // A directory or an unreadable device: libxml2 sees an empty document.
            Err(_) if buf.is_empty() => return Err(empty(origin)),
            Err(_) => break,
        };
        buf.extend_from_slice(&chunk[..n]);
        if buf.first() == Some(&0) {
            return Err(empty(origin));
        }
        if buf.len() > MAX_FILE_LEN {
            return Err(VirError::detail(
                Domain::VIR_FROM_TEST,
                Code::VIR_ERR_SYSTEM_ERROR,
                format!(
                    "Failed to read file '{}': Value too large for defined data type",
                    path.display()
                ),
            ));
        }
    }
    Ok(decode(buf))
}

/// Bytes to text in the encoding libxml2 would pick: a UTF-16 byte order mark, a declared
/// ISO-8859-1 (or Latin-1) encoding, else UTF-8 (invalid sequences become U+FFFD, which the
/// parser then rejects or keeps as libxml2 does not; both fail the document or keep text).
pub fn decode(buf: Vec<u8>) -> String {
    let utf16 = |le: bool| {
        let units: Vec<u16> = buf[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match buf.get(..2) {
        Some([0xff, 0xfe]) => return utf16(true),
        Some([0xfe, 0xff]) => return utf16(false),
        _ => {}
    }
    if buf.starts_with(b"<?xml") {
        let decl_end = buf.iter().position(|&b| b == b'>').unwrap_or(buf.len());
        let decl = String::from_utf8_lossy(&buf[..decl_end]).to_ascii_lowercase();
        if let Some(p) = decl.find("encoding") {
            let v = decl[p + 8..]
                .trim_start_matches([' ', '='])
                .trim_start_matches(['"', '\'']);
            let name: String = v
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if matches!(
                name.as_str(),
                "iso-8859-1" | "latin1" | "latin-1" | "iso_8859-1"
            ) {
                return buf.iter().map(|&b| b as char).collect();
            }
        }
    }
    match String::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const O: Origin = Origin {
        url: "(domain_definition)",
        domain: Domain::VIR_FROM_DOMAIN,
        file: false,
    };

    #[test]
    fn depth_limit_is_libxml2s() {
        let ok = format!("<d>{}{}</d>", "<b>".repeat(256), "</b>".repeat(256));
        assert!(parse(&ok, O).is_ok());
        let deep = format!("<d>{}<c/>", "<b>".repeat(256));
        let e = parse(&deep, O).unwrap_err();
        assert_eq!(e.code, Code::VIR_ERR_XML_DETAIL as i32);
        let ptr = e.message().lines().nth(2).unwrap();
        assert_eq!(ptr.len(), 3 + 3 * 256 + 1, "{}", e.message());
    }

    #[test]
    fn fifty_thousand_levels_fail_without_recursion() {
        let deep = "<a>".repeat(50_000);
        let e = std::thread::Builder::new()
            .stack_size(64 << 10)
            .spawn(move || parse(&deep, O).map(|_| ()).unwrap_err())
            .unwrap()
            .join()
            .unwrap();
        assert!(e.message().contains("Excessive depth in document: 256"));
    }

    #[test]
    fn decodes_latin1_and_utf16() {
        let mut l1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>".to_vec();
        l1.push(0xe9);
        l1.extend_from_slice(b"</a>");
        assert!(decode(l1).contains("<a>\u{e9}</a>"));
        let mut u16le = vec![0xff, 0xfe];
        for u in "<a>x</a>".encode_utf16() {
            u16le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(u16le), "<a>x</a>");
    }
}
