//! The host side of the test driver: capabilities, sysinfo, the NUMA cells and their memory,
//! CPU statistics and map, free pages, the security model and CPU model names, with the
//! values libvirt 9.0.0's test driver answers.

use crate::core::driver::{CpuMap, SecurityModel};
use crate::core::{Code, Domain, Result, VirError};
use crate::generated::cpu_models;
use std::fmt::Write;

/// One NUMA cell of the test host.
#[derive(Clone, Debug)]
pub struct Cell {
    /// Memory, KiB.
    pub mem: u64,
    /// Free memory, bytes as `virNodeGetFreeMemory` sums them.
    pub free_mem: u64,
    /// (cpu id, socket id, core id); each CPU is its own only sibling.
    pub cpus: Vec<(u32, u32, u32)>,
}

/// libvirt's fixture (`test:///default`): two cells of eight CPUs, one socket each.
pub fn default_cells() -> Vec<Cell> {
    (0..2u32)
        .map(|i| Cell {
            mem: u64::from(i + 1) * 2048 * 1024,
            free_mem: u64::from(i + 1) * 1024 * 1024,
            cpus: (0..8).map(|c| (i * 8 + c, i, c)).collect(),
        })
        .collect()
}

/// Page sizes of the host, KiB.
const PAGE_SIZES: [u64; 4] = [4, 8, 2048, 1024 * 1024];
const EMULATOR: &str = "/usr/bin/test-hv";
const SEC_MODEL: &str = "testSecurity";

/// The test driver's capabilities XML for a host with `cells`.
pub fn capabilities(cells: &[Cell]) -> String {
    let mut x = String::from("<capabilities>\n\n  <host>\n    <cpu>\n      <arch>i686</arch>\n");
    x.push_str("      <features>\n        <pae/>\n        <nonpae/>\n      </features>\n");
    for p in PAGE_SIZES {
        let _ = writeln!(x, "      <pages unit='KiB' size='{p}'/>");
    }
    x.push_str("    </cpu>\n    <power_management/>\n    <iommu support='no'/>\n");
    let _ = writeln!(x, "    <topology>\n      <cells num='{}'>", cells.len());
    for (i, c) in cells.iter().enumerate() {
        let _ = writeln!(x, "        <cell id='{i}'>");
        let _ = writeln!(x, "          <memory unit='KiB'>{}</memory>", c.mem);
        // The first page size of a cell is the host's first, but the second for cell 1; the
        // huge page sizes follow, none available.
        let first = if i == 1 { PAGE_SIZES[1] } else { PAGE_SIZES[0] };
        let _ = writeln!(
            x,
            "          <pages unit='KiB' size='{first}'>{}</pages>",
            c.mem / first
        );
        for p in &PAGE_SIZES[2..] {
            let _ = writeln!(x, "          <pages unit='KiB' size='{p}'>0</pages>");
        }
        let _ = writeln!(x, "          <cpus num='{}'>", c.cpus.len());
        for (id, socket, core) in &c.cpus {
            let _ = writeln!(
                x,
                "            <cpu id='{id}' socket_id='{socket}' die_id='0' core_id='{core}' siblings='{id}'/>"
            );
        }
        x.push_str("          </cpus>\n        </cell>\n");
    }
    x.push_str("      </cells>\n    </topology>\n");
    let _ = writeln!(
        x,
        "    <secmodel>\n      <model>{SEC_MODEL}</model>\n      <doi></doi>\n    </secmodel>"
    );
    x.push_str("  </host>\n\n");
    for os in ["hvm", "xen"] {
        let _ = write!(
            x,
            "  <guest>\n    <os_type>{os}</os_type>\n    <arch name='i686'>\n      <wordsize>32</wordsize>\n      <emulator>{EMULATOR}</emulator>\n      <domain type='test'/>\n    </arch>\n    <features>\n      <pae/>\n      <nonpae/>\n    </features>\n  </guest>\n\n"
        );
    }
    x.push_str("</capabilities>\n");
    x
}

fn flags_ok(func: &str, flags: u32, supported: u32) -> Result<()> {
    VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, supported)
}

pub fn sysinfo(flags: u32) -> Result<String> {
    flags_ok("testConnectGetSysinfo", flags, 0)?;
    Ok(concat!(
        "<sysinfo type='smbios'>\n",
        "  <bios>\n",
        "    <entry name='vendor'>LENOVO</entry>\n",
        "    <entry name='version'>G4ETA1WW (2.61 )</entry>\n",
        "    <entry name='date'>05/07/2014</entry>\n",
        "    <entry name='release'>2.61</entry>\n",
        "  </bios>\n",
        "</sysinfo>\n"
    )
    .to_string())
}

/// Eight CPUs, of which 0, 2 and 4 are online (the map) while three are counted online.
pub fn cpu_map(flags: u32) -> Result<CpuMap> {
    flags_ok("testNodeGetCPUMap", flags, 0)?;
    Ok(CpuMap {
        cpus: 8,
        map: vec![0x15],
        online: 3,
    })
}

/// The same four figures for every CPU and for all of them.
pub fn cpu_stats(flags: u32) -> Result<Vec<(String, u64)>> {
    flags_ok("testNodeGetCPUStats", flags, 0)?;
    Ok([
        ("user", 9_797_400_000),
        ("kernel", 34_678_723_400_000),
        ("idle", 87_264_900_000),
        ("iowait", 763_600_000),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), *v))
    .collect())
}

pub fn free_memory(cells: &[Cell]) -> u64 {
    // libvirt sums into an unsigned int.
    cells
        .iter()
        .fold(0u32, |a, c| a.wrapping_add(c.free_mem as u32))
        .into()
}

/// The cells' memory (not their free memory, as libvirt's test driver answers).
pub fn cells_free_memory(cells: &[Cell], start: i32, max: i32) -> Result<Vec<u64>> {
    let start = usize::try_from(start).unwrap_or(usize::MAX);
    if start >= cells.len() {
        return Err(VirError::detail(
            Domain::VIR_FROM_TEST,
            Code::VIR_ERR_INVALID_ARG,
            "Range exceeds available cells",
        ));
    }
    let max = usize::try_from(max).unwrap_or(0);
    Ok(cells[start..].iter().take(max).map(|c| c.mem).collect())
}

/// Made-up counts, whatever the page sizes and cells: x = 2x + 7 from 6, in a C int.
pub fn free_pages(npages: usize, cell_count: u32, counts: &mut [u64], flags: u32) -> Result<()> {
    flags_ok("testNodeGetFreePages", flags, 0)?;
    let n = npages.saturating_mul(cell_count as usize).min(counts.len());
    let mut x: i32 = 6;
    for c in &mut counts[..n] {
        x = x.wrapping_mul(2).wrapping_add(7);
        *c = i64::from(x) as u64;
    }
    Ok(())
}

pub fn security_model() -> SecurityModel {
    SecurityModel {
        model: SEC_MODEL.to_string(),
        doi: String::new(),
    }
}

/// The CPU models libvirt's CPU driver for `arch` knows; `None`: that driver takes any name.
pub fn cpu_model_names(arch: &str, flags: u32) -> Result<Option<Vec<String>>> {
    flags_ok("testConnectGetCPUModelNames", flags, 0)?;
    if !super::xml::ARCHES.contains(&arch) {
        return Err(VirError::detail(
            Domain::VIR_FROM_TEST,
            Code::VIR_ERR_INVALID_ARG,
            format!("cannot find architecture {arch}"),
        ));
    }
    let list = match arch {
        "i686" | "x86_64" => cpu_models::X86,
        "ppc64" | "ppc64le" => cpu_models::PPC64,
        "armv6l" | "armv7b" | "armv7l" | "aarch64" | "s390" | "s390x" => return Ok(None),
        _ => {
            return Err(VirError::detail(
                Domain::VIR_FROM_CPU,
                Code::VIR_ERR_NO_SUPPORT,
                format!("'{arch}' architecture is not supported by CPU driver"),
            ));
        }
    };
    Ok(Some(list.iter().map(|s| s.to_string()).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_pages_wrap_like_a_c_int() {
        let mut c = [0u64; 40];
        free_pages(20, 2, &mut c, 0).unwrap();
        assert_eq!(&c[..3], &[19, 45, 97]);
        // 2147483641 * 2 + 7 wraps to -7, which then stays.
        assert_eq!(c[30], 2_147_483_641);
        assert_eq!(c[31], (-7i64) as u64);
        assert_eq!(c[39], (-7i64) as u64);
    }

    #[test]
    fn a_file_node_has_no_cells() {
        assert_eq!(free_memory(&[]), 0);
        assert!(cells_free_memory(&[], 0, 1).is_err());
        assert_eq!(free_memory(&default_cells()), 3 * 1024 * 1024);
    }
}
