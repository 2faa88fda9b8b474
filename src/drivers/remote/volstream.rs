//! The remote driver's volume streams (scope sparse): `virStorageVolUpload` and
//! `virStorageVolDownload` open a stream on the call's serial; with the SPARSE_STREAM flag
//! (the same bit for both) holes travel as STREAM_HOLE packets both ways, as libvirt's client
//! opens such streams (`allowSkip`). The daemon checks the flags, offset and length.

use super::RemoteDriver;
use super::storage::vol;
use crate::core::Result;
use crate::core::driver::VolRef;
use crate::core::stream::StreamBackend;
use crate::generated::proto_procs::remote as p;
use crate::generated::proto_types::*;
use crate::rpc::stream::RpcStream;
use std::sync::Arc;

/// `VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM` and `VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM`.
const SPARSE_STREAM: u32 = 1;

impl RemoteDriver {
    /// Open the transfer stream of `v` (`download`: the daemon sends).
    pub(super) fn vol_stream(
        &self,
        v: &VolRef,
        offset: u64,
        length: u64,
        flags: u32,
        nonblock: bool,
        download: bool,
    ) -> Result<Arc<dyn StreamBackend>> {
        let shared = if download {
            let args = RemoteStorageVolDownloadArgs {
                vol: vol(v),
                offset,
                length,
                flags,
            };
            self.client
                .call_proc_stream::<p::StorageVolDownload>(&args)?
                .1
        } else {
            let args = RemoteStorageVolUploadArgs {
                vol: vol(v),
                offset,
                length,
                flags,
            };
            self.client
                .call_proc_stream::<p::StorageVolUpload>(&args)?
                .1
        };
        let conn = self.client.stream_conn();
        Ok(Arc::new(if flags & SPARSE_STREAM != 0 {
            RpcStream::new_sparse(conn, shared, nonblock)
        } else {
            RpcStream::new(conn, shared, nonblock)
        }))
    }
}
