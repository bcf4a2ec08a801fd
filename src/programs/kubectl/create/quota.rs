//! `kubectl create quota NAME [--hard=cpu=1,pods=10] [--scopes=BestEffort,…]`.

use serde_json::{Map, Value, json};

use super::common::{self, Failure};
use crate::programs::Ctx;
use crate::programs::kubectl::flags::FlagDef;

pub const FLAGS: &[FlagDef] = &[FlagDef::string("hard"), FlagDef::string("scopes")];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create quota", FLAGS, &[], |_, req| {
        let hard = req.parsed.string("hard", "");
        let scopes = req.parsed.string("scopes", "");
        let mut spec = Map::new();
        if !hard.is_empty() {
            let mut pairs = Vec::new();
            for kv in hard.split(',') {
                let items: Vec<&str> = kv.split('=').collect();
                if items.len() != 2 {
                    return Err(Failure::plain(format!("Invalid argument syntax {kv}, expected <resource>=<value>")));
                }
                let quantity = crate::cluster::quantity::canonical(items[1]).map_err(|e| Failure::plain(e.to_string()))?;
                pairs.push((items[0].to_string(), quantity));
            }
            spec.insert("hard".into(), common::object_of(&pairs));
        }
        if !scopes.is_empty() {
            spec.insert("scopes".into(), json!(scopes.split(',').collect::<Vec<_>>()));
        }
        Ok(vec![
            json!({"kind": "ResourceQuota", "apiVersion": "v1", "metadata": {"name": req.name}, "spec": Value::Object(spec), "status": {}}),
        ])
    })
}
