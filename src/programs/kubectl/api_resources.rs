//! `kubectl api-resources` and `kubectl api-versions`: the cluster's discovery (built-in
//! resources plus those of its CRDs, from `Api::registry`) filtered, sorted and printed as
//! kubectl v1.35 does (`/work/shared/notes/api-resources-v1.35.md` has the captured tables).

use serde_json::{Map, Value, json};

use super::client::{self, Connection};
use super::flags::{FlagDef, FlagKind, Parsed};
use crate::cluster::{Registry, ResourceInfo};
use crate::programs::Ctx;

const FLAGS: &[FlagDef] = &[
    FlagDef::string("output").short('o'),
    FlagDef::bool("namespaced"),
    FlagDef::string("api-group"),
    FlagDef::new("verbs", None, FlagKind::StringSlice),
    FlagDef::new("categories", None, FlagKind::StringSlice),
    FlagDef::string("sort-by"),
    FlagDef::bool("no-headers"),
    FlagDef::bool("cached"),
];

/// Lays rows out as kubectl's tabwriter does (minimum cell width 6, padding 3; the last cell of
/// a row is not padded).
pub fn tabwrite(rows: &[Vec<String>]) -> String {
    super::printers::table::tabwrite_rows(rows, 6, 3)
}

/// The registry a verb should list: the live cluster's, or — for `--cached` with a discovery
/// cache on this host — the last known one even when the API server is down.
fn registry(ctx: &mut Ctx<'_>, flags: &Parsed, cached: bool) -> Result<Registry, i32> {
    if cached {
        let resolved = client::resolve_direct(ctx, flags)?;
        if client::has_discovery_cache(ctx, &resolved.endpoint) {
            let canonical = resolved.endpoint.canonical();
            let name = ctx
                .world
                .clusters
                .iter()
                .find(|(_, c)| client::Endpoint::parse(&c.server_url()).canonical() == canonical)
                .map(|(n, _)| n.clone());
            if let Some(api) = name.as_deref().and_then(|n| ctx.world.api(n)) {
                return Ok(api.registry());
            }
        }
    }
    // Without --cached the cache is dropped first, so a failure always logs the discovery line.
    let resolved = client::resolve_direct(ctx, flags)?;
    let conn: Connection = match client::try_connect(ctx, &resolved) {
        Ok(c) => c,
        Err(failure) => {
            let (noise, message) = if cached {
                client::failure_parts(ctx, &resolved.endpoint, &failure, 1)
            } else {
                client::failure_parts_uncached(ctx, &resolved.endpoint, &failure, 1)
            };
            ctx.out.err(noise);
            ctx.out.err(message);
            return Err(1);
        }
    };
    Ok(conn.api(ctx.world).map_or_else(|| Registry::builtin().clone(), |a| a.registry()))
}

/// Each group's preferred version of every top-level resource, in discovery order.
fn preferred(reg: &Registry) -> Vec<ResourceInfo> {
    reg.resources
        .iter()
        .filter(|r| !r.is_subresource())
        .filter(|r| reg.groups.iter().find(|g| g.name == r.group).is_none_or(|g| g.preferred == r.version))
        .cloned()
        .collect()
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let flags = match super::config::parse_or_help(
        ctx,
        "api-resources",
        FLAGS,
        args,
        "List the resource types the API server serves, with short names, API version, scope and kind.\n\nUsage:\n  kubectl api-resources [flags] [options]",
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if !flags.args.is_empty() {
        ctx.out.err(format!(
            "error: unexpected arguments: {}\nSee 'kubectl api-resources -h' for help and examples\n",
            super::config::go_list(&flags.args)
        ));
        return 1;
    }
    let output = flags.string("output", "");
    if !matches!(output.as_str(), "" | "wide" | "name" | "json" | "yaml") {
        ctx.out.err(format!(
            "error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: json,kyaml,name,wide,yaml\n"
        ));
        return 1;
    }
    let sort_by = flags.string("sort-by", "");
    if !matches!(sort_by.as_str(), "" | "name" | "kind") {
        ctx.out.err("error: --sort-by accepts only name or kind\n");
        return 1;
    }
    let reg = match registry(ctx, &flags, flags.bool("cached")) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let verbs = flags.all("verbs");
    let categories = flags.all("categories");
    let mut list: Vec<ResourceInfo> = preferred(&reg)
        .into_iter()
        .filter(|r| !flags.changed("api-group") || r.group == flags.get("api-group").unwrap_or_default())
        .filter(|r| !flags.changed("namespaced") || r.namespaced == flags.bool("namespaced"))
        .filter(|r| verbs.iter().all(|v| r.supports(v)))
        .filter(|r| categories.iter().all(|c| r.categories.contains(c)))
        .collect();
    match sort_by.as_str() {
        "name" => list.sort_by(|a, b| a.name.cmp(&b.name)),
        "kind" => list.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.name.cmp(&b.name))),
        _ => list.sort_by(|a, b| a.group.cmp(&b.group).then(a.name.cmp(&b.name))),
    }
    match output.as_str() {
        "name" => {
            for r in &list {
                ctx.out.out(format!("{}\n", r.qualified_name()));
            }
        }
        "json" | "yaml" => {
            let resources: Vec<Value> = list.iter().map(resource_value).collect();
            let doc = json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "", "resources": resources});
            let format = if output == "json" { super::printers::OutputFormat::Json } else { super::printers::OutputFormat::Yaml };
            let doc = if output == "yaml" { super::kubeconfig::sorted(&doc) } else { doc };
            let _ = super::printers::print(ctx.out, &doc, &format, super::printers::KeyOrder::AsBuilt);
        }
        _ => {
            let wide = output == "wide";
            let mut rows = Vec::new();
            if !flags.bool("no-headers") {
                let mut h: Vec<String> = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"].map(str::to_string).to_vec();
                if wide {
                    h.extend(["VERBS".to_string(), "CATEGORIES".to_string()]);
                }
                rows.push(h);
            }
            for r in &list {
                let mut row = vec![r.name.clone(), r.short_names.join(","), r.api_version(), r.namespaced.to_string(), r.kind.clone()];
                if wide {
                    row.push(r.verbs.join(","));
                    row.push(r.categories.join(","));
                }
                rows.push(row);
            }
            ctx.out.out(tabwrite(&rows));
        }
    }
    0
}

/// An `APIResource` in Go struct order, as `-o json|yaml` prints it.
fn resource_value(r: &ResourceInfo) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(r.name));
    m.insert("singularName".into(), json!(r.singular));
    m.insert("namespaced".into(), json!(r.namespaced));
    if !r.group.is_empty() {
        m.insert("group".into(), json!(r.group));
    }
    m.insert("version".into(), json!(r.version));
    m.insert("kind".into(), json!(r.kind));
    m.insert("verbs".into(), json!(r.verbs));
    if !r.short_names.is_empty() {
        m.insert("shortNames".into(), json!(r.short_names));
    }
    if !r.categories.is_empty() {
        m.insert("categories".into(), json!(r.categories));
    }
    Value::Object(m)
}

/// `kubectl api-versions`.
pub fn run_versions(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let flags = match super::config::parse_or_help(
        ctx,
        "api-versions",
        &[],
        args,
        "List the group/versions the API server serves, one per line.\n\nUsage:\n  kubectl api-versions [flags] [options]",
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if !flags.args.is_empty() {
        ctx.out.err(format!(
            "error: unexpected arguments: {}\nSee 'kubectl api-versions -h' for help and examples\n",
            super::config::go_list(&flags.args)
        ));
        return 1;
    }
    let resolved = match client::resolve_direct(ctx, &flags) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let reg = match client::try_connect(ctx, &resolved) {
        Ok(conn) => conn.api(ctx.world).map_or_else(|| Registry::builtin().clone(), |a| a.registry()),
        Err(client::Failure::Refused) => {
            // api-versions words the failed request itself, after one discovery line.
            let ep = resolved.endpoint.clone();
            let cause = format!("Get \\\"{}\\\": dial tcp {}: connect: connection refused", ep.request_url("/api?timeout=32s"), ep.dial);
            {
                let line = format!("\"Unhandled Error\" err=\"couldn't get current server API group list: {cause}\"");
                ctx.out.err(client::klog_line(ctx.world.clock.now, 0, &line));
            }
            ctx.out.err(format!("error: couldn't get available api versions from server: {}\n", cause.replace("\\\"", "\"")));
            return 1;
        }
        Err(failure) => {
            let (noise, message) = client::failure_parts_uncached(ctx, &resolved.endpoint, &failure, 1);
            ctx.out.err(noise);
            ctx.out.err(message);
            return 1;
        }
    };
    let mut versions: Vec<String> = reg
        .groups
        .iter()
        .flat_map(|g| g.versions.iter().map(move |v| if g.name.is_empty() { v.clone() } else { format!("{}/{v}", g.name) }))
        .collect();
    versions.sort();
    versions.dedup();
    for v in versions {
        ctx.out.out(format!("{v}\n"));
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabwriter_pads_all_but_the_last_cell() {
        let rows = vec![vec!["CURRENT".to_string(), "NAME".to_string()], vec!["*".to_string(), "x".to_string()]];
        assert_eq!(tabwrite(&rows), "CURRENT   NAME\n*         x\n");
        assert_eq!(tabwrite(&[vec!["*".to_string(), "a".to_string(), String::new()]]), "*     a     \n");
    }

    #[test]
    fn default_listing_has_65_rows() {
        assert_eq!(preferred(Registry::builtin()).len(), 65);
    }
}
