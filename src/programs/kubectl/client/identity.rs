//! Who the API server thinks kubectl is: the kubeconfig user's credentials run through the
//! authenticators a kubeadm API server has (x509 client certificates signed by the cluster CA,
//! service-account tokens, bootstrap tokens; anonymous requests when nothing is sent), then the
//! impersonation filter for `--as`/`--as-group`.

use std::collections::BTreeMap;

use base64::Engine;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{Failure, Resolved, x509};
use crate::cluster::{Attributes, Decision, Registry, UserInfo};
use crate::programs::Ctx;

const AUTHENTICATED: &str = "system:authenticated";
const CREDENTIAL_ID: &str = "authentication.kubernetes.io/credential-id";

/// Bytes from an inline `*-data` field (base64) or else the file a path field names.
pub fn inline_or_file(ctx: &mut Ctx<'_>, map: &Map<String, Value>, data_key: &str, file_key: &str) -> Result<Option<Vec<u8>>, String> {
    if let Some(data) = map.get(data_key).and_then(Value::as_str).filter(|s| !s.is_empty()) {
        return base64::engine::general_purpose::STANDARD.decode(data.trim()).map(Some).map_err(|e| format!("illegal base64 data: {e}"));
    }
    if let Some(path) = map.get(file_key).and_then(Value::as_str).filter(|s| !s.is_empty()) {
        let path = ctx.resolve(path);
        return ctx.fs().read(&path).map(|d| Some(d.to_vec())).map_err(|_| format!("open {path}: no such file or directory"));
    }
    Ok(None)
}

/// A user as the API server's `user.Info` has it, with the uid and extra fields
/// `kubectl auth whoami` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub user: UserInfo,
    pub uid: String,
    pub extra: BTreeMap<String, Vec<String>>,
}

impl Identity {
    fn plain(user: UserInfo) -> Self {
        Identity { user, uid: String::new(), extra: BTreeMap::new() }
    }
}

/// Authenticates the resolved credentials against `cluster` and applies impersonation.
pub fn authenticate(ctx: &mut Ctx<'_>, resolved: &Resolved, cluster: &str) -> Result<UserInfo, Failure> {
    authenticate_identity(ctx, resolved, cluster).map(|i| i.user)
}

/// [`authenticate`] with the uid and extra fields.
pub fn authenticate_identity(ctx: &mut Ctx<'_>, resolved: &Resolved, cluster: &str) -> Result<Identity, Failure> {
    let identity = authenticate_credentials(ctx, resolved, cluster)?;
    impersonate(ctx, resolved, cluster, identity)
}

fn authenticate_credentials(ctx: &mut Ctx<'_>, resolved: &Resolved, cluster: &str) -> Result<Identity, Failure> {
    let auth = &resolved.auth_info;
    let cert = inline_or_file(ctx, auth, "client-certificate-data", "client-certificate").map_err(Failure::Client)?;
    let key = inline_or_file(ctx, auth, "client-key-data", "client-key").map_err(Failure::Client)?;
    let token = match auth.get("token").and_then(Value::as_str).filter(|s| !s.is_empty()) {
        Some(t) => Some(t.to_string()),
        None => match auth.get("tokenFile").and_then(Value::as_str).filter(|s| !s.is_empty()) {
            Some(path) => {
                let path = ctx.resolve(path);
                match ctx.fs().read_string(&path) {
                    Ok(t) => Some(t.trim().to_string()),
                    Err(_) => return Err(Failure::Client(format!("open {path}: no such file or directory"))),
                }
            }
            None => None,
        },
    };
    let basic = auth.get("username").and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    match (&cert, &key) {
        (Some(_), None) => {
            return Err(Failure::Client(format!(
                "client-key-data or client-key must be specified for {} to use the clientCert authentication method",
                resolved.user_name
            )));
        }
        (None, Some(_)) => {
            return Err(Failure::Client(format!(
                "client-cert-data or client-cert must be specified for {} to use the clientCert authentication method",
                resolved.user_name
            )));
        }
        _ => {}
    }
    if let Some(cert) = cert {
        let info = x509::parse(&cert).map_err(|_| Failure::Client("tls: failed to find any PEM data in certificate input".into()))?;
        let now = ctx.world.clock.now;
        // The x509 authenticator accepts certificates the cluster CA issued that are in date.
        if info.issuer_cn != "kubernetes" || now < info.not_before || now > info.not_after || info.subject_cn.is_empty() {
            return Err(Failure::Unauthorized);
        }
        let mut groups = info.subject_o;
        groups.push(AUTHENTICATED.into());
        let der = x509::der(&cert).unwrap_or_default();
        let digest: String = Sha256::digest(&der).iter().map(|b| format!("{b:02x}")).collect();
        let extra = BTreeMap::from([(CREDENTIAL_ID.to_string(), vec![format!("X509SHA256={digest}")])]);
        return Ok(Identity { user: UserInfo { name: info.subject_cn, groups }, uid: String::new(), extra });
    }
    if let Some(token) = token {
        return token_user(ctx, cluster, &token).ok_or(Failure::Unauthorized);
    }
    if basic {
        // Basic authentication was removed from the API server (v1.19).
        return Err(Failure::Unauthorized);
    }
    if resolved.endpoint.scheme == "https" {
        // clientcmd asks for a username when it has nothing to identify the user with.
        ctx.out.out("Please enter Username: ");
        let mut lines = std::str::from_utf8(ctx.stdin).unwrap_or_default().lines();
        if lines.next().is_none() {
            return Err(Failure::Client("EOF".into()));
        }
        // A username and password make basic authentication, which the API server rejects.
        ctx.out.out("Please enter Password: ");
        return Err(if lines.next().is_none() { Failure::Client("EOF".into()) } else { Failure::Unauthorized });
    }
    Ok(Identity::plain(UserInfo { name: "system:anonymous".into(), groups: vec!["system:unauthenticated".into()] }))
}

/// A bearer token's user: a service-account JWT whose account exists, or a bootstrap token
/// matching its Secret in kube-system.
pub fn token_user(ctx: &mut Ctx<'_>, cluster: &str, token: &str) -> Option<Identity> {
    if let Some(claims) = jwt_claims(token) {
        let sub = claims.get("sub").and_then(Value::as_str)?;
        if let Some(exp) = claims.get("exp").and_then(Value::as_i64)
            && exp < ctx.world.clock.now
        {
            return None;
        }
        let rest = sub.strip_prefix("system:serviceaccount:")?;
        let (ns, name) = rest.split_once(':')?;
        let res = Registry::builtin().lookup("serviceaccounts")?;
        let api = ctx.world.api(cluster)?;
        let sa = api.get(&UserInfo::system(), res, Some(ns), name).ok()?;
        let mut extra = BTreeMap::new();
        let claim = |p: &str| claims_value(&claims, p);
        if let Some(jti) = claim("/jti") {
            extra.insert(CREDENTIAL_ID.to_string(), vec![format!("JTI={jti}")]);
        }
        for kind in ["node", "pod"] {
            if let Some(n) = claim(&format!("/kubernetes.io/{kind}/name")) {
                extra.insert(format!("authentication.kubernetes.io/{kind}-name"), vec![n]);
            }
            if let Some(u) = claim(&format!("/kubernetes.io/{kind}/uid")) {
                extra.insert(format!("authentication.kubernetes.io/{kind}-uid"), vec![u]);
            }
        }
        let uid = sa.pointer("/metadata/uid").and_then(Value::as_str).unwrap_or_default().to_string();
        let groups = vec!["system:serviceaccounts".into(), format!("system:serviceaccounts:{ns}"), AUTHENTICATED.into()];
        return Some(Identity { user: UserInfo { name: sub.to_string(), groups }, uid, extra });
    }
    let (id, secret) = token.split_once('.')?;
    if id.len() != 6 || secret.len() != 16 {
        return None;
    }
    let res = Registry::builtin().lookup("secrets")?;
    let api = ctx.world.api(cluster)?;
    let obj = api.get(&UserInfo::system(), res, Some("kube-system"), &format!("bootstrap-token-{id}")).ok()?;
    let field = |k: &str| -> Option<String> {
        let b = obj.pointer(&format!("/data/{k}")).and_then(Value::as_str)?;
        base64::engine::general_purpose::STANDARD.decode(b).ok().map(|d| String::from_utf8_lossy(&d).into_owned())
    };
    if field("token-secret")? != secret || field("usage-bootstrap-authentication").as_deref() != Some("true") {
        return None;
    }
    let mut groups: Vec<String> =
        field("auth-extra-groups").unwrap_or_default().split(',').filter(|g| !g.is_empty()).map(str::to_string).collect();
    groups.insert(0, "system:bootstrappers".into());
    groups.push(AUTHENTICATED.into());
    Some(Identity::plain(UserInfo { name: format!("system:bootstrap:{id}"), groups }))
}

fn claims_value(claims: &Map<String, Value>, pointer: &str) -> Option<String> {
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    let mut cur = claims.get(parts[0])?;
    for p in &parts[1..] {
        cur = cur.get(*p)?;
    }
    cur.as_str().map(str::to_string)
}

/// The claims of a JWT-shaped token (`header.payload.signature`, base64url).
pub fn jwt_claims(token: &str) -> Option<Map<String, Value>> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice::<Value>(&bytes).ok()?.as_object().cloned()
}

/// The impersonation filter: `--as`/`--as-group` (or the kubeconfig's `as`/`as-groups`) need the
/// `impersonate` verb on users, service accounts and groups.
fn impersonate(ctx: &mut Ctx<'_>, resolved: &Resolved, cluster: &str, identity: Identity) -> Result<Identity, Failure> {
    let real = identity.user.clone();
    let auth = &resolved.auth_info;
    let as_user = auth.get("as").and_then(Value::as_str).unwrap_or_default().to_string();
    let as_groups: Vec<String> = auth
        .get("as-groups")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    if as_user.is_empty() {
        return Ok(identity);
    }
    let mut checks = Vec::new();
    if let Some((ns, name)) = as_user.strip_prefix("system:serviceaccount:").and_then(|r| r.split_once(':')) {
        checks.push(Attributes {
            verb: "impersonate".into(),
            resource: "serviceaccounts".into(),
            namespace: ns.into(),
            name: name.into(),
            ..Attributes::default()
        });
    } else {
        checks.push(Attributes { verb: "impersonate".into(), resource: "users".into(), name: as_user.clone(), ..Attributes::default() });
    }
    for g in &as_groups {
        checks.push(Attributes { verb: "impersonate".into(), resource: "groups".into(), name: g.clone(), ..Attributes::default() });
    }
    let as_uid = auth.get("as-uid").and_then(Value::as_str).unwrap_or_default().to_string();
    if !as_uid.is_empty() {
        checks.push(Attributes {
            verb: "impersonate".into(),
            group: "authentication.k8s.io".into(),
            resource: "uids".into(),
            name: as_uid.clone(),
            ..Attributes::default()
        });
    }
    if let Some(api) = ctx.world.api(cluster) {
        for attrs in &checks {
            if let Decision::Deny(_) = api.authorize(&real, attrs) {
                let scope = if attrs.namespace.is_empty() {
                    "at the cluster scope".to_string()
                } else {
                    format!("in the namespace \"{}\"", attrs.namespace)
                };
                let qualified = if attrs.group.is_empty() { attrs.resource.clone() } else { format!("{}.{}", attrs.resource, attrs.group) };
                return Err(Failure::Raw(format!(
                    "Error from server (Forbidden): {qualified} \"{}\" is forbidden: User \"{}\" cannot impersonate resource \"{}\" in API group \"{}\" {scope}\n",
                    attrs.name, real.name, attrs.resource, attrs.group
                )));
            }
        }
    }
    let mut groups = as_groups;
    if groups.is_empty()
        && let Some((ns, _)) = as_user.strip_prefix("system:serviceaccount:").and_then(|r| r.split_once(':'))
    {
        groups = vec!["system:serviceaccounts".into(), format!("system:serviceaccounts:{ns}")];
    }
    if as_user != "system:anonymous" && !groups.iter().any(|g| g == AUTHENTICATED) {
        groups.push(AUTHENTICATED.into());
    }
    Ok(Identity { user: UserInfo { name: as_user, groups }, uid: as_uid, extra: BTreeMap::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_payloads_decode() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"sub":"system:serviceaccount:default:bot"}"#);
        let claims = jwt_claims(&format!("eyJhbGciOiJSUzI1NiJ9.{payload}.sig")).unwrap();
        assert_eq!(claims["sub"], "system:serviceaccount:default:bot");
        assert!(jwt_claims("abc").is_none());
        assert!(jwt_claims("a.b.c.d").is_none());
    }
}
