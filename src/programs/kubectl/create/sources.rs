//! The data sources of `create configmap` and `create secret generic`: `--from-literal`,
//! `--from-file` (files, `key=path`, directories) and `--from-env-file`, read from the host's
//! filesystem, with kubectl's key validation and messages.

use std::collections::BTreeMap;

use super::common::Failure;
use crate::programs::Ctx;
use crate::programs::kubectl::flags::Parsed;

/// Which object the data goes into: the two differ in their error wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    ConfigMap,
    Secret,
}

/// Key → bytes, in key order (Go maps print sorted).
pub type Data = BTreeMap<String, Vec<u8>>;

/// Reads every source named by the flags into one map.
pub fn collect(ctx: &mut Ctx<'_>, parsed: &Parsed, target: Target, name: &str) -> Result<Data, Failure> {
    let files = parsed.all("from-file");
    let literals = parsed.all("from-literal");
    let env_files = parsed.all("from-env-file");
    if !env_files.is_empty() && (!files.is_empty() || !literals.is_empty()) {
        return Err(Failure::plain("from-env-file cannot be combined with from-file or from-literal"));
    }
    let mut data = Data::new();
    // A configmap reads its files before its literals, a secret the other way round.
    if target == Target::ConfigMap {
        for source in &files {
            from_file(ctx, source, target, name, &mut data)?;
        }
    }
    for source in &literals {
        let Some((k, v)) = source.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(Failure::plain(format!("invalid literal source {source}, expected key=value")));
        };
        add(&mut data, k, v.as_bytes().to_vec(), target, name)?;
    }
    if target == Target::Secret {
        for source in &files {
            from_file(ctx, source, target, name, &mut data)?;
        }
    }
    for path in &env_files {
        from_env_file(ctx, path, target, name, &mut data)?;
    }
    Ok(data)
}

/// Reads `--from-file` sources only (`key=path`, files, directories).
pub fn files(ctx: &mut Ctx<'_>, sources: &[String], target: Target, name: &str) -> Result<Data, Failure> {
    let mut data = Data::new();
    for source in sources {
        from_file(ctx, source, target, name, &mut data)?;
    }
    Ok(data)
}

fn from_file(ctx: &mut Ctx<'_>, source: &str, target: Target, name: &str, data: &mut Data) -> Result<(), Failure> {
    let (key, path) = match source.split_once('=') {
        Some(("", p)) => return Err(Failure::plain(format!("key name for file path {p} missing"))),
        Some((_, "")) => return Err(Failure::plain(format!("file path for key name {} missing", &source[..source.len() - 1]))),
        Some((k, p)) => (Some(k.to_string()), p.to_string()),
        None => (None, source.to_string()),
    };
    let abs = ctx.resolve(&path);
    if ctx.fs().is_dir(&abs) {
        if key.is_some() {
            return Err(Failure::plain("cannot give a key name for a directory path"));
        }
        let entries = ctx.fs().list(&abs).map_err(|_| Failure::plain(format!("error listing files in {path}")))?;
        for entry in entries {
            let file = format!("{}/{entry}", abs.trim_end_matches('/'));
            if !ctx.fs().is_file(&file) {
                continue;
            }
            let content = ctx.fs().read(&file).map(<[u8]>::to_vec).unwrap_or_default();
            add(data, &entry, content, target, name)?;
        }
        return Ok(());
    }
    let content = read(ctx, &path, &abs)?;
    let key = key.unwrap_or_else(|| crate::host::fs::basename(&abs).to_string());
    add(data, &key, content, target, name)
}

fn read(ctx: &mut Ctx<'_>, shown: &str, abs: &str) -> Result<Vec<u8>, Failure> {
    ctx.fs().read(abs).map(<[u8]>::to_vec).map_err(|_| Failure::plain(format!("error reading {shown}: no such file or directory")))
}

fn from_env_file(ctx: &mut Ctx<'_>, path: &str, target: Target, name: &str, data: &mut Data) -> Result<(), Failure> {
    let abs = ctx.resolve(path);
    if ctx.fs().is_dir(&abs) {
        return Err(Failure::plain(match target {
            Target::ConfigMap => "env config file cannot be a directory",
            Target::Secret => "env secret file cannot be a directory",
        }));
    }
    let content = read(ctx, path, &abs)?;
    let Ok(text) = String::from_utf8(content) else {
        return Err(Failure::plain(format!("env file {path} contains invalid utf8 bytes at line 1")));
    };
    for (i, raw) in text.split('\n').enumerate() {
        let mut line = raw.strip_suffix('\r').unwrap_or(raw);
        if i == 0 {
            line = line.strip_prefix('\u{FEFF}').unwrap_or(line);
        }
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = match line.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (line.to_string(), ctx.var(line).unwrap_or_default().to_string()),
        };
        if !is_env_var_name(&key) {
            return Err(Failure::plain(format!(
                "{key:?} is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
            )));
        }
        add(data, &key, value.into_bytes(), target, name)?;
    }
    Ok(())
}

fn is_env_var_name(key: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    !key.is_empty() && key.chars().all(ok) && !key.starts_with(|c: char| c.is_ascii_digit())
}

/// `IsConfigMapKey`: the reasons a key is refused, joined with `sep` (configmaps join them
/// with `,`, secrets with `;`).
fn config_key_errors(key: &str, sep: &str) -> Option<String> {
    let mut errs = Vec::new();
    if key.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if !key.is_empty() && !key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')) {
        errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')".to_string());
    }
    if key == "." {
        errs.push("must not be '.'".to_string());
    } else if key == ".." {
        errs.push("must not be '..'".to_string());
    } else if key.starts_with("..") {
        errs.push("must not start with '..'".to_string());
    }
    if errs.is_empty() { None } else { Some(errs.join(sep)) }
}

fn add(data: &mut Data, key: &str, value: Vec<u8>, target: Target, name: &str) -> Result<(), Failure> {
    let sep = if target == Target::ConfigMap { "," } else { ";" };
    if let Some(reason) = config_key_errors(key, sep) {
        return Err(Failure::plain(match target {
            Target::ConfigMap => format!("{key:?} is not a valid key name for a ConfigMap: {reason}"),
            Target::Secret => format!("{key:?} is not valid key name for a Secret {reason}"),
        }));
    }
    if let Some(existing) = data.get(key) {
        // A configmap keeps non-UTF-8 values apart, in binaryData.
        let field = if std::str::from_utf8(existing).is_ok() { "Data" } else { "BinaryData" };
        return Err(Failure::plain(match target {
            Target::ConfigMap => {
                format!("cannot add key {key:?}, another key by that name already exists in {field} for ConfigMap {name:?}")
            }
            Target::Secret => format!("cannot add key {key}, another key by that name already exists"),
        }));
    }
    data.insert(key.to_string(), value);
    Ok(())
}

/// kubectl's `--append-hash` suffix: the first ten hex digits of a SHA-256 over a JSON
/// encoding, with the characters that could spell words swapped out.
pub fn hash_suffix(encoded: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(encoded.as_bytes());
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
