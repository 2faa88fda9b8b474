//! Save images and core dumps of the test driver (scope: domstats). The image is libvirt's
//! test-driver format: the magic `TestGuestMagic` with its NUL, the XML's length as a native
//! `int`, then the domain XML; core dumps are the magic alone.

use super::node::{self, Dom};
use super::xml::{self, DomainDef};
use super::{TestDriver, events, not_running_conf, test_err};
use crate::core::driver::DomainRef;
use crate::core::{Code, Domain, Result, VirError};
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;

const MAGIC: &[u8; 15] = b"TestGuestMagic\0";
const SHUTOFF_SAVED: i32 = 5;
const SHUTOFF_CRASHED: i32 = 3;
const RUNNING_RESTORED: i32 = 3;

fn sys(errno: Option<i32>, detail: String) -> VirError {
    VirError::system(Domain::VIR_FROM_TEST, errno.unwrap_or(0), &detail)
}

/// Write `def` as a save image at `path` (removed again if writing fails).
fn write_image(path: &str, def: &DomainDef, id: i32) -> Result<()> {
    let text = xml::format_domain(def, id);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| {
            sys(
                e.raw_os_error(),
                format!("saving domain '{}' to '{path}': open failed", def.name),
            )
        })?;
    let mut body = Vec::with_capacity(text.len() + 19);
    body.extend_from_slice(MAGIC);
    body.extend_from_slice(&(text.len() as i32).to_ne_bytes());
    body.extend_from_slice(text.as_bytes());
    if let Err(e) = f.write_all(&body).and_then(|_| f.sync_all()) {
        let _ = std::fs::remove_file(path);
        return Err(sys(
            e.raw_os_error(),
            format!("saving domain '{}' to '{path}': write failed", def.name),
        ));
    }
    Ok(())
}

/// Read as many bytes as `buf` holds, or fewer at end of file.
fn read_full(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Open a save image and parse the definition it holds.
fn read_image(path: &str) -> Result<DomainDef> {
    Ok(read_image_text(path)?.0)
}

/// [`read_image`], with the XML text the image holds.
fn read_image_text(path: &str) -> Result<(DomainDef, String)> {
    let mut f = std::fs::File::open(path).map_err(|e| {
        sys(
            e.raw_os_error(),
            format!("cannot read domain image '{path}'"),
        )
    })?;
    let short = |r: std::io::Result<usize>, want: usize, what: String| match r {
        Ok(n) if n == want => Ok(()),
        Ok(_) => Err(sys(None, what)),
        Err(e) => Err(sys(e.raw_os_error(), what)),
    };
    let mut magic = [0u8; 15];
    short(
        read_full(&mut f, &mut magic),
        15,
        format!("incomplete save header in '{path}'"),
    )?;
    if &magic != MAGIC {
        return Err(test_err(
            Code::VIR_ERR_INTERNAL_ERROR,
            "mismatched header magic",
        ));
    }
    let mut len = [0u8; 4];
    short(
        read_full(&mut f, &mut len),
        4,
        format!("failed to read metadata length in '{path}'"),
    )?;
    let len = i32::from_ne_bytes(len);
    if !(1..=8192).contains(&len) {
        return Err(test_err(
            Code::VIR_ERR_INTERNAL_ERROR,
            "length of metadata out of range",
        ));
    }
    let mut text = vec![0u8; len as usize];
    short(
        read_full(&mut f, &mut text),
        len as usize,
        format!("incomplete metadata in '{path}'"),
    )?;
    // The XML ends at its first NUL, as a C string does.
    let end = text.iter().position(|b| *b == 0).unwrap_or(text.len());
    let text = String::from_utf8_lossy(&text[..end]).into_owned();
    Ok((xml::parse_domain(&text)?.0, text))
}

/// The parser names interfaces `testnetN` as the test driver's define and start do; libvirt's
/// SaveImageDefineXML does not, so the names it did not get from `text` are dropped again.
fn drop_generated_ifnames(def: &mut DomainDef, text: &str) {
    let Ok(doc) = roxmltree::Document::parse(text) else {
        return;
    };
    let given: Vec<bool> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("interface") && n.parent().is_some_and(|p| p.has_tag_name("devices"))
        })
        .map(|n| n.children().any(|c| c.has_tag_name("target")))
        .collect();
    for (dev, had) in def
        .devices
        .iter_mut()
        .filter(|d| d.kind == "interface")
        .zip(given)
    {
        if had {
            continue;
        }
        let kept: Vec<&str> = dev
            .xml
            .lines()
            .filter(|l| {
                let t = l.trim_start();
                !(t.starts_with("<target dev='testnet") && t.ends_with("'/>"))
            })
            .collect();
        let mut x = kept.join("\n");
        if dev.xml.ends_with('\n') {
            x.push('\n');
        }
        dev.xml = x;
    }
}

fn no_dxml(dxml: Option<&str>) -> Result<()> {
    if dxml.is_some() {
        return Err(test_err(
            Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
            "xml modification unsupported",
        ));
    }
    Ok(())
}

fn check_flags(func: &str, flags: u32, supported: u32) -> Result<()> {
    VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, supported)
}

/// Stop a domain as testDomainShutdownState does, removing it if transient.
fn stop(st: &mut node::NodeState, i: usize, reason: i32, ev: (i32, i32)) -> events::Pending {
    let dom: &mut Dom = &mut st.doms[i];
    dom.stop(reason);
    let out = Some((dom.handle(), ev));
    if !dom.persistent {
        st.remove(i);
    }
    out
}

impl TestDriver {
    pub(super) fn save(
        &self,
        d: &DomainRef,
        path: &str,
        dxml: Option<&str>,
        flags: u32,
    ) -> Result<i32> {
        check_flags("testDomainSaveFlags", flags, 0)?;
        no_dxml(dxml)?;
        let mut ev: events::Pending = None;
        let r = self.with_dom_mut(d, |st, i| {
            let dom = &st.doms[i];
            if !dom.is_active() {
                return Err(not_running_conf());
            }
            write_image(path, &dom.def, dom.id)?;
            ev = stop(st, i, SHUTOFF_SAVED, events::STOPPED_SAVED);
            Ok(-1)
        });
        self.node.events.emit(ev);
        r
    }

    pub(super) fn restore(&self, path: &str, dxml: Option<&str>, flags: u32) -> Result<()> {
        check_flags("testDomainRestoreFlags", flags, 0)?;
        no_dxml(dxml)?;
        let def = read_image(path)?;
        let mut st = self.node.state.write();
        let i = match st.check_clash(&def)? {
            Some(i) => {
                let dom = &mut st.doms[i];
                if dom.is_active() {
                    return Err(VirError::detail(
                        Domain::VIR_FROM_DOMAIN,
                        Code::VIR_ERR_OPERATION_INVALID,
                        format!("domain '{}' is already active", dom.def.name),
                    ));
                }
                let old = std::mem::replace(&mut dom.def, def);
                if dom.new_def.is_none() {
                    dom.new_def = Some(old);
                }
                i
            }
            None => {
                let mut dom = Dom::new(def);
                dom.persistent = false;
                st.push(dom)
            }
        };
        let mut next = st.next_id;
        st.doms[i].start(&mut next, RUNNING_RESTORED);
        st.next_id = next;
        let h = st.doms[i].handle();
        drop(st);
        self.node.events.emit(Some((h, events::STARTED_RESTORED)));
        Ok(())
    }

    pub(super) fn save_image_xml(&self, path: &str, flags: u32) -> Result<String> {
        // VIR_DOMAIN_SAVE_IMAGE_XML_SECURE.
        check_flags("testDomainSaveImageGetXMLDesc", flags, 1)?;
        // Restoring names the interfaces (as the parser does); reading the image does not.
        let (mut def, text) = read_image_text(path)?;
        drop_generated_ifnames(&mut def, &text);
        Ok(xml::format_domain(&def, -1))
    }

    pub(super) fn save_image_define(&self, path: &str, dxml: &str, flags: u32) -> Result<()> {
        // VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED.
        check_flags("testDomainSaveImageDefineXML", flags, 6)?;
        read_image(path)?;
        let (mut def, _) = xml::parse_domain(dxml)?;
        drop_generated_ifnames(&mut def, dxml);
        write_image(path, &def, -1)
    }

    pub(super) fn core_dump(
        &self,
        d: &DomainRef,
        to: &str,
        format: u32,
        flags: u32,
    ) -> Result<i32> {
        // VIR_DUMP_CRASH.
        check_flags("testDomainCoreDumpWithFormat", flags, 1)?;
        let mut ev: events::Pending = None;
        let r = self.with_dom_mut(d, |st, i| {
            if !st.doms[i].is_active() {
                return Err(not_running_conf());
            }
            let name = d.name_str();
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(to)
                .map_err(|e| {
                    sys(
                        e.raw_os_error(),
                        format!("domain '{name}' coredump: failed to open {to}"),
                    )
                })?;
            f.write_all(MAGIC).map_err(|e| {
                sys(
                    e.raw_os_error(),
                    format!("domain '{name}' coredump: failed to write header to {to}"),
                )
            })?;
            drop(f);
            // VIR_DOMAIN_CORE_DUMP_FORMAT_RAW only.
            if format != 0 {
                return Err(test_err(
                    Code::VIR_ERR_OPERATION_UNSUPPORTED,
                    "kdump-compressed format is not supported here",
                ));
            }
            if flags & 1 != 0 {
                ev = stop(st, i, SHUTOFF_CRASHED, events::STOPPED_CRASHED);
                return Ok(-1);
            }
            Ok(d.id)
        });
        self.node.events.emit(ev);
        r
    }
}
