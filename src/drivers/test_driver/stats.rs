//! Domain statistics and the small domain operations of the test driver (scope: domstats),
//! with libvirt 9.0.0's test-driver values and checks: block/interface/memory/CPU statistics,
//! block info, disk errors, `virConnectGetAllDomainStats`, NMI, reset, process signals,
//! memory peek and FS trim.

use super::node::{self, Dom};
use super::{TestDriver, not_running_conf, test_err};
use crate::core::driver::{
    BlockInfo, BlockStats, CpuStats, DomainRef, DomainStatsRecord, InterfaceStats, TypedParam,
    TypedValue,
};
use crate::core::{Code, Domain, Result, VirError};

/// libvirt's test driver reports this much total CPU time for every domain.
const TOTAL_CPUTIME: u64 = 48772617035;

// virDomainStatsTypes the test driver fills.
const STATS_STATE: u32 = 0x1;
const STATS_IOTHREAD: u32 = 0x80;
// virConnectGetAllDomainStatsFlags.
const STATS_ENFORCE: u32 = 0x8000_0000;
/// The list filters GetAllDomainStats passes on (active, persistent and state groups).
const STATS_LIST_FILTERS: u32 = 0xff;
/// The filters, NOWAIT, BACKING and ENFORCE_STATS.
const STATS_FLAGS: u32 = STATS_LIST_FILTERS | 0x2000_0000 | 0x4000_0000 | STATS_ENFORCE;

/// `VIR_DOMAIN_PROCESS_SIGNAL_LAST` in libvirt 9.0.0.
const PROCESS_SIGNAL_LAST: u32 = 65;
/// `VIR_DOMAIN_DISK_ERROR_LAST`.
const DISK_ERROR_LAST: usize = 3;

/// What the statistics calls need of a disk or an interface device.
struct DiskInfo {
    dst: String,
    source: Option<String>,
}

fn disks(dom: &Dom) -> Vec<DiskInfo> {
    dom.def
        .devices
        .iter()
        .filter(|d| d.kind == "disk")
        .filter_map(|d| {
            let doc = roxmltree::Document::parse(&d.xml).ok()?;
            let root = doc.root_element();
            let dst = root
                .children()
                .find(|n| n.has_tag_name("target"))
                .and_then(|n| n.attribute("dev"))
                .unwrap_or("")
                .to_string();
            let source = root
                .children()
                .find(|n| n.has_tag_name("source"))
                .and_then(|n| {
                    ["file", "dev", "dir", "name", "volume"]
                        .iter()
                        .find_map(|a| n.attribute(*a))
                })
                .map(str::to_string);
            Some(DiskInfo { dst, source })
        })
        .collect()
}

/// `virDomainDiskIndexByName(def, name, false)`.
fn disk_index(disks: &[DiskInfo], name: &str) -> Option<usize> {
    if !name.starts_with('/') {
        return disks.iter().position(|d| d.dst == name);
    }
    let mut found = disks
        .iter()
        .enumerate()
        .filter(|(_, d)| d.source.as_deref() == Some(name));
    let first = found.next()?.0;
    if found.next().is_some() {
        return None;
    }
    Some(first)
}

fn has_memballoon(dom: &Dom) -> bool {
    dom.def.devices.iter().any(|d| {
        d.kind == "memballoon"
            && roxmltree::Document::parse(&d.xml)
                .ok()
                .and_then(|doc| doc.root_element().attribute("model").map(|m| m != "none"))
                .unwrap_or(false)
    })
}

fn check_active(dom: &Dom) -> Result<()> {
    if dom.is_active() {
        Ok(())
    } else {
        Err(not_running_conf())
    }
}

/// Microseconds since the epoch (`g_get_real_time`), the base of the made-up counters.
fn real_time_us() -> i64 {
    (node::cpu_time_now() / 1000) as i64
}

fn ull(field: &str, v: u64) -> Option<TypedParam> {
    Some(TypedParam::new(field, TypedValue::ULLong(v)))
}

fn flags_ok(func: &str, flags: u32, supported: u32) -> Result<()> {
    VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, supported)
}

impl TestDriver {
    pub(super) fn stats_block(&self, d: &DomainRef, path: &str) -> Result<BlockStats> {
        if path.is_empty() {
            return Err(test_err(
                Code::VIR_ERR_OPERATION_UNSUPPORTED,
                "summary statistics are not supported yet",
            ));
        }
        self.with_dom(d, |dom| {
            check_active(dom)?;
            if disk_index(&disks(dom), path).is_none() {
                return Err(test_err(
                    Code::VIR_ERR_INVALID_ARG,
                    format!("invalid path: {path}"),
                ));
            }
            let base = real_time_us();
            Ok(BlockStats {
                rd_req: base / 10,
                rd_bytes: base / 20,
                wr_req: base / 30,
                wr_bytes: base / 40,
                errs: base / (1000 * 1000 * 2),
            })
        })
    }

    pub(super) fn stats_interface(&self, d: &DomainRef, device: &str) -> Result<InterfaceStats> {
        self.with_dom(d, |dom| {
            check_active(dom)?;
            super::iotune::find_net(&dom.def, Some(device))?;
            let base = real_time_us();
            Ok(InterfaceStats {
                rx_bytes: base / 10,
                rx_packets: base / 100,
                rx_errs: base / (1000 * 1000),
                rx_drop: base / (1000 * 1000 * 2),
                tx_bytes: base / 20,
                tx_packets: base / 110,
                tx_errs: base / (1000 * 1000 * 3),
                tx_drop: base / (1000 * 1000 * 4),
            })
        })
    }

    pub(super) fn stats_memory(
        &self,
        d: &DomainRef,
        nr: u32,
        flags: u32,
    ) -> Result<Vec<(i32, u64)>> {
        flags_ok("testDomainMemoryStats", flags, 0)?;
        self.with_dom(d, |dom| {
            check_active(dom)?;
            if !has_memballoon(dom) {
                return Ok(Vec::new());
            }
            // libvirt keeps the balloon size in an int here.
            let cur = dom.def.current_memory as i32;
            let v = |x: i32| x as i64 as u64;
            let all = [
                (6, v(cur)),
                (0, 0),
                (1, 0),
                (2, 0),
                (3, 0),
                (4, v(cur / 2)),
                (5, v(cur)),
                (8, v(cur / 2)),
                (9, 627319920),
                (10, v(cur / 8)),
                (11, 0),
                (12, 0),
                (7, v(cur / 2)),
            ];
            Ok(all.into_iter().take(nr as usize).collect())
        })
    }

    pub(super) fn block_info(&self, d: &DomainRef, path: &str, flags: u32) -> Result<BlockInfo> {
        flags_ok("testDomainGetBlockInfo", flags, 0)?;
        self.with_dom(d, |dom| {
            let disks = disks(dom);
            let Some(i) = disk_index(&disks, path) else {
                return Err(test_err(
                    Code::VIR_ERR_INVALID_ARG,
                    format!("invalid path {path} not assigned to domain"),
                ));
            };
            if disks[i].source.as_deref().unwrap_or("").is_empty() {
                return Err(test_err(
                    Code::VIR_ERR_INVALID_ARG,
                    format!("disk '{path}' does not currently have a source assigned"),
                ));
            }
            Ok(BlockInfo {
                capacity: 1099506450432,
                allocation: 1099511627776,
                physical: 1099511627776,
            })
        })
    }

    pub(super) fn cpu_stats(
        &self,
        d: &DomainRef,
        nparams: u32,
        start_cpu: i32,
        ncpus: u32,
        flags: u32,
    ) -> Result<CpuStats> {
        // VIR_TYPED_PARAM_STRING_OKAY.
        flags_ok("testDomainGetCPUStats", flags, 1 << 2)?;
        let total_cpus = self.node.info.cores as i32;
        self.with_dom(d, |dom| {
            check_active(dom)?;
            if start_cpu == -1 {
                if nparams == 0 {
                    return Ok(CpuStats {
                        ret: 3,
                        params: Vec::new(),
                    });
                }
                let all = [
                    ull("cpu_time", TOTAL_CPUTIME),
                    ull("user_time", 5540000000),
                    ull("system_time", 6460000000),
                ];
                let n = (nparams as usize).min(3);
                return Ok(CpuStats {
                    ret: n as i32,
                    params: all[..n].to_vec(),
                });
            }
            if nparams == 0 && ncpus != 0 {
                return Ok(CpuStats {
                    ret: 2,
                    params: Vec::new(),
                });
            }
            if ncpus == 0 {
                return Ok(CpuStats {
                    ret: total_cpus,
                    params: Vec::new(),
                });
            }
            if start_cpu >= total_cpus {
                return Err(test_err(
                    Code::VIR_ERR_INVALID_ARG,
                    format!(
                        "start_cpu {start_cpu} larger than maximum of {}",
                        total_cpus - 1
                    ),
                ));
            }
            let percpu = TOTAL_CPUTIME / total_cpus.max(1) as u64;
            let np = nparams as usize;
            let need = total_cpus.min(start_cpu.saturating_add(ncpus as i32));
            let mut grid = vec![None; np * ncpus as usize];
            for i in start_cpu..need {
                let row = (i - start_cpu) as usize * np;
                grid[row] = ull("cpu_time", percpu + i as u64);
                if np > 1 {
                    grid[row + 1] = ull("vcpu_time", (percpu + i as u64).wrapping_sub(1234567890));
                }
            }
            Ok(CpuStats {
                ret: if np > 1 { 2 } else { 1 },
                params: grid,
            })
        })
    }

    pub(super) fn disk_errors(
        &self,
        d: &DomainRef,
        maxerrors: u32,
        want: bool,
        flags: u32,
    ) -> Result<(i32, Vec<(String, i32)>)> {
        flags_ok("testDomainGetDiskErrors", flags, 0)?;
        self.with_dom(d, |dom| {
            check_active(dom)?;
            let disks = disks(dom);
            if !want {
                return Ok((disks.len() as i32, Vec::new()));
            }
            let list: Vec<(String, i32)> = disks
                .into_iter()
                .take(maxerrors as usize)
                .enumerate()
                .map(|(i, d)| (d.dst, (i % (DISK_ERROR_LAST - 1)) as i32 + 1))
                .collect();
            Ok((list.len() as i32, list))
        })
    }

    pub(super) fn all_domain_stats(
        &self,
        doms: &[DomainRef],
        stats: u32,
        flags: u32,
    ) -> Result<Vec<DomainStatsRecord>> {
        flags_ok("testConnectGetAllDomainStats", flags, STATS_FLAGS)?;
        let lflags = flags & STATS_LIST_FILTERS;
        let supported = STATS_STATE | STATS_IOTHREAD;
        let stats = if stats == 0 {
            supported
        } else if flags & STATS_ENFORCE != 0 && stats & !supported != 0 {
            return Err(test_err(
                Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
                format!(
                    "Stats types bits 0x{:x} are not supported by this daemon",
                    stats & !supported
                ),
            ));
        } else {
            stats
        };
        let st = self.node.state.read();
        let record = |dom: &Dom| {
            let mut params = Vec::new();
            if stats & STATS_STATE != 0 {
                params.push(TypedParam::new("state.state", TypedValue::Int(dom.state)));
                params.push(TypedParam::new("state.reason", TypedValue::Int(dom.reason)));
            }
            // pin scope: the IOThread group lists the running domain's IOThreads.
            if stats & STATS_IOTHREAD != 0 {
                params.extend(super::pinning::iothread_stats(dom));
            }
            DomainStatsRecord {
                dom: dom.handle(),
                params,
            }
        };
        let out = if doms.is_empty() {
            st.doms
                .iter()
                .filter(|d| super::list_filter_matches(d, lflags))
                .map(record)
                .collect()
        } else {
            doms.iter()
                .filter_map(|h| st.find_uuid(&h.uuid))
                .filter(|d| super::list_filter_matches(d, lflags))
                .map(record)
                .collect()
        };
        Ok(out)
    }

    pub(super) fn inject_nmi(&self, d: &DomainRef, flags: u32) -> Result<()> {
        flags_ok("testDomainInjectNMI", flags, 0)?;
        self.with_dom(d, check_active)
    }

    pub(super) fn reset(&self, d: &DomainRef, flags: u32) -> Result<()> {
        flags_ok("testDomainReset", flags, 0)?;
        self.with_dom(d, check_active)
    }

    pub(super) fn send_process_signal(
        &self,
        d: &DomainRef,
        pid: i64,
        signum: u32,
        flags: u32,
    ) -> Result<()> {
        flags_ok("testDomainSendProcessSignal", flags, 0)?;
        if pid != 1 {
            return Err(test_err(
                Code::VIR_ERR_INVALID_ARG,
                "only sending a signal to pid 1 is supported",
            ));
        }
        if signum >= PROCESS_SIGNAL_LAST {
            return Err(test_err(
                Code::VIR_ERR_INVALID_ARG,
                format!("signum value {} is out of range", signum as i32),
            ));
        }
        self.with_dom(d, |_| Ok(()))
    }

    pub(super) fn memory_peek(
        &self,
        d: &DomainRef,
        start: u64,
        size: usize,
        flags: u32,
    ) -> Result<Vec<u8>> {
        // VIR_MEMORY_VIRTUAL | VIR_MEMORY_PHYSICAL.
        flags_ok("testDomainMemoryPeek", flags, 3)?;
        if flags != 1 && flags != 2 {
            return Err(test_err(
                Code::VIR_ERR_INVALID_ARG,
                "flags parameter must be VIR_MEMORY_VIRTUAL or VIR_MEMORY_PHYSICAL",
            ));
        }
        self.with_dom(d, |dom| {
            check_active(dom)?;
            Ok((0..size)
                .map(|i| (start as u8).wrapping_add(i as u8))
                .collect())
        })
    }

    pub(super) fn fs_trim(
        &self,
        d: &DomainRef,
        mount_point: Option<&str>,
        flags: u32,
    ) -> Result<()> {
        flags_ok("testDomainFSTrim", flags, 0)?;
        self.with_dom(d, |dom| {
            check_active(dom)?;
            if let Some(m) = mount_point.filter(|m| *m != "/" && *m != "/boot") {
                return Err(test_err(
                    Code::VIR_ERR_OPERATION_INVALID,
                    format!("mount point not found: {m}"),
                ));
            }
            Ok(())
        })
    }

    /// FSFreeze (`freeze`) and FSThaw: the guest has `/` and `/boot`; the count of file
    /// systems that changed.
    pub(super) fn fs_freeze_thaw(
        &self,
        func: &str,
        d: &DomainRef,
        mounts: &[String],
        freeze: bool,
        flags: u32,
    ) -> Result<i32> {
        flags_ok(func, flags, 0)?;
        self.with_dom_mut(d, |st, i| {
            let dom = &mut st.doms[i];
            check_active(dom)?;
            let mut next = dom.frozen;
            if mounts.is_empty() {
                let n = next.iter().filter(|f| **f != freeze).count();
                dom.frozen = [freeze; 2];
                return Ok(n as i32);
            }
            let mut n = 0;
            for m in mounts {
                let k = match m.as_str() {
                    "/" => 0,
                    "/boot" => 1,
                    _ => {
                        return Err(test_err(
                            Code::VIR_ERR_OPERATION_INVALID,
                            format!("mount point not found: {m}"),
                        ));
                    }
                };
                if next[k] != freeze {
                    next[k] = freeze;
                    n += 1;
                }
            }
            dom.frozen = next;
            Ok(n)
        })
    }
}
