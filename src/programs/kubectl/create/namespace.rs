//! `kubectl create namespace NAME`.

use serde_json::json;

use super::common;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create namespace", &[], &[], |_, req| {
        Ok(vec![json!({"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": req.name}, "spec": {}, "status": {}})])
    })
}
