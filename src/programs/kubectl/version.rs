//! `kubectl version`: the client's build information (captured from the real v1.35.2 binary),
//! kustomize's version, and the server's `/version` answer for the cluster it reaches.

use serde_json::{Map, Value, json};

use super::client;
use super::flags::FlagDef;
use crate::programs::Ctx;

const FLAGS: &[FlagDef] = &[FlagDef::bool("client"), FlagDef::string("output").short('o')];

/// The kustomize library built into kubectl v1.35.2.
pub const KUSTOMIZE_VERSION: &str = "v5.7.1";
const GIT_COMMIT: &str = "fdc9d74cbf2da6754ebf81d56f80ae2948cd6425";
const BUILD_DATE: &str = "2026-02-26T20:05:34Z";
const GO_VERSION: &str = "go1.25.7";

/// `version.Info` of the kubectl binary, in Go struct order.
pub fn client_info() -> Value {
    json!({
        "major": "1", "minor": "35", "gitVersion": "v1.35.2", "gitCommit": GIT_COMMIT, "gitTreeState": "clean",
        "buildDate": BUILD_DATE, "goVersion": GO_VERSION, "compiler": "gc", "platform": "linux/amd64"
    })
}

/// What a kube-apiserver of `version` answers on `/version`: the release's build fields (the
/// same tag as the client's for v1.35.2) and the emulation and compatibility versions a v1.35
/// server reports (emulating itself, compatible down to the previous minor).
pub fn server_info(version: &str) -> Value {
    let trimmed = version.trim_start_matches('v');
    let mut parts = trimmed.split('.');
    let major = parts.next().unwrap_or("1").to_string();
    let minor = parts.next().unwrap_or("0").to_string();
    let prev_minor = minor.parse::<u32>().map_or_else(|_| minor.clone(), |m| m.saturating_sub(1).to_string());
    let same_release = version == "v1.35.2";
    let mut m = Map::new();
    m.insert("major".into(), json!(major));
    m.insert("minor".into(), json!(minor));
    m.insert("emulationMajor".into(), json!(major));
    m.insert("emulationMinor".into(), json!(minor));
    m.insert("minCompatibilityMajor".into(), json!(major));
    m.insert("minCompatibilityMinor".into(), json!(prev_minor));
    m.insert("gitVersion".into(), json!(version));
    m.insert("gitCommit".into(), json!(if same_release { GIT_COMMIT } else { "0000000000000000000000000000000000000000" }));
    m.insert("gitTreeState".into(), json!("clean"));
    m.insert("buildDate".into(), json!(if same_release { BUILD_DATE } else { "2026-01-01T00:00:00Z" }));
    m.insert("goVersion".into(), json!(GO_VERSION));
    m.insert("compiler".into(), json!("gc"));
    m.insert("platform".into(), json!("linux/amd64"));
    Value::Object(m)
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let flags = match super::config::parse_or_help(
        ctx,
        "version",
        FLAGS,
        args,
        "Print the kubectl version and, unless --client, the version of the API server it talks to.\n\nUsage:\n  kubectl version [flags] [options]",
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if !flags.args.is_empty() {
        ctx.out.err(format!("error: extra arguments: {}\n", super::config::go_list(&flags.args)));
        return 1;
    }
    let output = flags.string("output", "");
    if !matches!(output.as_str(), "" | "yaml" | "json") {
        ctx.out.err("error: --output must be 'yaml' or 'json'\n");
        return 1;
    }
    let mut doc = Map::new();
    doc.insert("clientVersion".into(), client_info());
    doc.insert("kustomizeVersion".into(), json!(KUSTOMIZE_VERSION));
    let mut failure = None;
    // A missing --kubeconfig is only noticed when the server is asked, after the client part.
    let missing_kubeconfig = flags.get("kubeconfig").filter(|k| !k.is_empty()).map(str::to_string).filter(|k| {
        let path = ctx.resolve(k);
        !ctx.fs().is_file(&path)
    });
    if let Some(given) = &missing_kubeconfig {
        if !flags.bool("client") {
            failure = Some(Err(format!("error: stat {given}: no such file or directory\n")));
        }
    } else if !flags.bool("client") {
        match client::resolve_direct(ctx, &flags) {
            Ok(resolved) => match client::try_connect(ctx, &resolved) {
                Ok(conn) => {
                    let version = ctx.world.clusters.get(&conn.cluster).map_or_else(|| "v1.35.2".to_string(), |c| c.version.clone());
                    doc.insert("serverVersion".into(), server_info(&version));
                }
                Err(f) => failure = Some(Ok((resolved.endpoint, f))),
            },
            Err(code) => return code,
        }
    }
    let doc = Value::Object(doc);
    match output.as_str() {
        "yaml" => ctx.out.out(format!("{}\n", super::kubeconfig::render_yaml(&doc))),
        "json" => ctx.out.out(format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default())),
        _ => {
            let mut s = format!("Client Version: v1.35.2\nKustomize Version: {KUSTOMIZE_VERSION}\n");
            if let Some(v) = doc.pointer("/serverVersion/gitVersion").and_then(Value::as_str) {
                s.push_str(&format!("Server Version: {v}\n"));
            }
            ctx.out.out(s);
        }
    }
    match failure {
        Some(Ok((endpoint, f))) => {
            // version asks only /version: no discovery lines precede the error.
            client::print_failure(ctx, &endpoint, &f, 0);
            1
        }
        Some(Err(message)) => {
            ctx.out.err(message);
            1
        }
        None => 0,
    }
}
