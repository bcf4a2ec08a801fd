//! `kubectl create secret tls NAME --cert=FILE --key=FILE`: both files are read from the host.

use crate::programs::Ctx;
use crate::programs::kubectl::create::common::{self, Failure};
use crate::programs::kubectl::create::sources::Data;
use crate::programs::kubectl::flags::FlagDef;

pub const FLAGS: &[FlagDef] = &[FlagDef::bool("append-hash"), FlagDef::string("cert"), FlagDef::string("key")];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create secret tls", FLAGS, &[], |ctx, req| {
        let cert = req.parsed.string("cert", "");
        let key = req.parsed.string("key", "");
        if cert.is_empty() || key.is_empty() {
            return Err(Failure::plain("key and cert must be specified"));
        }
        let mut data = Data::new();
        for (name, path) in [("tls.crt", &cert), ("tls.key", &key)] {
            let abs = ctx.resolve(path);
            let content =
                ctx.fs().read(&abs).map(<[u8]>::to_vec).map_err(|_| Failure::plain(format!("open {path}: no such file or directory")))?;
            data.insert(name.to_string(), content);
        }
        check_pair(&data)?;
        Ok(vec![super::build(&req.name, &data, "kubernetes.io/tls", req.parsed.bool("append-hash"))])
    })
}

/// A light stand-in for Go's `tls.X509KeyPair`: both files must hold the right PEM blocks.
fn check_pair(data: &Data) -> Result<(), Failure> {
    let text = |k: &str| String::from_utf8_lossy(data.get(k).map_or(&[][..], Vec::as_slice)).into_owned();
    let cert = text("tls.crt");
    let key = text("tls.key");
    if !cert.contains("-----BEGIN CERTIFICATE-----") {
        return Err(Failure::plain("failed to load key pair tls: failed to find any PEM data in certificate input"));
    }
    if !key.contains("PRIVATE KEY-----") {
        return Err(Failure::plain("failed to load key pair tls: failed to find any PEM data in key input"));
    }
    Ok(())
}
