//! `kubectl create deployment NAME --image=IMAGE [--replicas] [--port] [-- COMMAND]`.

use serde_json::{Value, json};

use super::common::{self, Failure};
use crate::programs::Ctx;
use crate::programs::kubectl::flags::{FlagDef, FlagKind};

pub const FLAGS: &[FlagDef] = &[
    FlagDef::new("image", None, FlagKind::StringSlice),
    FlagDef::new("port", None, FlagKind::Int),
    FlagDef::new("replicas", Some('r'), FlagKind::Int),
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create deployment", FLAGS, &["image"], |ctx, req| {
        let images = req.parsed.all("image");
        let command = req.parsed.dash_args().to_vec();
        if images.len() > 1 && !command.is_empty() {
            return Err(Failure::plain("cannot specify multiple --image options and command"));
        }
        let replicas = req.parsed.int("replicas", 1);
        let port = req.parsed.int("port", -1);
        let names: Vec<String> = images.iter().map(|i| container_name(ctx, i)).collect();
        Ok(vec![build(&req.name, &images, &names, &command, replicas, port)])
    })
}

/// A container name from an image reference: the last path part without tag or digest, made a
/// DNS label (`_` and `.` become `-`, and then a random suffix is added, as kubectl does).
pub fn container_name(ctx: &mut Ctx<'_>, image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let name = last.split(':').next().unwrap_or(last);
    let name = name.split('@').next().unwrap_or(name);
    if name.contains(['_', '.']) { format!("{}-{}", name.replace(['_', '.'], "-"), ctx.world.rng.name_suffix(5)) } else { name.to_string() }
}

/// The Deployment, in Go struct field order.
pub fn build(name: &str, images: &[String], names: &[String], command: &[String], replicas: i64, port: i64) -> Value {
    let labels = json!({"app": name});
    let mut containers = Vec::new();
    for (i, (image, cname)) in images.iter().zip(names).enumerate() {
        let mut c = serde_json::Map::new();
        c.insert("name".into(), json!(cname));
        c.insert("image".into(), json!(image));
        if i == 0 && !command.is_empty() {
            c.insert("command".into(), json!(command));
        }
        if i == 0 && port >= 0 {
            c.insert("ports".into(), json!([{"containerPort": port}]));
        }
        c.insert("resources".into(), json!({}));
        containers.push(Value::Object(c));
    }
    json!({
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": containers}},
            "strategy": {}
        },
        "status": {}
    })
}
