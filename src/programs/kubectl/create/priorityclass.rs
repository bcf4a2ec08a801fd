//! `kubectl create priorityclass NAME [--value] [--global-default] [--description]
//! [--preemption-policy]`.

use serde_json::{Map, Value, json};

use super::common;
use crate::programs::Ctx;
use crate::programs::kubectl::flags::{FlagDef, FlagKind};

pub const FLAGS: &[FlagDef] = &[
    FlagDef::string("description"),
    FlagDef::bool("global-default"),
    FlagDef::string("preemption-policy"),
    FlagDef::new("value", None, FlagKind::Int),
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create priorityclass", FLAGS, &[], |_, req| {
        let p = req.parsed;
        let mut obj = Map::new();
        obj.insert("kind".into(), json!("PriorityClass"));
        obj.insert("apiVersion".into(), json!("scheduling.k8s.io/v1"));
        obj.insert("metadata".into(), json!({"name": req.name}));
        obj.insert("value".into(), json!(p.int("value", 0)));
        if p.bool("global-default") {
            obj.insert("globalDefault".into(), json!(true));
        }
        let description = p.string("description", "");
        if !description.is_empty() {
            obj.insert("description".into(), json!(description));
        }
        obj.insert("preemptionPolicy".into(), json!(p.string("preemption-policy", "PreemptLowerPriority")));
        Ok(vec![Value::Object(obj)])
    })
}
