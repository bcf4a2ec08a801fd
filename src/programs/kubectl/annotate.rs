//! `kubectl annotate`: the same machinery as `label` ([`super::label::run_meta`]) over
//! `metadata.annotations`, with annotate's own messages.

use super::label::{MetaKind, run_meta};
use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    run_meta(ctx, args, MetaKind::Annotations)
}
