//! `kubectl kustomize DIR` and `-k DIR`: builds a kustomization into objects as kustomize v5.7
//! (the one inside kubectl v1.35) does: resources (files and sub-kustomizations), generators with
//! the content-hash suffix, patches, namespace, name prefix/suffix, labels, annotations, images,
//! replicas, name references updated, output in kustomize's legacy kind order.
//!
//! Followed: `sigs.k8s.io/kustomize` `api/internal/target/kusttarget.go` (the order of the built-in
//! transformers; hashes added last, then back references fixed), `api/hasher/hasher.go` (the
//! suffix: sha256 of a JSON summary whose `name` lookup never matches, so it is always empty),
//! `api/internal/builtins/SortOrderTransformer.go` and `kyaml/resid/gvk.go` (legacy order).

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::resource_builder::SourcedObject;
use crate::cluster::Registry;
use crate::cluster::patch::{self, Schema};
use crate::host::fs::{self, Fs};
use crate::programs::Ctx;

const KUSTOMIZATION_FILES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// One resource being built, with the names it had before (for name references and for
/// matching patches and replicas by an earlier name).
#[derive(Debug, Clone)]
struct Res {
    obj: Value,
    history: Vec<String>,
    needs_hash: bool,
}

impl Res {
    fn new(obj: Value) -> Self {
        Res { obj, history: Vec::new(), needs_hash: false }
    }

    fn kind(&self) -> &str {
        self.obj.get("kind").and_then(Value::as_str).unwrap_or_default()
    }

    fn name(&self) -> String {
        self.obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string()
    }

    fn set_name(&mut self, name: String) {
        let old = self.name();
        if old != name {
            self.history.push(old);
        }
        if let Some(meta) = meta_mut(&mut self.obj) {
            meta.insert("name".into(), json!(name));
        }
    }

    fn known_as(&self, name: &str) -> bool {
        self.name() == name || self.history.iter().any(|h| h == name)
    }
}

fn meta_mut(obj: &mut Value) -> Option<&mut Map<String, Value>> {
    obj.as_object_mut()?.entry("metadata").or_insert_with(|| json!({})).as_object_mut()
}

/// Builds the kustomization in `dir` into objects (the source of each is `dir`).
pub fn build_objects(ctx: &mut Ctx<'_>, dir: &str) -> Result<Vec<SourcedObject>, String> {
    let (objs, warnings) = build(ctx, dir)?;
    for w in warnings {
        ctx.out.err(w);
    }
    Ok(objs.into_iter().map(|object| SourcedObject { source: dir.to_string(), object }).collect())
}

/// Builds `dir` (relative to the working directory): the objects in output order and the
/// deprecation warnings kustomize printed.
pub fn build(ctx: &mut Ctx<'_>, dir: &str) -> Result<(Vec<Value>, Vec<String>), String> {
    let abs = ctx.resolve(dir);
    let fs = ctx.fs().clone();
    if !fs.is_dir(&abs) {
        return Err(format!(
            "must build at directory: not a valid directory: evalsymlink failure on '{dir}' : lstat {abs}: no such file or directory"
        ));
    }
    let mut warnings = Vec::new();
    let mut res = build_target(&fs, &abs, &mut warnings, 0)?;
    // Hashes last, then the references to renamed objects.
    for r in &mut res {
        if r.needs_hash {
            let h = content_hash(&r.obj);
            let n = format!("{}-{h}", r.name());
            r.set_name(n);
        }
    }
    fix_references(&mut res);
    sort_legacy(&mut res);
    Ok((res.into_iter().map(|r| r.obj).collect(), warnings))
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    const DEFS: &[super::flags::FlagDef] = &[
        super::flags::FlagDef::bool("enable-helm"),
        super::flags::FlagDef::bool("enable-alpha-plugins"),
        super::flags::FlagDef::bool("enable-exec"),
        super::flags::FlagDef::bool("load-restrictor"),
        super::flags::FlagDef::string("output").short('o'),
        super::flags::FlagDef::string("reorder"),
        super::flags::FlagDef::bool("as-current-user"),
        super::flags::FlagDef::string("helm-command"),
        super::flags::FlagDef::bool("enable-managedby-label"),
        super::flags::FlagDef::new("env", Some('e'), super::flags::FlagKind::StringArray),
        super::flags::FlagDef::new("mount", None, super::flags::FlagKind::StringArray),
        super::flags::FlagDef::bool("network"),
        super::flags::FlagDef::string("network-name"),
    ];
    let Ok(parsed) = super::parse_flags(ctx, "kustomize", DEFS, args) else { return 1 };
    if parsed.args.len() > 1 {
        ctx.out.err("error: specify one path to a kustomization directory\n");
        return 1;
    }
    let dir = parsed.args.first().cloned().unwrap_or_else(|| ".".to_string());
    match build(ctx, &dir) {
        Ok((objs, warnings)) => {
            for w in warnings {
                ctx.out.err(w);
            }
            let docs: Vec<String> = objs.iter().map(crate::yaml::to_string).collect();
            ctx.out.out(docs.join("---\n"));
            0
        }
        Err(e) => {
            ctx.out.err(format!("error: {e}\n"));
            1
        }
    }
}

fn deprecated(field: &str, instead: &str) -> String {
    format!(
        "# Warning: '{field}' is deprecated. Please use '{instead}' instead. Run 'kustomize edit fix' to update your Kustomization automatically.\n"
    )
}

fn join(dir: &str, rel: &str) -> String {
    fs::resolve(dir, rel)
}

fn read_docs(fs: &Fs, path: &str) -> Result<Vec<Value>, String> {
    let text = fs.read_string(path).map_err(|e| format!("open {path}: {}", e.to_string().to_lowercase()))?;
    let docs = crate::yaml::parse_documents(&text).map_err(|e| e.message)?;
    let mut out = Vec::new();
    for d in docs {
        if d.get("kind").and_then(Value::as_str).is_some_and(|k| k.ends_with("List"))
            && let Some(items) = d.get("items").and_then(Value::as_array)
        {
            out.extend(items.iter().cloned());
        } else {
            out.push(d);
        }
    }
    Ok(out)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect()).unwrap_or_default()
}

fn string_map(v: Option<&Value>) -> Vec<(String, String)> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn build_target(fs: &Fs, dir: &str, warnings: &mut Vec<String>, depth: usize) -> Result<Vec<Res>, String> {
    if depth > 20 {
        return Err(format!("cycle detected: candidate root '{dir}' contains visited root"));
    }
    let Some(kfile) = KUSTOMIZATION_FILES.iter().map(|f| join(dir, f)).find(|p| fs.is_file(p)) else {
        return Err(format!("unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{dir}'"));
    };
    let kdocs = read_docs(fs, &kfile)?;
    let k = kdocs.into_iter().next().unwrap_or_else(|| json!({}));
    for (field, instead) in [
        ("bases", "resources"),
        ("commonLabels", "labels"),
        ("patchesStrategicMerge", "patches"),
        ("patchesJson6902", "patches"),
        ("vars", "replacements"),
    ] {
        if k.get(field).is_some() {
            let w = deprecated(field, instead);
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
    }
    let mut res: Vec<Res> = Vec::new();
    for entry in strings(k.get("bases")).into_iter().chain(strings(k.get("resources"))) {
        let path = join(dir, &entry);
        if fs.is_dir(&path) {
            res.extend(
                build_target(fs, &path, warnings, depth + 1)
                    .map_err(|e| format!("accumulating resources: accumulation err='accumulating resources from '{entry}': {e}'"))?,
            );
        } else if fs.is_file(&path) {
            for d in read_docs(fs, &path)
                .map_err(|e| format!("accumulating resources: accumulation err='accumulating resources from '{entry}': {e}'"))?
            {
                res.push(Res::new(d));
            }
        } else {
            let inner = format!("evalsymlink failure on '{path}' : lstat {path}: no such file or directory");
            return Err(format!(
                "accumulating resources: accumulation err='accumulating resources from '{entry}': {inner}': must build at directory: not a valid directory: {inner}"
            ));
        }
    }
    generate(fs, dir, &k, &mut res)?;
    // The built-in transformers, in kustomize's order.
    for p in strings(k.get("patchesStrategicMerge")) {
        let docs = if p.contains('\n') || p.contains(": ") {
            crate::yaml::parse_documents(&p).map_err(|e| e.message)?
        } else {
            read_docs(fs, &join(dir, &p))?
        };
        for d in docs {
            apply_smp(&mut res, &d, None)?;
        }
    }
    if let Some(list) = k.get("patches").and_then(Value::as_array) {
        for p in list {
            apply_patch_entry(fs, dir, &mut res, p)?;
        }
    }
    if let Some(ns) = k.get("namespace").and_then(Value::as_str) {
        set_namespace(&mut res, ns);
    }
    let prefix = k.get("namePrefix").and_then(Value::as_str).unwrap_or_default();
    let suffix = k.get("nameSuffix").and_then(Value::as_str).unwrap_or_default();
    if !prefix.is_empty() || !suffix.is_empty() {
        for r in &mut res {
            if matches!(r.kind(), "Namespace" | "CustomResourceDefinition" | "APIService") {
                continue;
            }
            let n = format!("{prefix}{}{suffix}", r.name());
            r.set_name(n);
        }
    }
    let common = string_map(k.get("commonLabels"));
    if !common.is_empty() {
        add_labels(&mut res, &common, true, true);
    }
    if let Some(list) = k.get("labels").and_then(Value::as_array) {
        for l in list {
            let pairs = string_map(l.get("pairs"));
            let sel = l.get("includeSelectors").and_then(Value::as_bool).unwrap_or(false);
            let tmpl = l.get("includeTemplates").and_then(Value::as_bool).unwrap_or(false);
            add_labels(&mut res, &pairs, sel, tmpl || sel);
        }
    }
    let ann = string_map(k.get("commonAnnotations"));
    if !ann.is_empty() {
        add_annotations(&mut res, &ann);
    }
    if let Some(list) = k.get("patchesJson6902").and_then(Value::as_array) {
        for p in list {
            apply_patch_entry(fs, dir, &mut res, p)?;
        }
    }
    if let Some(list) = k.get("replicas").and_then(Value::as_array) {
        for rep in list {
            let name = rep.get("name").and_then(Value::as_str).unwrap_or_default();
            let count = rep.get("count").cloned().unwrap_or(json!(1));
            for r in res.iter_mut().filter(|r| r.known_as(name)) {
                if matches!(r.kind(), "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController")
                    && let Some(spec) = r.obj.as_object_mut().map(|o| o.entry("spec").or_insert_with(|| json!({})))
                {
                    spec["replicas"] = count.clone();
                }
            }
        }
    }
    if let Some(list) = k.get("images").and_then(Value::as_array) {
        for img in list {
            for r in &mut res {
                set_images(&mut r.obj, img);
            }
        }
    }
    Ok(res)
}

/// `configMapGenerator` and `secretGenerator`.
fn generate(fs: &Fs, dir: &str, k: &Value, res: &mut Vec<Res>) -> Result<(), String> {
    let opts = k.get("generatorOptions").cloned().unwrap_or_else(|| json!({}));
    for (field, kind) in [("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")] {
        let Some(list) = k.get(field).and_then(Value::as_array) else { continue };
        for g in list {
            let name = g.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
            let mut data: Vec<(String, String)> = Vec::new();
            for lit in strings(g.get("literals")) {
                let Some((k, v)) = lit.split_once('=') else {
                    return Err(format!("invalid literal source {lit}, expected key=value"));
                };
                // Quoted literal values lose their quotes (kustomize's parseLiteralSource).
                let v = v
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                    .unwrap_or(v);
                data.push((k.to_string(), v.to_string()));
            }
            for f in strings(g.get("files")) {
                let (key, path) = match f.split_once('=') {
                    Some((k, p)) => (k.to_string(), p.to_string()),
                    None => (fs::basename(&f).to_string(), f.clone()),
                };
                let abs = join(dir, &path);
                let content =
                    fs.read_string(&abs).map_err(|_| format!("evalsymlink failure on '{abs}' : lstat {abs}: no such file or directory"))?;
                data.push((key, content));
            }
            for e in strings(g.get("envs")).into_iter().chain(g.get("env").and_then(Value::as_str).map(str::to_string)) {
                let abs = join(dir, &e);
                let content =
                    fs.read_string(&abs).map_err(|_| format!("evalsymlink failure on '{abs}' : lstat {abs}: no such file or directory"))?;
                for line in content.lines() {
                    let line = line.trim_start();
                    if line.is_empty() || line.starts_with('#') {
                        continue;
                    }
                    match line.split_once('=') {
                        Some((k, v)) => data.push((k.to_string(), v.to_string())),
                        None => data.push((line.to_string(), String::new())),
                    }
                }
            }
            let mut obj = json!({"apiVersion": "v1", "kind": kind, "metadata": {"name": name}});
            if let Some(ns) = g.get("namespace").and_then(Value::as_str) {
                obj["metadata"]["namespace"] = json!(ns);
            }
            let gen_opts = g.get("options").cloned().unwrap_or_else(|| json!({}));
            for o in [&opts, &gen_opts] {
                for (field, key) in [("labels", "labels"), ("annotations", "annotations")] {
                    for (k, v) in string_map(o.get(field)) {
                        let m = obj["metadata"].as_object_mut().map(|m| m.entry(key).or_insert_with(|| json!({})));
                        if let Some(m) = m.and_then(Value::as_object_mut) {
                            m.insert(k, json!(v));
                        }
                    }
                }
            }
            let mut dmap = Map::new();
            for (k, v) in data {
                let v = if kind == "Secret" {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD.encode(v.as_bytes())
                } else {
                    v
                };
                dmap.insert(k, json!(v));
            }
            if !dmap.is_empty() {
                obj["data"] = Value::Object(dmap);
            }
            if kind == "Secret" {
                obj["type"] = json!(g.get("type").and_then(Value::as_str).unwrap_or("Opaque"));
            }
            let disable = |o: &Value| o.get("disableNameSuffixHash").and_then(Value::as_bool);
            let needs_hash = !disable(&gen_opts).or(disable(&opts)).unwrap_or(false);
            match g.get("behavior").and_then(Value::as_str).unwrap_or("create") {
                b @ ("merge" | "replace") => {
                    let Some(base) = res.iter_mut().find(|r| r.kind() == kind && r.known_as(&name)) else {
                        return Err(format!(
                            "id resid.ResId{{Gvk:resid.Gvk{{Group:\"\", Version:\"v1\", Kind:\"{kind}\"}}, Name:\"{name}\", Namespace:\"\"}} does not exist; cannot merge or replace"
                        ));
                    };
                    if b == "replace" {
                        base.obj["data"] = obj.get("data").cloned().unwrap_or_else(|| json!({}));
                    } else if let Some(d) = obj.get("data").and_then(Value::as_object) {
                        let bd = base.obj.as_object_mut().map(|o| o.entry("data").or_insert_with(|| json!({})));
                        if let Some(bd) = bd.and_then(Value::as_object_mut) {
                            for (k, v) in d {
                                bd.insert(k.clone(), v.clone());
                            }
                        }
                    }
                    base.needs_hash = base.needs_hash || needs_hash;
                }
                _ => {
                    let mut r = Res::new(obj);
                    r.needs_hash = needs_hash;
                    res.push(r);
                }
            }
        }
    }
    Ok(())
}

/// kustomize's name hash: sha256 of `{"data":…,"kind":…,"name":""[,"type":…]}`, ten hex
/// characters with `0 1 3 a e` mapped to `g h k m t`.
fn content_hash(obj: &Value) -> String {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or_default();
    let data = obj.get("data").cloned().unwrap_or_else(|| json!(""));
    let mut m = Map::new();
    m.insert("data".into(), data);
    m.insert("kind".into(), json!(kind));
    m.insert("name".into(), json!(""));
    match kind {
        "ConfigMap" => {
            if let Some(b) = obj.get("binaryData").filter(|b| b.is_object()) {
                m.insert("binaryData".into(), b.clone());
            }
        }
        "Secret" => {
            m.insert("type".into(), obj.get("type").cloned().unwrap_or_else(|| json!("")));
            if let Some(s) = obj.get("stringData").filter(|b| b.is_object()) {
                m.insert("stringData".into(), s.clone());
            }
        }
        _ => {}
    }
    let text = if matches!(kind, "ConfigMap" | "Secret") {
        super::resource_builder::go_json(&Value::Object(m))
    } else {
        super::resource_builder::go_json(obj)
    };
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex[..10]
        .chars()
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect()
}

fn set_namespace(res: &mut [Res], ns: &str) {
    let reg = Registry::builtin();
    for r in res {
        let api_version = r.obj.get("apiVersion").and_then(Value::as_str).unwrap_or_default().to_string();
        let namespaced = reg.by_kind(&api_version, r.kind()).is_none_or(|x| x.namespaced);
        if namespaced && let Some(meta) = meta_mut(&mut r.obj) {
            meta.insert("namespace".into(), json!(ns));
        }
        if matches!(r.kind(), "RoleBinding" | "ClusterRoleBinding")
            && let Some(subjects) = r.obj.get_mut("subjects").and_then(Value::as_array_mut)
        {
            for s in subjects {
                if s.get("kind").and_then(Value::as_str) == Some("ServiceAccount")
                    && s.get("namespace").and_then(Value::as_str).is_none_or(|n| n == "default")
                {
                    s["namespace"] = json!(ns);
                }
            }
        }
    }
}

fn insert_all(obj: &mut Value, path: &[&str], pairs: &[(String, String)], create: bool) {
    let mut cur = obj;
    for (i, p) in path.iter().enumerate() {
        let Some(m) = cur.as_object_mut() else { return };
        if !m.contains_key(*p) {
            if !create && i < path.len() {
                return;
            }
            m.insert(p.to_string(), json!({}));
        }
        let Some(next) = m.get_mut(*p) else { return };
        cur = next;
    }
    if let Some(m) = cur.as_object_mut() {
        for (k, v) in pairs {
            m.insert(k.clone(), json!(v));
        }
    }
}

/// The places a workload keeps its pod template.
fn template_paths(kind: &str) -> &'static [&'static [&'static str]] {
    match kind {
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "Job" | "ReplicationController" => &[&["spec", "template", "metadata"]],
        "CronJob" => &[&["spec", "jobTemplate", "metadata"], &["spec", "jobTemplate", "spec", "template", "metadata"]],
        _ => &[],
    }
}

fn add_labels(res: &mut [Res], pairs: &[(String, String)], selectors: bool, templates: bool) {
    for r in res {
        let kind = r.kind().to_string();
        insert_all(&mut r.obj, &["metadata", "labels"], pairs, true);
        if templates {
            for base in template_paths(&kind) {
                let mut p: Vec<&str> = base.to_vec();
                p.push("labels");
                insert_all(&mut r.obj, &p, pairs, true);
            }
        }
        if selectors {
            match kind.as_str() {
                "Service" | "ReplicationController" => insert_all(&mut r.obj, &["spec", "selector"], pairs, true),
                "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" => {
                    insert_all(&mut r.obj, &["spec", "selector", "matchLabels"], pairs, true)
                }
                "PodDisruptionBudget" => insert_all(&mut r.obj, &["spec", "selector", "matchLabels"], pairs, false),
                "NetworkPolicy" => insert_all(&mut r.obj, &["spec", "podSelector", "matchLabels"], pairs, false),
                _ => {}
            }
        }
    }
}

fn add_annotations(res: &mut [Res], pairs: &[(String, String)]) {
    for r in res {
        let kind = r.kind().to_string();
        insert_all(&mut r.obj, &["metadata", "annotations"], pairs, true);
        for base in template_paths(&kind) {
            let mut p: Vec<&str> = base.to_vec();
            p.push("annotations");
            insert_all(&mut r.obj, &p, pairs, true);
        }
    }
}

/// `name[:tag][@digest]` split the way kustomize's `image.Split` does.
fn split_image(image: &str) -> (String, String) {
    if let Some(i) = image.find('@') {
        return (image[..i].to_string(), image[i..].to_string());
    }
    let slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[slash..].rfind(':') {
        Some(i) => (image[..slash + i].to_string(), image[slash + i..].to_string()),
        None => (image.to_string(), String::new()),
    }
}

fn set_images(obj: &mut Value, img: &Value) {
    let name = img.get("name").and_then(Value::as_str).unwrap_or_default();
    let walk_containers = |v: &mut Value, f: &mut dyn FnMut(&mut Value)| {
        fn rec(v: &mut Value, f: &mut dyn FnMut(&mut Value)) {
            match v {
                Value::Object(m) => {
                    for (k, child) in m.iter_mut() {
                        if (k == "containers" || k == "initContainers")
                            && let Some(list) = child.as_array_mut()
                        {
                            for c in list {
                                f(c);
                            }
                            continue;
                        }
                        rec(child, f);
                    }
                }
                Value::Array(a) => a.iter_mut().for_each(|x| rec(x, f)),
                _ => {}
            }
        }
        rec(v, f);
    };
    walk_containers(obj, &mut |c: &mut Value| {
        let Some(current) = c.get("image").and_then(Value::as_str).map(str::to_string) else { return };
        let (n, tag) = split_image(&current);
        if n != name {
            return;
        }
        let new_name = img.get("newName").and_then(Value::as_str).unwrap_or(&n).to_string();
        let tag = if let Some(d) = img.get("digest").and_then(Value::as_str) {
            format!("@{d}")
        } else if let Some(t) = img.get("newTag") {
            format!(":{}", t.as_str().map(str::to_string).unwrap_or_else(|| t.to_string()))
        } else {
            tag
        };
        c["image"] = json!(format!("{new_name}{tag}"));
    });
}

/// A target selector of `patches` (`kind`, `name` as an anchored regex, `group`, `version`,
/// `namespace`, `labelSelector`, `annotationSelector`).
fn selected(r: &Res, target: &Value) -> bool {
    let s = |k: &str| target.get(k).and_then(Value::as_str);
    let api_version = r.obj.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    if s("kind").is_some_and(|k| k != r.kind()) || s("group").is_some_and(|g| g != group) || s("version").is_some_and(|v| v != version) {
        return false;
    }
    if let Some(ns) = s("namespace")
        && r.obj.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or_default() != ns
    {
        return false;
    }
    if let Some(n) = s("name") {
        let re = regex::Regex::new(&format!("^(?:{n})$"));
        let ok = match re {
            Ok(re) => re.is_match(&r.name()) || r.history.iter().any(|h| re.is_match(h)),
            Err(_) => r.known_as(n),
        };
        if !ok {
            return false;
        }
    }
    if let Some(sel) = s("labelSelector")
        && !super::resource_builder::selector_matches(sel, r.obj.pointer("/metadata/labels"))
    {
        return false;
    }
    if let Some(sel) = s("annotationSelector")
        && !super::resource_builder::selector_matches(sel, r.obj.pointer("/metadata/annotations"))
    {
        return false;
    }
    true
}

fn apply_smp(res: &mut Vec<Res>, p: &Value, target: Option<&Value>) -> Result<(), String> {
    let pkind = p.get("kind").and_then(Value::as_str).unwrap_or_default();
    let pname = p.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
    // A patch that is only `$patch: delete` removes what it matches.
    if p.get("$patch").and_then(Value::as_str) == Some("delete") {
        let before = res.len();
        res.retain(|r| !match target {
            Some(t) => selected(r, t),
            None => r.kind() == pkind && r.known_as(pname),
        });
        if res.len() != before {
            return Ok(());
        }
    }
    let mut found = false;
    for r in res.iter_mut() {
        let hit = match target {
            Some(t) => selected(r, t),
            None => r.kind() == pkind && r.known_as(pname),
        };
        if !hit {
            continue;
        }
        found = true;
        let mut body = p.clone();
        if target.is_some()
            && let Some(meta) = body.get_mut("metadata").and_then(Value::as_object_mut)
        {
            // The patch's own name does not rename what a selector chose.
            meta.shift_remove("name");
        }
        if let Some(m) = body.as_object_mut() {
            m.shift_remove("apiVersion");
            m.shift_remove("kind");
            if let Some(meta) = m.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.shift_remove("name");
                meta.shift_remove("namespace");
                if meta.is_empty() {
                    m.shift_remove("metadata");
                }
            }
        }
        let schema = if Registry::builtin().by_kind(r.obj.get("apiVersion").and_then(Value::as_str).unwrap_or_default(), r.kind()).is_some()
        {
            Schema::Builtin
        } else {
            Schema::None
        };
        r.obj = patch::strategic_merge(&r.obj, &body, schema).map_err(|e| e.to_string())?;
    }
    if !found && target.is_none() {
        return Err(format!(
            "no resource matches strategic merge patch \"{pkind}.{}.[noGrp]/{pname}.[noNs]\": no matches for Id {pkind}.{}.[noGrp]/{pname}.[noNs]; failed to find unique target for patch {pkind}.{}.[noGrp]/{pname}.[noNs]",
            "v1", "v1", "v1"
        ));
    }
    Ok(())
}

fn apply_patch_entry(fs: &Fs, dir: &str, res: &mut Vec<Res>, entry: &Value) -> Result<(), String> {
    let text = if let Some(p) = entry.get("patch").and_then(Value::as_str) {
        p.to_string()
    } else if let Some(path) = entry.get("path").and_then(Value::as_str) {
        let abs = join(dir, path);
        fs.read_string(&abs).map_err(|_| format!("evalsymlink failure on '{abs}' : lstat {abs}: no such file or directory"))?
    } else {
        return Err("must specify one of patch and path in patches".into());
    };
    let target = entry.get("target");
    let docs = crate::yaml::parse_documents(&text).map_err(|e| e.message)?;
    for d in docs {
        if d.is_array() {
            let Some(t) = target else {
                return Err("must specify a target for patch".into());
            };
            for r in res.iter_mut().filter(|r| selected(r, t)) {
                r.obj = patch::json_patch(&r.obj, &d).map_err(|e| e.to_string())?;
            }
        } else {
            apply_smp(res, &d, target)?;
        }
    }
    Ok(())
}

/// Kinds whose renames are followed into other objects, and where those names are written.
fn fix_references(res: &mut [Res]) {
    let renames: Vec<(String, Vec<String>, String)> =
        res.iter().filter(|r| !r.history.is_empty()).map(|r| (r.kind().to_string(), r.history.clone(), r.name())).collect();
    if renames.is_empty() {
        return;
    }
    for r in res.iter_mut() {
        let kind = r.kind().to_string();
        for (target_kind, old, new) in &renames {
            fix_in(&mut r.obj, &kind, target_kind, old, new);
        }
    }
}

fn replace_at(v: &mut Value, path: &[&str], old: &[String], new: &str) {
    let Some((first, rest)) = path.split_first() else {
        if let Some(s) = v.as_str()
            && old.iter().any(|o| o == s)
        {
            *v = json!(new);
        }
        return;
    };
    match v {
        Value::Array(a) => a.iter_mut().for_each(|x| replace_at(x, path, old, new)),
        Value::Object(m) => {
            if *first == "*" {
                for x in m.values_mut() {
                    replace_at(x, rest, old, new);
                }
            } else if let Some(x) = m.get_mut(*first) {
                replace_at(x, rest, old, new);
            }
        }
        _ => {}
    }
}

fn fix_in(obj: &mut Value, kind: &str, target_kind: &str, old: &[String], new: &str) {
    let pod_spec: Option<&[&str]> = match kind {
        "Pod" => Some(&["spec"]),
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "Job" | "ReplicationController" => Some(&["spec", "template", "spec"]),
        "CronJob" => Some(&["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => None,
    };
    let at = |obj: &mut Value, base: &[&str], tail: &[&str]| {
        let p: Vec<&str> = base.iter().chain(tail).copied().collect();
        replace_at(obj, &p, old, new);
    };
    if let Some(ps) = pod_spec {
        let containers: [&[&str]; 2] = [&["containers"], &["initContainers"]];
        match target_kind {
            "ConfigMap" => {
                at(obj, ps, &["volumes", "configMap", "name"]);
                at(obj, ps, &["volumes", "projected", "sources", "configMap", "name"]);
                for c in containers {
                    at(obj, ps, &[c[0], "env", "valueFrom", "configMapKeyRef", "name"]);
                    at(obj, ps, &[c[0], "envFrom", "configMapRef", "name"]);
                }
            }
            "Secret" => {
                at(obj, ps, &["volumes", "secret", "secretName"]);
                at(obj, ps, &["volumes", "projected", "sources", "secret", "name"]);
                at(obj, ps, &["imagePullSecrets", "name"]);
                for c in containers {
                    at(obj, ps, &[c[0], "env", "valueFrom", "secretKeyRef", "name"]);
                    at(obj, ps, &[c[0], "envFrom", "secretRef", "name"]);
                }
            }
            "ServiceAccount" => at(obj, ps, &["serviceAccountName"]),
            "PersistentVolumeClaim" => at(obj, ps, &["volumes", "persistentVolumeClaim", "claimName"]),
            _ => {}
        }
    }
    match (kind, target_kind) {
        ("StatefulSet", "Service") => replace_at(obj, &["spec", "serviceName"], old, new),
        ("Ingress", "Service") => {
            replace_at(obj, &["spec", "rules", "http", "paths", "backend", "service", "name"], old, new);
            replace_at(obj, &["spec", "defaultBackend", "service", "name"], old, new);
        }
        ("Ingress", "Secret") => replace_at(obj, &["spec", "tls", "secretName"], old, new),
        ("ServiceAccount", "Secret") => {
            replace_at(obj, &["secrets", "name"], old, new);
            replace_at(obj, &["imagePullSecrets", "name"], old, new);
        }
        ("RoleBinding" | "ClusterRoleBinding", "Role" | "ClusterRole")
            if obj.pointer("/roleRef/kind").and_then(Value::as_str) == Some(target_kind) =>
        {
            replace_at(obj, &["roleRef", "name"], old, new);
        }
        ("RoleBinding" | "ClusterRoleBinding", "ServiceAccount") => {
            if let Some(subjects) = obj.get_mut("subjects").and_then(Value::as_array_mut) {
                for s in subjects {
                    if s.get("kind").and_then(Value::as_str) == Some("ServiceAccount") {
                        replace_at(s, &["name"], old, new);
                    }
                }
            }
        }
        ("HorizontalPodAutoscaler", "Deployment" | "ReplicaSet" | "StatefulSet")
            if obj.pointer("/spec/scaleTargetRef/kind").and_then(Value::as_str) == Some(target_kind) =>
        {
            replace_at(obj, &["spec", "scaleTargetRef", "name"], old, new);
        }
        ("PersistentVolume", "PersistentVolumeClaim") => replace_at(obj, &["spec", "claimRef", "name"], old, new),
        _ => {}
    }
}

/// kustomize's legacy order: kinds of `orderFirst` first, `orderLast` last, the rest between by
/// group/version/kind, then namespace and name.
fn sort_legacy(res: &mut [Res]) {
    const FIRST: &[&str] = &[
        "Namespace",
        "ResourceQuota",
        "StorageClass",
        "CustomResourceDefinition",
        "ServiceAccount",
        "PodSecurityPolicy",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "ConfigMap",
        "Secret",
        "Endpoints",
        "Service",
        "LimitRange",
        "PriorityClass",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "Deployment",
        "StatefulSet",
        "CronJob",
        "PodDisruptionBudget",
    ];
    const LAST: &[&str] = &["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];
    let order = |k: &str| -> i64 {
        if let Some(i) = FIRST.iter().position(|x| *x == k) {
            return i as i64 - FIRST.len() as i64;
        }
        if let Some(i) = LAST.iter().position(|x| *x == k) {
            return 1 + i as i64;
        }
        0
    };
    let gvk = |r: &Res| {
        let api_version = r.obj.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
        let (g, v) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let or = |s: &str, d: &str| if s.is_empty() { d.to_string() } else { s.to_string() };
        format!("{}_{}_{}", or(g, "~G"), or(v, "~V"), or(r.kind(), "~K"))
    };
    let id = |r: &Res| {
        let ns = r.obj.pointer("/metadata/namespace").and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("~X").to_string();
        let n = r.name();
        (ns, if n.is_empty() { "~N".to_string() } else { n })
    };
    res.sort_by(|a, b| {
        let (ka, kb) = (order(a.kind()), order(b.kind()));
        ka.cmp(&kb).then_with(|| {
            let (ga, gb) = (gvk(a), gvk(b));
            if ga == gb {
                id(a).cmp(&id(b))
            } else if a.kind() == "Namespace" && b.kind() == "Namespace" {
                gb.cmp(&ga)
            } else {
                ga.cmp(&gb)
            }
        })
    });
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::programs::kubectl::resource_builder::testkit::Kit;

    #[test]
    fn hash_matches_kustomize() {
        // Captured from kubectl v1.35.2 (`kubectl kustomize`): app-config-kg426h98bf, db-bf5fk5d75b.
        assert_eq!(
            content_hash(
                &json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app-config"}, "data": {"MODE": "prod", "LEVEL": "debug"}})
            ),
            "kg426h98bf"
        );
        assert_eq!(
            content_hash(&json!({"kind": "Secret", "metadata": {"name": "db"}, "data": {"password": "czNjcmV0"}, "type": "Opaque"})),
            "bf5fk5d75b"
        );
    }

    fn overlay(k: &mut Kit) {
        k.file("/root/app/base/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.19\n        envFrom:\n        - configMapRef:\n            name: app-config\n        volumeMounts:\n        - name: cfg\n          mountPath: /etc/cfg\n      volumes:\n      - name: cfg\n        configMap:\n          name: app-config\n");
        k.file("/root/app/base/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 80\n");
        k.file("/root/app/base/kustomization.yaml", "resources:\n- deploy.yaml\n- svc.yaml\nconfigMapGenerator:\n- name: app-config\n  literals:\n  - MODE=prod\n  - LEVEL=debug\nsecretGenerator:\n- name: db\n  literals:\n  - password=s3cret\n");
        k.file("/root/app/kustomization.yaml", "namespace: dev\nnamePrefix: dev-\nnameSuffix: -v1\ncommonLabels:\n  env: dev\ncommonAnnotations:\n  owner: team-a\nresources:\n- base\nimages:\n- name: nginx\n  newTag: \"1.25\"\nreplicas:\n- name: web\n  count: 3\n");
    }

    #[test]
    fn overlay_builds_like_kustomize() {
        let mut k = Kit::new();
        overlay(&mut k);
        let (o, e, c) = k.run("kubectl kustomize app");
        assert_eq!(c, 0, "{e}");
        assert_eq!(
            e,
            "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically.\n"
        );
        let docs = crate::yaml::parse_documents(&o).unwrap();
        let names: Vec<String> =
            docs.iter().map(|d| format!("{}/{}", d["kind"].as_str().unwrap(), d["metadata"]["name"].as_str().unwrap())).collect();
        assert_eq!(
            names,
            ["ConfigMap/dev-app-config-v1-kg426h98bf", "Secret/dev-db-v1-bf5fk5d75b", "Service/dev-web-v1", "Deployment/dev-web-v1"]
        );
        let d = &docs[3];
        assert_eq!(d["spec"]["replicas"], 3);
        assert_eq!(d["spec"]["selector"]["matchLabels"], json!({"app": "web", "env": "dev"}));
        assert_eq!(d["spec"]["template"]["metadata"]["annotations"], json!({"owner": "team-a"}));
        let c0 = &d["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(c0["image"], "nginx:1.25");
        assert_eq!(c0["envFrom"][0]["configMapRef"]["name"], "dev-app-config-v1-kg426h98bf");
        assert_eq!(d["spec"]["template"]["spec"]["volumes"][0]["configMap"]["name"], "dev-app-config-v1-kg426h98bf");
        assert_eq!(docs[2]["spec"]["selector"], json!({"app": "web", "env": "dev"}));
        assert_eq!(docs[1]["data"]["password"], "czNjcmV0");
        for d in &docs {
            assert_eq!(d["metadata"]["namespace"], "dev");
        }
    }

    #[test]
    fn apply_k_and_errors() {
        let mut k = Kit::new();
        overlay(&mut k);
        k.file("/root/app/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n");
        let kust = k.world.hosts["controlplane"]
            .fs
            .read_string("/root/app/kustomization.yaml")
            .unwrap()
            .replace("- base\n", "- ns.yaml\n- base\n");
        k.file("/root/app/kustomization.yaml", &kust);
        let (o, _, c) = k.run("kubectl apply -k app");
        assert_eq!(c, 0);
        assert_eq!(
            o,
            "namespace/dev created\nconfigmap/dev-app-config-v1-kg426h98bf created\nsecret/dev-db-v1-bf5fk5d75b created\nservice/dev-web-v1 created\ndeployment.apps/dev-web-v1 created\n"
        );
        assert!(k.get("deployments", Some("dev"), "dev-web-v1").is_some());
        // the other verbs take -k too
        assert_eq!(k.ok("kubectl label -k app tier=fe -o name").lines().count(), 5);
        // a client dry run prints every object, scalable or not (scale.go)
        assert_eq!(k.ok("kubectl scale -k app --replicas=2 --dry-run=client").lines().count(), 5);
        assert_eq!(k.ok("kubectl replace -k app").lines().count(), 5);
        assert_eq!(
            k.run("kubectl kustomize nowhere").1,
            "error: must build at directory: not a valid directory: evalsymlink failure on 'nowhere' : lstat /root/nowhere: no such file or directory\n"
        );
        k.file("/root/empty/x.yaml", "a: 1\n");
        assert_eq!(
            k.run("kubectl kustomize empty").1,
            "error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/root/empty'\n"
        );
        k.file("/root/m/kustomization.yaml", "resources:\n- missing.yaml\n");
        assert_eq!(
            k.run("kubectl kustomize m").1,
            "error: accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on '/root/m/missing.yaml' : lstat /root/m/missing.yaml: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '/root/m/missing.yaml' : lstat /root/m/missing.yaml: no such file or directory\n"
        );
    }

    #[test]
    fn patches_and_images() {
        let mut k = Kit::new();
        overlay(&mut k);
        k.file("/root/p/kustomization.yaml", "resources:\n- ../app/base\npatches:\n- path: replicas.yaml\n- target:\n    kind: Deployment\n    name: web\n  patch: |-\n    - op: add\n      path: /spec/template/spec/containers/0/args\n      value: [\"-v\"]\nimages:\n- name: nginx\n  newName: registry.local/nginx\n  digest: sha256:abc\n");
        k.file("/root/p/replicas.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n");
        let (o, e, c) = k.run("kubectl kustomize p");
        assert_eq!(c, 0, "{e}");
        let docs = crate::yaml::parse_documents(&o).unwrap();
        let d = docs.iter().find(|d| d["kind"] == "Deployment").unwrap();
        assert_eq!(d["spec"]["replicas"], 5);
        assert_eq!(d["spec"]["template"]["spec"]["containers"][0]["args"], json!(["-v"]));
        assert_eq!(d["spec"]["template"]["spec"]["containers"][0]["image"], "registry.local/nginx@sha256:abc");
    }

    /// Replays the captured `tests/golden/kustomize` cases without the shell: their `printf '…' >
    /// file` steps are written straight into the world, then the `kubectl kustomize` step runs.
    #[test]
    fn golden_kustomize_cases_replay() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/kustomize");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        assert!(!files.is_empty());
        let mut failures = Vec::new();
        for f in files {
            let case: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
            let mut k = Kit::new();
            let mut last = String::new();
            for step in case["command"].as_str().unwrap().split(" && ") {
                if let Some(rest) = step.strip_prefix("printf '") {
                    let (body, target) = rest.rsplit_once("' > ").unwrap();
                    let mut text = String::new();
                    let mut chars = body.chars();
                    while let Some(ch) = chars.next() {
                        match (ch, ch == '\\') {
                            (_, true) => match chars.next() {
                                Some('n') => text.push('\n'),
                                Some('\\') => text.push('\\'),
                                Some(o) => {
                                    text.push('\\');
                                    text.push(o);
                                }
                                None => text.push('\\'),
                            },
                            (ch, false) => text.push(ch),
                        }
                    }
                    k.file(&format!("/root/{target}"), &text);
                } else if step.starts_with("kubectl") {
                    last = step.to_string();
                }
            }
            let dir_arg = last.split_whitespace().nth(2).unwrap_or(".").to_string();
            let env = std::collections::BTreeMap::new();
            let mut out = crate::programs::Output::default();
            let mut ctx = Ctx {
                world: &mut k.world,
                host: "controlplane".into(),
                cwd: "/root".into(),
                env: &env,
                stdin: &[],
                out: &mut out,
                subshell: crate::shell::subshell,
            };
            let (objs, warnings) = build(&mut ctx, &dir_arg).unwrap();
            // Byte equality needs the go-yaml emitter (another part's); the objects, their order
            // and the names with their hashes must match already.
            let expected = crate::yaml::parse_documents(case["stdout"].as_str().unwrap()).unwrap();
            if objs != expected || warnings.concat() != case["stderr"].as_str().unwrap() {
                failures.push(format!("{}:\n--- expected\n{expected:#?}\n--- got\n{objs:#?}\n{warnings:?}", f.display()));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
