//! The `TYPE[.FIELD...]` argument of `kubectl explain`, read as kubectl v1.35 reads it
//! (`pkg/explain/explain.go`): parsed as the JSONPath `{.ARG}`, the first field resolved through
//! the RESTMapper, and a `resource.group` prefix recognised only when it matches a candidate's
//! group exactly.

use crate::cluster::{Registry, ResourceInfo};

/// One node of the parsed JSONPath; only fields matter to explain.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Field(String),
    Recursive,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// Printed as it is, without `error: ` (kubectl's NoResourceMatchError message).
    #[error("the server doesn't have a resource type \"{0}\"")]
    NoMatch(String),
    #[error("error: {0}")]
    Syntax(String),
}

fn is_terminator(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}')
}

/// client-go's JSONPath parser on `{.<text>}`, for the shapes explain arguments take.
fn parse(text: &str) -> Result<Vec<Node>, PathError> {
    let text = text.strip_suffix('.').unwrap_or(text);
    let chars: Vec<char> = format!(".{text}").chars().collect();
    let mut nodes = Vec::new();
    let mut i = 0;
    let read_field = |i: &mut usize, nodes: &mut Vec<Node>| {
        let start = *i;
        while *i < chars.len() {
            if chars[*i] == '\\' {
                *i += 2;
                continue;
            }
            if is_terminator(chars[*i]) {
                break;
            }
            *i += 1;
        }
        let value: String = chars[start..(*i).min(chars.len())].iter().filter(|c| **c != '\\').collect();
        nodes.push(if value == "*" { Node::Other } else { Node::Field(value) });
    };
    while i < chars.len() {
        match chars[i] {
            '.' if chars.get(i + 1) == Some(&'.') => {
                if nodes.last() == Some(&Node::Recursive) {
                    return Err(PathError::Syntax("invalid multiple recursive descent".into()));
                }
                nodes.push(Node::Recursive);
                i += 2;
                if chars.get(i).is_some_and(|c| c.is_alphanumeric() || *c == '_') {
                    read_field(&mut i, &mut nodes);
                }
            }
            '.' => {
                i += 1;
                read_field(&mut i, &mut nodes);
            }
            '[' => {
                let Some(end) = chars[i..].iter().position(|c| *c == ']') else {
                    return Err(PathError::Syntax("unterminated array".into()));
                };
                nodes.push(Node::Other);
                i += end + 1;
            }
            ' ' | '\t' | '@' | '$' => i += 1,
            // The action ends early; the rest of the text is a second template node.
            '}' => return Err(PathError::Syntax("must pass in 1 jsonpath string".into())),
            c if c.is_alphanumeric() || matches!(c, '_' | '+' | '-' | '"' | '\'') => {
                // identifiers, numbers and quoted strings: not fields
                nodes.push(Node::Other);
                i += 1;
                while i < chars.len() && !is_terminator(chars[i]) {
                    i += 1;
                }
            }
            c => return Err(PathError::Syntax(format!("unrecognized character in action: U+{:04X} '{c}'", c as u32))),
        }
    }
    Ok(nodes)
}

fn fields(nodes: &[Node], message: &str) -> Result<Vec<String>, PathError> {
    nodes
        .iter()
        .map(|n| match n {
            Node::Field(f) => Ok(f.clone()),
            _ => Err(PathError::Syntax(message.into())),
        })
        .collect()
}

/// What the RESTMapper's ResourcesFor gives for a bare resource word, highest priority first:
/// groups in discovery order, each group's preferred version before its others.
fn resources_for(reg: &Registry, word: &str) -> Vec<ResourceInfo> {
    let Some(first) = reg.lookup(word) else { return Vec::new() };
    // A short name stands for its long form's group only (kubectl's shortcut expander).
    let lower = word.to_lowercase();
    let short_group = first.short_names.contains(&lower) && !first.group.is_empty();
    let matches = |r: &ResourceInfo| {
        !r.is_subresource()
            && (r.name == lower
                || r.singular == lower
                || r.kind.to_lowercase() == lower
                || r.short_names.contains(&lower)
                || r.name == first.name)
            && (!short_group || r.group == first.group)
    };
    let mut out = Vec::new();
    for group in &reg.groups {
        let versions = std::iter::once(&group.preferred).chain(group.versions.iter().filter(|v| **v != group.preferred));
        for version in versions {
            out.extend(reg.resources.iter().filter(|r| r.group == group.name && &r.version == version && matches(r)).cloned());
        }
    }
    if out.is_empty() {
        out.push(first.clone());
    }
    out
}

/// `SplitAndParseResourceRequestWithMatchingPrefix`: the resource and the field path.
pub fn split_with_prefix(reg: &Registry, input: &str) -> Result<(ResourceInfo, Vec<String>), PathError> {
    let nodes = parse(input)?;
    let Some(Node::Field(word)) = nodes.first() else {
        return Err(PathError::Syntax("invalid jsonpath syntax, first node must be field node".into()));
    };
    if word.is_empty() {
        return Err(PathError::Syntax("a resource must be present, got: /, Resource=".into()));
    }
    let candidates = resources_for(reg, word);
    let Some(top) = candidates.first() else { return Err(PathError::NoMatch(word.clone())) };
    for res in &candidates {
        let prefix = res.qualified_name();
        if let Some(suffix) = input.strip_prefix(prefix.as_str()) {
            let path = if suffix.is_empty() {
                Vec::new()
            } else {
                let nodes = parse(suffix)?;
                fields(nodes.get(1..).unwrap_or_default(), "invalid jsonpath syntax, first node must be field node")?
            };
            return Ok((res.clone(), path));
        }
    }
    Ok((top.clone(), fields(&nodes[1..], "invalid jsonpath syntax, first node must be field node")?))
}

/// `SplitAndParseResourceRequest` (used with `--api-version`): the first field is the resource.
pub fn split(reg: &Registry, input: &str) -> Result<(ResourceInfo, Vec<String>), PathError> {
    let nodes = parse(input)?;
    let Some(Node::Field(word)) = nodes.first() else {
        return Err(PathError::Syntax("invalid jsonpath syntax, first node must be field node".into()));
    };
    if word.is_empty() {
        return Err(PathError::Syntax("a resource must be present, got: /, Resource=".into()));
    }
    let res = resources_for(reg, word).into_iter().next().ok_or_else(|| PathError::NoMatch(word.clone()))?;
    Ok((res, fields(&nodes[1..], "invalid jsonpath syntax, all nodes must be field nodes")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg() -> &'static Registry {
        Registry::builtin()
    }

    fn names(r: &(ResourceInfo, Vec<String>)) -> (String, Vec<String>) {
        (format!("{}/{}", r.0.qualified_name(), r.0.version), r.1.clone())
    }

    #[test]
    fn group_prefix_only_when_exact() {
        let r = split_with_prefix(reg(), "deployments.apps.spec").expect("ok");
        assert_eq!(names(&r), ("deployments.apps/v1".to_string(), vec!["spec".to_string()]));
        // kubectl reads `deployment.apps` as the field path apps (then "does not exist").
        let r = split_with_prefix(reg(), "deployment.apps.spec").expect("ok");
        assert_eq!(r.1, ["apps", "spec"]);
        // `events` matches the core group first; the rest, read as `{..events.k8s.io}`, are fields.
        let r = split_with_prefix(reg(), "events.events.k8s.io").expect("ok");
        assert_eq!(names(&r), ("events/v1".to_string(), vec!["events".to_string(), "k8s".to_string(), "io".to_string()]));
    }

    #[test]
    fn short_names_trailing_dot_and_errors() {
        let r = split_with_prefix(reg(), "hpa.spec").expect("ok");
        assert_eq!(names(&r).0, "horizontalpodautoscalers.autoscaling/v2");
        assert!(split_with_prefix(reg(), "pods.").expect("ok").1.is_empty());
        assert_eq!(split_with_prefix(reg(), "foo.spec"), Err(PathError::NoMatch("foo".into())));
        assert_eq!(
            split_with_prefix(reg(), "pods.spec.containers[0]").map(|r| r.1),
            Err(PathError::Syntax("invalid jsonpath syntax, first node must be field node".into()))
        );
        assert_eq!(split(reg(), "po.spec").map(|r| r.1), Ok(vec!["spec".to_string()]));
    }
}
