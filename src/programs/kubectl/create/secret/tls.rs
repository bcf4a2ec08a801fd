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
            let content = ctx
                .fs()
                .read(&abs)
                .map(<[u8]>::to_vec)
                .map_err(|_| Failure::plain(format!("Cannot read file {path}, open {path}: no such file or directory")))?;
            data.insert(name.to_string(), content);
        }
        check_pair(&data)?;
        Ok(vec![super::build(&req.name, &data, "kubernetes.io/tls", req.parsed.bool("append-hash"))])
    })
}

/// A light stand-in for Go's `tls.X509KeyPair` (its messages): both files must hold the right
/// PEM blocks. Whether the key matches the certificate is not checked.
fn check_pair(data: &Data) -> Result<(), Failure> {
    let text = |k: &str| String::from_utf8_lossy(data.get(k).map_or(&[][..], Vec::as_slice)).into_owned();
    let cert = text("tls.crt");
    let key = text("tls.key");
    if !cert.contains("-----BEGIN ") {
        return Err(Failure::plain("tls: failed to find any PEM data in certificate input"));
    }
    if !cert.contains("-----BEGIN CERTIFICATE-----") {
        if cert.contains("PRIVATE KEY-----") {
            return Err(Failure::plain(
                "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched",
            ));
        }
        return Err(Failure::plain("tls: failed to find \"CERTIFICATE\" PEM block in certificate input"));
    }
    if !key.contains("-----BEGIN ") {
        return Err(Failure::plain("tls: failed to find any PEM data in key input"));
    }
    if !key.contains("PRIVATE KEY-----") && key.contains("-----BEGIN CERTIFICATE-----") {
        return Err(Failure::plain("tls: found a certificate rather than a key in the PEM for the private key"));
    }
    // An RSA key's modulus appears verbatim in its certificate's public key.
    if let (Some(cert_der), Some(modulus)) = (pem_body(&cert, "CERTIFICATE"), pem_body(&key, "PRIVATE KEY").and_then(|d| rsa_modulus(&d)))
        && !cert_der.windows(modulus.len()).any(|w| w == modulus.as_slice())
    {
        return Err(Failure::plain("tls: private key does not match public key"));
    }
    Ok(())
}

/// The DER bytes of the first PEM block whose label ends with `label`.
fn pem_body(text: &str, label: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let begin = text.find("-----BEGIN ")?;
    let rest = &text[begin + 11..];
    let end_label = rest.find("-----")?;
    if !rest[..end_label].ends_with(label) {
        return None;
    }
    let body = &rest[end_label + 5..];
    let stop = body.find("-----END")?;
    let b64: String = body[..stop].chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

/// One DER element: (tag, content, rest).
fn der(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *data.first()?;
    let first = *data.get(1)?;
    let (len, start) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        let mut len = 0usize;
        for b in data.get(2..2 + n)? {
            len = (len << 8) | usize::from(*b);
        }
        (len, 2 + n)
    };
    let content = data.get(start..start + len)?;
    Some((tag, content, &data[start + len..]))
}

/// The modulus of an RSA private key in PKCS#8 or PKCS#1 form.
fn rsa_modulus(key: &[u8]) -> Option<Vec<u8>> {
    let (_, seq, _) = der(key)?;
    let (_, _version, rest) = der(seq)?;
    let (tag, second, rest) = der(rest)?;
    let rsa = if tag == 0x30 {
        // PKCS#8: the algorithm, then the RSAPrivateKey in an OCTET STRING.
        let (_, octets, _) = der(rest)?;
        let (_, inner, _) = der(octets)?;
        let (_, _v, r) = der(inner)?;
        der(r)?.1
    } else {
        second
    };
    let modulus = rsa.strip_prefix(&[0]).unwrap_or(rsa);
    (modulus.len() >= 64).then(|| modulus.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::scenario::{ADMIN_CERT, ADMIN_KEY, CA_CERT, CA_KEY};

    fn pair(cert: &str, key: &str) -> Result<(), Failure> {
        let mut data = Data::new();
        data.insert("tls.crt".into(), cert.as_bytes().to_vec());
        data.insert("tls.key".into(), key.as_bytes().to_vec());
        check_pair(&data)
    }

    #[test]
    fn key_pairs_as_kubectl_judges_them() {
        // Messages captured from kubectl v1.35.2 `create secret tls` on these same files.
        assert!(pair(CA_CERT, CA_KEY).is_ok());
        assert!(pair(ADMIN_CERT, ADMIN_KEY).is_ok());
        assert_eq!(pair(CA_CERT, ADMIN_KEY), Err(Failure::plain("tls: private key does not match public key")));
        assert_eq!(
            pair(CA_CERT, CA_CERT),
            Err(Failure::plain("tls: found a certificate rather than a key in the PEM for the private key"))
        );
        assert_eq!(
            pair(CA_KEY, CA_CERT),
            Err(Failure::plain(
                "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched"
            ))
        );
    }
}
