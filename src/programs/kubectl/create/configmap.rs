//! `kubectl create configmap NAME [--from-literal|--from-file|--from-env-file] [--append-hash]`.

use serde_json::{Map, Value, json};

use super::common;
use super::sources::{self, Target};
use crate::programs::Ctx;
use crate::programs::kubectl::flags::{FlagDef, FlagKind};
use crate::programs::kubectl::printers::KeyOrder;
use crate::programs::kubectl::printers::json::compact;

pub const FLAGS: &[FlagDef] = &[
    FlagDef::bool("append-hash"),
    FlagDef::new("from-env-file", None, FlagKind::StringSlice),
    FlagDef::new("from-file", None, FlagKind::StringSlice),
    FlagDef::new("from-literal", None, FlagKind::StringArray),
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create configmap", FLAGS, &[], |ctx, req| {
        let data = sources::collect(ctx, req.parsed, Target::ConfigMap, &req.name)?;
        Ok(vec![build(&req.name, &data, req.parsed.bool("append-hash"))])
    })
}

/// The ConfigMap: UTF-8 values in `data`, the rest base64 in `binaryData`.
pub fn build(name: &str, data: &sources::Data, append_hash: bool) -> Value {
    let mut text = Map::new();
    let mut binary = Map::new();
    for (k, v) in data {
        match std::str::from_utf8(v) {
            Ok(s) => text.insert(k.clone(), json!(s)),
            Err(_) => binary.insert(k.clone(), json!(crate::programs::kubectl::create::secret::b64(v))),
        };
    }
    let mut name = name.to_string();
    if append_hash {
        let mut h = Map::new();
        if !binary.is_empty() {
            h.insert("binaryData".into(), Value::Object(binary.clone()));
        }
        h.insert("data".into(), if text.is_empty() { Value::Null } else { Value::Object(text.clone()) });
        h.insert("kind".into(), json!("ConfigMap"));
        h.insert("name".into(), json!(name));
        name = format!("{name}-{}", sources::hash_suffix(&compact(&Value::Object(h), KeyOrder::Sorted)));
    }
    let mut obj = Map::new();
    obj.insert("kind".into(), json!("ConfigMap"));
    obj.insert("apiVersion".into(), json!("v1"));
    obj.insert("metadata".into(), json!({"name": name}));
    if !text.is_empty() {
        obj.insert("data".into(), Value::Object(text));
    }
    if !binary.is_empty() {
        obj.insert("binaryData".into(), Value::Object(binary));
    }
    Value::Object(obj)
}
