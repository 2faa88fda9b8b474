//! Domain tuning on the test driver (scope: domtune): vCPU counts, memory sizes, lifecycle
//! actions, guest time, hostname, control state, security label and scheduler type, with
//! libvirt's test-driver semantics and its config/live flag rules.

use super::metadata;
use super::node::{self, Dom};
use super::xml::DomainDef;
use super::{TestDriver, not_running_conf, test_err};
use crate::core::driver::{ControlInfo, DomainRef, SecurityLabel, VcpuInfo, Vcpus};
use crate::core::{Code, Domain, Result, VirError};

/// `virDomainModificationImpact`.
const AFFECT_LIVE: u32 = 1;
const AFFECT_CONFIG: u32 = 2;
/// `VIR_DOMAIN_VCPU_MAXIMUM` / `VIR_DOMAIN_MEM_MAXIMUM` (same value).
const MAXIMUM: u32 = 4;
/// `VIR_DOMAIN_TIME_SYNC`, `VIR_DOMAIN_PASSWORD_ENCRYPTED`.
const TIME_SYNC: u32 = 1;
const PASSWORD_ENCRYPTED: u32 = 1;

/// What `testConnectGetMaxVcpus` answers.
const MAX_VCPUS: u32 = 32;

/// The per-domain private state of libvirt's test driver that these calls use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomTune {
    /// The guest time `virDomainSetTime` stored (libvirt's test driver starts at 627319920).
    pub seconds: i64,
    pub nseconds: u32,
}

impl Default for DomTune {
    fn default() -> Self {
        DomTune {
            seconds: 627319920,
            nseconds: 0,
        }
    }
}

/// libvirt's `virDomainLifecycleAction` names, by value.
const LIFECYCLE_ACTIONS: &[&str] = &[
    "destroy",
    "restart",
    "rename-restart",
    "preserve",
    "coredump-destroy",
    "coredump-restart",
];
const LIFECYCLE_TYPES: &[&str] = &["poweroff", "reboot", "crash"];

fn not_persistent() -> VirError {
    VirError::detail(
        Domain::VIR_FROM_DOMAIN,
        Code::VIR_ERR_OPERATION_INVALID,
        "transient domains do not have any persistent config",
    )
}

/// `virDomainObjUpdateModificationImpact`: the flags with CURRENT resolved.
fn impact(dom: &Dom, mut flags: u32) -> Result<u32> {
    if flags & (AFFECT_LIVE | AFFECT_CONFIG) == 0 {
        flags |= if dom.is_active() {
            AFFECT_LIVE
        } else {
            AFFECT_CONFIG
        };
    }
    if !dom.is_active() && flags & AFFECT_LIVE != 0 {
        return Err(not_running_conf());
    }
    if !dom.persistent && flags & AFFECT_CONFIG != 0 {
        return Err(not_persistent());
    }
    Ok(flags)
}

/// The live definition and the persistent one of a domain, split so both can change: a
/// running persistent domain gets its own next-boot copy first (libvirt's `newDef`).
fn split(dom: &mut Dom) -> (&mut DomainDef, Option<&mut DomainDef>) {
    if dom.is_active() && dom.persistent && dom.new_def.is_none() {
        dom.new_def = Some(dom.def.clone());
    }
    (&mut dom.def, dom.new_def.as_mut())
}

/// `virDomainObjGetDefs`: (live, persistent) definitions the flags select.
fn get_defs(dom: &mut Dom, flags: u32) -> Result<(Option<&mut DomainDef>, Option<&mut DomainDef>)> {
    let flags = impact(dom, flags)?;
    let active = dom.is_active();
    let (live, pers) = split(dom);
    if active {
        Ok((
            Some(live).filter(|_| flags & AFFECT_LIVE != 0),
            pers.filter(|_| flags & AFFECT_CONFIG != 0),
        ))
    } else {
        Ok((None, Some(live)))
    }
}

fn check_one(flags: u32) -> Result<()> {
    if flags & AFFECT_LIVE != 0 && flags & AFFECT_CONFIG != 0 {
        return Err(VirError::invalid_arg(
            Domain::VIR_FROM_DOMAIN,
            "",
            "flags",
            "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive"
                .to_string(),
        ));
    }
    Ok(())
}

/// `virDomainObjGetOneDefState`: the one definition the flags select, and whether it is the
/// live one.
pub(super) fn one_def(dom: &Dom, flags: u32) -> Result<(&DomainDef, bool)> {
    check_one(flags)?;
    let flags = impact(dom, flags)?;
    let live = flags & AFFECT_LIVE != 0;
    if dom.is_active() && flags & AFFECT_CONFIG != 0 {
        return Ok((dom.persistent_def(), live));
    }
    Ok((&dom.def, live))
}

pub(super) fn one_def_mut(dom: &mut Dom, flags: u32) -> Result<(&mut DomainDef, bool)> {
    check_one(flags)?;
    let flags = impact(dom, flags)?;
    let live = flags & AFFECT_LIVE != 0;
    let config_of_running = dom.is_active() && flags & AFFECT_CONFIG != 0;
    let (l, p) = split(dom);
    match p {
        Some(p) if config_of_running => Ok((p, live)),
        _ => Ok((l, live)),
    }
}

/// `virDomainDefGetVcpus`: the online vCPUs.
fn current_vcpus(def: &DomainDef) -> u32 {
    def.vcpus_current.unwrap_or(def.vcpus)
}

fn set_current_vcpus(def: &mut DomainDef, n: u32) {
    def.vcpus_current = Some(n).filter(|&n| n != def.vcpus);
}

/// `virDomainDefSetVcpusMax`: new vCPUs come offline, removed ones go.
fn set_max_vcpus(def: &mut DomainDef, n: u32) {
    let cur = current_vcpus(def).min(n);
    def.vcpus = n;
    set_current_vcpus(def, cur);
}

fn bad_vcpus(n: u32, max: u32, of_domain: bool) -> VirError {
    let what = if of_domain {
        "requested cpu amount exceeds maximum"
    } else {
        "requested cpu amount exceeds maximum supported amount"
    };
    test_err(Code::VIR_ERR_INVALID_ARG, format!("{what} ({n} > {max})"))
}

impl TestDriver {
    /// `VIR_NODEINFO_MAXCPUS` of the node.
    fn host_cpus(&self) -> u32 {
        let i = &self.node.info;
        i.nodes * i.sockets * i.cores * i.threads
    }

    pub(super) fn tune_get_vcpus(&self, d: &DomainRef, maxinfo: i32, maplen: i32) -> Result<Vcpus> {
        let hostcpus = self.host_cpus() as usize;
        self.with_dom(d, |dom| {
            if !dom.is_active() {
                return Err(test_err(
                    Code::VIR_ERR_OPERATION_INVALID,
                    "cannot list vcpus for an inactive domain",
                ));
            }
            let n = (maxinfo.max(0) as u32).min(current_vcpus(&dom.def)) as usize;
            let maplen = maplen.max(0) as usize;
            let statbase = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|t| t.as_micros() as u64)
                .unwrap_or(0);
            let mut out = Vcpus {
                cleared: n,
                ..Vcpus::default()
            };
            for i in 0..n {
                // pin scope: a pinned vCPU's map, or every host CPU.
                let cpus = super::pinning::vcpu_cpus(&dom.def, i as u32, hostcpus as u32);
                out.info.push(VcpuInfo {
                    number: i as u32,
                    state: 1, // VIR_VCPU_RUNNING
                    cpu_time: statbase / 10,
                    cpu: cpus.last().map_or(-1, |&c| c as i32),
                });
                out.cpumaps
                    .extend(super::pinning::cpuset_to_map(&cpus, maplen));
            }
            Ok(out)
        })
    }

    pub(super) fn tune_get_vcpus_flags(&self, d: &DomainRef, flags: u32) -> Result<i32> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testDomainGetVcpusFlags",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG | MAXIMUM,
        )?;
        self.with_dom(d, |dom| {
            let (def, _) = one_def(dom, flags)?;
            Ok(if flags & MAXIMUM != 0 {
                def.vcpus as i32
            } else {
                current_vcpus(def) as i32
            })
        })
    }

    pub(super) fn tune_set_vcpus_flags(&self, d: &DomainRef, n: u32, flags: u32) -> Result<()> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testDomainSetVcpusFlags",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG | MAXIMUM,
        )?;
        if n > MAX_VCPUS {
            return Err(bad_vcpus(n, MAX_VCPUS, false));
        }
        self.with_dom_mut(d, |st, i| {
            let (live, pers) = get_defs(&mut st.doms[i], flags)?;
            if let Some(l) = &live
                && l.vcpus < n
            {
                return Err(bad_vcpus(n, l.vcpus, true));
            }
            if let Some(p) = &pers
                && flags & MAXIMUM == 0
                && p.vcpus < n
            {
                return Err(bad_vcpus(n, p.vcpus, true));
            }
            if let Some(l) = live {
                set_current_vcpus(l, n);
            }
            if let Some(p) = pers {
                if flags & MAXIMUM != 0 {
                    set_max_vcpus(p, n);
                } else {
                    set_current_vcpus(p, n);
                }
            }
            Ok(())
        })
    }

    pub(super) fn tune_set_memory_flags(
        &self,
        d: &DomainRef,
        memory: u64,
        flags: u32,
    ) -> Result<()> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testDomainSetMemoryFlags",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG | MAXIMUM,
        )?;
        self.with_dom_mut(d, |st, i| {
            let (def, live) = one_def_mut(&mut st.doms[i], flags)?;
            if flags & MAXIMUM != 0 {
                if live {
                    return Err(test_err(
                        Code::VIR_ERR_OPERATION_INVALID,
                        "cannot resize the maximum memory on an active domain",
                    ));
                }
                def.memory = memory;
                def.current_memory = def.current_memory.min(memory);
            } else {
                if memory > def.memory {
                    return Err(test_err(
                        Code::VIR_ERR_INVALID_ARG,
                        "cannot set memory higher than max memory",
                    ));
                }
                def.current_memory = memory;
            }
            Ok(())
        })
    }

    pub(super) fn tune_set_lifecycle_action(
        &self,
        d: &DomainRef,
        kind: u32,
        action: u32,
        flags: u32,
    ) -> Result<()> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testDomainSetLifecycleAction",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG,
        )?;
        let (Some(kname), Some(aname)) = (
            LIFECYCLE_TYPES.get(kind as usize),
            LIFECYCLE_ACTIONS.get(action as usize),
        ) else {
            // The entry point refuses values out of range.
            return Err(VirError::generic());
        };
        if kind != 2 && action >= 4 {
            return Err(VirError::detail(
                Domain::VIR_FROM_DOMAIN,
                Code::VIR_ERR_CONFIG_UNSUPPORTED,
                format!("Lifecycle event '{kname}' doesn't support '{aname}' action"),
            ));
        }
        let set = |def: &mut DomainDef| {
            let slot = match kind {
                0 => &mut def.on_poweroff,
                1 => &mut def.on_reboot,
                _ => &mut def.on_crash,
            };
            *slot = aname.to_string();
        };
        self.with_dom_mut(d, |st, i| {
            let (live, pers) = get_defs(&mut st.doms[i], flags)?;
            if let Some(l) = live {
                set(l);
            }
            if let Some(p) = pers {
                set(p);
            }
            Ok(())
        })
    }

    pub(super) fn tune_get_hostname(&self, d: &DomainRef, flags: u32) -> Result<String> {
        VirError::check_flags(Domain::VIR_FROM_TEST, "testDomainGetHostname", flags, 0)?;
        self.with_dom(d, |dom| {
            if !dom.is_active() {
                return Err(not_running_conf());
            }
            Ok(format!("{}host", d.name_str()))
        })
    }

    pub(super) fn tune_get_time(&self, d: &DomainRef, flags: u32) -> Result<(i64, u32)> {
        VirError::check_flags(Domain::VIR_FROM_TEST, "testDomainGetTime", flags, 0)?;
        self.with_dom(d, |dom| {
            if dom.state != node::RUNNING {
                return Err(test_err(
                    Code::VIR_ERR_OPERATION_INVALID,
                    "domain is not running",
                ));
            }
            Ok((dom.tune.seconds, dom.tune.nseconds))
        })
    }

    pub(super) fn tune_set_time(&self, d: &DomainRef, s: i64, ns: u32, flags: u32) -> Result<()> {
        VirError::check_flags(Domain::VIR_FROM_TEST, "testDomainSetTime", flags, TIME_SYNC)?;
        self.with_dom_mut(d, |st, i| {
            let dom = &mut st.doms[i];
            if !dom.is_active() {
                return Err(not_running_conf());
            }
            dom.tune.seconds = s;
            dom.tune.nseconds = ns;
            Ok(())
        })
    }

    pub(super) fn tune_set_user_password(&self, d: &DomainRef, flags: u32) -> Result<()> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testDomainSetUserPassword",
            flags,
            PASSWORD_ENCRYPTED,
        )?;
        self.with_dom(d, |dom| {
            if !dom.is_active() {
                return Err(not_running_conf());
            }
            Ok(())
        })
    }

    pub(super) fn tune_get_control_info(&self, d: &DomainRef, flags: u32) -> Result<ControlInfo> {
        VirError::check_flags(Domain::VIR_FROM_TEST, "testDomainGetControlInfo", flags, 0)?;
        self.with_dom(d, |dom| {
            if !dom.is_active() {
                return Err(not_running_conf());
            }
            // libvirt's test driver derives a control state from the guest time it was set to.
            let s = dom.tune.seconds;
            let mut info = ControlInfo::default();
            if s > 0 && s < 10000 {
                info.state = 1; // JOB
                info.state_time = s as u64;
            } else if (10000..30000).contains(&s) {
                info.state = 2; // OCCUPIED
                info.state_time = (s - 10000) as u64;
            } else if (30000..60000).contains(&s) {
                info.state = 3; // ERROR
                info.details = (s % 4) as u32;
                info.state_time = (s - 30000) as u64;
            }
            Ok(info)
        })
    }

    pub(super) fn tune_get_security_label(&self, d: &DomainRef) -> Result<SecurityLabel> {
        self.with_dom(d, |dom| {
            Ok(if dom.is_active() {
                SecurityLabel {
                    label: "libvirt-test".to_string(),
                    enforcing: 1,
                }
            } else {
                SecurityLabel::default()
            })
        })
    }

    pub(super) fn tune_get_metadata(
        &self,
        d: &DomainRef,
        kind: i32,
        uri: Option<&str>,
        flags: u32,
    ) -> Result<String> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testDomainGetMetadata",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG,
        )?;
        self.with_dom(d, |dom| {
            if kind >= METADATA_LAST {
                return Err(unknown_metadata(kind));
            }
            let (def, _) = one_def(dom, flags)?;
            let v = match kind {
                METADATA_DESCRIPTION => def.description.clone(),
                METADATA_TITLE => def.title.clone(),
                METADATA_ELEMENT => metadata::get_element(def.metadata.as_ref(), uri.unwrap_or("")),
                _ => None,
            };
            v.ok_or_else(|| {
                VirError::detail(
                    Domain::VIR_FROM_DOMAIN,
                    Code::VIR_ERR_NO_DOMAIN_METADATA,
                    "Requested metadata element is not present",
                )
            })
        })
    }

    pub(super) fn tune_set_metadata(
        &self,
        d: &DomainRef,
        kind: i32,
        text: Option<&str>,
        key: Option<&str>,
        uri: Option<&str>,
        flags: u32,
    ) -> Result<()> {
        VirError::check_flags(
            Domain::VIR_FROM_TEST,
            "testDomainSetMetadata",
            flags,
            AFFECT_LIVE | AFFECT_CONFIG,
        )?;
        self.with_dom_mut(d, |st, i| {
            let (live, pers) = get_defs(&mut st.doms[i], flags)?;
            for def in [live, pers].into_iter().flatten() {
                set_metadata(def, kind, text, key, uri)?;
            }
            Ok(())
        })
    }
}

impl TestDriver {
    /// The test driver never taints a domain nor records deprecations: no messages.
    pub(super) fn tune_get_messages(&self, d: &DomainRef, flags: u32) -> Result<Vec<String>> {
        // VIR_DOMAIN_MESSAGE_DEPRECATION | VIR_DOMAIN_MESSAGE_TAINTING.
        VirError::check_flags(Domain::VIR_FROM_TEST, "testDomainGetMessages", flags, 3)?;
        self.with_dom(d, |_| Ok(Vec::new()))
    }
}

/// `virDomainMetadataType`.
const METADATA_DESCRIPTION: i32 = 0;
const METADATA_TITLE: i32 = 1;
const METADATA_ELEMENT: i32 = 2;
const METADATA_LAST: i32 = 3;

fn unknown_metadata(kind: i32) -> VirError {
    VirError::detail(
        Domain::VIR_FROM_DOMAIN,
        Code::VIR_ERR_INVALID_ARG,
        format!("unknown metadata type '{kind}'"),
    )
}

/// virDomainDefSetMetadata on one definition.
fn set_metadata(
    def: &mut DomainDef,
    kind: i32,
    text: Option<&str>,
    key: Option<&str>,
    uri: Option<&str>,
) -> Result<()> {
    if kind >= METADATA_LAST {
        return Err(unknown_metadata(kind));
    }
    let value = || text.filter(|t| !t.is_empty()).map(str::to_string);
    match kind {
        METADATA_DESCRIPTION => def.description = value(),
        METADATA_TITLE => def.title = value(),
        METADATA_ELEMENT => {
            let new = match text {
                Some(t) => {
                    let doc = super::parse::parse(
                        t,
                        super::parse::Origin {
                            url: "(metadata_xml)",
                            domain: Domain::VIR_FROM_DOMAIN,
                            file: false,
                        },
                    )?;
                    Some(metadata::MdElem::from_node(doc.root_element(), false))
                }
                None => None,
            };
            metadata::set_element(&mut def.metadata, new, key, uri.unwrap_or(""))?;
        }
        _ => {}
    }
    Ok(())
}
