//! What every object-creating command shares (`create …`, `run`, `expose`): the output and
//! dry-run flags, kubectl's usage errors, and the last step — print the generated objects for
//! `--dry-run=client`, or send them to the API server and print what it answers.

use serde_json::{Map, Value, json};

use crate::cluster::{FieldValidation, Registry, WriteOptions};
use crate::programs::Ctx;
use crate::programs::kubectl::flags::{FlagDef, FlagKind, Parsed};
use crate::programs::kubectl::printers::{self, KeyOrder, OutputFormat};
use crate::programs::kubectl::{client, errors};

/// `--dry-run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DryRun {
    None,
    Client,
    Server,
}

/// The flags `create` subcommands add to their own (`--dry-run`, `-o`, `--save-config` …).
pub const OUTPUT_FLAGS: &[FlagDef] = &[
    FlagDef::new("allow-missing-template-keys", None, FlagKind::Bool),
    FlagDef::string("dry-run").no_opt("unchanged"),
    FlagDef::string("field-manager"),
    FlagDef::string("output").short('o'),
    FlagDef::bool("save-config"),
    FlagDef::bool("show-managed-fields"),
    FlagDef::string("template"),
    FlagDef::string("validate").no_opt("strict"),
];

/// A command's own flags followed by [`OUTPUT_FLAGS`].
pub fn with_output_flags(own: &[FlagDef]) -> Vec<FlagDef> {
    own.iter().chain(OUTPUT_FLAGS).copied().collect()
}

/// A usage or validation error, printed as `error: …` (plus the `See '…' for help` line for
/// usage errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

impl Failure {
    pub fn plain(msg: impl Into<String>) -> Self {
        Failure(format!("error: {}\n", msg.into()))
    }

    /// cobra's `UsageErrorf`: the message and where to find help.
    pub fn usage(command_path: &str, msg: impl Into<String>) -> Self {
        Failure(format!("error: {}\nSee 'kubectl {command_path} -h' for help and examples\n", msg.into()))
    }

    pub fn print(&self, ctx: &mut Ctx<'_>) -> i32 {
        ctx.out.err(&self.0);
        1
    }
}

/// The shared options after parsing.
#[derive(Debug, Clone)]
pub struct Common {
    pub command_path: String,
    pub dry_run: DryRun,
    pub format: OutputFormat,
    /// The namespace objects go to, and whether it came from `-n` (generators write it into the
    /// object only then).
    pub namespace: String,
    pub namespace_explicit: bool,
    /// `--field-manager`, defaulting to the command's own (`kubectl-create`, `kubectl-run` …).
    pub field_manager: String,
    /// `--validate` as the `fieldValidation` the request carries.
    pub field_validation: FieldValidation,
}

impl Common {
    /// What a create request carries: `dryRun=All`, `fieldManager`, `fieldValidation`.
    pub fn write_options(&self) -> WriteOptions {
        WriteOptions {
            dry_run: self.dry_run == DryRun::Server,
            field_validation: self.field_validation,
            field_manager: Some(self.field_manager.clone()),
        }
    }

    /// The namespace to write into `metadata.namespace`, if any.
    pub fn object_namespace(&self) -> Option<&str> {
        self.namespace_explicit.then_some(self.namespace.as_str())
    }
}

/// cobra's required-flag check, run before anything else the command does.
pub fn require_flags(parsed: &Parsed, names: &[&str]) -> Result<(), Failure> {
    // pflag visits flags in name order; cobra joins the missing ones with `", "`.
    let mut missing: Vec<&str> = names.iter().copied().filter(|n| !parsed.changed(n)).collect();
    missing.sort_unstable();
    if missing.is_empty() { Ok(()) } else { Err(Failure::plain(format!("required flag(s) \"{}\" not set", missing.join("\", \"")))) }
}

/// `NameFromCommandArgs`: exactly one positional argument before `--`.
pub fn one_name(parsed: &Parsed, command_path: &str) -> Result<String, Failure> {
    let n = parsed.args_len_at_dash.unwrap_or(parsed.args.len());
    if n != 1 {
        return Err(Failure::usage(command_path, format!("exactly one NAME is required, got {n}")));
    }
    Ok(parsed.args[0].clone())
}

/// Resolves `--dry-run` (with kubectl's deprecation warnings) and `-o`.
pub fn resolve(ctx: &mut Ctx<'_>, parsed: &Parsed, command_path: &str) -> Result<Common, Failure> {
    let dry_run = dry_run(ctx, parsed)?;
    let format = object_format(parsed.get("output").unwrap_or(""))?;
    let (namespace, namespace_explicit) = client::client_namespace(ctx, parsed);
    let verb = command_path.split(' ').next().unwrap_or(command_path);
    let field_manager = parsed.get("field-manager").map_or_else(|| format!("kubectl-{verb}"), str::to_string);
    let field_validation = match parsed.get("validate").unwrap_or("strict") {
        "false" | "ignore" => FieldValidation::Ignore,
        "warn" => FieldValidation::Warn,
        "true" | "strict" => FieldValidation::Strict,
        other => {
            return Err(Failure::plain(format!(
                "invalid - validate option \"{other}\"; must be one of: strict (or true), warn, ignore (or false)"
            )));
        }
    };
    Ok(Common { command_path: command_path.to_string(), dry_run, format, namespace, namespace_explicit, field_manager, field_validation })
}

/// `GetDryRunStrategy`.
pub fn dry_run(ctx: &mut Ctx<'_>, parsed: &Parsed) -> Result<DryRun, Failure> {
    let value = parsed.get("dry-run").unwrap_or("none");
    if let Some(b) = crate::programs::kubectl::flags::parse_bool(value) {
        let replacement = if b { "client" } else { "none" };
        klog_warning(
            ctx,
            733,
            &format!("--dry-run={value} is deprecated (boolean value) and can be replaced with --dry-run={replacement}."),
        );
        return Ok(if b { DryRun::Client } else { DryRun::None });
    }
    match value {
        "unchanged" => {
            klog_warning(ctx, 719, "--dry-run is deprecated and can be replaced with --dry-run=client.");
            Ok(DryRun::Client)
        }
        "client" => Ok(DryRun::Client),
        "server" => Ok(DryRun::Server),
        "none" => Ok(DryRun::None),
        other => Err(Failure::plain(format!("Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."))),
    }
}

/// A klog warning line as kubectl writes it to stderr (`W1202 03:08:57.833852    1840 helpers.go:719] …`),
/// stamped with the simulated clock.
fn klog_warning(ctx: &mut Ctx<'_>, line: u32, msg: &str) {
    let (_, mo, d, h, mi, s) = crate::world::clock::civil(ctx.world.clock.now);
    ctx.out.err(format!("W{mo:02}{d:02} {h:02}:{mi:02}:{s:02}.000000 {:>7} helpers.go:{line}] {msg}\n", 4242));
}

/// `-o` for commands that print objects (no tables: `wide` and `custom-columns` are refused).
pub fn object_format(value: &str) -> Result<OutputFormat, Failure> {
    let refused = || {
        Failure::plain(format!(
            "unable to match a printer suitable for the output format \"{value}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml"
        ))
    };
    match OutputFormat::parse(value) {
        Ok(OutputFormat::Wide | OutputFormat::CustomColumns(_)) => Err(refused()),
        Ok(f) => Ok(f),
        Err(_) => Err(refused()),
    }
}

/// Sets `metadata.namespace` when the namespace was given explicitly, keeping Go's field order
/// (`name`, then `namespace`, before everything else in ObjectMeta).
pub fn set_namespace(obj: &mut Value, namespace: Option<&str>) {
    let Some(ns) = namespace else { return };
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) else { return };
    let mut rebuilt = Map::new();
    if let Some(name) = meta.remove("name") {
        rebuilt.insert("name".into(), name);
    }
    meta.remove("namespace");
    rebuilt.insert("namespace".into(), json!(ns));
    for (k, v) in std::mem::take(meta) {
        rebuilt.insert(k, v);
    }
    *meta = rebuilt;
}

/// Whether the object's kind lives in a namespace (cluster-scoped kinds never get one).
pub fn is_namespaced(obj: &Value) -> bool {
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or_default();
    Registry::builtin().by_kind(api_version, kind).is_none_or(|r| r.namespaced)
}

/// `kind/name` as `-o name` and the success message print it.
pub fn kind_name(obj: &Value) -> String {
    printers::name::print(obj).trim_end().to_string()
}

/// Prints one object the way a creating command does: `-o` formats, or `pod/x created` with the
/// dry-run suffix.
pub fn print_object(ctx: &mut Ctx<'_>, obj: &Value, common: &Common, verb: &str) -> Result<(), Failure> {
    if common.format == OutputFormat::Default {
        let suffix = match common.dry_run {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        };
        ctx.out.out(format!("{} {verb}{suffix}\n", kind_name(obj)));
        return Ok(());
    }
    printers::print(ctx.out, obj, &common.format, KeyOrder::AsBuilt).map_err(Failure::plain)
}

/// The end of every generator: print for `--dry-run=client`, else create through the API (a
/// server dry run persists nothing) and print the server's answer. `what` names the object in
/// kubectl's wrapped error (`failed to create deployment: …`), if the command wraps it.
pub fn finish(ctx: &mut Ctx<'_>, parsed: &Parsed, common: &Common, objects: Vec<Value>) -> i32 {
    finish_wrapped(ctx, parsed, common, objects, None)
}

/// How each `create` generator wraps an API error (`failed to create deployment: …`); the
/// ones without a wrapper print the server's error as is.
fn create_error_prefix(command_path: &str) -> Option<String> {
    let what = command_path.strip_prefix("create ")?;
    Some(match what {
        "deployment" | "configmap" | "cronjob" | "ingress" | "job" | "priorityclass" | "quota" | "rolebinding" | "clusterrolebinding"
        | "serviceaccount" => format!("failed to create {what}: "),
        "poddisruptionbudget" => "failed to create poddisruptionbudgets: ".into(),
        "secret generic" | "secret tls" | "secret docker-registry" => "failed to create secret ".into(),
        "service clusterip" => "failed to create ClusterIP service: ".into(),
        "service nodeport" => "failed to create NodePort service: ".into(),
        "service loadbalancer" => "failed to create LoadBalancer service: ".into(),
        "service externalname" => "failed to create ExternalName service: ".into(),
        _ => return None,
    })
}

/// `--save-config`: the object as JSON (before the annotation exists) in the
/// last-applied-configuration annotation.
pub fn save_config(obj: &mut Value) {
    let text = format!("{}\n", printers::json::compact(obj, KeyOrder::AsBuilt));
    set_annotation(obj, "kubectl.kubernetes.io/last-applied-configuration", &text);
}

/// Adds an annotation, creating `metadata.annotations` in its Go field position (after
/// `labels`, before `ownerReferences`).
pub fn set_annotation(obj: &mut Value, key: &str, value: &str) {
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) else { return };
    if let Some(a) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
        a.insert(key.into(), json!(value));
        return;
    }
    let mut rebuilt = Map::new();
    let mut inserted = false;
    for (k, v) in std::mem::take(meta) {
        if !inserted && matches!(k.as_str(), "ownerReferences" | "finalizers" | "managedFields") {
            rebuilt.insert("annotations".into(), json!({key: value}));
            inserted = true;
        }
        rebuilt.insert(k, v);
    }
    if !inserted {
        rebuilt.insert("annotations".into(), json!({key: value}));
    }
    *meta = rebuilt;
}

/// [`finish`] with the command's error wrapper.
pub fn finish_wrapped(ctx: &mut Ctx<'_>, parsed: &Parsed, common: &Common, objects: Vec<Value>, wrap: Option<String>) -> i32 {
    let mut created = Vec::new();
    if common.dry_run == DryRun::Client {
        created = objects;
    } else {
        let conn = match client::connect(ctx, parsed) {
            Ok(c) => c,
            Err(code) => return code,
        };
        for obj in objects {
            match create_one(ctx, &conn, common, obj) {
                Ok(v) => created.push(as_kubectl_prints(v, parsed.bool("show-managed-fields"))),
                Err(CreateError::Status(status)) => {
                    let text = match &wrap {
                        Some(prefix) => format!("error: {prefix}{}\n", status.message),
                        None => errors::from_server(&status),
                    };
                    ctx.out.err(text);
                    return 1;
                }
                Err(CreateError::Other(msg)) => {
                    ctx.out.err(msg);
                    return 1;
                }
            }
        }
    }
    for (i, obj) in created.iter().enumerate() {
        // One YAML printer: a separator before every document but the first.
        if i > 0 && common.format == OutputFormat::Yaml {
            ctx.out.out("---\n");
        }
        if let Err(f) = print_object(ctx, obj, common, "created") {
            return f.print(ctx);
        }
    }
    0
}

/// Why an object could not be created.
#[derive(Debug, Clone)]
pub enum CreateError {
    /// The API server refused it.
    Status(Box<crate::cluster::Status>),
    /// kubectl could not even send it; the whole text kubectl prints.
    Other(String),
}

impl CreateError {
    /// The text kubectl prints when it does not wrap the error.
    pub fn text(&self) -> String {
        match self {
            CreateError::Status(s) => errors::from_server(s),
            CreateError::Other(t) => t.clone(),
        }
    }
}

/// A server answer as kubectl prints it after decoding it into its Go type: ObjectMeta fields
/// in struct order, and `managedFields` dropped unless `--show-managed-fields`.
pub fn as_kubectl_prints(mut obj: Value, show_managed_fields: bool) -> Value {
    const META_ORDER: &[&str] = &[
        "name",
        "generateName",
        "namespace",
        "selfLink",
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "labels",
        "annotations",
        "ownerReferences",
        "finalizers",
        "managedFields",
    ];
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        if !show_managed_fields {
            meta.remove("managedFields");
        }
        let mut old = std::mem::take(meta);
        for key in META_ORDER {
            if let Some(v) = old.remove(*key) {
                meta.insert((*key).to_string(), v);
            }
        }
        meta.extend(old);
    }
    obj
}

/// Sends one object to the API server.
pub fn create_one(ctx: &mut Ctx<'_>, conn: &client::Connection, common: &Common, obj: Value) -> Result<Value, CreateError> {
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or_default().to_string();
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or_default().to_string();
    let Some(res) = Registry::builtin().by_kind(&api_version, &kind).cloned() else {
        return Err(CreateError::Other(format!("error: resource mapping not found for kind \"{kind}\" in version \"{api_version}\"\n")));
    };
    let namespace = obj.pointer("/metadata/namespace").and_then(Value::as_str).map_or_else(|| conn.namespace.clone(), str::to_string);
    let Some(mut api) = conn.api(ctx.world) else {
        return Err(CreateError::Other(
            "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n".into(),
        ));
    };
    let opts = common.write_options();
    api.create(&conn.user, &res, Some(&namespace), obj, &opts).map_err(|s| CreateError::Status(Box::new(s)))
}

/// Splits `a=b,c=d` label/selector lists (kubectl's `ParseLabels`-style `key=value` pairs).
pub fn parse_key_values(text: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    for part in text.split(',') {
        let (k, v) = part.split_once('=')?;
        out.push((k.to_string(), v.to_string()));
    }
    Some(out)
}

/// A JSON object from pairs, with sorted keys (Go marshals maps in key order; the last value
/// of a repeated key wins).
pub fn object_of(pairs: &[(String, String)]) -> Value {
    let sorted: std::collections::BTreeMap<&String, &String> = pairs.iter().map(|(k, v)| (k, v)).collect();
    let mut m = Map::new();
    for (k, v) in sorted {
        m.insert(k.clone(), json!(v));
    }
    Value::Object(m)
}

/// What a generator's builder receives.
pub struct Request<'p> {
    pub parsed: &'p Parsed,
    pub common: &'p Common,
    pub name: String,
}

/// The whole life of a `create <generator> NAME` command: parse flags (the generator's, the
/// shared output flags, the global ones), check required flags, take the one NAME, resolve
/// dry-run and `-o`, build the objects, then print or create them.
pub fn generate(
    ctx: &mut Ctx<'_>,
    args: &[String],
    command_path: &str,
    own_flags: &[FlagDef],
    required: &[&str],
    build: impl FnOnce(&mut Ctx<'_>, &Request<'_>) -> Result<Vec<Value>, Failure>,
) -> i32 {
    let defs = with_output_flags(own_flags);
    let parsed = match crate::programs::kubectl::parse_flags(ctx, command_path, &defs, args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let result = require_flags(&parsed, required).and_then(|()| {
        let name = one_name(&parsed, command_path)?;
        let common = resolve(ctx, &parsed, command_path)?;
        let req = Request { parsed: &parsed, common: &common, name };
        let mut objects = build(ctx, &req)?;
        for obj in &mut objects {
            if is_namespaced(obj) {
                set_namespace(obj, common.object_namespace());
            }
            if parsed.bool("save-config") {
                save_config(obj);
            }
        }
        Ok((common, objects))
    });
    match result {
        Ok((common, objects)) => finish_wrapped(ctx, &parsed, &common, objects, create_error_prefix(command_path)),
        Err(f) => f.print(ctx),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_goes_after_name() {
        let mut obj = json!({"kind": "Pod", "metadata": {"name": "x", "labels": {"a": "b"}}});
        set_namespace(&mut obj, Some("dev"));
        let keys: Vec<&String> = obj["metadata"].as_object().map(|m| m.keys().collect()).unwrap_or_default();
        assert_eq!(keys, ["name", "namespace", "labels"]);
    }

    #[test]
    fn server_answers_print_in_object_meta_order() {
        let obj =
            json!({"metadata": {"name": "x", "labels": {}, "managedFields": [], "uid": "u", "creationTimestamp": "t", "namespace": "d"}});
        let printed = as_kubectl_prints(obj, false);
        let keys: Vec<&String> = printed["metadata"].as_object().map(|m| m.keys().collect()).unwrap_or_default();
        assert_eq!(keys, ["name", "namespace", "uid", "creationTimestamp", "labels"]);
    }

    #[test]
    fn tables_are_refused_for_objects() {
        assert!(object_format("wide").is_err());
        assert_eq!(object_format("yaml"), Ok(OutputFormat::Yaml));
    }
}
