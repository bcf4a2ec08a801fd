//! Turns the kubeconfig and the global flags into a connection: which cluster's API server,
//! which identity, which default namespace.
//!
//! Placeholder until the kubeconfig work lands: the first cluster, the admin identity, the
//! `-n` namespace or `default`. The signatures are the contract verbs code against.

use super::flags::Parsed;
use crate::cluster::{Api, UserInfo};
use crate::programs::Ctx;
use crate::world::World;

/// Where and as whom a kubectl invocation talks.
#[derive(Debug, Clone)]
pub struct Connection {
    /// The world cluster whose API server answers at the kubeconfig's server URL.
    pub cluster: String,
    pub user: UserInfo,
    /// `-n` if given, else the context's namespace, else `default`.
    pub namespace: String,
    /// Whether the namespace came from `-n`/`--namespace` (generators print it only then).
    pub namespace_explicit: bool,
}

impl Connection {
    /// The API handle for this connection's cluster.
    pub fn api<'w>(&self, world: &'w mut World) -> Option<Api<'w>> {
        world.api(&self.cluster)
    }
}

/// Resolves the connection for a verb from its parsed flags. On failure prints kubectl's message
/// (bad kubeconfig, unknown context, server unreachable) and returns the exit status.
pub fn connect(ctx: &mut Ctx<'_>, flags: &Parsed) -> Result<Connection, i32> {
    let Some(cluster) = ctx.world.clusters.keys().next().cloned() else {
        ctx.out.err("The connection to the server localhost:8080 was refused - did you specify the right host or port?\n");
        return Err(1);
    };
    let namespace_explicit = flags.changed("namespace");
    let namespace = flags.get("namespace").unwrap_or("default").to_string();
    Ok(Connection { cluster, user: UserInfo::admin(), namespace, namespace_explicit })
}

/// The namespace a client-side command (a `--dry-run=client` generator) uses, without needing a
/// reachable server: `-n`, else the kubeconfig context's namespace, else `default`.
pub fn client_namespace(_ctx: &mut Ctx<'_>, flags: &Parsed) -> (String, bool) {
    match flags.get("namespace") {
        Some(ns) => (ns.to_string(), true),
        None => ("default".to_string(), false),
    }
}
