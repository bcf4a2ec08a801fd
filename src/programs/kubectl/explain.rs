//! `kubectl explain TYPE[.FIELD...]`: the documentation of a kind or field from the server's
//! OpenAPI v3 schemas, rendered as kubectl v1.35's plaintext template does
//! (`pkg/cmd/explain/explain.go`, `pkg/explain/v2`). Built-in kinds come from the embedded
//! v1.35 definitions, custom resources from their CRDs' schemas.

mod crd;
mod path;
mod render;
mod render_v2;
mod schema;

use std::collections::BTreeMap;

use super::client;
use super::flags::FlagDef;
use crate::cluster::{ListOptions, Registry, ResourceInfo, UserInfo};
use crate::programs::Ctx;
use path::PathError;
use schema::{Document, Gvk};

const DEFS: &[FlagDef] = &[FlagDef::bool("recursive"), FlagDef::string("api-version"), FlagDef::string("output").short('o')];

fn fail(ctx: &mut Ctx<'_>, message: &str) -> i32 {
    let message = if message.starts_with("error: ") { message.to_string() } else { format!("error: {message}") };
    ctx.out.err(format!("{}\n", message.trim_end_matches('\n')));
    1
}

/// `schema.ParseGroupVersion`: `v1`, `apps/v1`; more than one slash is an error.
fn parse_group_version(text: &str) -> Result<(String, String), String> {
    match text.split('/').collect::<Vec<_>>().as_slice() {
        [version] => Ok((String::new(), (*version).to_string())),
        [group, version] => Ok(((*group).to_string(), (*version).to_string())),
        _ => Err(format!("unexpected GroupVersion string: {text}")),
    }
}

/// The custom resource schemas of the cluster's CRDs (what their groups' documents add).
fn crd_schemas(ctx: &mut Ctx<'_>, conn: &client::Connection, group: &str) -> BTreeMap<String, serde_json::Value> {
    let mut out = BTreeMap::new();
    if Registry::is_builtin_group(group) {
        return out;
    }
    let (Some(api), Some(crds)) = (conn.api(ctx.world), Registry::builtin_resource("customresourcedefinitions")) else { return out };
    // The OpenAPI documents are readable by every authenticated user (system:discovery), so the
    // CRDs are read with the server's own identity, not the caller's RBAC.
    for crd in api.list(&UserInfo::system(), crds, None, &ListOptions::default()).unwrap_or_default() {
        if crd.pointer("/spec/group").and_then(serde_json::Value::as_str) == Some(group) {
            out.extend(crd::schemas(&crd));
        }
    }
    out
}

/// kubetutor's own summary of the command (kubectl's help text is its own).
const HELP: &str = "Show the documentation of a resource kind, or of one of its fields, from the OpenAPI schemas the
API server publishes. Name a field with a dotted path: TYPE.FIELD.SUBFIELD.

Examples:
  kubectl explain pods
  kubectl explain deployments.spec.strategy --recursive
  kubectl explain hpa --api-version=autoscaling/v1
  kubectl explain pods.spec.containers -o plaintext-openapiv2

Options:
    --api-version='':
	Explain the kind in this API group/version instead of the preferred one.

    -o, --output='plaintext':
	plaintext (from /openapi/v3) or plaintext-openapiv2 (the older layout, from /openapi/v2).

    --recursive=false:
	List the names and types of all nested fields instead of one level with descriptions.

Usage:
  kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]";

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let flags = match super::config::parse_or_help(ctx, "explain", DEFS, args, HELP) {
        Ok(f) => f,
        Err(code) => return code,
    };
    match flags.args.len() {
        0 => {
            return fail(
                ctx,
                "You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.",
            );
        }
        1 => {}
        _ => return fail(ctx, "We accept only this format: explain RESOURCE"),
    }
    let Ok(conn) = client::connect(ctx, &flags) else { return 1 };
    let Some(registry) = conn.api(ctx.world).map(|a| a.registry()) else { return 1 };
    let api_version = flags.string("api-version", "");
    let input = &flags.args[0];
    let split = if api_version.is_empty() { path::split_with_prefix(&registry, input) } else { path::split(&registry, input) };
    let (res, fields) = match split {
        Ok(r) => r,
        Err(PathError::NoMatch(word)) => {
            ctx.out.err(format!("{}\n", PathError::NoMatch(word)));
            return 1;
        }
        Err(e) => return fail(ctx, &e.to_string()),
    };
    warn_short_name(ctx, &registry, input);
    let output = flags.string("output", "plaintext");
    let (mut group, mut version) = (res.group.clone(), res.version.clone());
    if !api_version.is_empty() {
        match parse_group_version(&api_version) {
            Ok(gv) => (group, version) = gv,
            Err(e) => return fail(ctx, &e),
        }
    }
    if output == "plaintext-openapiv2" {
        // The older renderer over /openapi/v2: the kind comes from the RESTMapper, the group and
        // version from --api-version when given.
        let doc = Document::new(crd_schemas(ctx, &conn, &group));
        let gvk = Gvk { group, version, kind: res.kind.clone() };
        return match render_v2::render(&doc, &gvk, &fields, flags.bool("recursive")) {
            Ok(text) => {
                ctx.out.out(text);
                0
            }
            Err(e) => fail(ctx, &e),
        };
    }
    let gvr = format!("{group}/{version}, Resource={}", res.name);
    // The group/version must have an OpenAPI document (every served one has).
    if !registry.groups.iter().any(|g| g.name == group && g.versions.contains(&version)) {
        return fail(ctx, &format!("couldn't find resource for \"{gvr}\""));
    }
    if output != "plaintext" {
        return fail(ctx, &format!("unrecognized format: {output}"));
    }
    let Some(kind) = kind_in(&registry, &group, &version, &res) else {
        return fail(ctx, &format!("GVR ({gvr}) not found in OpenAPI schema"));
    };
    let doc = Document::new(crd_schemas(ctx, &conn, &group));
    let gvk = Gvk { group, version, kind };
    match render::render(&doc, &gvk, &fields, flags.bool("recursive")) {
        Ok(text) => {
            ctx.out.out(text);
            0
        }
        Err(e) => {
            ctx.out.out(e.partial);
            fail(ctx, &e.message)
        }
    }
}

/// The kind the group/version document's paths give the resource (`x-kubernetes-group-version-kind`
/// of its operations), if that group/version serves it at all.
fn kind_in(reg: &Registry, group: &str, version: &str, res: &ResourceInfo) -> Option<String> {
    reg.resources.iter().find(|r| r.group == group && r.version == version && r.name == res.name).map(|r| r.kind.clone())
}

/// kubectl's shortcut expander warns when a short name also belongs to another group.
fn warn_short_name(ctx: &mut Ctx<'_>, reg: &Registry, input: &str) {
    let word = input.split(['.', '[']).next().unwrap_or_default();
    let mut warnings = Vec::new();
    if super::get::args::resolve_type(reg, word, &mut warnings).is_ok() {
        for w in warnings {
            ctx.out.err(w);
        }
    }
}
