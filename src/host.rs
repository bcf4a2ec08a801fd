//! One machine of the simulation: its hostname, its filesystem, and which cluster it is a node of.
//!
//! Hosts are independent: a file written on one is not visible on another.

pub mod fs;
pub mod images;
pub mod kubelet;
pub mod runtime;

use serde::{Deserialize, Serialize};

pub use fs::{Fs, FsError};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Host {
    pub name: String,
    /// The cluster this host is a node of; `None` for a plain machine (a jump host).
    pub cluster: Option<String>,
    /// The node's InternalIP.
    pub ip: String,
    pub fs: Fs,
}

impl Host {
    pub fn new(name: &str, cluster: Option<&str>, ip: &str) -> Self {
        Host { name: name.to_string(), cluster: cluster.map(str::to_string), ip: ip.to_string(), fs: Fs::new() }
    }
}
