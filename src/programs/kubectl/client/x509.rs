//! Just enough of X.509 to authenticate a client certificate the way the API server's x509
//! authenticator does: the subject's CN is the user, each O a group; the issuer and validity
//! decide whether the certificate is accepted at all. A minimal DER walk, no crypto.

use base64::Engine;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CertError {
    #[error("no PEM certificate found")]
    NoPem,
    #[error("malformed certificate")]
    Malformed,
}

/// The parts of a certificate authentication looks at.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CertInfo {
    pub subject_cn: String,
    pub subject_o: Vec<String>,
    pub issuer_cn: String,
    /// Unix seconds.
    pub not_before: i64,
    pub not_after: i64,
}

/// Parses the first certificate of a PEM bundle (or raw DER).
pub fn parse(data: &[u8]) -> Result<CertInfo, CertError> {
    let der = pem_to_der(data)?;
    parse_der(&der)
}

/// The DER bytes of the first certificate of a PEM bundle (or of raw DER).
pub fn der(data: &[u8]) -> Result<Vec<u8>, CertError> {
    pem_to_der(data)
}

fn pem_to_der(data: &[u8]) -> Result<Vec<u8>, CertError> {
    let text = String::from_utf8_lossy(data);
    let Some(start) = text.find("-----BEGIN CERTIFICATE-----") else {
        // Raw DER starts with a SEQUENCE tag.
        return if data.first() == Some(&0x30) { Ok(data.to_vec()) } else { Err(CertError::NoPem) };
    };
    let body = &text[start + "-----BEGIN CERTIFICATE-----".len()..];
    let end = body.find("-----END CERTIFICATE-----").ok_or(CertError::NoPem)?;
    let b64: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(b64).map_err(|_| CertError::NoPem)
}

/// One DER element: tag, content, and the rest of the input after it.
fn element(input: &[u8]) -> Result<(u8, &[u8], &[u8]), CertError> {
    let (&tag, rest) = input.split_first().ok_or(CertError::Malformed)?;
    let (&first, rest) = rest.split_first().ok_or(CertError::Malformed)?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return Err(CertError::Malformed);
        }
        let len = rest[..n].iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return Err(CertError::Malformed);
    }
    Ok((tag, &rest[..len], &rest[len..]))
}

fn parse_der(der: &[u8]) -> Result<CertInfo, CertError> {
    let (_, cert, _) = element(der)?;
    let (_, tbs, _) = element(cert)?;
    let mut rest = tbs;
    let (tag, _, r) = element(rest)?;
    if tag == 0xa0 {
        rest = r; // explicit version
    }
    let (_, _, r) = element(rest)?; // serial
    let (_, _, r) = element(r)?; // signature algorithm
    let (_, issuer, r) = element(r)?;
    let (_, validity, r) = element(r)?;
    let (_, subject, _) = element(r)?;
    let (_, nb, vr) = element(validity)?;
    let (_, na, _) = element(vr)?;
    let issuer_attrs = name_attrs(issuer)?;
    let subject_attrs = name_attrs(subject)?;
    let pick = |attrs: &[(Vec<u8>, String)], oid: &[u8]| -> Vec<String> {
        attrs.iter().filter(|(o, _)| o == oid).map(|(_, v)| v.clone()).collect()
    };
    Ok(CertInfo {
        subject_cn: pick(&subject_attrs, OID_CN).into_iter().next().unwrap_or_default(),
        subject_o: pick(&subject_attrs, OID_O),
        issuer_cn: pick(&issuer_attrs, OID_CN).into_iter().next().unwrap_or_default(),
        not_before: parse_time(nb).ok_or(CertError::Malformed)?,
        not_after: parse_time(na).ok_or(CertError::Malformed)?,
    })
}

const OID_CN: &[u8] = &[0x55, 0x04, 0x03];
const OID_O: &[u8] = &[0x55, 0x04, 0x0a];

/// The (OID, value) pairs of an X.501 Name, in order.
fn name_attrs(mut name: &[u8]) -> Result<Vec<(Vec<u8>, String)>, CertError> {
    let mut out = Vec::new();
    while !name.is_empty() {
        let (_, set, rest) = element(name)?;
        name = rest;
        let mut set = set;
        while !set.is_empty() {
            let (_, atv, r) = element(set)?;
            set = r;
            let (_, oid, r) = element(atv)?;
            let (_, value, _) = element(r)?;
            out.push((oid.to_vec(), String::from_utf8_lossy(value).into_owned()));
        }
    }
    Ok(out)
}

/// UTCTime `YYMMDDHHMMSSZ` or GeneralizedTime `YYYYMMDDHHMMSSZ`.
fn parse_time(raw: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(raw).ok()?.strip_suffix('Z')?;
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (year, rest) = match s.len() {
        12 => {
            let yy: i64 = s[..2].parse().ok()?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &s[2..])
        }
        14 => (s[..4].parse().ok()?, &s[4..]),
        _ => return None,
    };
    let text = format!("{year:04}-{}-{}T{}:{}:{}Z", &rest[0..2], &rest[2..4], &rest[4..6], &rest[6..8], &rest[8..10]);
    crate::world::clock::parse_rfc3339(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::scenario::{ADMIN_CERT, CA_CERT};

    #[test]
    fn admin_certificate_subject() {
        let info = parse(ADMIN_CERT.as_bytes()).unwrap();
        assert_eq!(info.subject_cn, "kubernetes-admin");
        assert_eq!(info.subject_o, ["kubeadm:cluster-admins"]);
        assert_eq!(info.issuer_cn, "kubernetes");
        assert_eq!(crate::world::clock::format_rfc3339(info.not_after), "2027-01-15T09:00:00Z");
        assert!(info.not_before < crate::world::clock::EPOCH);
    }

    #[test]
    fn ca_and_garbage() {
        assert_eq!(parse(CA_CERT.as_bytes()).unwrap().subject_cn, "kubernetes");
        assert_eq!(parse(b"hello"), Err(CertError::NoPem));
        assert_eq!(parse_time("26011é0900Z".as_bytes()), None);
        assert_eq!(parse(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), Err(CertError::Malformed));
    }

    /// Garbage (truncated or mangled certificates) gives an error, never a panic.
    #[test]
    fn mangled_der_never_panics() {
        let der = der(ADMIN_CERT.as_bytes()).unwrap();
        let mut seed: u32 = 7;
        for len in (0..der.len()).step_by(13) {
            let _ = parse_der(&der[..len]);
            let mut mangled = der.clone();
            for _ in 0..8 {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let i = (seed as usize >> 8) % mangled.len();
                mangled[i] = (seed >> 16) as u8;
            }
            let _ = parse_der(&mangled);
        }
    }
}

