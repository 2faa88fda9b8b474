//! Secrets on the test driver, an opt-in extra (issue 9, item 5): libvirt's test driver has no
//! secret driver, so a connection only serves this family when its URI asks for it
//! (`?oxvirt_extras=secrets`, see `extras`). The semantics are those of libvirt's own secret
//! driver (the daemon's `secret:///system`): the definition's checks, usage conflicts, values,
//! private secrets, listing filters and events; nothing is stored on disk.
//!
//! The store lives in the node, so every connection to it (read-only ones included) sees the
//! same secrets.

use super::TestDriver;
use super::parse;
use super::xml::{escape_string, random_uuid};
use crate::core::driver::{
    Event, EventFamily, EventKey, EventObject, EventSink, Payload, SecretDriver, SecretRef,
};
use crate::core::{Code, Domain, Result, VirError, uuid};

// virSecretUsageType, in libvirt's order.
const USAGE_NAMES: [&str; 6] = ["none", "volume", "ceph", "iscsi", "tls", "vtpm"];
const USAGE_NONE: i32 = 0;

// virConnectListAllSecretsFlags.
const LIST_EPHEMERAL: u32 = 1;
const LIST_NO_EPHEMERAL: u32 = 2;
const LIST_PRIVATE: u32 = 4;
const LIST_NO_PRIVATE: u32 = 8;
// virSecretDefineFlags: VALIDATE.
const DEFINE_VALIDATE: u32 = 1;

// virSecretEventLifecycleType and virSecretEventID.
const EVENT_DEFINED: i32 = 0;
const EVENT_UNDEFINED: i32 = 1;
const EVENT_ID_VALUE_CHANGED: i32 = 1;

/// A parsed `<secret>`.
#[derive(Clone, Debug)]
struct SecretDef {
    uuid: [u8; 16],
    ephemeral: bool,
    private: bool,
    description: Option<String>,
    usage_type: i32,
    usage_id: Option<String>,
}

struct Secret {
    def: SecretDef,
    /// `None` until a value is set.
    value: Option<Vec<u8>>,
}

/// The node's secrets, in the order they were defined.
#[derive(Default)]
pub struct Secrets {
    list: Vec<Secret>,
}

impl Secrets {
    fn find(&self, uuid: &[u8; 16]) -> Option<usize> {
        self.list.iter().position(|s| &s.def.uuid == uuid)
    }
    /// A secret of this usage (never one of usage "none").
    fn find_usage(&self, usage_type: i32, usage_id: &str) -> Option<usize> {
        if usage_type == USAGE_NONE {
            return None;
        }
        self.list.iter().position(|s| {
            s.def.usage_type == usage_type && s.def.usage_id.as_deref() == Some(usage_id)
        })
    }
}

fn secret_err(code: Code, detail: impl AsRef<str>) -> VirError {
    VirError::detail(Domain::VIR_FROM_SECRET, code, detail)
}

fn no_uuid(uuid: &[u8; 16]) -> VirError {
    secret_err(
        Code::VIR_ERR_NO_SECRET,
        format!("no secret with matching uuid '{}'", uuid::format(uuid)),
    )
}

fn handle(def: &SecretDef) -> SecretRef {
    SecretRef {
        uuid: def.uuid,
        usage_type: def.usage_type,
        usage_id: def.usage_id.clone().unwrap_or_default(),
    }
}

/// XPath's `string()` of the first element child named `name`, `None` when absent or empty
/// (as libvirt's virXPathString answers).
fn child_text(n: roxmltree::Node, name: &str) -> Option<String> {
    let c = n
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == name)?;
    let text: String = c
        .descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect();
    Some(text).filter(|t| !t.is_empty())
}

fn yes_no(root: roxmltree::Node, attr: &str) -> Result<bool> {
    match root.attribute(attr).filter(|v| !v.is_empty()) {
        None | Some("no") => Ok(false),
        Some("yes") => Ok(true),
        Some(_) => Err(secret_err(
            Code::VIR_ERR_XML_ERROR,
            format!("invalid value of '{attr}'"),
        )),
    }
}

/// `virSecretDefParse` on text.
fn parse_secret(text: &str) -> Result<SecretDef> {
    let doc = parse::parse(
        text,
        parse::Origin {
            url: "(definition_of_secret)",
            domain: Domain::VIR_FROM_SECRET,
            file: false,
        },
    )?;
    let root = doc.root_element();
    let tag = root.tag_name().name();
    if tag != "secret" {
        return Err(VirError::detail(
            Domain::VIR_FROM_XML,
            Code::VIR_ERR_XML_ERROR,
            format!("expecting root element of 'secret', not '{tag}'"),
        ));
    }
    let ephemeral = yes_no(root, "ephemeral")?;
    let private = yes_no(root, "private")?;
    let uuid = match child_text(root, "uuid") {
        None => random_uuid(),
        Some(s) => uuid::parse(&s)
            .ok_or_else(|| secret_err(Code::VIR_ERR_INTERNAL_ERROR, "malformed uuid element"))?,
    };
    let description = child_text(root, "description");
    let mut usage_type = USAGE_NONE;
    let mut usage_id = None;
    if let Some(usage) = root
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "usage")
    {
        let Some(kind) = usage.attribute("type").filter(|t| !t.is_empty()) else {
            return Err(secret_err(
                Code::VIR_ERR_XML_ERROR,
                "unknown secret usage type",
            ));
        };
        let Some(t) = USAGE_NAMES.iter().position(|n| *n == kind) else {
            return Err(secret_err(
                Code::VIR_ERR_CONFIG_UNSUPPORTED,
                format!("unknown secret usage type {kind}"),
            ));
        };
        usage_type = t as i32;
        let (element, what) = match t {
            1 => (
                "volume",
                "volume usage specified, but volume path is missing",
            ),
            2 => ("name", "Ceph usage specified, but name is missing"),
            3 => ("target", "iSCSI usage specified, but target is missing"),
            4 => ("name", "TLS usage specified, but name is missing"),
            5 => ("name", "vTPM usage specified, but name is missing"),
            _ => ("", ""),
        };
        if !element.is_empty() {
            usage_id = Some(
                child_text(usage, element)
                    .ok_or_else(|| secret_err(Code::VIR_ERR_INTERNAL_ERROR, what))?,
            );
        }
    }
    Ok(SecretDef {
        uuid,
        ephemeral,
        private,
        description,
        usage_type,
        usage_id,
    })
}

/// `virSecretDefFormat`.
fn format_secret(def: &SecretDef) -> String {
    let yn = |b: bool| if b { "yes" } else { "no" };
    let mut x = format!(
        "<secret ephemeral='{}' private='{}'>\n  <uuid>{}</uuid>\n",
        yn(def.ephemeral),
        yn(def.private),
        uuid::format(&def.uuid)
    );
    if let Some(d) = &def.description {
        x.push_str(&format!(
            "  <description>{}</description>\n",
            escape_string(d)
        ));
    }
    if def.usage_type != USAGE_NONE {
        let kind = USAGE_NAMES[def.usage_type as usize];
        x.push_str(&format!("  <usage type='{kind}'>\n"));
        let element = match def.usage_type {
            1 => "volume",
            3 => "target",
            _ => "name",
        };
        if let Some(id) = &def.usage_id {
            x.push_str(&format!(
                "    <{element}>{}</{element}>\n",
                escape_string(id)
            ));
        }
        x.push_str("  </usage>\n");
    }
    x.push_str("</secret>\n");
    x
}

impl TestDriver {
    fn secret_event(&self, s: SecretRef, event_id: i32, payload: Payload) {
        self.node.events.emit_event(Event {
            object: EventObject::Secret(s),
            event_id,
            payload,
        });
    }

    fn with_secret<T>(&self, s: &SecretRef, f: impl FnOnce(&Secret) -> Result<T>) -> Result<T> {
        let secrets = self.node.secrets.read();
        let i = secrets.find(&s.uuid).ok_or_else(|| no_uuid(&s.uuid))?;
        f(&secrets.list[i])
    }
}

impl SecretDriver for TestDriver {
    fn connect_num_of_secrets(&self) -> Result<i32> {
        Ok(self.node.secrets.read().list.len() as i32)
    }
    fn connect_list_secrets(&self, max: usize) -> Result<Vec<String>> {
        let secrets = self.node.secrets.read();
        Ok(secrets
            .list
            .iter()
            .take(max)
            .map(|s| uuid::format(&s.def.uuid))
            .collect())
    }
    fn connect_list_all_secrets(&self, flags: u32) -> Result<Vec<SecretRef>> {
        VirError::check_flags(
            Domain::VIR_FROM_SECRET,
            "secretConnectListAllSecrets",
            flags,
            LIST_EPHEMERAL | LIST_NO_EPHEMERAL | LIST_PRIVATE | LIST_NO_PRIVATE,
        )?;
        // Each pair filters only when one of its two flags is given; both given, both pass.
        let pass = |on: bool, yes: u32, no: u32| {
            flags & (yes | no) == 0 || (on && flags & yes != 0) || (!on && flags & no != 0)
        };
        let secrets = self.node.secrets.read();
        Ok(secrets
            .list
            .iter()
            .filter(|s| pass(s.def.ephemeral, LIST_EPHEMERAL, LIST_NO_EPHEMERAL))
            .filter(|s| pass(s.def.private, LIST_PRIVATE, LIST_NO_PRIVATE))
            .map(|s| handle(&s.def))
            .collect())
    }
    fn secret_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<SecretRef> {
        let secrets = self.node.secrets.read();
        let i = secrets.find(uuid).ok_or_else(|| no_uuid(uuid))?;
        Ok(handle(&secrets.list[i].def))
    }
    fn secret_lookup_by_usage(&self, usage_type: i32, usage_id: &str) -> Result<SecretRef> {
        let secrets = self.node.secrets.read();
        let i = secrets.find_usage(usage_type, usage_id).ok_or_else(|| {
            secret_err(
                Code::VIR_ERR_NO_SECRET,
                format!("no secret with matching usage '{usage_id}'"),
            )
        })?;
        Ok(handle(&secrets.list[i].def))
    }
    fn secret_define_xml(&self, xml: &str, flags: u32) -> Result<SecretRef> {
        VirError::check_flags(
            Domain::VIR_FROM_SECRET,
            "secretDefineXML",
            flags,
            DEFINE_VALIDATE,
        )?;
        let def = parse_secret(xml)?;
        let h = {
            let mut secrets = self.node.secrets.write();
            let uuidstr = uuid::format(&def.uuid);
            if let Some(i) = secrets.find(&def.uuid) {
                let old = &mut secrets.list[i];
                if old.def.usage_id != def.usage_id {
                    return Err(secret_err(
                        Code::VIR_ERR_INTERNAL_ERROR,
                        format!(
                            "a secret with UUID {uuidstr} is already defined for use with {}",
                            old.def.usage_id.as_deref().unwrap_or("(null)")
                        ),
                    ));
                }
                if old.def.private && !def.private {
                    return Err(secret_err(
                        Code::VIR_ERR_INTERNAL_ERROR,
                        "cannot change private flag on existing secret",
                    ));
                }
                old.def = def;
                handle(&old.def)
            } else {
                let id = def.usage_id.as_deref().unwrap_or("");
                if let Some(i) = secrets.find_usage(def.usage_type, id) {
                    return Err(secret_err(
                        Code::VIR_ERR_INTERNAL_ERROR,
                        format!(
                            "a secret with UUID {} already defined for use with {id}",
                            uuid::format(&secrets.list[i].def.uuid)
                        ),
                    ));
                }
                let h = handle(&def);
                secrets.list.push(Secret { def, value: None });
                h
            }
        };
        self.secret_event(
            h.clone(),
            0,
            Payload::Lifecycle {
                event: EVENT_DEFINED,
                detail: 0,
            },
        );
        Ok(h)
    }
    fn secret_get_xml_desc(&self, s: &SecretRef, flags: u32) -> Result<String> {
        VirError::check_flags(Domain::VIR_FROM_SECRET, "secretGetXMLDesc", flags, 0)?;
        self.with_secret(s, |sec| Ok(format_secret(&sec.def)))
    }
    fn secret_set_value(&self, s: &SecretRef, value: &[u8], flags: u32) -> Result<()> {
        VirError::check_flags(Domain::VIR_FROM_SECRET, "secretSetValue", flags, 0)?;
        // Through libvirtd, where the secret driver lives, an empty value arrives as a NULL
        // pointer (XDR's empty opaque) and the daemon's entry point refuses it: a program
        // using secrets only ever sees that answer.
        if value.is_empty() {
            return Err(VirError::invalid_arg(
                Domain::VIR_FROM_SECRET,
                "virSecretSetValue",
                "value",
                "value in virSecretSetValue must not be NULL".to_string(),
            ));
        }
        let h = {
            let mut secrets = self.node.secrets.write();
            let i = secrets.find(&s.uuid).ok_or_else(|| no_uuid(&s.uuid))?;
            let sec = &mut secrets.list[i];
            sec.value = Some(value.to_vec());
            handle(&sec.def)
        };
        self.secret_event(h, EVENT_ID_VALUE_CHANGED, Payload::Plain);
        Ok(())
    }
    fn secret_get_value(&self, s: &SecretRef, flags: u32) -> Result<Vec<u8>> {
        VirError::check_flags(Domain::VIR_FROM_SECRET, "secretGetValue", flags, 0)?;
        // libvirt's driver never hands a private secret's value to a client (only its own
        // internal callers read it), whoever the client is.
        self.with_secret(s, |sec| {
            if sec.def.private {
                return Err(secret_err(
                    Code::VIR_ERR_INVALID_SECRET,
                    "secret is private",
                ));
            }
            sec.value.clone().ok_or_else(|| {
                secret_err(
                    Code::VIR_ERR_NO_SECRET,
                    format!(
                        "secret '{}' does not have a value",
                        uuid::format(&sec.def.uuid)
                    ),
                )
            })
        })
    }
    fn secret_undefine(&self, s: &SecretRef) -> Result<()> {
        let h = {
            let mut secrets = self.node.secrets.write();
            let i = secrets.find(&s.uuid).ok_or_else(|| no_uuid(&s.uuid))?;
            handle(&secrets.list.remove(i).def)
        };
        self.secret_event(
            h,
            0,
            Payload::Lifecycle {
                event: EVENT_UNDEFINED,
                detail: 0,
            },
        );
        Ok(())
    }
    fn connect_secret_event_register_any(
        &self,
        secret: Option<&SecretRef>,
        event_id: i32,
        cb: EventSink,
    ) -> Result<i32> {
        let filter = secret.map(|s| EventKey::Uuid(s.uuid));
        Ok(self
            .node
            .events
            .subscribe(EventFamily::Secret, event_id, filter, cb))
    }
    fn connect_secret_event_deregister_any(&self, id: i32) -> Result<()> {
        self.node.events.unsubscribe(id);
        Ok(())
    }
    fn has_secret_events(&self) -> bool {
        true
    }
}

/// The extras a `test:` URI opts into with `oxvirt_extras=NAME[,NAME...]` in its query (names:
/// `secrets`, or `all`). libvirt's test driver ignores a URI's query, so without the parameter
/// a connection answers exactly as libvirt's does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Extras {
    pub secrets: bool,
}

impl Extras {
    pub fn from_query(query: Option<&str>) -> Result<Extras> {
        let mut x = Extras::default();
        let Some(q) = query else { return Ok(x) };
        for pair in q.split('&') {
            let Some(("oxvirt_extras", names)) = pair.split_once('=') else {
                continue;
            };
            for name in names.split(',').filter(|n| !n.is_empty()) {
                match name {
                    "secrets" | "all" => x.secrets = true,
                    other => {
                        return Err(VirError::detail(
                            Domain::VIR_FROM_TEST,
                            Code::VIR_ERR_INVALID_ARG,
                            format!(
                                "unknown oxvirt extra '{other}' (known: secrets, all) in the URI's oxvirt_extras parameter"
                            ),
                        ));
                    }
                }
            }
        }
        Ok(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extras_from_query() {
        assert_eq!(Extras::from_query(None).unwrap(), Extras::default());
        assert!(
            Extras::from_query(Some("a=b&oxvirt_extras=secrets"))
                .unwrap()
                .secrets
        );
        assert!(
            Extras::from_query(Some("oxvirt_extras=all"))
                .unwrap()
                .secrets
        );
        assert!(!Extras::from_query(Some("extras=secrets")).unwrap().secrets);
        assert!(Extras::from_query(Some("oxvirt_extras=disks")).is_err());
    }

    #[test]
    fn parse_and_format() {
        let d = parse_secret(
            "<secret private='yes'><uuid>44444444-5555-6666-7777-000000000001</uuid>\
             <description>a &amp; b</description>\
             <usage type='iscsi'><target>iqn.x</target></usage></secret>",
        )
        .unwrap();
        assert_eq!(
            format_secret(&d),
            "<secret ephemeral='no' private='yes'>\n  \
             <uuid>44444444-5555-6666-7777-000000000001</uuid>\n  \
             <description>a &amp; b</description>\n  <usage type='iscsi'>\n    \
             <target>iqn.x</target>\n  </usage>\n</secret>\n"
        );
        let e = parse_secret("<secret><usage type='ceph'/></secret>").unwrap_err();
        assert_eq!(
            e.message(),
            "internal error: Ceph usage specified, but name is missing"
        );
    }
}
