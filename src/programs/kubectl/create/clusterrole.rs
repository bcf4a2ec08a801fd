//! `kubectl create clusterrole NAME`: a role's rules plus `--non-resource-url` and
//! `--aggregation-rule`.

use serde_json::{Map, Value, json};

use super::common::{self, Failure};
use super::role::{self, RuleSpec};
use crate::programs::Ctx;
use crate::programs::kubectl::flags::{FlagDef, FlagKind};

pub const FLAGS: &[FlagDef] = &[
    FlagDef::string("aggregation-rule"),
    FlagDef::new("non-resource-url", None, FlagKind::StringSlice),
    role::FLAGS[0],
    role::FLAGS[1],
    role::FLAGS[2],
];

const NON_RESOURCE_VERBS: &[&str] = &["*", "get", "post", "put", "delete", "patch", "head", "options"];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create clusterrole", FLAGS, &[], |ctx, req| {
        let spec = RuleSpec::from_flags(req.parsed);
        let aggregation = req.parsed.get("aggregation-rule").map(str::to_string);
        let mut obj = Map::new();
        obj.insert("kind".into(), json!("ClusterRole"));
        obj.insert("apiVersion".into(), json!("rbac.authorization.k8s.io/v1"));
        obj.insert("metadata".into(), json!({"name": req.name}));
        if let Some(rule) = aggregation {
            if !spec.non_resource_urls.is_empty() || !spec.verbs.is_empty() || !spec.resources.is_empty() || !spec.resource_names.is_empty()
            {
                return Err(Failure::plain(
                    "aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames",
                ));
            }
            let Some(pairs) = common::parse_key_values(&rule) else {
                return Err(Failure::plain(format!(
                    "invalid argument \"{rule}\" for \"--aggregation-rule\" flag: {rule} must be formatted as key=value"
                )));
            };
            obj.insert("rules".into(), Value::Null);
            obj.insert("aggregationRule".into(), json!({"clusterRoleSelectors": [{"matchLabels": common::object_of(&pairs)}]}));
            return Ok(vec![Value::Object(obj)]);
        }
        if spec.verbs.is_empty() {
            return Err(Failure::plain("at least one verb must be specified"));
        }
        if spec.resources.is_empty() && spec.non_resource_urls.is_empty() {
            return Err(Failure::plain("one of resource or nonResourceURL must be specified"));
        }
        if !spec.resources.is_empty() {
            spec.warn_verbs(ctx);
            spec.validate_resources()?;
        }
        if !spec.non_resource_urls.is_empty() {
            if let Some(v) = spec.verbs.iter().find(|v| !NON_RESOURCE_VERBS.contains(&v.as_str())) {
                return Err(Failure::plain(format!("invalid verb: '{v}' for nonResourceURL")));
            }
            for url in &spec.non_resource_urls {
                if url == "*" {
                    continue;
                }
                if !url.starts_with('/') {
                    return Err(Failure::plain("nonResourceURL should start with /"));
                }
                if url.chars().rev().skip(1).any(|c| c == '*') {
                    return Err(Failure::plain("nonResourceURL only supports wildcard matches when '*' is at the end"));
                }
            }
        }
        obj.insert("rules".into(), spec.rules());
        Ok(vec![Value::Object(obj)])
    })
}
