//! `kubectl patch`: strategic merge (default), JSON merge and JSON patches from `-p` or
//! `--patch-file`, on live objects or `--local -f` files (`pkg/cmd/patch/patch.go`, v1.35). The
//! server's patch handler is mirrored by applying the patch to the object just read and
//! updating it with that object's resourceVersion.

use serde_json::Value;

use super::flags::{FlagDef, FlagKind};
use super::printers::{self, KeyOrder, OutputFormat};
use super::resource_builder::{self as rb, CmdError, DryRun, Selection};
use super::{apply, client, parse_flags};
use crate::cluster::patch::{self as engine, PatchError, Schema};
use crate::cluster::{ResourceInfo, WriteOptions};
use crate::programs::Ctx;

const DEFS: &[FlagDef] = &[
    FlagDef::new("filename", Some('f'), FlagKind::StringSlice),
    FlagDef::new("kustomize", Some('k'), FlagKind::String),
    FlagDef::bool("recursive").short('R'),
    FlagDef::string("patch").short('p'),
    FlagDef::string("patch-file"),
    FlagDef::string("type"),
    FlagDef::bool("local"),
    FlagDef::string("subresource"),
    FlagDef::string("output").short('o'),
    FlagDef::string("dry-run").no_opt("unchanged"),
    FlagDef::string("field-manager"),
    FlagDef::bool("record"),
    FlagDef::bool("show-managed-fields"),
    FlagDef::string("template"),
    FlagDef::bool("allow-missing-template-keys"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    Strategic,
    Merge,
    Json,
}

impl PatchKind {
    fn media_type(self) -> &'static str {
        match self {
            PatchKind::Strategic => "application/strategic-merge-patch+json",
            PatchKind::Merge => "application/merge-patch+json",
            PatchKind::Json => "application/json-patch+json",
        }
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Ok(parsed) = parse_flags(ctx, "patch", DEFS, args) else { return 1 };
    let fail = |ctx: &mut Ctx<'_>, msg: &str| {
        ctx.out.err(format!("error: {msg}\n"));
        1
    };
    let text = parsed.string("patch", "");
    let file = parsed.string("patch-file", "");
    let local = parsed.bool("local");
    let dry_run = match DryRun::parse(parsed.get("dry-run")) {
        Ok(d) => d,
        Err(e) => return fail(ctx, &e),
    };
    let output = match OutputFormat::parse(parsed.get("output").unwrap_or("")) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    if !text.is_empty() && !file.is_empty() {
        return fail(ctx, "cannot specify --patch and --patch-file together");
    }
    if text.is_empty() && file.is_empty() {
        return fail(ctx, "must specify --patch or --patch-file containing the contents of the patch");
    }
    if local && !parsed.args.is_empty() {
        return fail(ctx, "cannot specify --local and server resources");
    }
    if local && dry_run == DryRun::Server {
        return fail(ctx, "cannot specify --local and --dry-run=server - did you mean --dry-run=client?");
    }
    let kind = match parsed.get("type").map(str::to_lowercase).as_deref() {
        None | Some("strategic") => PatchKind::Strategic,
        Some("merge") => PatchKind::Merge,
        Some("json") => PatchKind::Json,
        Some(_) => return fail(ctx, &format!("--type must be one of [json merge strategic], not \"{}\"", parsed.string("type", ""))),
    };
    let body = if file.is_empty() {
        text.clone()
    } else {
        let path = ctx.resolve(&file);
        match ctx.fs().read_string(&path) {
            Ok(t) => t,
            Err(e) => return fail(ctx, &format!("unable to read patch file: open {file}: {}", e.to_string().to_lowercase())),
        }
    };
    let patch = match parse_patch(&body) {
        Ok(p) => p,
        Err(e) => return fail(ctx, &format!("unable to parse \"{text}\": {e}")),
    };
    let Some(patch) = patch else {
        return fail(ctx, "invalid JSON document");
    };

    let targets = if local {
        let (objects, errs) = rb::load(ctx, &parsed.all("filename"), parsed.bool("recursive"), false);
        rb::local_targets(objects, errs)
    } else {
        let Ok(conn) = client::connect(ctx, &parsed) else { return 1 };
        let sel = Selection {
            args: parsed.args.clone(),
            filenames: parsed.all("filename"),
            kustomize: parsed.get("kustomize").map(str::to_string),
            recursive: parsed.bool("recursive"),
            latest: true,
            ..Default::default()
        };
        match rb::select(ctx, &conn, &sel) {
            Ok(t) => t,
            Err(errs) => return rb::print_errors(ctx, &errs),
        }
    };
    let conn = if local { None } else { client::connect(ctx, &parsed).ok() };
    let mut errs = Vec::new();
    let mut count = 0;
    for t in targets {
        let t = match t {
            Ok(t) => t,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        count += 1;
        let schema = apply::schema_for(&t.res);
        if kind == PatchKind::Strategic && schema == Schema::None {
            errs.push(CmdError::Plain(unsupported(kind, &t.res)));
            continue;
        }
        let patched = match apply_patch(&t.object, &patch, kind, schema) {
            Ok(p) => p,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        let mut changed = patched != t.object;
        let result = if local || dry_run == DryRun::Client || !changed {
            patched
        } else {
            let Some(conn) = &conn else { break };
            let Some(mut api) = conn.api(ctx.world) else { break };
            let opts = WriteOptions {
                dry_run: dry_run == DryRun::Server,
                field_manager: Some(parsed.string("field-manager", "kubectl-patch")),
                ..Default::default()
            };
            match api.update(&conn.user, &t.res, t.namespace.as_deref(), patched, &opts) {
                // kubectl compares the server's answer with the object it read: a patch the
                // round trip normalizes away (`labels: {}`) changes nothing.
                Ok(v) => {
                    changed = v != t.object;
                    v
                }
                Err(s) => {
                    errs.push(CmdError::status(s));
                    continue;
                }
            }
        };
        let op = if changed { "patched" } else { "patched (no change)" };
        match &output {
            OutputFormat::Default | OutputFormat::Wide => {
                ctx.out.out(format!("{} {op}{}\n", rb::object_ref(&t.res, &t.name), dry_run.suffix()))
            }
            fmt => {
                if let Err(e) = printers::print(ctx.out, &result, fmt, KeyOrder::Sorted) {
                    errs.push(CmdError::Plain(e));
                }
            }
        }
    }
    if count == 0 && errs.is_empty() {
        return fail(ctx, "no objects passed to patch");
    }
    rb::print_errors(ctx, &errs)
}

/// `yaml.ToJSON` of the patch text: JSON as is, YAML converted. `Ok(None)` for text that looks
/// like JSON but is not.
fn parse_patch(body: &str) -> Result<Option<Value>, String> {
    let trimmed = body.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return Ok(serde_json::from_str(body).ok());
    }
    crate::yaml::decode::yaml_to_json(body)
        .map(Some)
        .map_err(|e| e.message.strip_prefix("error converting YAML to JSON: ").unwrap_or(&e.message).to_string())
}

fn unsupported(kind: PatchKind, res: &ResourceInfo) -> String {
    format!(
        "{} is not supported by {}, Kind={}: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
        kind.media_type(),
        res.api_version(),
        res.kind
    )
}

/// What the server's patch handler computes, with its errors.
pub fn apply_patch(obj: &Value, patch: &Value, kind: PatchKind, schema: Schema) -> Result<Value, CmdError> {
    match kind {
        PatchKind::Merge => {
            if !patch.is_object() {
                return Err(CmdError::status(crate::cluster::Status::bad_request("invalid JSON document")));
            }
            Ok(engine::merge_patch(obj, patch))
        }
        PatchKind::Strategic => {
            if !patch.is_object() {
                return Err(CmdError::status(crate::cluster::Status::bad_request(
                    "json: cannot unmarshal array into Go value of type map[string]interface {}",
                )));
            }
            engine::strategic_merge(obj, patch, schema).map_err(|e| CmdError::Plain(e.to_string()))
        }
        PatchKind::Json => match engine::json_patch(obj, patch) {
            Ok(v) => Ok(v),
            Err(PatchError::Invalid(m)) => Err(CmdError::status(crate::cluster::Status::bad_request(m))),
            Err(PatchError::JsonPatch(m)) => Err(CmdError::Raw(format!("The request is invalid: {m}"))),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::programs::kubectl::resource_builder::testkit::Kit;

    #[test]
    fn patch_types_and_messages() {
        let mut k = Kit::new();
        k.create("deployments", Some("default"), json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}));
        k.file("/root/p.yaml", "spec:\n  template:\n    spec:\n      containers:\n      - name: sidecar\n        image: busybox\n");
        assert_eq!(k.ok("kubectl patch deploy web --patch-file p.yaml"), "deployment.apps/web patched\n");
        let d = k.get("deployments", Some("default"), "web").unwrap();
        assert_eq!(d["spec"]["template"]["spec"]["containers"].as_array().map(Vec::len), Some(2));
        assert_eq!(k.ok("kubectl patch deploy web --patch-file p.yaml"), "deployment.apps/web patched (no change)\n");
        k.file("/root/m.json", "{\"spec\":{\"replicas\":4}}");
        assert_eq!(k.ok("kubectl patch deployment/web --type merge --patch-file m.json"), "deployment.apps/web patched\n");
        assert_eq!(k.get("deployments", Some("default"), "web").unwrap()["spec"]["replicas"], 4);
        k.file("/root/j.json", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":2}]");
        assert_eq!(k.ok("kubectl patch deploy web --type=json --patch-file j.json"), "deployment.apps/web patched\n");
        assert_eq!(k.get("deployments", Some("default"), "web").unwrap()["spec"]["replicas"], 2);
        k.file("/root/bad.json", "[{\"op\":\"remove\",\"path\":\"/spec/nope\"}]");
        assert_eq!(
            k.run("kubectl patch deploy web --type=json --patch-file bad.json").1,
            // The API server applies json patches with evanphx/json-patch v4, whose texts kubectl
            // v1.35.2 shows for `run --override-type=json` (the same library) too.
            "The request is invalid: error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value\n"
        );
        assert_eq!(
            k.run("kubectl patch deploy web").1,
            "error: must specify --patch or --patch-file containing the contents of the patch\n"
        );
        assert_eq!(
            k.run("kubectl patch deploy web -p {} --type xml").1,
            "error: --type must be one of [json merge strategic], not \"xml\"\n"
        );
        assert_eq!(k.run("kubectl patch deploy web -p {foo").1, "error: invalid JSON document\n");
        assert_eq!(k.run("kubectl patch deploy nope -p {}").1, "Error from server (NotFound): deployments.apps \"nope\" not found\n");
    }
}
