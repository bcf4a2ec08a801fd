//! `kubectl create secret generic NAME [--from-literal|--from-file|--from-env-file] [--type]`.

use crate::programs::Ctx;
use crate::programs::kubectl::create::common;
use crate::programs::kubectl::create::sources::{self, Target};
use crate::programs::kubectl::flags::{FlagDef, FlagKind};

pub const FLAGS: &[FlagDef] = &[
    FlagDef::bool("append-hash"),
    FlagDef::new("from-env-file", None, FlagKind::StringSlice),
    FlagDef::new("from-file", None, FlagKind::StringSlice),
    FlagDef::new("from-literal", None, FlagKind::StringArray),
    FlagDef::string("type"),
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create secret generic", FLAGS, &[], |ctx, req| {
        let data = sources::collect(ctx, req.parsed, Target::Secret, &req.name)?;
        Ok(vec![super::build(&req.name, &data, &req.parsed.string("type", ""), req.parsed.bool("append-hash"))])
    })
}
