//! `kubectl create job NAME --image=IMAGE [-- COMMAND]` and `--from=cronjob/NAME` (which reads
//! the CronJob from the API server).

use serde_json::{Map, Value, json};

use super::common::{self, Failure};
use crate::cluster::Registry;
use crate::programs::Ctx;
use crate::programs::kubectl::flags::FlagDef;
use crate::programs::kubectl::{client, errors};

pub const FLAGS: &[FlagDef] = &[FlagDef::string("from"), FlagDef::string("image")];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create job", FLAGS, &[], |ctx, req| {
        let image = req.parsed.string("image", "");
        let from = req.parsed.string("from", "");
        let command = req.parsed.dash_args().to_vec();
        if image.is_empty() == from.is_empty() {
            return Err(Failure::plain("either --image or --from must be specified"));
        }
        if !command.is_empty() && !from.is_empty() {
            return Err(Failure::plain("cannot specify --from and command"));
        }
        if from.is_empty() {
            return Ok(vec![build(&req.name, &image, &command)]);
        }
        let cronjob = read_cronjob(ctx, req.parsed, &from)?;
        Ok(vec![from_cronjob(&req.name, &cronjob)])
    })
}

/// The Job, in Go struct field order.
pub fn build(name: &str, image: &str, command: &[String]) -> Value {
    json!({
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": {"name": name},
        "spec": {"template": {"metadata": {}, "spec": {"containers": [container(name, image, command)], "restartPolicy": "Never"}}},
        "status": {}
    })
}

/// A generator's single container: name, image, command, empty resources.
pub fn container(name: &str, image: &str, command: &[String]) -> Value {
    let mut c = Map::new();
    c.insert("name".into(), json!(name));
    c.insert("image".into(), json!(image));
    if !command.is_empty() {
        c.insert("command".into(), json!(command));
    }
    c.insert("resources".into(), json!({}));
    Value::Object(c)
}

fn read_cronjob(ctx: &mut Ctx<'_>, parsed: &crate::programs::kubectl::flags::Parsed, from: &str) -> Result<Value, Failure> {
    let (kind, name) = from.split_once('/').unwrap_or((from, ""));
    let Some(res) = Registry::builtin().lookup(kind).cloned() else {
        return Err(Failure::plain(format!("the server doesn't have a resource type \"{kind}\"")));
    };
    let conn = client::connect(ctx, parsed).map_err(|_| Failure(String::new()))?;
    let Some(api) = conn.api(ctx.world) else {
        return Err(Failure(String::new()));
    };
    // The builder reads the object first; only then is its type checked.
    let obj = api.get(&conn.user, &res, Some(&conn.namespace), name).map_err(|s| Failure(errors::from_server(&s)))?;
    if res.kind != "CronJob" {
        // Go's `%T` of the typed object the builder returned.
        return Err(Failure::plain(format!("unknown object type *{}.{}", res.version, res.kind)));
    }
    Ok(obj)
}

/// A Job instantiated by hand from a CronJob, owned by it, as `kubectl create job --from` builds it.
pub fn from_cronjob(name: &str, cronjob: &Value) -> Value {
    let template = cronjob.pointer("/spec/jobTemplate").cloned().unwrap_or_else(|| json!({}));
    let mut annotations = Map::new();
    annotations.insert("cronjob.kubernetes.io/instantiate".into(), json!("manual"));
    if let Some(a) = template.pointer("/metadata/annotations").and_then(Value::as_object) {
        for (k, v) in a {
            annotations.insert(k.clone(), v.clone());
        }
    }
    let mut sorted: Vec<(String, Value)> = annotations.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    if let Some(labels) = template.pointer("/metadata/labels") {
        meta.insert("labels".into(), labels.clone());
    }
    meta.insert("annotations".into(), Value::Object(sorted.into_iter().collect()));
    meta.insert(
        "ownerReferences".into(),
        json!([{
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "name": cronjob.pointer("/metadata/name").cloned().unwrap_or(Value::Null),
            "uid": cronjob.pointer("/metadata/uid").cloned().unwrap_or(Value::Null),
            "controller": true
        }]),
    );
    json!({
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": meta,
        "spec": template.get("spec").cloned().unwrap_or_else(|| json!({})),
        "status": {}
    })
}
