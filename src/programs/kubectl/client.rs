//! Turns the kubeconfig and the global flags into a connection: which cluster's API server,
//! which identity, which default namespace — clientcmd's `DirectClientConfig` followed by what
//! the API server's authenticators and impersonation filter make of the credentials.
//!
//! Failures print what kubectl prints. Connection failures are preceded by client-go's discovery
//! klog lines when the host has no discovery cache for the server; those lines carry a timestamp
//! and a PID, rendered deterministically: the simulated clock (UTC) with microseconds
//! `.1000NN` (NN the attempt's index × 7, so they increase like real ones), and a fake PID
//! derived from the clock (`1000 + now mod 9000`), right-aligned in 7 columns as klog does.

pub mod identity;
pub mod x509;

use serde_json::{Map, Value};

use super::flags::Parsed;
use super::kubeconfig::{Kubeconfig, KubeconfigError, Section, chain};
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

/// The API server URL kubectl dials, split the ways its messages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `https://172.30.1.2:6443`, `http://localhost:8080` (scheme added when missing).
    pub url: String,
    pub scheme: String,
    /// The URL's host as written, with its port if it has one (`localhost:8080`).
    pub host: String,
    /// What `dial tcp` names: the port made explicit and `localhost` resolved (`127.0.0.1:8080`).
    pub dial: String,
}

impl Endpoint {
    pub fn parse(server: &str) -> Endpoint {
        let (scheme, rest) = match server.split_once("://") {
            Some((s, r)) => (s.to_string(), r),
            None => ("http".to_string(), server),
        };
        let host = rest.split('/').next().unwrap_or_default().to_string();
        let url = format!("{scheme}://{}", rest.trim_end_matches('/'));
        let (name, port) = match host.rsplit_once(':') {
            Some((h, p)) if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => (h.to_string(), p.to_string()),
            _ => (host.clone(), if scheme == "https" { "443".to_string() } else { "80".to_string() }),
        };
        let name = if name == "localhost" { "127.0.0.1".to_string() } else { name };
        Endpoint { url, scheme, host, dial: format!("{name}:{port}") }
    }

    /// `scheme://host:port` with the port explicit, for matching world clusters.
    pub fn canonical(&self) -> String {
        format!("{}://{}", self.scheme, self.dial)
    }

    /// The discovery cache folder name client-go uses (`172.30.1.2_6443`).
    pub fn cache_key(&self) -> String {
        self.host.replace(':', "_")
    }

    /// The URL of a path on this server, as errors quote it (`…/api?timeout=32s`).
    pub fn request_url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }
}

/// The kubeconfig resolved for one invocation, before any server is contacted.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub config: Kubeconfig,
    pub context: String,
    pub cluster_name: String,
    pub user_name: String,
    /// The cluster entry with the flag overrides applied.
    pub cluster_info: Map<String, Value>,
    /// The user entry with the flag overrides applied.
    pub auth_info: Map<String, Value>,
    pub endpoint: Endpoint,
    pub namespace: String,
    pub namespace_explicit: bool,
}

/// Loads the kubeconfig chain for this invocation (`--kubeconfig`, `$KUBECONFIG`, `~/.kube/config`).
pub fn load_config(ctx: &mut Ctx<'_>, flags: &Parsed) -> Result<Kubeconfig, KubeconfigError> {
    let home = ctx.var("HOME").unwrap_or("/root").to_string();
    let (files, explicit) = chain(flags.global("kubeconfig"), ctx.var("KUBECONFIG"), &home, &ctx.cwd);
    // Errors name a file as the user wrote it (`"bad.conf"`, not `"/root/bad.conf"`), as
    // client-go's loading rules keep the given paths.
    let given: Vec<String> = match (flags.global("kubeconfig").filter(|p| !p.is_empty()), ctx.var("KUBECONFIG").filter(|l| !l.is_empty())) {
        (Some(p), _) => vec![p.to_string()],
        (None, Some(list)) => list.split(':').filter(|p| !p.is_empty()).map(str::to_string).collect(),
        (None, None) => Vec::new(),
    };
    let cwd = ctx.cwd.clone();
    Kubeconfig::load(ctx.fs(), files, explicit).map_err(|e| match e {
        KubeconfigError::Load { path, message } => {
            let shown = given.iter().find(|g| crate::host::fs::resolve(&cwd, g) == path).cloned().unwrap_or(path);
            KubeconfigError::Load { path: shown, message }
        }
        other => other,
    })
}

/// Resolves context, cluster, user, server and namespace from the kubeconfig and the flags, with
/// clientcmd's errors (printed; the exit status returned).
///
/// A missing context is reported the way `get`, `describe`, `delete`, `logs`, `label`, `edit` …
/// do, which check the namespace first: `Error in configuration: context was not found for
/// specified context: X`. Verbs that build the client directly use [`resolve_direct`].
pub fn resolve(ctx: &mut Ctx<'_>, flags: &Parsed) -> Result<Resolved, i32> {
    resolve_styled(ctx, flags, false)
}

/// [`resolve`] for the verbs that report a missing context as `error: context "X" does not
/// exist` (observed with the real v1.35.2: `create`, `apply`, `run`, `expose`, `replace`, `wait`,
/// `explain`, `version`, `api-resources`, `api-versions`, `cluster-info`, `auth can-i`,
/// `auth whoami`).
pub fn resolve_direct(ctx: &mut Ctx<'_>, flags: &Parsed) -> Result<Resolved, i32> {
    resolve_styled(ctx, flags, true)
}

fn resolve_styled(ctx: &mut Ctx<'_>, flags: &Parsed, direct: bool) -> Result<Resolved, i32> {
    if let Some(given) = flags.global("kubeconfig").filter(|k| !k.is_empty()) {
        // kubectl stats the path as it was given.
        let path = ctx.resolve(given);
        if !ctx.fs().is_file(&path) {
            ctx.out.err(format!("error: stat {given}: no such file or directory\n"));
            return Err(1);
        }
    }
    let config = match load_config(ctx, flags) {
        Ok(c) => c,
        Err(e) => {
            ctx.out.err(format!("error: {e}\n"));
            return Err(1);
        }
    };
    let context = flags.global("context").filter(|c| !c.is_empty()).map_or_else(|| config.current_context.clone(), str::to_string);
    let mut problems = Vec::new();
    if direct && !context.is_empty() && !config.contexts.contains_key(&context) {
        ctx.out.err(format!("error: context \"{context}\" does not exist\n"));
        return Err(1);
    }
    if !context.is_empty() && !config.contexts.contains_key(&context) {
        problems.push(format!("context was not found for specified context: {context}"));
    }
    let ctx_field = |f: &str| config.field(Section::Contexts, &context, f);
    let cluster_name = flags.global("cluster").filter(|c| !c.is_empty()).map_or_else(|| ctx_field("cluster"), str::to_string);
    let user_name = flags.global("user").filter(|c| !c.is_empty()).map_or_else(|| ctx_field("user"), str::to_string);
    if flags.global("cluster").is_some_and(|c| !c.is_empty()) && !config.clusters.contains_key(&cluster_name) {
        ctx.out.err(format!("error: no server found for cluster \"{cluster_name}\"\n"));
        return Err(1);
    }
    if flags.global("user").is_some_and(|c| !c.is_empty()) && !config.users.contains_key(&user_name) {
        ctx.out.err(format!("error: auth info \"{user_name}\" does not exist\n"));
        return Err(1);
    }
    let mut cluster_info = config.resolved_body(Section::Clusters, &cluster_name).unwrap_or_default();
    let mut auth_info = config.resolved_body(Section::Users, &user_name).unwrap_or_default();
    apply_overrides(flags, &ctx.cwd, &mut cluster_info, &mut auth_info);
    problems.extend(validate(ctx, &cluster_name, &cluster_info, &user_name, &auth_info));
    // One problem prints as "error: …", except a missing context, which kubectl reports as an
    // invalid configuration; several are listed under "Error in configuration:" (observed with
    // the real v1.35.2).
    let context_missing = problems.len() == 1 && problems[0].starts_with("context was not found");
    match problems.as_slice() {
        [] => {}
        [one] if context_missing => {
            ctx.out.err(format!("Error in configuration: {one}\n"));
            return Err(1);
        }
        [one] => {
            ctx.out.err(format!("error: {one}\n"));
            return Err(1);
        }
        many => {
            ctx.out.err(format!("Error in configuration: \n{}", many.iter().map(|p| format!("* {p}\n")).collect::<String>()));
            return Err(1);
        }
    }
    let server = cluster_info.get("server").and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("http://localhost:8080");
    let endpoint = Endpoint::parse(server);
    let (namespace, namespace_explicit) = match flags.global("namespace").filter(|n| !n.is_empty()) {
        Some(ns) => (ns.to_string(), true),
        None => {
            let ns = ctx_field("namespace");
            (if ns.is_empty() { "default".to_string() } else { ns }, false)
        }
    };
    Ok(Resolved { config, context, cluster_name, user_name, cluster_info, auth_info, endpoint, namespace, namespace_explicit })
}

/// clientcmd's `validateClusterInfo` and `validateAuthInfo`: the problems that make a kubeconfig
/// unusable before any request is made.
fn validate(
    ctx: &mut Ctx<'_>,
    cluster_name: &str,
    cluster: &Map<String, Value>,
    user_name: &str,
    user: &Map<String, Value>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let field = |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let mut readable = |path: &str, what: &str, owner: &str, problems: &mut Vec<String>| {
        if !path.is_empty() && !ctx.fs().is_file(path) {
            problems.push(format!("unable to read {what} {path} for {owner} due to open {path}: no such file or directory"));
        }
    };
    let (cert, cert_data, key, key_data) = (
        field(user, "client-certificate"),
        field(user, "client-certificate-data"),
        field(user, "client-key"),
        field(user, "client-key-data"),
    );
    let has_cert = !cert.is_empty() || !cert_data.is_empty();
    let has_key = !key.is_empty() || !key_data.is_empty();
    if has_cert && !has_key {
        problems
            .push(format!("client-key-data or client-key must be specified for {user_name} to use the clientCert authentication method."));
    }
    if has_key && !has_cert {
        problems.push(format!(
            "client-cert-data or client-cert must be specified for {user_name} to use the clientCert authentication method."
        ));
    }
    readable(&cert, "client-cert", user_name, &mut problems);
    readable(&key, "client-key", user_name, &mut problems);
    let mut methods = Vec::new();
    if !field(user, "token").is_empty() || !field(user, "tokenFile").is_empty() {
        methods.push("token");
    }
    if !field(user, "username").is_empty() || !field(user, "password").is_empty() {
        methods.push("basicAuth");
    }
    if methods.len() > 1 {
        problems
            .push(format!("more than one authentication method found for {user_name}; found [{}], only one is allowed", methods.join(" ")));
    }
    let impersonating = !field(user, "as").is_empty();
    let extras = user.get("as-groups").and_then(Value::as_array).is_some_and(|a| !a.is_empty()) || !field(user, "as-uid").is_empty();
    if !impersonating && extras {
        problems.push(format!("requesting uid, groups or user-extra for {user_name} without impersonating a user"));
    }
    // The cluster's problems come after the user's.
    readable(&field(cluster, "certificate-authority"), "certificate-authority", cluster_name, &mut problems);
    problems
}

/// The global flags that override kubeconfig fields (`--server`, `--token`, `--as` …).
fn apply_overrides(flags: &Parsed, cwd: &str, cluster: &mut Map<String, Value>, user: &mut Map<String, Value>) {
    let set = |m: &mut Map<String, Value>, key: &str, v: Value| {
        m.insert(key.to_string(), v);
    };
    if let Some(s) = flags.global("server").filter(|s| !s.is_empty()) {
        set(cluster, "server", Value::from(s));
    }
    if let Some(s) = flags.global("certificate-authority").filter(|s| !s.is_empty()) {
        cluster.remove("certificate-authority-data");
        set(cluster, "certificate-authority", Value::from(crate::host::fs::resolve(cwd, s)));
    }
    if flags.bool("insecure-skip-tls-verify") {
        // clientcmd drops the CA when the flag asks to skip verification.
        cluster.remove("certificate-authority");
        cluster.remove("certificate-authority-data");
        set(cluster, "insecure-skip-tls-verify", Value::Bool(true));
    }
    if let Some(s) = flags.global("tls-server-name").filter(|s| !s.is_empty()) {
        set(cluster, "tls-server-name", Value::from(s));
    }
    for (flag, field, data) in
        [("client-certificate", "client-certificate", "client-certificate-data"), ("client-key", "client-key", "client-key-data")]
    {
        if let Some(s) = flags.global(flag).filter(|s| !s.is_empty()) {
            user.remove(data);
            set(user, field, Value::from(crate::host::fs::resolve(cwd, s)));
        }
    }
    if let Some(t) = flags.global("token").filter(|s| !s.is_empty()) {
        user.remove("tokenFile");
        set(user, "token", Value::from(t));
    }
    for (flag, field) in [("username", "username"), ("password", "password"), ("as", "as"), ("as-uid", "as-uid")] {
        if let Some(v) = flags.global(flag).filter(|s| !s.is_empty()) {
            set(user, field, Value::from(v));
        }
    }
    let groups = flags.all("as-group");
    if !groups.is_empty() {
        set(user, "as-groups", Value::from(groups));
    }
}

/// How many times client-go retries discovery (and logs a klog line) before a verb gives up,
/// when there is no cache: `get` and most verbs 5.
pub const DISCOVERY_ATTEMPTS: usize = 5;

/// Resolves the connection for a verb from its parsed flags. On failure prints kubectl's message
/// (bad kubeconfig, unknown context, server unreachable) and returns the exit status.
pub fn connect(ctx: &mut Ctx<'_>, flags: &Parsed) -> Result<Connection, i32> {
    connect_with(ctx, flags, DISCOVERY_ATTEMPTS)
}

/// [`connect`] for verbs whose discovery retries differ (`run` and `api-resources` log one klog
/// line, `version` none).
pub fn connect_with(ctx: &mut Ctx<'_>, flags: &Parsed, discovery_attempts: usize) -> Result<Connection, i32> {
    let resolved = resolve(ctx, flags)?;
    connect_resolved(ctx, &resolved, discovery_attempts)
}

/// [`connect_with`] with [`resolve_direct`]'s wording for a missing context (`create`, `apply`,
/// `run` … see there).
pub fn connect_direct(ctx: &mut Ctx<'_>, flags: &Parsed, discovery_attempts: usize) -> Result<Connection, i32> {
    let resolved = resolve_direct(ctx, flags)?;
    connect_resolved(ctx, &resolved, discovery_attempts)
}

fn connect_resolved(ctx: &mut Ctx<'_>, resolved: &Resolved, discovery_attempts: usize) -> Result<Connection, i32> {
    try_connect(ctx, resolved).map_err(|failure| {
        print_failure(ctx, &resolved.endpoint, &failure, discovery_attempts);
        1
    })
}

/// Reaches the server and authenticates, printing nothing: for verbs that word failures their own
/// way (`api-versions`, `version`).
pub fn try_connect(ctx: &mut Ctx<'_>, resolved: &Resolved) -> Result<Connection, Failure> {
    let cluster = reach(ctx, resolved)?;
    let user = identity::authenticate(ctx, resolved, &cluster)?;
    remember_discovery(ctx, &resolved.endpoint);
    Ok(Connection { cluster, user, namespace: resolved.namespace.clone(), namespace_explicit: resolved.namespace_explicit })
}

/// Why a request never got an answer from a world API server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Nothing listens at the URL (unknown server, API server down).
    Refused,
    /// The server certificate is not trusted by the kubeconfig's CA.
    UnknownAuthority,
    /// The credentials were rejected (401).
    Unauthorized,
    /// A client-side problem reported as `error: <text>` before any request.
    Client(String),
    /// Printed as is (already complete).
    Raw(String),
}

/// The world cluster answering at the resolved endpoint, after the TLS handshake.
pub fn reach(ctx: &mut Ctx<'_>, resolved: &Resolved) -> Result<String, Failure> {
    let canonical = resolved.endpoint.canonical();
    let world = &*ctx.world;
    // Host names of the world's machines resolve to their addresses (`https://controlplane:6443`).
    let found = world.clusters.iter().find(|(_, c)| {
        let ep = Endpoint::parse(&c.server_url());
        if ep.canonical() == canonical {
            return true;
        }
        let (name, port) = resolved.endpoint.dial.rsplit_once(':').unwrap_or_default();
        world.hosts.get(name).is_some_and(|h| format!("{}://{}:{port}", resolved.endpoint.scheme, h.ip) == ep.canonical())
    });
    let Some((name, cluster)) = found else { return Err(Failure::Refused) };
    if !cluster.api_up {
        return Err(Failure::Refused);
    }
    let name = name.clone();
    if resolved.endpoint.scheme == "https" && !trusts_cluster_ca(ctx, &resolved.cluster_info) {
        return Err(Failure::UnknownAuthority);
    }
    Ok(name)
}

/// Whether the kubeconfig's CA (inline or file) is the cluster CA, or verification is skipped.
fn trusts_cluster_ca(ctx: &mut Ctx<'_>, cluster: &Map<String, Value>) -> bool {
    if cluster.get("insecure-skip-tls-verify").and_then(Value::as_bool) == Some(true) {
        return true;
    }
    let pem = identity::inline_or_file(ctx, cluster, "certificate-authority-data", "certificate-authority");
    let Some(pem) = pem.ok().flatten() else { return false };
    let ours = x509::parse(crate::world::scenario::CA_CERT.as_bytes());
    let theirs = x509::parse(&pem);
    matches!((ours, theirs), (Ok(a), Ok(b)) if a == b)
}

/// Prints a failure the way kubectl does, with the discovery klog lines first when the host has
/// no discovery cache for that server.
pub fn print_failure(ctx: &mut Ctx<'_>, endpoint: &Endpoint, failure: &Failure, discovery_attempts: usize) {
    let (noise, message) = failure_parts(ctx, endpoint, failure, discovery_attempts);
    ctx.out.err(noise);
    ctx.out.err(message);
}

/// The two parts of a failure's stderr: the discovery klog lines (empty when cached) and the
/// final message, for verbs that print something between them.
pub fn failure_parts(ctx: &mut Ctx<'_>, endpoint: &Endpoint, failure: &Failure, discovery_attempts: usize) -> (String, String) {
    let cached = has_discovery_cache(ctx, endpoint);
    failure_parts_with(ctx, endpoint, failure, discovery_attempts, cached)
}

/// [`failure_parts`] for verbs that drop the discovery cache before asking (`api-resources`
/// without `--cached`, `api-versions`): the klog lines appear even when a cache exists.
pub fn failure_parts_uncached(ctx: &mut Ctx<'_>, endpoint: &Endpoint, failure: &Failure, discovery_attempts: usize) -> (String, String) {
    failure_parts_with(ctx, endpoint, failure, discovery_attempts, false)
}

fn failure_parts_with(
    ctx: &mut Ctx<'_>,
    endpoint: &Endpoint,
    failure: &Failure,
    discovery_attempts: usize,
    cached: bool,
) -> (String, String) {
    let api = endpoint.request_url("/api?timeout=32s");
    let (klog_cause, message) = match failure {
        Failure::Refused => (
            format!("Get \\\"{api}\\\": dial tcp {}: connect: connection refused", endpoint.dial),
            format!("The connection to the server {} was refused - did you specify the right host or port?\n", endpoint.host),
        ),
        Failure::UnknownAuthority => (
            format!("Get \\\"{api}\\\": tls: failed to verify certificate: x509: certificate signed by unknown authority"),
            "Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority\n"
                .to_string(),
        ),
        Failure::Unauthorized if cached => (String::new(), "error: You must be logged in to the server (Unauthorized)\n".to_string()),
        Failure::Unauthorized => (
            "the server has asked for the client to provide credentials".to_string(),
            "error: You must be logged in to the server (the server has asked for the client to provide credentials)\n".to_string(),
        ),
        Failure::Client(text) => return (String::new(), format!("error: {text}\n")),
        Failure::Raw(text) => return (String::new(), text.clone()),
    };
    let mut noise = String::new();
    if !cached {
        for i in 0..discovery_attempts {
            let text = format!("\"Unhandled Error\" err=\"couldn't get current server API group list: {klog_cause}\"");
            noise.push_str(&klog_line(ctx.world.clock.now, i, &text));
        }
    }
    (noise, message)
}

/// One client-go error line (`E0115 09:00:00.100000    1234 memcache.go:265] …`), rendered from
/// the simulated clock (see the module docs).
pub fn klog_line(now: i64, index: usize, text: &str) -> String {
    let (_, mo, d, h, mi, s) = crate::world::clock::civil(now);
    let pid = 1000 + now.rem_euclid(9000);
    format!("E{mo:02}{d:02} {h:02}:{mi:02}:{s:02}.{:06} {pid:>7} memcache.go:265] {text}\n", 100_000 + index * 7)
}

fn cache_dir(ctx: &Ctx<'_>, endpoint: &Endpoint) -> String {
    let home = ctx.var("HOME").unwrap_or("/root");
    format!("{home}/.kube/cache/discovery/{}", endpoint.cache_key())
}

/// Whether kubectl on this host has discovery cached for the server: it has talked to it before
/// (kubectl leaves `~/.kube/cache/discovery/HOST_PORT`), or this is a control-plane node of that
/// cluster, where the exam's own setup ran kubectl as root.
pub fn has_discovery_cache(ctx: &mut Ctx<'_>, endpoint: &Endpoint) -> bool {
    let dir = cache_dir(ctx, endpoint);
    if ctx.fs().is_dir(&dir) {
        return true;
    }
    let host = ctx.host.clone();
    ctx.world
        .clusters
        .values()
        .any(|c| c.nodes.first() == Some(&host) && Endpoint::parse(&c.server_url()).canonical() == endpoint.canonical())
}

/// Leaves the cache folders a successful contact creates (`~/.kube/cache/discovery/HOST_PORT`
/// and `~/.kube/cache/http`).
fn remember_discovery(ctx: &mut Ctx<'_>, endpoint: &Endpoint) {
    let dir = cache_dir(ctx, endpoint);
    let http = format!("{}/.kube/cache/http", ctx.var("HOME").unwrap_or("/root"));
    let _ = ctx.fs().mkdir_all(&dir);
    let _ = ctx.fs().mkdir_all(&http);
}

/// The namespace a client-side command (a `--dry-run=client` generator) uses, without needing a
/// reachable server: `-n`, else the kubeconfig context's namespace, else `default`. The bool is
/// true only for `-n` (clientcmd's "overridden"), which is when generators set
/// `metadata.namespace`.
pub fn client_namespace(ctx: &mut Ctx<'_>, flags: &Parsed) -> (String, bool) {
    if let Some(ns) = flags.global("namespace").filter(|n| !n.is_empty()) {
        return (ns.to_string(), true);
    }
    let Ok(config) = load_config(ctx, flags) else { return ("default".to_string(), false) };
    let context = flags.global("context").filter(|c| !c.is_empty()).map_or_else(|| config.current_context.clone(), str::to_string);
    let ns = config.field(Section::Contexts, &context, "namespace");
    (if ns.is_empty() { "default".to_string() } else { ns }, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_as_kubectl_names_them() {
        let e = Endpoint::parse("https://172.30.1.2:6443");
        assert_eq!((e.host.as_str(), e.dial.as_str(), e.cache_key().as_str()), ("172.30.1.2:6443", "172.30.1.2:6443", "172.30.1.2_6443"));
        let e = Endpoint::parse("http://localhost:8080");
        assert_eq!((e.host.as_str(), e.dial.as_str()), ("localhost:8080", "127.0.0.1:8080"));
        let e = Endpoint::parse("127.0.0.1:3");
        assert_eq!(e.url, "http://127.0.0.1:3");
        assert_eq!(Endpoint::parse("https://10.0.0.1/").dial, "10.0.0.1:443");
    }

    #[test]
    fn klog_lines_are_deterministic() {
        let l = klog_line(crate::world::clock::EPOCH, 1, "x");
        assert_eq!(l, format!("E0115 09:00:00.100007 {:>7} memcache.go:265] x\n", 1000 + crate::world::clock::EPOCH % 9000));
    }

    /// Runs `kubectl ARGS` on `host` of `world` as root.
    fn kubectl(world: &mut crate::world::World, host: &str, line: &str) -> (String, String, i32) {
        let env: std::collections::BTreeMap<String, String> = [("HOME".to_string(), "/root".to_string())].into();
        let mut out = crate::programs::Output::default();
        let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        let mut ctx =
            Ctx { world, host: host.into(), cwd: "/root".into(), env: &env, stdin: &[], out: &mut out, subshell: crate::shell::subshell };
        let code = crate::programs::kubectl::run(&mut ctx, &args);
        (out.stdout_string(), out.stderr_string(), code)
    }

    fn connect_on(world: &mut crate::world::World, host: &str, extra: &[&str]) -> (Result<Connection, i32>, String) {
        let env: std::collections::BTreeMap<String, String> = [("HOME".to_string(), "/root".to_string())].into();
        let mut out = crate::programs::Output::default();
        let defs: Vec<_> = crate::programs::kubectl::GLOBAL_FLAGS.to_vec();
        let flags = crate::programs::kubectl::flags::parse(&defs, &extra.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        let mut ctx =
            Ctx { world, host: host.into(), cwd: "/root".into(), env: &env, stdin: &[], out: &mut out, subshell: crate::shell::subshell };
        let r = connect(&mut ctx, &flags);
        (r, out.stderr_string())
    }

    #[test]
    fn worker_without_kubeconfig_dials_localhost_8080() {
        let mut world = crate::world::scenario::default_world();
        let (r, err) = connect_on(&mut world, "node01", &[]);
        assert_eq!(r.err(), Some(1));
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 6, "{err}");
        assert!(lines[0].ends_with(r#"memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: Get \"http://localhost:8080/api?timeout=32s\": dial tcp 127.0.0.1:8080: connect: connection refused""#), "{err}");
        assert_eq!(lines[5], "The connection to the server localhost:8080 was refused - did you specify the right host or port?");
        let (out, err, code) = kubectl(&mut world, "node01", "version");
        assert_eq!((out.as_str(), code), ("Client Version: v1.35.2\nKustomize Version: v5.7.1\n", 1));
        assert_eq!(err, "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n");
    }

    #[test]
    fn admin_on_controlplane_and_api_down() {
        let mut world = crate::world::scenario::default_world();
        let (r, _) = connect_on(&mut world, "controlplane", &[]);
        let conn = r.unwrap();
        assert_eq!((conn.cluster.as_str(), conn.user, conn.namespace.as_str()), ("kubernetes", UserInfo::admin(), "default"));
        if let Some(c) = world.clusters.get_mut("kubernetes") {
            c.api_up = false;
        }
        let (r, err) = connect_on(&mut world, "controlplane", &[]);
        assert!(r.is_err());
        assert_eq!(err, "The connection to the server 172.30.1.2:6443 was refused - did you specify the right host or port?\n");
    }

    #[test]
    fn flags_override_the_kubeconfig() {
        let mut world = crate::world::scenario::default_world();
        let (r, err) = connect_on(&mut world, "controlplane", &["--context=prod"]);
        assert!(r.is_err());
        assert_eq!(err, "Error in configuration: context was not found for specified context: prod\n");
        let (r, _) = connect_on(&mut world, "controlplane", &["-n", "kube-system", "--as=jane", "--as-group=dev"]);
        let conn = r.unwrap();
        assert_eq!(conn.user, UserInfo { name: "jane".into(), groups: vec!["dev".into(), "system:authenticated".into()] });
        assert!(conn.namespace_explicit);
        let (r, err) = connect_on(&mut world, "controlplane", &["--server=https://10.9.9.9:6443"]);
        assert!(r.is_err());
        // A server this host never reached: no discovery cache, so five klog lines first.
        assert_eq!(err.lines().filter(|l| l.contains("memcache.go:265]")).count(), 5);
        assert!(
            err.ends_with("\nThe connection to the server 10.9.9.9:6443 was refused - did you specify the right host or port?\n"),
            "{err}"
        );
    }

    #[test]
    fn tokens_of_service_accounts() {
        use base64::Engine;
        let mut world = crate::world::scenario::default_world();
        let enc = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        let token = format!("{}.{}.c2ln", enc(r#"{"alg":"RS256"}"#), enc(r#"{"sub":"system:serviceaccount:default:bot","jti":"j1"}"#));
        // The account does not exist yet: the token is rejected.
        let (r, err) = connect_on(
            &mut world,
            "node01",
            &["--server=https://172.30.1.2:6443", "--insecure-skip-tls-verify", &format!("--token={token}")],
        );
        assert!(r.is_err());
        assert!(
            err.ends_with("error: You must be logged in to the server (the server has asked for the client to provide credentials)\n"),
            "{err}"
        );
        if let (Some(res), Some(mut api)) = (crate::cluster::Registry::builtin().lookup("serviceaccounts"), world.api("kubernetes")) {
            let sa = serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "bot"}});
            api.create(&UserInfo::system(), res, Some("default"), sa, &crate::cluster::WriteOptions::default()).unwrap();
        }
        let (r, _) = connect_on(
            &mut world,
            "node01",
            &["--server=https://172.30.1.2:6443", "--insecure-skip-tls-verify", &format!("--token={token}")],
        );
        let user = r.unwrap().user;
        assert_eq!(user.name, "system:serviceaccount:default:bot");
        assert_eq!(user.groups, ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"]);
        // Without a CA or --insecure-skip-tls-verify the server certificate is not trusted.
        let (r, err) = connect_on(&mut world, "node01", &["--server=https://172.30.1.2:6443", &format!("--token={token}")]);
        assert!(r.is_err());
        assert!(
            err.ends_with(
                "Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority\n"
            ),
            "{err}"
        );
    }

    #[test]
    fn other_verbs_on_a_worker_word_the_failure_their_way() {
        let mut world = crate::world::scenario::default_world();
        let (out, err, code) = kubectl(&mut world, "node01", "config get-contexts");
        assert_eq!((out.as_str(), err.as_str(), code), ("CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n", "", 0));
        let (_, err, code) = kubectl(&mut world, "node01", "config current-context");
        assert_eq!((err.as_str(), code), ("error: current-context is not set\n", 1));
        let (_, err, code) = kubectl(&mut world, "node01", "api-versions");
        assert_eq!(code, 1);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 2, "{err}");
        assert_eq!(
            lines[1],
            r#"error: couldn't get available api versions from server: Get "http://localhost:8080/api?timeout=32s": dial tcp 127.0.0.1:8080: connect: connection refused"#
        );
        let (out, err, code) = kubectl(&mut world, "node01", "auth can-i get pods");
        assert_eq!((out.as_str(), code), ("", 1));
        assert_eq!(err.lines().filter(|l| l.contains("memcache.go")).count(), 2);
        assert!(err.ends_with("Warning: the server doesn't have a resource type 'pods'\n\nThe connection to the server localhost:8080 was refused - did you specify the right host or port?\n"), "{err}");
        let (out, err, code) = kubectl(&mut world, "node01", "cluster-info");
        assert_eq!((out.as_str(), code), ("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n", 1));
        assert_eq!(err.lines().count(), 6);
    }

    #[test]
    fn api_resources_reread_discovery_but_cached_forms_survive_a_down_server() {
        let mut world = crate::world::scenario::default_world();
        if let Some(c) = world.clusters.get_mut("kubernetes") {
            c.api_up = false;
        }
        let (out, err, code) = kubectl(&mut world, "controlplane", "api-resources --cached --api-group=apps -o name");
        assert_eq!(
            (out.as_str(), err.as_str(), code),
            ("controllerrevisions.apps\ndaemonsets.apps\ndeployments.apps\nreplicasets.apps\nstatefulsets.apps\n", "", 0)
        );
        let (out, err, code) = kubectl(&mut world, "controlplane", "api-resources");
        assert_eq!((out.as_str(), code), ("", 1));
        assert_eq!(err.lines().count(), 2, "{err}");
        assert!(err.ends_with("The connection to the server 172.30.1.2:6443 was refused - did you specify the right host or port?\n"));
        let (out, err, code) = kubectl(&mut world, "controlplane", "version");
        assert_eq!((out.as_str(), code), ("Client Version: v1.35.2\nKustomize Version: v5.7.1\n", 1));
        assert_eq!(err, "The connection to the server 172.30.1.2:6443 was refused - did you specify the right host or port?\n");
    }

    /// The CKA flow: a certificate issued for jane, embedded with set-credentials, used through
    /// a new context; and the same certificate once it has expired.
    #[test]
    fn a_client_certificate_from_the_cluster_ca() {
        let mut world = crate::world::scenario::default_world();
        let now = world.clock.now;
        let subject = x509::Subject { common_name: "jane", organizations: &["developers"] };
        let pem = x509::issue(&subject, "kubernetes", now - 60, now + 3600, 7, None);
        if let Some(cp) = world.hosts.get_mut("controlplane") {
            cp.fs.put("/root/jane.crt", pem);
            cp.fs.put("/root/jane.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        }
        for line in [
            "config set-credentials jane --client-certificate=jane.crt --client-key=jane.key --embed-certs",
            "config set-context jane --cluster=kubernetes --user=jane",
        ] {
            assert_eq!(kubectl(&mut world, "controlplane", line).2, 0, "{line}");
        }
        let (out, err, code) = kubectl(&mut world, "controlplane", "auth whoami --context=jane");
        assert_eq!((err.as_str(), code), ("", 0));
        assert!(out.contains("Username                                            jane\n"), "{out}");
        assert!(out.contains("[developers system:authenticated]"), "{out}");
        world.clock.advance(7200);
        let (_, err, code) = kubectl(&mut world, "controlplane", "auth whoami --context=jane");
        assert_eq!((err.as_str(), code), ("error: You must be logged in to the server (Unauthorized)\n", 1));
    }
}
