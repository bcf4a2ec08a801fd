//! `kubectl create serviceaccount NAME`.

use serde_json::json;

use super::common;
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create serviceaccount", &[], &[], |_, req| {
        Ok(vec![json!({"kind": "ServiceAccount", "apiVersion": "v1", "metadata": {"name": req.name}})])
    })
}
