//! `kubectl create cronjob NAME --image=IMAGE --schedule=SPEC [--restart] [-- COMMAND]`.

use serde_json::{Value, json};

use super::common;
use super::job::container;
use crate::programs::Ctx;
use crate::programs::kubectl::flags::FlagDef;

pub const FLAGS: &[FlagDef] = &[FlagDef::string("image"), FlagDef::string("restart"), FlagDef::string("schedule")];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create cronjob", FLAGS, &["image", "schedule"], |_, req| {
        let p = req.parsed;
        let restart = p.get("restart").filter(|r| !r.is_empty()).unwrap_or("OnFailure");
        Ok(vec![build(&req.name, &p.string("image", ""), &p.string("schedule", ""), restart, p.dash_args())])
    })
}

pub fn build(name: &str, image: &str, schedule: &str, restart: &str, command: &[String]) -> Value {
    json!({
        "kind": "CronJob",
        "apiVersion": "batch/v1",
        "metadata": {"name": name},
        "spec": {
            "schedule": schedule,
            "jobTemplate": {
                "metadata": {"name": name},
                "spec": {"template": {"metadata": {}, "spec": {"containers": [container(name, image, command)], "restartPolicy": restart}}}
            }
        },
        "status": {}
    })
}
