//! `kubectl kustomize DIR` and `-k DIR`: builds a kustomization into objects.

use super::resource_builder::SourcedObject;
use crate::programs::Ctx;

/// Builds the kustomization in `dir` into objects (the source of each is `dir`).
pub fn build_objects(_ctx: &mut Ctx<'_>, _dir: &str) -> Result<Vec<SourcedObject>, String> {
    Err("kustomize is not available in this simulation yet".into())
}

pub fn run(ctx: &mut Ctx<'_>, _args: &[String]) -> i32 {
    ctx.out.err("error: kubectl kustomize is not available in this simulation yet\n");
    1
}
