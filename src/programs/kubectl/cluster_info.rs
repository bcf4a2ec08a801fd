//! `kubectl cluster-info`: the control plane's URL and the cluster services (kube-system
//! services labelled `kubernetes.io/cluster-service=true`) reached through the API server proxy.
//! Plain text when stdout is not a terminal, as captured from the real v1.35.2 against the stub.

use serde_json::Value;

use super::client;
use crate::cluster::{ListOptions, Registry, UserInfo};
use crate::programs::Ctx;

const DUMP_HINT: &str = "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let flags = match super::config::parse_or_help(
        ctx,
        "cluster-info",
        &[],
        args,
        "Show where the control plane and the cluster services labelled kubernetes.io/cluster-service=true run.\n\nUsage:\n  kubectl cluster-info [flags] [options]",
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if flags.args.first().is_some_and(|a| a == "dump") {
        ctx.out.err("error: kubectl cluster-info dump is not available in this simulation\n");
        return 1;
    }
    let resolved = match client::resolve_direct(ctx, &flags) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let conn = match client::try_connect(ctx, &resolved) {
        Ok(c) => c,
        Err(failure) => {
            // The discovery lines come first, then the hint, then the error itself.
            let (noise, message) = client::failure_parts(ctx, &resolved.endpoint, &failure, client::DISCOVERY_ATTEMPTS);
            ctx.out.err(noise);
            ctx.out.out(DUMP_HINT);
            ctx.out.err(message);
            return 1;
        }
    };
    let base = resolved.endpoint.url.clone();
    let mut s = format!("Kubernetes control plane is running at {base}\n");
    let services = match (Registry::builtin().lookup("services"), conn.api(ctx.world)) {
        (Some(res), Some(api)) => api
            .list(
                &UserInfo::system(),
                res,
                Some("kube-system"),
                &ListOptions { label_selector: Some("kubernetes.io/cluster-service=true".into()), ..ListOptions::default() },
            )
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    for svc in
        services.iter().filter(|s| s.pointer("/metadata/labels/kubernetes.io~1cluster-service").and_then(Value::as_str) == Some("true"))
    {
        let name = svc.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
        let shown = svc.pointer("/metadata/labels/kubernetes.io~1name").and_then(Value::as_str).unwrap_or(name);
        let port = svc.pointer("/spec/ports/0").map(|p| match p.get("name").and_then(Value::as_str).filter(|n| !n.is_empty()) {
            Some(n) => format!(":{n}"),
            None => p.get("port").map(|n| format!(":{n}")).unwrap_or_default(),
        });
        s.push_str(&format!(
            "{shown} is running at {base}/api/v1/namespaces/kube-system/services/{name}{}/proxy\n",
            port.unwrap_or_default()
        ));
    }
    s.push_str(DUMP_HINT);
    ctx.out.out(s);
    0
}
