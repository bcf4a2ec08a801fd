//! `kubectl run NAME --image=IMAGE`: a bare Pod (and with `--expose` a Service in front of it),
//! with kubectl's checks in kubectl's order.

use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Map, Value, json};

use super::create::common::{self, DryRun, Failure, OUTPUT_FLAGS};
use super::flags::{FlagDef, FlagKind, Parsed};
use crate::programs::Ctx;

pub const FLAGS: &[FlagDef] = &[
    FlagDef::new("annotations", None, FlagKind::StringArray),
    FlagDef::bool("attach"),
    FlagDef::string("cascade").no_opt("background"),
    FlagDef::bool("command"),
    FlagDef::new("env", None, FlagKind::StringArray),
    FlagDef::bool("expose"),
    FlagDef::new("filename", Some('f'), FlagKind::StringSlice),
    FlagDef::bool("force"),
    FlagDef::new("grace-period", None, FlagKind::Int),
    FlagDef::string("image"),
    FlagDef::string("image-pull-policy"),
    FlagDef::string("kustomize").short('k'),
    FlagDef::string("labels").short('l'),
    FlagDef::bool("leave-stdin-open"),
    FlagDef::string("override-type"),
    FlagDef::string("overrides"),
    FlagDef::new("pod-running-timeout", None, FlagKind::Duration),
    FlagDef::string("port"),
    FlagDef::bool("privileged"),
    FlagDef::bool("quiet").short('q'),
    FlagDef::bool("recursive").short('R'),
    FlagDef::string("restart"),
    FlagDef::bool("rm"),
    FlagDef::bool("stdin").short('i'),
    FlagDef::new("timeout", None, FlagKind::Duration),
    FlagDef::bool("tty").short('t'),
    FlagDef::bool("wait"),
];

const PATH: &str = "run";

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut defs: Vec<FlagDef> = FLAGS.to_vec();
    defs.extend(OUTPUT_FLAGS.iter().filter(|d| d.long != "validate").copied());
    let parsed = match super::parse_flags(ctx, PATH, &defs, args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    match plan(ctx, &parsed) {
        Ok((common, objects)) => create_and_print(ctx, &parsed, &common, objects),
        Err(f) => f.print(ctx),
    }
}

/// Checks the command line and builds the objects: the Pod, then (with `--expose`) its Service.
fn plan(ctx: &mut Ctx<'_>, p: &Parsed) -> Result<(common::Common, Vec<Value>), Failure> {
    common::require_flags(p, &["image"])?;
    if p.args.is_empty() || p.args_len_at_dash == Some(0) {
        return Err(Failure::usage(PATH, "NAME is required for run"));
    }
    let common = common::resolve(ctx, p, PATH)?;
    let name = p.args[0].clone();
    let image = p.string("image", "");
    if image.is_empty() {
        return Err(Failure::plain("--image is required"));
    }
    if !image_regex().is_match(&image) {
        return Err(Failure::plain(format!("Invalid image name \"{image}\": invalid reference format")));
    }
    let stdin = p.bool("stdin");
    let tty = p.bool("tty");
    if tty && !stdin {
        return Err(Failure::usage(PATH, "-i/--stdin is required for containers with -t/--tty=true"));
    }
    let attach = if p.changed("attach") { p.bool("attach") } else { stdin };
    let port = p.string("port", "");
    if p.bool("expose") && port.is_empty() {
        return Err(Failure::usage(PATH, "--port must be set when exposing a service"));
    }
    let restart = match p.get("restart") {
        Some("") if stdin => "OnFailure".to_string(),
        Some("") | None => "Always".to_string(),
        Some(r) => r.to_string(),
    };
    if !matches!(restart.as_str(), "Always" | "OnFailure" | "Never") {
        return Err(Failure::usage(PATH, format!("invalid restart policy: {restart}")));
    }
    if !attach && p.bool("rm") {
        return Err(Failure::usage(PATH, "--rm should only be used for attached containers"));
    }
    if common.dry_run != DryRun::None && attach {
        return Err(Failure::usage(
            PATH,
            "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)",
        ));
    }
    let pull = p.string("image-pull-policy", "");
    if !matches!(pull.as_str(), "" | "Always" | "IfNotPresent" | "Never") {
        return Err(Failure::usage(PATH, format!("invalid image pull policy: {pull}")));
    }
    let labels = match p.get("labels").filter(|l| !l.is_empty()) {
        Some(text) => parse_labels(text)?,
        None => vec![("run".to_string(), name.clone())],
    };
    let annotations =
        p.all("annotations").iter().map(|a| a.split_once('=').map(|(k, v)| (k.to_string(), v.to_string()))).collect::<Option<Vec<_>>>();
    let Some(annotations) = annotations else {
        let bad = p.all("annotations").into_iter().find(|a| !a.contains('=')).unwrap_or_default();
        return Err(Failure::plain(format!("invalid annotations format: {bad}")));
    };
    let env = parse_envs(&p.all("env"))?;
    let port_number = if port.is_empty() {
        None
    } else {
        Some(port.parse::<i64>().map_err(|_| Failure::plain(format!("strconv.Atoi: parsing \"{port}\": invalid syntax")))?)
    };
    let pod_args: Vec<String> = p.args[1..].to_vec();
    let pod = PodSpec {
        name: name.clone(),
        image,
        labels: labels.clone(),
        annotations,
        env,
        args: pod_args,
        command: p.bool("command"),
        port: port_number,
        pull_policy: pull,
        privileged: p.bool("privileged"),
        stdin,
        stdin_once: stdin && !p.bool("leave-stdin-open"),
        tty,
        restart,
    }
    .build();
    let pod = match p.get("overrides").filter(|o| !o.is_empty()) {
        Some(text) => apply_overrides(pod, text, p.get("override-type").unwrap_or("merge"))?,
        None => pod,
    };
    let mut objects = vec![pod];
    if p.bool("expose") {
        let explicit_labels = p.get("labels").is_some_and(|l| !l.is_empty());
        objects.push(service_for(&name, &labels, explicit_labels, port_number.unwrap_or(0)));
    }
    for obj in &mut objects {
        common::set_namespace(obj, common.object_namespace());
    }
    Ok((common, objects))
}

/// kubectl's order: create the Pod (a failure ends the command), then create and print the
/// Service, then print the Pod; a failed Service is reported after the Pod.
fn create_and_print(ctx: &mut Ctx<'_>, p: &Parsed, common: &common::Common, objects: Vec<Value>) -> i32 {
    let mut objects = objects.into_iter();
    let Some(pod) = objects.next() else { return 1 };
    let service = objects.next();
    let conn = if common.dry_run == DryRun::Client {
        None
    } else {
        match super::client::connect(ctx, p) {
            Ok(c) => Some(c),
            Err(code) => return code,
        }
    };
    let send = |ctx: &mut Ctx<'_>, obj: Value| match &conn {
        None => Ok(obj),
        Some(c) => common::create_one(ctx, c, common, obj).map(|v| common::as_kubectl_prints(v, p.bool("show-managed-fields"))),
    };
    let pod = match send(ctx, pod) {
        Ok(v) => v,
        Err(e) => {
            ctx.out.err(e.text());
            return 1;
        }
    };
    let mut failure = None;
    if let Some(service) = service {
        match send(ctx, service) {
            Ok(v) => {
                if let Err(f) = common::print_object(ctx, &v, common, "created") {
                    return f.print(ctx);
                }
                // kubectl separates the two YAML documents itself, and its printer adds one more.
                if common.format == super::printers::OutputFormat::Yaml {
                    ctx.out.out("---\n---\n");
                }
            }
            Err(e) => failure = Some(e.text()),
        }
    }
    if let Err(f) = common::print_object(ctx, &pod, common, "created") {
        return f.print(ctx);
    }
    match failure {
        Some(text) => {
            ctx.out.err(text);
            1
        }
        None => 0,
    }
}

/// The options of the Pod `run` generates.
pub struct PodSpec {
    pub name: String,
    pub image: String,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    pub env: Vec<(String, String)>,
    pub args: Vec<String>,
    pub command: bool,
    pub port: Option<i64>,
    pub pull_policy: String,
    pub privileged: bool,
    pub stdin: bool,
    pub stdin_once: bool,
    pub tty: bool,
    pub restart: String,
}

impl PodSpec {
    /// The Pod in Go struct field order.
    pub fn build(&self) -> Value {
        let mut c = Map::new();
        c.insert("name".into(), json!(self.name));
        c.insert("image".into(), json!(self.image));
        if !self.args.is_empty() {
            c.insert(if self.command { "command" } else { "args" }.into(), json!(self.args));
        }
        if let Some(port) = self.port {
            c.insert("ports".into(), json!([{"containerPort": port}]));
        }
        if !self.env.is_empty() {
            let env: Vec<Value> =
                self.env.iter().map(|(k, v)| if v.is_empty() { json!({"name": k}) } else { json!({"name": k, "value": v}) }).collect();
            c.insert("env".into(), Value::Array(env));
        }
        c.insert("resources".into(), json!({}));
        if !self.pull_policy.is_empty() {
            c.insert("imagePullPolicy".into(), json!(self.pull_policy));
        }
        if self.privileged {
            c.insert("securityContext".into(), json!({"privileged": true}));
        }
        if self.stdin {
            c.insert("stdin".into(), json!(true));
        }
        if self.stdin_once {
            c.insert("stdinOnce".into(), json!(true));
        }
        if self.tty {
            c.insert("tty".into(), json!(true));
        }
        let mut meta = Map::new();
        meta.insert("name".into(), json!(self.name));
        meta.insert("labels".into(), common::object_of(&self.labels));
        if !self.annotations.is_empty() {
            meta.insert("annotations".into(), common::object_of(&self.annotations));
        }
        json!({
            "kind": "Pod",
            "apiVersion": "v1",
            "metadata": meta,
            "spec": {"containers": [Value::Object(c)], "restartPolicy": self.restart, "dnsPolicy": "ClusterFirst"},
            "status": {}
        })
    }
}

/// The Service `run --expose` puts in front of the pod: labelled only when `--labels` was given.
fn service_for(name: &str, labels: &[(String, String)], labelled: bool, port: i64) -> Value {
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    if labelled {
        meta.insert("labels".into(), common::object_of(labels));
    }
    json!({
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": meta,
        "spec": {"ports": [{"protocol": "TCP", "port": port, "targetPort": port}], "selector": common::object_of(labels)},
        "status": {"loadBalancer": {}}
    })
}

/// `a=b,c=d`; every part must be exactly one `key=value`.
fn parse_labels(text: &str) -> Result<Vec<(String, String)>, Failure> {
    text.split(',')
        .map(|part| {
            let items: Vec<&str> = part.split('=').collect();
            if items.len() == 2 {
                Ok((items[0].to_string(), items[1].to_string()))
            } else {
                Err(Failure::plain(format!("unexpected label spec: {part}")))
            }
        })
        .collect()
}

/// `--env NAME=value`; the name must be a valid environment variable name.
fn parse_envs(envs: &[String]) -> Result<Vec<(String, String)>, Failure> {
    let mut out = Vec::new();
    for e in envs {
        let valid_name = |n: &str| {
            !n.is_empty()
                && n.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                && !n.starts_with(|c: char| c.is_ascii_digit())
        };
        match e.split_once('=') {
            Some((n, v)) if valid_name(n) => out.push((n.to_string(), v.to_string())),
            _ => return Err(Failure::plain(format!("invalid env: {e}"))),
        }
    }
    Ok(out)
}

/// `--overrides`: a JSON merge patch (the default), a JSON patch or a strategic merge patch over
/// the generated object.
fn apply_overrides(obj: Value, text: &str, kind: &str) -> Result<Value, Failure> {
    let patch: Value = serde_json::from_str(text).map_err(|_| Failure::plain("Invalid JSON Patch"))?;
    match kind {
        "json" => {
            // The same RFC 6902 engine (and error texts) the API server uses for json patches.
            let mut obj = crate::cluster::patch::json_patch(&obj, &patch).map_err(|e| Failure::plain(e.to_string()))?;
            retype_pod(&mut obj);
            Ok(obj)
        }
        _ => {
            if !patch.is_object() {
                let ty = if patch.is_array() { "array" } else { "value" };
                return Err(Failure::plain(format!(
                    "couldn't get version/kind; json parse error: json: cannot unmarshal {ty} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}"
                )));
            }
            let mut obj = obj;
            merge_patch(&mut obj, &patch);
            retype_pod(&mut obj);
            Ok(obj)
        }
    }
}

/// kubectl decodes the patched JSON back into a Go Pod: unknown fields are dropped, every
/// container gets its (never omitted) `resources` and the fields come back in struct order.
fn retype_pod(pod: &mut Value) {
    let findings = crate::cluster::decode::check("", "Pod", pod);
    crate::cluster::decode::drop_fields(pod, &findings.unknown);
    const CONTAINER_ORDER: &[&str] = &[
        "name",
        "image",
        "command",
        "args",
        "workingDir",
        "ports",
        "envFrom",
        "env",
        "resources",
        "resizePolicy",
        "restartPolicy",
        "volumeMounts",
        "volumeDevices",
        "livenessProbe",
        "readinessProbe",
        "startupProbe",
        "lifecycle",
        "terminationMessagePath",
        "terminationMessagePolicy",
        "imagePullPolicy",
        "securityContext",
        "stdin",
        "stdinOnce",
        "tty",
    ];
    for list in ["initContainers", "containers"] {
        let Some(containers) = pod.pointer_mut(&format!("/spec/{list}")).and_then(Value::as_array_mut) else { continue };
        for c in containers.iter_mut() {
            let Some(fields) = c.as_object_mut() else { continue };
            fields.entry("resources").or_insert_with(|| json!({}));
            let mut old = std::mem::take(fields);
            for key in CONTAINER_ORDER {
                if let Some(v) = old.remove(*key) {
                    fields.insert((*key).to_string(), v);
                }
            }
            fields.extend(old);
        }
    }
}

/// RFC 7386 JSON merge patch.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = json!({});
    }
    if let Value::Object(t) = target {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

/// The image reference grammar of the container runtime (`docker/distribution/reference`).
fn image_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let alnum = "[a-z0-9]+";
        let sep = "(?:[._]|__|[-]+)";
        let component = format!("{alnum}(?:{sep}{alnum})*");
        let domain_component = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
        let host = format!(r"(?:{domain_component}(?:\.{domain_component})*|\[(?:[a-fA-F0-9:]+)\])");
        let domain = format!("{host}(?::[0-9]+)?");
        let name = format!("(?:{domain}/)?{component}(?:/{component})*");
        let tag = r"[\w][\w.-]{0,127}";
        let digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
        Regex::new(&format!("^{name}(?::{tag})?(?:@{digest})?$")).unwrap_or_else(|_| Regex::new("^.+$").expect("trivial regex"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references() {
        for ok in [
            "nginx",
            "nginx:1.27",
            "registry.k8s.io/pause:3.10",
            "localhost:5000/a/b",
            "a_b.c",
            "busybox@sha256:0123456789abcdef0123456789abcdef",
        ] {
            assert!(image_regex().is_match(ok), "{ok}");
        }
        for bad in ["A", "nginx:", "-x", ""] {
            assert!(!image_regex().is_match(bad), "{bad}");
        }
    }

    #[test]
    fn overrides_come_back_as_a_typed_pod() {
        // kubectl v1.35.2: run x --image=a --dry-run=client -o yaml
        //   --overrides='{"apiVersion":"v1","spec":{"containers":[{"name":"x","image":"b","stdin":true}]}}'
        let pod = PodSpec {
            name: "x".into(),
            image: "a".into(),
            labels: vec![("run".into(), "x".into())],
            annotations: vec![],
            env: vec![],
            args: vec![],
            command: false,
            port: None,
            pull_policy: String::new(),
            privileged: false,
            stdin: false,
            stdin_once: false,
            tty: false,
            restart: "Always".into(),
        }
        .build();
        let patched = apply_overrides(pod, r#"{"apiVersion":"v1","spec":{"containers":[{"stdin":true,"image":"b","name":"x"}]}}"#, "merge")
            .unwrap_or_else(|f| panic!("{f:?}"));
        assert_eq!(
            crate::yaml::to_string(&patched),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    run: x\n  name: x\nspec:\n  containers:\n  - image: b\n    name: x\n    resources: {}\n    stdin: true\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n"
        );
        let keys: Vec<&String> = patched["spec"]["containers"][0].as_object().map(|m| m.keys().collect()).unwrap_or_default();
        assert_eq!(keys, ["name", "image", "resources", "stdin"]);
    }

    #[test]
    fn merge_patch_removes_nulls_and_merges_maps() {
        let mut v = json!({"a": {"b": 1, "c": 2}, "d": 1});
        merge_patch(&mut v, &json!({"a": {"b": null, "e": 3}, "d": [1]}));
        assert_eq!(v, json!({"a": {"c": 2, "e": 3}, "d": [1]}));
    }
}
