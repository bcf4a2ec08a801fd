//! `kubectl create token SERVICEACCOUNT`: a TokenRequest to the API server's
//! `serviceaccounts/token` subresource, which validates it and signs the token; kubectl prints
//! `status.token`.

use serde_json::json;

use super::common::{Failure, one_name};
use crate::cluster::{Registry, WriteOptions};
use crate::programs::Ctx;
use crate::programs::kubectl::flags::{FlagDef, FlagKind, parse_duration};
use crate::programs::kubectl::{client, parse_flags};

pub const FLAGS: &[FlagDef] = &[
    FlagDef::new("allow-missing-template-keys", None, FlagKind::Bool),
    FlagDef::new("audience", None, FlagKind::StringArray),
    FlagDef::string("bound-object-kind"),
    FlagDef::string("bound-object-name"),
    FlagDef::string("bound-object-uid"),
    FlagDef::new("duration", None, FlagKind::Duration),
    FlagDef::string("output").short('o'),
    FlagDef::bool("show-managed-fields"),
    FlagDef::string("template"),
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let parsed = match parse_flags(ctx, "create token", FLAGS, args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let name = match one_name(&parsed, "create token") {
        Ok(n) => n,
        Err(f) => return f.print(ctx),
    };
    let seconds = parsed.get("duration").and_then(parse_duration).unwrap_or(0.0);
    if let Err(f) = validate(&parsed, seconds) {
        return f.print(ctx);
    }
    let conn = match client::connect(ctx, &parsed) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(res) = Registry::builtin().resources.iter().find(|r| r.group.is_empty() && r.name == "serviceaccounts/token").cloned() else {
        return 1;
    };
    // The TokenRequest kubectl sends: only what the flags set; the server defaults the rest
    // (one hour, the API server's audience).
    let mut spec = serde_json::Map::new();
    let audiences = parsed.all("audience");
    if !audiences.is_empty() {
        spec.insert("audiences".into(), json!(audiences));
    }
    if seconds > 0.0 {
        spec.insert("expirationSeconds".into(), json!(seconds as i64));
    }
    let kind = parsed.string("bound-object-kind", "");
    if !kind.is_empty() {
        let mut bound = serde_json::Map::new();
        bound.insert("kind".into(), json!(kind));
        bound.insert("apiVersion".into(), json!("v1"));
        bound.insert("name".into(), json!(parsed.string("bound-object-name", "")));
        if let Some(uid) = parsed.get("bound-object-uid").filter(|u| !u.is_empty()) {
            bound.insert("uid".into(), json!(uid));
        }
        spec.insert("boundObjectRef".into(), serde_json::Value::Object(bound));
    }
    let body = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec});
    let Some(mut api) = conn.api(ctx.world) else {
        return 1;
    };
    let answer = api.create_subresource(&conn.user, &res, Some(&conn.namespace), &name, body, &WriteOptions::default());
    match answer {
        Ok(tr) => match tr.pointer("/status/token").and_then(serde_json::Value::as_str).filter(|t| !t.is_empty()) {
            Some(token) => {
                ctx.out.out(format!("{token}\n"));
                0
            }
            None => Failure::plain("failed to create token: no token in server response").print(ctx),
        },
        Err(status) => Failure::plain(format!("failed to create token: {}", status.message)).print(ctx),
    }
}

/// `TokenOptions.Validate`, in kubectl's order.
fn validate(p: &crate::programs::kubectl::flags::Parsed, seconds: f64) -> Result<(), Failure> {
    if seconds < 0.0 {
        return Err(Failure::plain("--duration must be greater than or equal to 0"));
    }
    if seconds.fract() != 0.0 {
        return Err(Failure::plain("--duration cannot be expressed in units less than seconds"));
    }
    if p.all("audience").iter().any(String::is_empty) {
        return Err(Failure::plain("--audience must not be an empty string"));
    }
    let kind = p.string("bound-object-kind", "");
    let name = p.string("bound-object-name", "");
    let uid = p.string("bound-object-uid", "");
    if kind.is_empty() {
        if !name.is_empty() {
            return Err(Failure::plain("--bound-object-name can only be set if --bound-object-kind is provided"));
        }
        if !uid.is_empty() {
            return Err(Failure::plain("--bound-object-uid can only be set if --bound-object-kind is provided"));
        }
    } else {
        if !matches!(kind.as_str(), "Pod" | "Secret" | "Node") {
            return Err(Failure::plain("supported --bound-object-kind values are Node, Pod, Secret"));
        }
        if name.is_empty() {
            return Err(Failure::plain("--bound-object-name is required if --bound-object-kind is provided"));
        }
    }
    Ok(())
}
