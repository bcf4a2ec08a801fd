//! `kubectl events` (kubectl `pkg/cmd/events`): core/v1 events listed by kubectl itself, filtered
//! by `--types` and `--for`, sorted oldest first, printed with its own columns.

use serde_json::{Value, json};

use super::flags::{FlagDef, FlagKind, Parsed};
use super::printers::{self, KeyOrder, OutputFormat, table::tabwrite};
use super::{client, errors, parse_flags};
use crate::cluster::ListOptions;
use crate::cluster::table::{duration::parse_time, human_duration};
use crate::programs::Ctx;

pub const DEFS: &[FlagDef] = &[
    FlagDef::bool("all-namespaces").short('A'),
    FlagDef::bool("allow-missing-template-keys"),
    FlagDef::new("chunk-size", None, FlagKind::Int),
    FlagDef::string("for"),
    FlagDef::bool("no-headers"),
    FlagDef::string("output").short('o'),
    FlagDef::bool("show-managed-fields"),
    FlagDef::string("template"),
    FlagDef::new("types", None, FlagKind::StringSlice),
    FlagDef::bool("watch").short('w'),
];

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let Ok(parsed) = parse_flags(ctx, "events", DEFS, argv) else { return 1 };
    match run_parsed(ctx, &parsed) {
        Ok(code) => code,
        Err(msg) => {
            ctx.out.err(format!("error: {msg}\n"));
            1
        }
    }
}

fn time(e: &Value, ptr: &str) -> Option<i64> {
    e.pointer(ptr).and_then(Value::as_str).filter(|t| !t.starts_with("0001-")).and_then(parse_time)
}

/// `eventTime` of the events command: the series' last observation, else lastTimestamp, else eventTime.
fn sort_time(e: &Value) -> i64 {
    if e.get("series").is_some_and(Value::is_object) {
        return time(e, "/series/lastObservedTime").unwrap_or(i64::MIN);
    }
    time(e, "/lastTimestamp").or_else(|| time(e, "/eventTime")).unwrap_or(i64::MIN)
}

/// The LAST SEEN cell (`getInterval`).
pub fn interval(e: &Value, now: i64) -> String {
    let since = |t: Option<i64>| t.map_or_else(|| "<unknown>".to_string(), |t| human_duration(now - t));
    let first = if time(e, "/eventTime").is_some() { since(time(e, "/eventTime")) } else { since(time(e, "/firstTimestamp")) };
    let count = e.get("count").and_then(Value::as_i64).unwrap_or(0);
    if e.get("series").is_some_and(Value::is_object) {
        let n = e.pointer("/series/count").and_then(Value::as_i64).unwrap_or(0);
        format!("{} (x{n} over {first})", since(time(e, "/series/lastObservedTime")))
    } else if count > 1 {
        format!("{} (x{count} over {first})", since(time(e, "/lastTimestamp")))
    } else {
        first
    }
}

fn run_parsed(ctx: &mut Ctx<'_>, parsed: &Parsed) -> Result<i32, String> {
    let format = match parsed.get("output") {
        Some(o) if !o.is_empty() => Some(super::get::parse_output(o)?),
        _ => None,
    };
    let all_namespaces = parsed.bool("all-namespaces");
    let Ok(conn) = client::connect(ctx, parsed) else { return Ok(1) };
    let now = ctx.world.clock.now;
    let Some(api) = conn.api(ctx.world) else {
        ctx.out.err("The connection to the server localhost:8080 was refused - did you specify the right host or port?\n");
        return Ok(1);
    };
    let registry = api.registry();
    let mut field_selector = None;
    if let Some(target) = parsed.get("for").filter(|f| !f.is_empty()) {
        let Some((ty, name)) = target.split_once('/') else {
            return Err("--for must be in resource/name form".into());
        };
        if name.contains('/') {
            return Err("arguments in resource/name form may not have more than one slash".into());
        }
        let Some(res) = registry.lookup(ty) else {
            return Err(format!("the server doesn't have a resource type \"{ty}\""));
        };
        field_selector =
            Some(format!("involvedObject.kind={},involvedObject.apiVersion={},involvedObject.name={name}", res.kind, res.api_version()));
    }
    let mut types = parsed.all("types");
    types.sort();
    types.dedup();
    if types.iter().any(|t| !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning")) {
        return Err("valid --types are Normal or Warning".into());
    }
    let Some(events_res) = registry.lookup("events").cloned() else { return Ok(1) };
    let ns = (!all_namespaces).then_some(conn.namespace.as_str());
    let listed = match api.list(&conn.user, &events_res, ns, &ListOptions { label_selector: None, field_selector }) {
        Ok(l) => l,
        Err(st) => {
            ctx.out.err(errors::from_server(&st));
            return Ok(1);
        }
    };
    let mut evs: Vec<Value> = listed
        .into_iter()
        .filter(|e| {
            types.is_empty() || types.iter().any(|t| t.eq_ignore_ascii_case(e.get("type").and_then(Value::as_str).unwrap_or_default()))
        })
        .collect();
    if evs.is_empty() {
        if all_namespaces {
            ctx.out.err("No events found.\n");
        } else {
            ctx.out.err(format!("No events found in {} namespace.\n", conn.namespace));
        }
        return Ok(0);
    }
    evs.sort_by_key(sort_time);
    if let Some(format) = format.filter(|f| !matches!(f, OutputFormat::Default | OutputFormat::Wide)) {
        let list = json!({"apiVersion": "v1", "items": evs, "kind": "EventList", "metadata": {}});
        if let Err(e) = printers::print(ctx.out, &list, &format, KeyOrder::Sorted) {
            ctx.out.err(format!("error: {e}\n"));
            return Ok(1);
        }
        return Ok(0);
    }
    let mut text = String::new();
    if !parsed.bool("no-headers") {
        if all_namespaces {
            text.push_str("NAMESPACE\t");
        }
        text.push_str("LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n");
    }
    let s = |e: &Value, p: &str| e.pointer(p).and_then(Value::as_str).unwrap_or_default().replace('\u{1b}', "^[");
    for e in &evs {
        if all_namespaces {
            text.push_str(&format!("{}\t", s(e, "/metadata/namespace")));
        }
        text.push_str(&format!(
            "{}\t{}\t{}\t{}/{}\t{}\n",
            interval(e, now),
            s(e, "/type"),
            s(e, "/reason"),
            s(e, "/involvedObject/kind"),
            s(e, "/involvedObject/name"),
            s(e, "/message").trim()
        ));
    }
    ctx.out.out(tabwrite(&text, 6, 3));
    Ok(0)
}
