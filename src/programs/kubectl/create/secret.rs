//! `kubectl create secret generic|tls|docker-registry`: the subcommand table and what the
//! three share (base64 data, the Secret's field order, `--append-hash`).

pub mod docker_registry;
pub mod generic;
pub mod tls;

use base64::Engine;
use serde_json::{Map, Value, json};

use super::common;
use super::sources::{self, Data};
use super::{Sub, dispatch};
use crate::programs::Ctx;
use crate::programs::kubectl::printers::KeyOrder;
use crate::programs::kubectl::printers::json::compact;

const SUBS: &[Sub] = &[
    Sub { name: "docker-registry", aliases: &[], run: docker_registry::run },
    Sub { name: "generic", aliases: &[], run: generic::run },
    Sub { name: "tls", aliases: &[], run: tls::run },
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut defs = common::with_output_flags(&[]);
    defs.extend_from_slice(crate::programs::kubectl::GLOBAL_FLAGS);
    dispatch(ctx, args, &defs, SUBS, |ctx, args| {
        super::group_without_subcommand(ctx, "create secret", &["docker-registry", "generic", "tls"], args)
    })
}

/// Standard base64, as Go's JSON encodes `[]byte`.
pub fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// A Secret in Go field order (`data` before `type`); `type` only when set.
pub fn build(name: &str, data: &Data, secret_type: &str, append_hash: bool) -> Value {
    let mut encoded = Map::new();
    for (k, v) in data {
        encoded.insert(k.clone(), json!(b64(v)));
    }
    let mut name = name.to_string();
    if append_hash {
        let mut h = Map::new();
        h.insert("data".into(), if encoded.is_empty() { Value::Null } else { Value::Object(encoded.clone()) });
        h.insert("kind".into(), json!("Secret"));
        h.insert("name".into(), json!(name));
        h.insert("type".into(), json!(secret_type));
        name = format!("{name}-{}", sources::hash_suffix(&compact(&Value::Object(h), KeyOrder::Sorted)));
    }
    let mut obj = Map::new();
    obj.insert("kind".into(), json!("Secret"));
    obj.insert("apiVersion".into(), json!("v1"));
    obj.insert("metadata".into(), json!({"name": name}));
    if !encoded.is_empty() {
        obj.insert("data".into(), Value::Object(encoded));
    }
    if !secret_type.is_empty() {
        obj.insert("type".into(), json!(secret_type));
    }
    Value::Object(obj)
}
