//! `find [PATH]... [-name P] [-iname P] [-type f|d] [-maxdepth N] [-mindepth N] [-path P]
//! [-empty] [!|-not] [-print] [-exec CMD {} ;|+]`: a depth-first walk of the host's files.

use crate::host::fs::{self, Node};
use crate::programs::Ctx;
use crate::shell::expand::glob_str;

#[derive(Debug, Clone)]
enum Test {
    Name(String, bool),
    Path(String),
    Type(char),
    Empty,
    Not(Box<Test>),
    True,
}

fn eval(t: &Test, shown: &str, node: &Node, children: usize) -> bool {
    match t {
        Test::Name(p, icase) => {
            let base = fs::basename(shown);
            if *icase { glob_str(&p.to_lowercase(), &base.to_lowercase()) } else { glob_str(p, base) }
        }
        Test::Path(p) => glob_str(p, shown),
        Test::Type(c) => matches!((c, node), ('f', Node::File { .. }) | ('d', Node::Dir { .. })),
        Test::Empty => match node {
            Node::File { data, .. } => data.is_empty(),
            Node::Dir { .. } => children == 0,
        },
        Test::Not(inner) => !eval(inner, shown, node, children),
        Test::True => true,
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut paths = Vec::new();
    let mut i = 0;
    while i < args.len() && !args[i].starts_with('-') && args[i] != "!" && args[i] != "(" {
        paths.push(args[i].clone());
        i += 1;
    }
    if paths.is_empty() {
        paths.push(".".to_string());
    }
    let mut tests = Vec::new();
    let mut maxdepth = usize::MAX;
    let mut mindepth = 0;
    let mut exec: Option<(Vec<String>, bool)> = None;
    let mut negate = false;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        let mut value = || -> Option<String> {
            let v = args.get(i).cloned();
            i += 1;
            v
        };
        let t = match a {
            "!" | "-not" => {
                negate = !negate;
                continue;
            }
            "-print" | "-a" | "-and" | "(" | ")" => continue,
            "-name" | "-iname" | "-path" | "-wholename" | "-type" | "-maxdepth" | "-mindepth" => {
                let Some(v) = value() else {
                    ctx.out.err(format!("find: missing argument to `{a}'\n"));
                    return 1;
                };
                match a {
                    "-name" => Test::Name(v, false),
                    "-iname" => Test::Name(v, true),
                    "-path" | "-wholename" => Test::Path(v),
                    "-type" => match v.as_str() {
                        "f" | "d" | "l" => Test::Type(v.chars().next().unwrap_or('f')),
                        _ => {
                            ctx.out.err(format!("find: Unknown argument to -type: {v}\n"));
                            return 1;
                        }
                    },
                    "-maxdepth" | "-mindepth" => {
                        let Ok(n) = v.parse::<usize>() else {
                            ctx.out.err(format!("find: Expected a positive decimal integer argument to {a}, but got ‘{v}’\n"));
                            return 1;
                        };
                        if a == "-maxdepth" {
                            maxdepth = n;
                        } else {
                            mindepth = n;
                        }
                        continue;
                    }
                    _ => Test::True,
                }
            }
            "-empty" => Test::Empty,
            "-exec" => {
                let mut cmd = Vec::new();
                let mut batch = false;
                while i < args.len() {
                    let w = &args[i];
                    i += 1;
                    if w == ";" {
                        break;
                    }
                    if w == "+" && cmd.last().is_some_and(|l: &String| l == "{}") {
                        batch = true;
                        break;
                    }
                    cmd.push(w.clone());
                }
                exec = Some((cmd, batch));
                continue;
            }
            other => {
                ctx.out.err(format!("find: unknown predicate `{other}'\n"));
                return 1;
            }
        };
        tests.push(if negate { Test::Not(Box::new(t)) } else { t });
        negate = false;
    }
    let mut found: Vec<String> = Vec::new();
    let mut status = 0;
    for start in &paths {
        let abs = ctx.resolve(start);
        if !ctx.fs().exists(&abs) {
            ctx.out.err(format!("find: ‘{start}’: No such file or directory\n"));
            status = 1;
            continue;
        }
        // Depth-first, children in name order.
        let mut stack = vec![(start.clone(), abs, 0usize)];
        while let Some((shown, path, depth)) = stack.pop() {
            let Some(node) = ctx.fs().get(&path).cloned() else { continue };
            let children = if matches!(node, Node::Dir { .. }) { ctx.fs().list(&path).unwrap_or_default() } else { Vec::new() };
            if depth >= mindepth && tests.iter().all(|t| eval(t, &shown, &node, children.len())) {
                found.push(shown.clone());
            }
            if depth < maxdepth {
                for c in children.iter().rev() {
                    let s = if shown.ends_with('/') { format!("{shown}{c}") } else { format!("{shown}/{c}") };
                    stack.push((s, fs::resolve(&path, c), depth + 1));
                }
            }
        }
    }
    match exec {
        None => {
            let text: String = found.iter().map(|f| format!("{f}\n")).collect();
            ctx.out.out(text);
        }
        Some((cmd, batch)) => {
            let quote = |s: &str| crate::programs::coreutils::printf::shell_quote(s);
            let lines: Vec<String> = if batch {
                let files: Vec<String> = found.iter().map(|f| quote(f)).collect();
                vec![cmd.iter().map(|w| if w == "{}" { files.join(" ") } else { quote(w) }).collect::<Vec<_>>().join(" ")]
            } else {
                found.iter().map(|f| cmd.iter().map(|w| quote(&w.replace("{}", f))).collect::<Vec<_>>().join(" ")).collect()
            };
            for line in lines {
                let (out, st) = ctx.run_subshell(&line, b"");
                ctx.out.append(out);
                if st != 0 {
                    status = 1;
                }
            }
        }
    }
    status
}
