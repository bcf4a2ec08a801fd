//! `kubectl create rolebinding|clusterrolebinding NAME --role|--clusterrole … --user --group
//! --serviceaccount NS:NAME`.

use serde_json::{Map, Value, json};

use super::common::{self, Failure, Request};
use crate::programs::Ctx;
use crate::programs::kubectl::flags::{FlagDef, FlagKind};

const RBAC: &str = "rbac.authorization.k8s.io";

pub const FLAGS: &[FlagDef] = &[
    FlagDef::string("clusterrole"),
    FlagDef::new("group", None, FlagKind::StringArray),
    FlagDef::string("role"),
    FlagDef::new("serviceaccount", None, FlagKind::StringArray),
    FlagDef::new("user", None, FlagKind::StringArray),
];

pub const CLUSTER_FLAGS: &[FlagDef] = &[FLAGS[0], FLAGS[1], FLAGS[3], FLAGS[4]];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create rolebinding", FLAGS, &[], |_, req| {
        let role = req.parsed.string("role", "");
        let cluster_role = req.parsed.string("clusterrole", "");
        if role.is_empty() == cluster_role.is_empty() {
            return Err(Failure::plain("exactly one of clusterrole or role must be specified"));
        }
        let role_ref = if role.is_empty() { ("ClusterRole", cluster_role) } else { ("Role", role) };
        Ok(vec![build("RoleBinding", req, role_ref)?])
    })
}

pub fn run_cluster(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create clusterrolebinding", CLUSTER_FLAGS, &["clusterrole"], |_, req| {
        Ok(vec![build("ClusterRoleBinding", req, ("ClusterRole", req.parsed.string("clusterrole", "")))?])
    })
}

fn build(kind: &str, req: &Request<'_>, (ref_kind, ref_name): (&str, String)) -> Result<Value, Failure> {
    let mut subjects = Vec::new();
    for user in req.parsed.all("user") {
        subjects.push(json!({"kind": "User", "apiGroup": RBAC, "name": user}));
    }
    for group in req.parsed.all("group") {
        subjects.push(json!({"kind": "Group", "apiGroup": RBAC, "name": group}));
    }
    for sa in req.parsed.all("serviceaccount") {
        let parts: Vec<&str> = sa.split(':').collect();
        if parts.len() != 2 || parts[0].is_empty() || parts[1].is_empty() {
            return Err(Failure::plain("serviceaccount must be <namespace>:<name>"));
        }
        subjects.push(json!({"kind": "ServiceAccount", "name": parts[1], "namespace": parts[0]}));
    }
    let mut obj = Map::new();
    obj.insert("kind".into(), json!(kind));
    obj.insert("apiVersion".into(), json!(format!("{RBAC}/v1")));
    obj.insert("metadata".into(), json!({"name": req.name}));
    if !subjects.is_empty() {
        obj.insert("subjects".into(), Value::Array(subjects));
    }
    obj.insert("roleRef".into(), json!({"apiGroup": RBAC, "kind": ref_kind, "name": ref_name}));
    Ok(Value::Object(obj))
}
