//! `kubectl create token SERVICEACCOUNT`: a TokenRequest to the API server. The simulated
//! token is JWT-shaped (header, claims, signature) and drawn from the world's random source, so
//! it is stable for a seed.

use base64::Engine;
use serde_json::json;

use super::common::{Failure, one_name};
use crate::cluster::Registry;
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
    let Some(res) = Registry::builtin().lookup("serviceaccounts").cloned() else {
        return 1;
    };
    let now = ctx.world.clock.now;
    let Some(api) = conn.api(ctx.world) else {
        return 1;
    };
    let sa = match api.get(&conn.user, &res, Some(&conn.namespace), &name) {
        Ok(sa) => sa,
        Err(status) => {
            ctx.out.err(format!("error: failed to create token: {}\n", status.message));
            return 1;
        }
    };
    let uid = sa.pointer("/metadata/uid").and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let lifetime = if seconds > 0.0 { seconds as i64 } else { 3600 };
    let audiences = parsed.all("audience");
    let audiences = if audiences.is_empty() { vec!["https://kubernetes.default.svc.cluster.local".to_string()] } else { audiences };
    let rng = &mut ctx.world.rng;
    let kid: String =
        (0..43).map(|_| char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[rng.below(64) as usize])).collect();
    let jti = rng.uuid();
    let header = json!({"alg": "RS256", "kid": kid});
    let claims = json!({
        "aud": audiences,
        "exp": now + lifetime,
        "iat": now,
        "iss": "https://kubernetes.default.svc.cluster.local",
        "jti": jti,
        "kubernetes.io": {"namespace": conn.namespace, "serviceaccount": {"name": name, "uid": uid}},
        "nbf": now,
        "sub": format!("system:serviceaccount:{}:{name}", conn.namespace)
    });
    let signature: Vec<u8> = (0..256).map(|_| rng.below(256) as u8).collect();
    let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let token = format!("{}.{}.{}", enc.encode(header.to_string()), enc.encode(claims.to_string()), enc.encode(signature));
    ctx.out.out(format!("{token}\n"));
    0
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
