//! The writing side of `kubectl config`: `set-context`, `set-cluster`, `set-credentials`,
//! `set`, `unset`, `delete-*` and `rename-context`, with clientcmd's messages.

use base64::Engine;
use serde_json::{Map, Value, json};

use super::{go_list, help_only, load, save, usage_error};
use crate::programs::Ctx;
use crate::programs::kubectl::flags::{FlagDef, FlagKind, Parsed, parse_bool};
use crate::programs::kubectl::kubeconfig::{Kubeconfig, Section};

pub const SET_CONTEXT_FLAGS: &[FlagDef] =
    &[FlagDef::string("cluster"), FlagDef::string("user"), FlagDef::string("namespace").short('n'), FlagDef::bool("current")];

pub const SET_CLUSTER_FLAGS: &[FlagDef] = &[
    FlagDef::string("server"),
    FlagDef::string("certificate-authority"),
    FlagDef::bool("embed-certs"),
    FlagDef::bool("insecure-skip-tls-verify"),
    FlagDef::string("tls-server-name"),
    FlagDef::string("proxy-url"),
];

pub const SET_CREDENTIALS_FLAGS: &[FlagDef] = &[
    FlagDef::string("client-certificate"),
    FlagDef::string("client-key"),
    FlagDef::string("token"),
    FlagDef::string("username"),
    FlagDef::string("password"),
    FlagDef::bool("embed-certs"),
    FlagDef::string("auth-provider"),
    FlagDef::new("auth-provider-arg", None, FlagKind::StringSlice),
    FlagDef::string("exec-command"),
    FlagDef::string("exec-api-version"),
    FlagDef::new("exec-arg", None, FlagKind::StringSlice),
    FlagDef::new("exec-env", None, FlagKind::StringArray),
    FlagDef::string("exec-interactive-mode"),
    FlagDef::bool("exec-provide-cluster-info"),
];

fn loaded(ctx: &mut Ctx<'_>, flags: &Parsed) -> Result<(Kubeconfig, Kubeconfig), i32> {
    let before = load(ctx, flags)?;
    Ok((before.clone(), before))
}

fn body_of(cfg: &Kubeconfig, section: Section, name: &str) -> Option<Map<String, Value>> {
    cfg.section(section).get(name).map(|e| e.body.clone())
}

fn set_str(body: &mut Map<String, Value>, key: &str, value: &str) {
    if value.is_empty() {
        body.remove(key);
    } else {
        body.insert(key.into(), json!(value));
    }
}

pub fn set_context(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    if flags.args.len() > 1 {
        return usage_error(ctx, "set-context", &format!("Unexpected args: {}", go_list(&flags.args)));
    }
    let current = flags.bool("current");
    let Ok((before, mut cfg)) = loaded(ctx, flags) else { return 1 };
    let name = match (flags.args.first(), current) {
        (Some(_), true) => {
            ctx.out.err("error: you cannot specify both a context name and --current\n");
            return 1;
        }
        (Some(n), false) if !n.is_empty() => n.clone(),
        (_, true) => {
            if cfg.current_context.is_empty() {
                ctx.out.err("error: no current context is set\n");
                return 1;
            }
            cfg.current_context.clone()
        }
        _ => {
            ctx.out.err("error: you must specify a non-empty context name or --current\n");
            return 1;
        }
    };
    let existing = body_of(&cfg, Section::Contexts, &name);
    let exists = existing.is_some();
    let mut body = existing.unwrap_or_default();
    for (flag, key) in [("cluster", "cluster"), ("user", "user"), ("namespace", "namespace")] {
        if flags.changed(flag) {
            set_str(&mut body, key, flags.get(flag).unwrap_or_default());
        }
    }
    cfg.put(ctx.fs(), Section::Contexts, &name, body);
    if let Err(code) = save(ctx, &cfg, &before) {
        return code;
    }
    ctx.out.out(format!("Context \"{name}\" {}.\n", if exists { "modified" } else { "created" }));
    0
}

pub fn set_cluster(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    if flags.args.len() != 1 {
        return usage_error(ctx, "set-cluster", &format!("Unexpected args: {}", go_list(&flags.args)));
    }
    let name = flags.args[0].clone();
    let Ok((before, mut cfg)) = loaded(ctx, flags) else { return 1 };
    let mut body = body_of(&cfg, Section::Clusters, &name).unwrap_or_default();
    for key in ["server", "tls-server-name", "proxy-url"] {
        if flags.changed(key) {
            set_str(&mut body, key, flags.get(key).unwrap_or_default());
        }
    }
    if flags.changed("insecure-skip-tls-verify") {
        let insecure = flags.bool("insecure-skip-tls-verify");
        body.insert("insecure-skip-tls-verify".into(), json!(insecure));
        if insecure {
            body.remove("certificate-authority");
            body.remove("certificate-authority-data");
        }
    }
    if let Some(ca) = flags.get("certificate-authority").filter(|s| !s.is_empty()) {
        let path = ctx.resolve(ca);
        if flags.bool("embed-certs") {
            let Ok(data) = ctx.fs().read(&path).map(<[u8]>::to_vec) else {
                ctx.out.err(format!("error: could not stat certificate-authority file {ca}: stat {ca}: no such file or directory\n"));
                return 1;
            };
            body.remove("certificate-authority");
            body.insert("certificate-authority-data".into(), json!(base64::engine::general_purpose::STANDARD.encode(data)));
        } else {
            body.remove("certificate-authority-data");
            body.insert("certificate-authority".into(), json!(path));
        }
        body.remove("insecure-skip-tls-verify");
    }
    cfg.put(ctx.fs(), Section::Clusters, &name, body);
    if let Err(code) = save(ctx, &cfg, &before) {
        return code;
    }
    ctx.out.out(format!("Cluster \"{name}\" set.\n"));
    0
}

pub fn set_credentials(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    if flags.args.len() != 1 {
        return usage_error(ctx, "set-credentials", &format!("unexpected args: {}", go_list(&flags.args)));
    }
    let name = flags.args[0].clone();
    if flags.get("token").is_some_and(|t| !t.is_empty())
        && (flags.get("username").is_some_and(|t| !t.is_empty()) || flags.get("password").is_some_and(|t| !t.is_empty()))
    {
        ctx.out.err("error: you cannot specify more than one authentication method at the same time: --token, --username/--password\n");
        return 1;
    }
    let Ok((before, mut cfg)) = loaded(ctx, flags) else { return 1 };
    let mut body = body_of(&cfg, Section::Users, &name).unwrap_or_default();
    for (flag, data_key) in [("client-certificate", "client-certificate-data"), ("client-key", "client-key-data")] {
        let Some(value) = flags.get(flag).filter(|s| !s.is_empty()) else { continue };
        let path = ctx.resolve(value);
        if flags.bool("embed-certs") {
            // A file that cannot be read leaves the entry as it was.
            if let Ok(data) = ctx.fs().read(&path).map(<[u8]>::to_vec) {
                body.remove(flag);
                body.insert(data_key.into(), json!(base64::engine::general_purpose::STANDARD.encode(data)));
            }
        } else {
            body.remove(data_key);
            body.insert(flag.into(), json!(path));
        }
    }
    for key in ["token", "username", "password"] {
        if flags.changed(key) {
            set_str(&mut body, key, flags.get(key).unwrap_or_default());
        }
    }
    if let Some(cmd) = flags.get("exec-command").filter(|s| !s.is_empty()) {
        let mut exec = body.get("exec").and_then(Value::as_object).cloned().unwrap_or_default();
        exec.insert("command".into(), json!(cmd));
        if let Some(v) = flags.get("exec-api-version") {
            exec.insert("apiVersion".into(), json!(v));
        }
        let args = flags.all("exec-arg");
        if !args.is_empty() {
            exec.insert("args".into(), json!(args));
        }
        exec.entry("interactiveMode").or_insert(json!(flags.get("exec-interactive-mode").unwrap_or("IfAvailable")));
        exec.entry("provideClusterInfo").or_insert(json!(flags.bool("exec-provide-cluster-info")));
        exec.entry("env").or_insert(Value::Null);
        body.insert("exec".into(), Value::Object(exec));
    }
    cfg.put(ctx.fs(), Section::Users, &name, body);
    if let Err(code) = save(ctx, &cfg, &before) {
        return code;
    }
    ctx.out.out(format!("User \"{name}\" set.\n"));
    0
}

/// The dotted property path of `config set`/`unset`, resolved against clientcmd's `api.Config`.
enum Property {
    CurrentContext,
    Section(Section),
    Entry(Section, String),
    Field(Section, String, String),
}

fn parse_property(path: &str) -> Result<Property, String> {
    let parts: Vec<&str> = path.split('.').collect();
    let section = match parts[0] {
        "current-context" if parts.len() == 1 => return Ok(Property::CurrentContext),
        "clusters" => Section::Clusters,
        "users" => Section::Users,
        "contexts" => Section::Contexts,
        first => return Err(format!("unable to parse {first} after [] at api.Config")),
    };
    match parts.len() {
        1 => Ok(Property::Section(section)),
        2 => Ok(Property::Entry(section, parts[1].to_string())),
        _ => Ok(Property::Field(section, parts[1].to_string(), parts[2..].join("."))),
    }
}

pub fn set(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    if flags.args.len() != 2 {
        return usage_error(ctx, "set", &format!("Unexpected args: {}", go_list(&flags.args)));
    }
    let (path, value) = (flags.args[0].clone(), flags.args[1].clone());
    let Ok((before, mut cfg)) = loaded(ctx, flags) else { return 1 };
    let property = match parse_property(&path) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(format!("error: {e}\n"));
            return 1;
        }
    };
    match property {
        Property::CurrentContext => cfg.set_current_context(ctx.fs(), &value),
        Property::Section(_) | Property::Entry(..) => return cannot_set_map(ctx, &cfg, &path),
        Property::Field(section, name, field) => {
            // Unknown fields and list fields cannot be set from a string: clientcmd ends up
            // trying to set the whole map (its message shows a Go pointer; ours is fixed).
            if !section.fields().iter().any(|(f, _)| *f == field)
                || matches!(field.as_str(), "as-groups" | "extensions" | "exec" | "auth-provider" | "as-user-extra")
            {
                return cannot_set_map(ctx, &cfg, &path);
            }
            let mut body = body_of(&cfg, section, &name).unwrap_or_default();
            let v = match field.as_str() {
                "insecure-skip-tls-verify" | "disable-compression" => match parse_bool(&value) {
                    Some(b) => json!(b),
                    None => {
                        ctx.out.err(format!("error: strconv.ParseBool: parsing \"{value}\": invalid syntax\n"));
                        return 1;
                    }
                },
                f if f.ends_with("-data") && flags.bool("set-raw-bytes") => json!(base64::engine::general_purpose::STANDARD.encode(&value)),
                f if f.ends_with("-data") => {
                    if base64::engine::general_purpose::STANDARD.decode(&value).is_err() {
                        ctx.out.err(format!(
                            "error: error decoding input value: illegal base64 data at input byte {}\n",
                            bad_base64_at(&value)
                        ));
                        return 1;
                    }
                    json!(value)
                }
                _ => json!(value),
            };
            body.insert(field, v);
            cfg.put(ctx.fs(), section, &name, body);
        }
    }
    if let Err(code) = save(ctx, &cfg, &before) {
        return code;
    }
    ctx.out.out(format!("Property \"{path}\" set.\n"));
    0
}

/// `can't set a map to a value: map[NAME:0xc000…]` for the entries of the section the path names.
fn cannot_set_map(ctx: &mut Ctx<'_>, cfg: &Kubeconfig, path: &str) -> i32 {
    let section = match path.split('.').next() {
        Some("users") => Section::Users,
        Some("contexts") => Section::Contexts,
        _ => Section::Clusters,
    };
    let entries: Vec<String> =
        cfg.section(section).keys().enumerate().map(|(i, n)| format!("{n}:0xc000{:06x}", 0x738a00 + i * 0x100)).collect();
    ctx.out.err(format!("error: can't set a map to a value: map[{}]\n", entries.join(" ")));
    1
}

/// Where Go's base64 decoder reports the first illegal byte.
fn bad_base64_at(value: &str) -> usize {
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=';
    value.char_indices().find(|(_, c)| !valid(*c)).map_or_else(|| value.len() / 4 * 4, |(i, _)| i)
}

pub fn unset(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    if flags.args.len() != 1 {
        return usage_error(ctx, "unset", &format!("Unexpected args: {}", go_list(&flags.args)));
    }
    let path = flags.args[0].clone();
    let Ok((before, mut cfg)) = loaded(ctx, flags) else { return 1 };
    let property = match parse_property(&path) {
        Ok(p) => p,
        Err(e) => {
            ctx.out.err(format!("error: {e}\n"));
            return 1;
        }
    };
    match property {
        Property::CurrentContext => cfg.set_current_context(ctx.fs(), ""),
        Property::Section(section) => cfg.section_mut(section).clear(),
        Property::Entry(section, name) => {
            cfg.section_mut(section).remove(&name);
        }
        Property::Field(section, name, field) => {
            if let Some(mut body) = body_of(&cfg, section, &name) {
                body.remove(&field);
                cfg.put(ctx.fs(), section, &name, body);
            }
        }
    }
    if let Err(code) = save(ctx, &cfg, &before) {
        return code;
    }
    ctx.out.out(format!("Property \"{path}\" unset.\n"));
    0
}

/// The file `delete-*` and `rename-context` name in their messages: the explicit file, else the
/// chain's default file.
fn config_file(ctx: &mut Ctx<'_>, cfg: &Kubeconfig) -> String {
    cfg.default_file(ctx.fs())
}

fn delete_entry(ctx: &mut Ctx<'_>, flags: &Parsed, section: Section, what: &str) -> i32 {
    let Ok((before, mut cfg)) = loaded(ctx, flags) else { return 1 };
    let name = flags.args[0].clone();
    let file = config_file(ctx, &cfg);
    if cfg.section_mut(section).remove(&name).is_none() {
        ctx.out.err(format!("error: cannot delete {what} {name}, not in {file}\n"));
        return 1;
    }
    if section == Section::Contexts && cfg.current_context == name {
        ctx.out.err("warning: this removed your active context, use \"kubectl config use-context\" to select a different one\n");
    }
    if let Err(code) = save(ctx, &cfg, &before) {
        return code;
    }
    ctx.out.out(format!("deleted {what} {name} from {file}\n"));
    0
}

pub fn delete_context(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    if flags.args.is_empty() {
        return help_only(ctx, "delete-context");
    }
    delete_entry(ctx, flags, Section::Contexts, "context")
}

pub fn delete_cluster(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    if flags.args.is_empty() {
        return help_only(ctx, "delete-cluster");
    }
    delete_entry(ctx, flags, Section::Clusters, "cluster")
}

pub fn delete_user(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    if flags.args.is_empty() {
        ctx.out.err("error: user to delete is required\nSee 'kubectl config delete-user -h' for help and examples\n");
        return 1;
    }
    delete_entry(ctx, flags, Section::Users, "user")
}

pub fn rename_context(ctx: &mut Ctx<'_>, flags: &Parsed) -> i32 {
    if flags.args.len() != 2 {
        return usage_error(ctx, "rename-context", &format!("Unexpected args: {}", go_list(&flags.args)));
    }
    let (old, new) = (flags.args[0].clone(), flags.args[1].clone());
    let Ok((before, mut cfg)) = loaded(ctx, flags) else { return 1 };
    let file = config_file(ctx, &cfg);
    let Some(entry) = cfg.contexts.get(&old).cloned() else {
        ctx.out.err(format!("error: cannot rename the context \"{old}\", it's not in {file}\n"));
        return 1;
    };
    if cfg.contexts.contains_key(&new) {
        ctx.out.err(format!("error: cannot rename the context \"{old}\", the context \"{new}\" already exists in {file}\n"));
        return 1;
    }
    cfg.contexts.remove(&old);
    cfg.contexts.insert(new.clone(), entry);
    if cfg.current_context == old {
        cfg.set_current_context(ctx.fs(), &new);
    }
    if let Err(code) = save(ctx, &cfg, &before) {
        return code;
    }
    ctx.out.out(format!("Context \"{old}\" renamed to \"{new}\".\n"));
    0
}
