//! `kubectl wait` (kubectl `pkg/cmd/wait`). The world settles after every command, so "waiting"
//! is one evaluation of the condition on the current objects: met prints `pod/x condition met`;
//! not met is the timeout error kubectl gives when the time runs out
//! (`error: timed out waiting for the condition on pods/x`), or with `--timeout=0`
//! `error: condition not met for pods/x`.

use serde_json::Value;

use super::flags::{FlagDef, FlagKind, Parsed, parse_duration};
use super::get::args;
use super::get::fetch::{self, Scope};
use super::{client, errors, parse_flags};
use crate::cluster::Reason;
use crate::cluster::table::jsonpath::{Template, relaxed};
use crate::programs::Ctx;

pub const DEFS: &[FlagDef] = &[
    FlagDef::bool("all"),
    FlagDef::bool("all-namespaces").short('A'),
    FlagDef::bool("allow-missing-template-keys"),
    FlagDef::string("field-selector"),
    FlagDef::new("filename", Some('f'), FlagKind::StringSlice),
    FlagDef::string("for"),
    FlagDef::bool("local"),
    FlagDef::string("output").short('o'),
    FlagDef::bool("recursive").short('R'),
    FlagDef::string("selector").short('l'),
    FlagDef::bool("show-managed-fields"),
    FlagDef::string("template"),
    FlagDef::new("timeout", None, FlagKind::Duration),
];

/// What to wait for.
enum Condition {
    Delete,
    Create,
    Status { name: String, value: String },
    JsonPath { template: Template, value: Option<String> },
}

fn parse_condition(text: &str) -> Result<Condition, String> {
    let lower = text.to_lowercase();
    if lower == "delete" {
        return Ok(Condition::Delete);
    }
    if lower == "create" {
        return Ok(Condition::Create);
    }
    if let Some(rest) = text.strip_prefix("condition=") {
        let (name, value) = rest.split_once('=').unwrap_or((rest, "true"));
        return Ok(Condition::Status { name: name.to_string(), value: value.to_string() });
    }
    if let Some(rest) = text.strip_prefix("jsonpath=") {
        let parts = split_jsonpath_input(rest);
        if parts.is_empty() || parts.len() > 2 {
            return Err(
                "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'"
                    .into(),
            );
        }
        let expr = relaxed(&parts[0])?;
        if expr.is_empty() {
            return Err("jsonpath expression cannot be empty".into());
        }
        let template = Template::parse(&expr)?;
        let value = match parts.get(1) {
            None => None,
            Some(v) => {
                let v = v.trim_matches(|c| c == '\'' || c == '"');
                if v.is_empty() {
                    return Err(
                        "jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3".into()
                    );
                }
                Some(v.to_string())
            }
        };
        return Ok(Condition::JsonPath { template, value });
    }
    Err(format!("unrecognized condition: {text:?}"))
}

/// Splits on single `=`; `==` stays inside a part.
fn split_jsonpath_input(input: &str) -> Vec<String> {
    let b: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == '=' {
            if b.get(i + 1) == Some(&'=') {
                cur.push_str("==");
                i += 2;
                continue;
            }
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(b[i]);
        }
        i += 1;
    }
    out.push(cur);
    out
}

/// Whether the object satisfies the condition now; errors are kubectl's messages.
fn met(cond: &Condition, obj: &Value) -> Result<bool, String> {
    match cond {
        Condition::Delete => Ok(false),
        Condition::Create => Ok(true),
        Condition::Status { name, value } => {
            let generation = obj.pointer("/metadata/generation").and_then(Value::as_i64);
            for c in obj.pointer("/status/conditions").and_then(Value::as_array).into_iter().flatten() {
                let ty = c.get("type").and_then(Value::as_str).unwrap_or_default();
                if !ty.eq_ignore_ascii_case(name) {
                    continue;
                }
                let observed = c
                    .get("observedGeneration")
                    .and_then(Value::as_i64)
                    .or_else(|| obj.pointer("/status/observedGeneration").and_then(Value::as_i64));
                if let (Some(g), Some(o)) = (generation, observed)
                    && g != o
                {
                    return Ok(false);
                }
                let status = c.get("status").and_then(Value::as_str).unwrap_or_default();
                return Ok(status.eq_ignore_ascii_case(value));
            }
            Ok(false)
        }
        Condition::JsonPath { template, value } => {
            let results = template.find_results(obj)?;
            if results.is_empty() || results[0].is_empty() {
                return Ok(false);
            }
            if results.len() > 1 {
                return Err("given jsonpath expression matches more than one list".into());
            }
            if results[0].len() > 1 {
                return Err("given jsonpath expression matches more than one value".into());
            }
            let Some(want) = value else { return Ok(true) };
            let got = &results[0][0];
            if got.is_object() || got.is_array() {
                return Err("jsonpath leads to a nested object or list which is not supported".into());
            }
            let text = crate::programs::kubectl::printers::custom_columns::go_sprint(got);
            Ok(text.trim() == want.trim())
        }
    }
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let Ok(parsed) = parse_flags(ctx, "wait", DEFS, argv) else { return 1 };
    match run_parsed(ctx, &parsed) {
        Ok(code) => code,
        Err(msg) => {
            ctx.out.err(format!("error: {msg}{}", if msg.ends_with('\n') { "" } else { "\n" }));
            1
        }
    }
}

fn run_parsed(ctx: &mut Ctx<'_>, parsed: &Parsed) -> Result<i32, String> {
    let cond = parse_condition(parsed.get("for").unwrap_or(""))?;
    let timeout = parsed.get("timeout").and_then(parse_duration).unwrap_or(30.0);
    if parsed.args.is_empty() && parsed.all("filename").is_empty() {
        return Err("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'".into());
    }
    let all_namespaces = parsed.bool("all-namespaces");
    let label_selector = parsed.get("selector").map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let field_selector = parsed.get("field-selector").map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let Ok(conn) = client::connect_direct(ctx, parsed, client::DISCOVERY_ATTEMPTS) else { return Ok(1) };
    let Some(api) = conn.api(ctx.world) else {
        ctx.out.err("The connection to the server localhost:8080 was refused - did you specify the right host or port?\n");
        return Ok(1);
    };
    let resolved = args::resolve(&api.registry(), &parsed.args)?;
    for w in &resolved.warnings {
        ctx.out.err(w);
    }
    let named = resolved.targets.iter().any(|t| !t.names.is_empty());
    if !named && label_selector.is_none() && field_selector.is_none() && !parsed.bool("all") {
        return Err("resource(s) were provided, but no name was specified".into());
    }
    let scope = Scope { namespace: (!all_namespaces).then(|| conn.namespace.clone()), label_selector, field_selector };
    let (fetched, errs) = fetch::fetch(&api, &conn.user, &resolved.targets, &scope);
    let is_delete = matches!(cond, Condition::Delete);
    let errs: Vec<_> = errs.into_iter().filter(|e| !(is_delete && e.reason == Reason::NotFound)).collect();
    if let Some(e) = errs.first() {
        ctx.out.err(errors::from_server(e));
        return Ok(1);
    }
    let mut visited = 0;
    for f in &fetched {
        for o in &f.objects {
            visited += 1;
            let name = o.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
            if met(&cond, o)? {
                ctx.out.out(format!("{}/{name} condition met\n", f.res.kind_prefix()));
                continue;
            }
            if timeout == 0.0 {
                return Err(format!("condition not met for {}/{name}", f.res.name));
            }
            return Err(format!("timed out waiting for the condition on {}/{name}", f.res.name));
        }
    }
    if visited == 0 && !is_delete {
        return Err("no matching resources found".into());
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn conditions_and_jsonpath_waits() {
        let pod = json!({"status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}});
        assert!(met(&parse_condition("condition=Ready").unwrap(), &pod).unwrap());
        assert!(met(&parse_condition("condition=ready=true").unwrap(), &pod).unwrap());
        assert!(!met(&parse_condition("condition=Ready=False").unwrap(), &pod).unwrap());
        assert!(met(&parse_condition("jsonpath={.status.phase}=Running").unwrap(), &pod).unwrap());
        assert!(met(&parse_condition("jsonpath=.status.phase").unwrap(), &pod).unwrap());
        assert!(!met(&parse_condition("jsonpath={.status.phase}=Pending").unwrap(), &pod).unwrap());
        assert_eq!(split_jsonpath_input("a==b=c"), ["a==b", "c"]);
        assert!(parse_condition("foo").is_err_and(|e| e == "unrecognized condition: \"foo\""));
        assert!(parse_condition("jsonpath=.a=").is_err());
    }
}
