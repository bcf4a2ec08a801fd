//! API discovery: which resources a v1.35 kubeadm cluster serves, with their kinds, short names,
//! verbs and scope.
//!
//! The built-in list is the real discovery document of a kubeadm v1.35 cluster (written by kubectl
//! v1.35.2 itself), embedded from `assets/discovery/`. Custom resources are added per cluster from
//! its CustomResourceDefinitions.

use std::sync::OnceLock;

use include_dir::{Dir, include_dir};
use serde::Deserialize;

static DISCOVERY: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets/discovery");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceInfo {
    /// The plural resource name (`pods`), or `pods/log` for a subresource.
    pub name: String,
    pub singular: String,
    pub namespaced: bool,
    /// The API group; empty for the core group.
    pub group: String,
    pub version: String,
    pub kind: String,
    pub verbs: Vec<String>,
    pub short_names: Vec<String>,
    pub categories: Vec<String>,
}

impl ResourceInfo {
    /// `v1` for the core group, else `group/version`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() { self.version.clone() } else { format!("{}/{}", self.group, self.version) }
    }

    /// The resource as error messages name it: `pods`, `deployments.apps`.
    pub fn qualified_name(&self) -> String {
        if self.group.is_empty() { self.name.clone() } else { format!("{}.{}", self.name, self.group) }
    }

    /// The kind as `-o name` and multi-kind tables name it: `pod`, `deployment.apps`.
    pub fn kind_prefix(&self) -> String {
        let kind = self.kind.to_lowercase();
        if self.group.is_empty() { kind } else { format!("{kind}.{}", self.group) }
    }

    pub fn is_subresource(&self) -> bool {
        self.name.contains('/')
    }

    pub fn supports(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == verb)
    }
}

/// One API group with its versions, preferred first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiGroup {
    pub name: String,
    pub versions: Vec<String>,
    pub preferred: String,
}

/// The resources a cluster serves. Lookups follow kubectl's RESTMapper: plural, singular, short
/// name or kind, optionally qualified by group (`deployments.apps`) or version and group
/// (`deployments.v1.apps`), case-insensitively.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub groups: Vec<ApiGroup>,
    /// Every served group/version's resources, subresources included, in discovery order.
    pub resources: Vec<ResourceInfo>,
}

#[derive(Deserialize)]
struct GroupList {
    groups: Vec<GroupEntry>,
}

#[derive(Deserialize)]
struct GroupEntry {
    name: String,
    versions: Vec<GroupVersionEntry>,
    #[serde(rename = "preferredVersion")]
    preferred: GroupVersionEntry,
}

#[derive(Deserialize)]
struct GroupVersionEntry {
    version: String,
}

#[derive(Deserialize)]
struct ResourceList {
    resources: Vec<ResourceEntry>,
}

#[derive(Deserialize)]
struct ResourceEntry {
    name: String,
    #[serde(rename = "singularName", default)]
    singular: String,
    namespaced: bool,
    kind: String,
    #[serde(default)]
    verbs: Vec<String>,
    #[serde(rename = "shortNames", default)]
    short_names: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
}

impl Registry {
    /// The built-in discovery of a kubeadm v1.35 cluster (parsed once per process).
    pub fn builtin() -> &'static Registry {
        static BUILTIN: OnceLock<Registry> = OnceLock::new();
        BUILTIN.get_or_init(parse_builtin)
    }

    /// A built-in resource by its exact plural name (`pods`, `deployments`), in its group's
    /// preferred version: the API server's own fast path (no RESTMapper fuzziness).
    pub fn builtin_resource(plural: &str) -> Option<&'static ResourceInfo> {
        static INDEX: OnceLock<std::collections::HashMap<String, usize>> = OnceLock::new();
        let reg = Registry::builtin();
        let index = INDEX.get_or_init(|| {
            let mut m = std::collections::HashMap::new();
            for (i, r) in reg.resources.iter().enumerate() {
                let preferred = reg.groups.iter().any(|g| g.name == r.group && g.preferred == r.version);
                let key = if r.group.is_empty() { r.name.clone() } else { format!("{}.{}", r.name, r.group) };
                // A plain plural means the core group first (`events`), else the preferred version.
                let core_taken = m.get(&r.name).is_some_and(|&j: &usize| reg.resources[j].group.is_empty());
                if !core_taken && (preferred || !m.contains_key(&r.name)) {
                    m.insert(r.name.clone(), i);
                }
                if preferred || !m.contains_key(&key) {
                    m.insert(key, i);
                }
            }
            m
        });
        index.get(plural).map(|&i| &reg.resources[i])
    }

    /// Whether `group` is a built-in API group (not served from a CRD).
    pub fn is_builtin_group(group: &str) -> bool {
        static GROUPS: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
        GROUPS.get_or_init(|| Registry::builtin().groups.iter().map(|g| g.name.clone()).collect()).contains(group)
    }

    /// The top-level resource (not a subresource) named by `text` in any served version, preferring
    /// each group's preferred version and the core group, as kubectl does.
    pub fn lookup(&self, text: &str) -> Option<&ResourceInfo> {
        let lower = text.to_lowercase();
        let (name, version, group) = split_qualified(&lower);
        let matches = |r: &&ResourceInfo| {
            !r.is_subresource()
                && (r.name == name || r.singular == name || r.kind.to_lowercase() == name || r.short_names.iter().any(|s| *s == name))
                && group.is_none_or(|g| r.group == g)
                && version.is_none_or(|v| r.version == v)
        };
        let preferred = |r: &&ResourceInfo| self.groups.iter().any(|g| g.name == r.group && g.preferred == r.version);
        self.resources.iter().filter(matches).find(preferred).or_else(|| self.resources.iter().find(matches))
    }

    /// The resource serving `kind` in `api_version` (`apps/v1`, `v1`).
    pub fn by_kind(&self, api_version: &str, kind: &str) -> Option<&ResourceInfo> {
        let (group, version) = match api_version.rsplit_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        self.resources.iter().find(|r| !r.is_subresource() && r.kind == kind && r.group == group && r.version == version)
    }

    /// A registry with extra resources (custom resources from CRDs) appended.
    pub fn with_extra(&self, extra: Vec<(ApiGroup, ResourceInfo)>) -> Registry {
        let mut reg = self.clone();
        for (group, res) in extra {
            if !reg.groups.iter().any(|g| g.name == group.name) {
                reg.groups.push(group);
            }
            reg.resources.push(res);
        }
        reg
    }
}

/// Splits `deployments.v1.apps` into (`deployments`, Some(`v1`), Some(`apps`)) and
/// `deployments.apps` into (`deployments`, None, Some(`apps`)).
fn split_qualified(text: &str) -> (&str, Option<&str>, Option<&str>) {
    let Some((name, rest)) = text.split_once('.') else {
        return (text, None, None);
    };
    if let Some((version, group)) = rest.split_once('.')
        && version.starts_with('v')
        && version[1..].starts_with(|c: char| c.is_ascii_digit())
    {
        return (name, Some(version), Some(group));
    }
    (name, None, Some(rest))
}

fn parse_builtin() -> Registry {
    let mut reg = Registry::default();
    let groups: GroupList = DISCOVERY
        .get_file("servergroups.json")
        .and_then(|f| serde_json::from_slice(f.contents()).ok())
        .unwrap_or(GroupList { groups: Vec::new() });
    for g in groups.groups {
        for v in &g.versions {
            let path = if g.name.is_empty() {
                format!("{}/serverresources.json", v.version)
            } else {
                format!("{}/{}/serverresources.json", g.name, v.version)
            };
            let Some(list) = DISCOVERY.get_file(&path).and_then(|f| serde_json::from_slice::<ResourceList>(f.contents()).ok()) else {
                continue;
            };
            for r in list.resources {
                reg.resources.push(ResourceInfo {
                    name: r.name,
                    singular: r.singular,
                    namespaced: r.namespaced,
                    group: g.name.clone(),
                    version: v.version.clone(),
                    kind: r.kind,
                    verbs: r.verbs,
                    short_names: r.short_names,
                    categories: r.categories,
                });
            }
        }
        reg.groups.push(ApiGroup {
            name: g.name,
            versions: g.versions.into_iter().map(|v| v.version).collect(),
            preferred: g.preferred.version,
        });
    }
    reg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_discovery_resolves_kubectl_names() {
        let reg = Registry::builtin();
        assert_eq!(reg.lookup("po").map(|r| r.name.as_str()), Some("pods"));
        assert_eq!(reg.lookup("Deployment").map(|r| r.api_version()), Some("apps/v1".to_string()));
        assert_eq!(reg.lookup("deploy.apps").map(|r| r.kind.as_str()), Some("Deployment"));
        assert_eq!(reg.lookup("deployments.v1.apps").map(|r| r.kind.as_str()), Some("Deployment"));
        assert_eq!(reg.lookup("hpa").map(|r| r.api_version()), Some("autoscaling/v2".to_string()));
        assert_eq!(reg.lookup("ev").map(|r| r.group.as_str()), Some(""));
        assert!(reg.lookup("foos").is_none());
        assert!(!reg.lookup("nodes").unwrap().namespaced);
        assert_eq!(reg.by_kind("rbac.authorization.k8s.io/v1", "ClusterRole").map(|r| r.name.as_str()), Some("clusterroles"));
        assert_eq!(Registry::builtin_resource("events").map(|r| r.group.as_str()), Some(""));
        assert_eq!(Registry::builtin_resource("events.events.k8s.io").map(|r| r.group.as_str()), Some("events.k8s.io"));
        assert_eq!(Registry::builtin_resource("horizontalpodautoscalers").map(|r| r.version.as_str()), Some("v2"));
        assert_eq!(Registry::builtin_resource("deployments.apps").map(|r| r.kind.as_str()), Some("Deployment"));
    }
}
