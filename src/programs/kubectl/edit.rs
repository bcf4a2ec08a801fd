//! `kubectl edit`: writes the objects as YAML (or JSON) with kubectl's header to a temporary
//! file on the host, runs `$KUBE_EDITOR`, `$EDITOR` or `vi` on it through the shell, and sends
//! the difference as a patch; an invalid edit reopens the editor with the errors on top, as
//! `pkg/cmd/util/editor/editoptions.go` (v1.35) does.

use serde_json::Value;

use super::flags::{FlagDef, FlagKind};
use super::resource_builder::{self as rb, Selection};
use super::{apply, client, parse_flags};
use crate::cluster::patch::{self, Schema};
use crate::cluster::{Reason, Status, WriteOptions};
use crate::programs::Ctx;

const DEFS: &[FlagDef] = &[
    FlagDef::new("filename", Some('f'), FlagKind::StringSlice),
    FlagDef::new("kustomize", Some('k'), FlagKind::String),
    FlagDef::bool("recursive").short('R'),
    FlagDef::string("output").short('o'),
    FlagDef::bool("output-patch"),
    FlagDef::bool("windows-line-endings"),
    FlagDef::bool("save-config"),
    FlagDef::string("validate").no_opt("strict"),
    FlagDef::string("field-manager"),
    FlagDef::string("subresource"),
    FlagDef::bool("show-managed-fields"),
    FlagDef::string("template"),
    FlagDef::bool("allow-missing-template-keys"),
    FlagDef::bool("record"),
];

pub const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

/// One reason written at the top of a reopened file.
struct EditReason {
    head: String,
    other: Vec<String>,
}

/// A newline inside a message continues the comment (`# `), unless it ends the message or the
/// next line already starts with `#` (editoptions.go `hashOnLineBreak`).
fn hash_on_line_break(s: &str) -> String {
    let b = s.as_bytes();
    let mut r = String::new();
    for (i, ch) in s.char_indices() {
        if ch == '\n' && i + 1 < b.len() && b[i + 1] != b'#' {
            r.push_str("\n# ");
        } else {
            r.push(ch);
        }
    }
    r
}

fn header(reasons: &[EditReason]) -> String {
    let mut s = HEADER.to_string();
    for r in reasons {
        if r.other.is_empty() {
            s.push_str(&format!("# {}\n", hash_on_line_break(&r.head)));
        } else {
            s.push_str(&format!("# {}:\n", hash_on_line_break(&r.head)));
        }
        for o in &r.other {
            s.push_str(&format!("# * {}\n", hash_on_line_break(o)));
        }
        s.push_str("#\n");
    }
    s
}

/// Lines that are comments (after leading blanks) removed (`cmdutil.ManualStrip`).
fn manual_strip(text: &str) -> String {
    text.split_inclusive('\n').filter(|l| !l.trim_start().starts_with('#')).collect()
}

/// `cmdutil.StripComments`: the document as JSON when it parses, else without comment lines.
fn strip_comments(text: &str) -> Result<Value, String> {
    crate::yaml::decode::yaml_to_json(text).map_err(|_| manual_strip(text))
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Ok(parsed) = parse_flags(ctx, "edit", DEFS, args) else { return 1 };
    let fail = |ctx: &mut Ctx<'_>, msg: &str| {
        ctx.out.err(format!("error: {msg}\n"));
        1
    };
    let output = parsed.string("output", "yaml");
    if output != "yaml" && output != "json" {
        return fail(ctx, &format!("the edit mode doesn't support output format \"{output}\""));
    }
    let Ok(conn) = client::connect(ctx, &parsed) else { return 1 };
    let sel = Selection {
        args: parsed.args.clone(),
        filenames: parsed.all("filename"),
        kustomize: parsed.get("kustomize").map(str::to_string),
        recursive: parsed.bool("recursive"),
        latest: true,
        ..Default::default()
    };
    let targets = match rb::select(ctx, &conn, &sel) {
        Ok(t) => t,
        Err(errs) => return rb::print_errors(ctx, &errs),
    };
    let mut infos = Vec::new();
    let mut errs = Vec::new();
    for t in targets {
        match t {
            Ok(t) => infos.push(t),
            Err(e) => errs.push(e),
        }
    }
    if !errs.is_empty() {
        return rb::print_errors(ctx, &errs);
    }
    if infos.is_empty() {
        return fail(ctx, "edit cancelled, no objects found");
    }
    for t in &mut infos {
        if !parsed.bool("show-managed-fields")
            && let Some(meta) = t.object.get_mut("metadata").and_then(Value::as_object_mut)
        {
            meta.shift_remove("managedFields");
        }
    }
    let original_obj = if infos.len() == 1 {
        infos[0].object.clone()
    } else {
        serde_json::json!({"apiVersion": "v1", "kind": "List", "metadata": {}, "items": infos.iter().map(|t| t.object.clone()).collect::<Vec<_>>()})
    };
    let body = if output == "json" {
        let mut s = serde_json::to_string_pretty(&original_obj).unwrap_or_default();
        s.push('\n');
        s
    } else {
        crate::yaml::to_string(&original_obj)
    };
    let ext = if output == "json" { ".json" } else { ".yaml" };
    let editor = ctx
        .var("KUBE_EDITOR")
        .filter(|s| !s.is_empty())
        .or_else(|| ctx.var("EDITOR").filter(|s| !s.is_empty()))
        .unwrap_or("vi")
        .to_string();
    let tmpdir = ctx.var("TMPDIR").filter(|s| !s.is_empty()).unwrap_or("/tmp").trim_end_matches('/').to_string();

    let original = format!("{HEADER}{body}");
    let mut buf = original.clone();
    let mut edited = String::new();
    let mut contains_error = false;
    loop {
        let previous = edited.clone();
        let path = format!("{tmpdir}/kubectl-edit-{}{ext}", ctx.world.rng.below(4_294_967_295));
        let _ = ctx.fs().mkdir_all(&tmpdir);
        if ctx.fs().write(&path, buf.clone()).is_err() {
            return fail(ctx, &format!("open {path}: no such file or directory"));
        }
        let (out, code) = ctx.run_subshell(&format!("{editor} {path}"), &[]);
        // kubectl execs the editor itself: a missing program is its own message, not the shell's.
        if code != 127 {
            ctx.out.append(out);
        }
        if code != 0 {
            // editor.Launch: a missing program, or one that failed.
            let words: Vec<&str> = editor.split(' ').collect();
            let msg = if code == 127 {
                format!("unable to launch the editor \"{}\"", words.join(" "))
            } else {
                format!("there was a problem with the editor [{}]", words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" "))
            };
            if contains_error {
                ctx.out.err(format!("A copy of your changes has been stored to \"{path}\"\n"));
            }
            return fail(ctx, &msg);
        }
        edited = ctx.fs().read_string(&path).unwrap_or_default();
        if contains_error && strip_comments(&previous) == strip_comments(&edited) {
            ctx.out.err(format!(
                "A copy of your changes has been stored to \"{path}\"\nerror: Edit cancelled, no valid changes were saved.\n"
            ));
            return 1;
        }
        if strip_comments(&original) == strip_comments(&edited) {
            let _ = ctx.fs().remove(&path);
            ctx.out.err("Edit cancelled, no changes made.\n");
            return 0;
        }
        if !edited.lines().any(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        }) {
            let _ = ctx.fs().remove(&path);
            ctx.out.err("Edit cancelled, saved file was empty.\n");
            return 0;
        }
        let docs = match crate::yaml::parse_documents(&edited) {
            Ok(d) => d,
            Err(e) => {
                contains_error = true;
                let reasons =
                    vec![EditReason { head: format!("The edited file had a syntax error: error parsing edited-file: {e}"), other: vec![] }];
                buf = format!("{}{}", header(&reasons), manual_strip(&edited));
                continue;
            }
        };
        let mut updated: Vec<Value> = Vec::new();
        for d in docs {
            if d.get("kind").and_then(Value::as_str).is_some_and(|k| k.ends_with("List"))
                && let Some(items) = d.get("items").and_then(Value::as_array)
            {
                updated.extend(items.iter().cloned());
            } else {
                updated.push(d);
            }
        }
        let mut reasons = Vec::new();
        let mut retry = false;
        for u in updated {
            let uid = u.pointer("/metadata/uid").cloned();
            let Some(info) = infos.iter().find(|t| t.object.pointer("/metadata/uid").cloned() == uid) else {
                ctx.out.err(format!(
                    "A copy of your changes has been stored to \"{path}\"\nerror: no original object found for {}\n",
                    rb::go_json(&u)
                ));
                return 1;
            };
            if info.object == u {
                ctx.out.out(format!("{} skipped\n", rb::object_ref(&info.res, &info.name)));
                continue;
            }
            if let (Some(new_ns), Some(old_ns)) = (u.pointer("/metadata/namespace").and_then(Value::as_str), info.namespace.as_deref())
                && new_ns != old_ns
            {
                ctx.out.err(format!(
                    "A copy of your changes has been stored to \"{path}\"\nerror: the namespace from the provided object \"{new_ns}\" does not match the namespace \"{old_ns}\". You must pass '--namespace={new_ns}' to perform this operation.\n"
                ));
                return 1;
            }
            let changed_identity = ["apiVersion", "kind"].iter().any(|k| info.object.get(*k) != u.get(*k))
                || info.object.pointer("/metadata/name") != u.pointer("/metadata/name");
            if changed_identity {
                ctx.out.err(format!(
                    "A copy of your changes has been stored to \"{path}\"\nerror: At least one of apiVersion, kind and name was changed\n"
                ));
                return 1;
            }
            let mut u = u;
            if parsed.bool("save-config") {
                u = apply::with_last_applied(&u);
            }
            match send(ctx, &conn, info, &u) {
                Ok(()) => ctx.out.out(format!("{} edited\n", rb::object_ref(&info.res, &info.name))),
                Err(s) => {
                    let resource = info.res.qualified_name();
                    match s.reason {
                        Reason::Invalid => {
                            ctx.out.err(format!("error: {resource} \"{}\" is invalid\n", info.name));
                            reasons.push(EditReason {
                                head: format!("{resource} \"{}\" was not valid", info.name),
                                other: s.causes.iter().map(|c| format!("{}: {}", c.field, c.message)).collect(),
                            });
                        }
                        Reason::NotFound => {
                            ctx.out.err(format!("error: {resource} \"{}\" could not be found on the server\nThe edits you made on deleted resources have been saved to \"{path}\"\n", info.name));
                            return 1;
                        }
                        _ => {
                            ctx.out.err(format!("error: {resource} \"{}\" could not be patched: {}\n", info.name, s.message));
                            retry = true;
                        }
                    }
                }
            }
        }
        if retry {
            ctx.out.err(format!("You can run `kubectl replace -f {path}` to try this update again.\n"));
            return 1;
        }
        if reasons.is_empty() {
            let _ = ctx.fs().remove(&path);
            return 0;
        }
        contains_error = true;
        buf = format!("{}{}", header(&reasons), manual_strip(&edited));
    }
}

/// The patch kubectl sends (two-way strategic for built-in kinds, JSON merge otherwise), as the
/// server applies it to the object it holds now.
#[allow(clippy::result_large_err, reason = "the API's own error type, used once per edited object")]
fn send(ctx: &mut Ctx<'_>, conn: &client::Connection, info: &rb::Target, edited: &Value) -> Result<(), Status> {
    let schema = apply::schema_for(&info.res);
    let p = match schema {
        Schema::Builtin => patch::two_way(&info.object, edited, schema),
        Schema::None => patch::two_way(&info.object, edited, Schema::None),
    };
    let Some(mut api) = conn.api(ctx.world) else {
        return Err(Status::new(Reason::ServiceUnavailable, "The connection to the server was refused"));
    };
    let live = api.get(&conn.user, &info.res, info.namespace.as_deref(), &info.name)?;
    let mut merged = patch::strategic_merge(&live, &p, schema).map_err(|e| Status::bad_request(e.to_string()))?;
    if let (Some(rv), Some(meta)) =
        (live.pointer("/metadata/resourceVersion").cloned(), merged.get_mut("metadata").and_then(Value::as_object_mut))
    {
        meta.insert("resourceVersion".into(), rv);
    }
    if merged == live {
        return Ok(());
    }
    let opts = WriteOptions { field_manager: Some("kubectl-edit".into()), ..Default::default() };
    api.update(&conn.user, &info.res, info.namespace.as_deref(), merged, &opts).map(|_| ())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::programs::kubectl::resource_builder::testkit::Kit;

    #[test]
    fn reopened_header_lists_the_causes() {
        let reasons =
            vec![super::EditReason { head: "pods \"nginx\" was not valid".into(), other: vec!["spec: Forbidden: no\n  diff\n".into()] }];
        assert_eq!(
            super::header(&reasons),
            format!("{}# pods \"nginx\" was not valid:\n# * spec: Forbidden: no\n#   diff\n\n#\n", super::HEADER)
        );
    }

    #[test]
    fn edit_without_changes_and_with_an_editor_script() {
        let mut k = Kit::new();
        k.create("pods", Some("default"), json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}));
        // `cat` leaves the file as it was
        k.session.export("EDITOR", "cat");
        let (o, e, c) = k.run("kubectl edit pod web");
        assert_eq!(c, 0);
        assert!(o.starts_with(super::HEADER), "{o}");
        assert_eq!(e, "Edit cancelled, no changes made.\n");
        k.session.export("EDITOR", "nosuchvi");
        assert_eq!(k.run("kubectl edit pod web"), (String::new(), "error: unable to launch the editor \"nosuchvi\"\n".into(), 1));
        assert_eq!(k.run("kubectl edit pod nope").1, "Error from server (NotFound): pods \"nope\" not found\n");
    }

    /// The PATCH kubectl v1.35.2 sent after an editor script changed an image, switched the
    /// strategy to Recreate and a volume from emptyDir to hostPath (captured with the stub).
    #[test]
    fn two_way_patch_matches_kubectl_bytes() {
        let c: serde_json::Value = serde_json::from_str(include_str!("edit/testdata/two-way-case.json")).unwrap();
        let edited = crate::yaml::parse_documents(c["edited"].as_str().unwrap()).unwrap().remove(0);
        let p = crate::cluster::patch::two_way(&c["live"], &edited, crate::cluster::patch::Schema::Builtin);
        assert_eq!(crate::programs::kubectl::resource_builder::go_json(&p), c["patch"].as_str().unwrap());
    }
}
