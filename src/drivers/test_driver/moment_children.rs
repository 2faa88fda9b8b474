//! Snapshot and checkpoint children of the test driver (scope: domstats): the children (or all
//! descendants) of one moment that pass the listing filters, `HasMetadata` and a checkpoint's
//! parent.

use super::TestDriver;
use super::moment::{self, Kind, Moment};
use crate::core::driver::DomainRef;
use crate::core::{Domain, Result, VirError};

/// `VIR_DOMAIN_{SNAPSHOT,CHECKPOINT}_LIST_DESCENDANTS` (the bit ROOTS has in the other lists).
const LIST_DESCENDANTS: u32 = 1;

fn below<M: Moment>(list: &[M], root: &str, all: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![root.to_string()];
    while let Some(n) = todo.pop() {
        for m in list.iter().filter(|m| m.parent() == Some(n.as_str())) {
            out.push(m.name().to_string());
            if all {
                todo.push(m.name().to_string());
            }
        }
    }
    out
}

impl TestDriver {
    /// The children (`LIST_DESCENDANTS`: all descendants) of moment `name` passing `flags`.
    pub(super) fn moment_children<K: Kind>(
        &self,
        func: &str,
        d: &DomainRef,
        name: &str,
        flags: u32,
    ) -> Result<Vec<String>> {
        VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, K::LIST_FLAGS)?;
        self.with_dom(d, |dom| {
            let list = K::list(dom);
            if !list.iter().any(|m| m.name() == name) {
                return Err(moment::missing::<K>(name));
            }
            let passing = moment::filter::<K>(dom, flags & !LIST_DESCENDANTS);
            Ok(below(list, name, flags & LIST_DESCENDANTS != 0)
                .into_iter()
                .filter(|n| passing.contains(n))
                .collect())
        })
    }

    /// HasMetadata: every snapshot of the test driver has metadata.
    pub(super) fn moment_has_metadata<K: Kind>(
        &self,
        func: &str,
        d: &DomainRef,
        name: &str,
        flags: u32,
    ) -> Result<bool> {
        VirError::check_flags(Domain::VIR_FROM_TEST, func, flags, 0)?;
        self.with_dom(d, |dom| {
            if !K::list(dom).iter().any(|m| m.name() == name) {
                return Err(moment::missing::<K>(name));
            }
            Ok(true)
        })
    }
}
