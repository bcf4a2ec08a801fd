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
    pem_block(data, "CERTIFICATE")
}

/// The DER bytes of the first PEM block labelled `label` (or the input itself if it is DER).
fn pem_block(data: &[u8], label: &str) -> Result<Vec<u8>, CertError> {
    let text = String::from_utf8_lossy(data);
    let (begin, end_marker) = (format!("-----BEGIN {label}-----"), format!("-----END {label}-----"));
    let Some(start) = text.find(&begin) else {
        // Raw DER starts with a SEQUENCE tag.
        return if data.first() == Some(&0x30) { Ok(data.to_vec()) } else { Err(CertError::NoPem) };
    };
    let body = &text[start + begin.len()..];
    let end = body.find(&end_marker).ok_or(CertError::NoPem)?;
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

/// What a PKCS#10 certificate request asks for: the subject and its public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsrInfo {
    pub common_name: String,
    pub organizations: Vec<String>,
    /// The DER SubjectPublicKeyInfo, to put into the issued certificate.
    pub spki: Vec<u8>,
}

/// Parses a `CERTIFICATE REQUEST` PEM (or DER), as the CSR API's `spec.request` holds it.
pub fn parse_csr(data: &[u8]) -> Result<CsrInfo, CertError> {
    let der = pem_block(data, "CERTIFICATE REQUEST")?;
    let (_, req, _) = element(&der)?;
    let (_, info, _) = element(req)?;
    let (_, _, r) = element(info)?; // version
    let (_, subject, r) = element(r)?;
    let before = r.len();
    let after = element(r)?.2.len();
    let attrs = name_attrs(subject)?;
    let pick = |oid: &[u8]| attrs.iter().filter(|(o, _)| o == oid).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    Ok(CsrInfo {
        common_name: pick(OID_CN).into_iter().next().unwrap_or_default(),
        organizations: pick(OID_O),
        spki: r[..before - after].to_vec(),
    })
}

/// What a synthesized certificate says (see [`issue`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject<'a> {
    pub common_name: &'a str,
    pub organizations: &'a [&'a str],
}

/// Builds a structurally valid X.509 v3 certificate (PEM) issued by `issuer_cn` for `subject`,
/// valid between the two Unix times, carrying `spki` (a DER SubjectPublicKeyInfo, e.g. taken
/// from a CSR) or, when `None`, the admin certificate's public key. The signature is not a real
/// one: the simulation never verifies signatures, and parsers (ours, `openssl x509 -text`) accept
/// it. For the CSR signer and `kubeadm certs`, so that what they issue authenticates here.
pub fn issue(subject: &Subject<'_>, issuer_cn: &str, not_before: i64, not_after: i64, serial: u64, spki: Option<&[u8]>) -> String {
    let admin_spki;
    let spki = match spki {
        Some(s) => s.to_vec(),
        None => {
            admin_spki = spki_of(crate::world::scenario::ADMIN_CERT.as_bytes()).unwrap_or_default();
            admin_spki
        }
    };
    let sha256_rsa = tlv(0x30, &[tlv(0x06, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), tlv(0x05, &[])].concat());
    let mut subject_rdns: Vec<u8> = Vec::new();
    for o in subject.organizations {
        subject_rdns.extend(rdn(OID_O, o));
    }
    subject_rdns.extend(rdn(OID_CN, subject.common_name));
    let serial_bytes: Vec<u8> = {
        let raw = serial.max(1).to_be_bytes();
        let first = raw.iter().position(|b| *b != 0).unwrap_or(7);
        let mut v = raw[first..].to_vec();
        if v[0] & 0x80 != 0 {
            v.insert(0, 0);
        }
        v
    };
    let tbs = tlv(
        0x30,
        &[
            tlv(0xa0, &tlv(0x02, &[0x02])),
            tlv(0x02, &serial_bytes),
            sha256_rsa.clone(),
            tlv(0x30, &rdn(OID_CN, issuer_cn)),
            tlv(0x30, &[utc_time(not_before), utc_time(not_after)].concat()),
            tlv(0x30, &subject_rdns),
            spki,
        ]
        .concat(),
    );
    let mut signature = vec![0u8; 257];
    signature[1] = 0x5a;
    let cert = tlv(0x30, &[tbs, sha256_rsa, tlv(0x03, &signature)].concat());
    let b64 = base64::engine::general_purpose::STANDARD.encode(cert);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(chunk));
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}

/// The DER SubjectPublicKeyInfo of a certificate.
pub fn spki_of(data: &[u8]) -> Result<Vec<u8>, CertError> {
    let der = pem_to_der(data)?;
    let (_, cert, _) = element(&der)?;
    let (_, tbs, _) = element(cert)?;
    let mut rest = tbs;
    let (tag, _, r) = element(rest)?;
    if tag == 0xa0 {
        rest = r;
    }
    let mut r = rest;
    for _ in 0..5 {
        r = element(r)?.2; // serial, algorithm, issuer, validity, subject
    }
    let before = r.len();
    let after = element(r)?.2.len();
    Ok(r[..before - after].to_vec())
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn rdn(oid: &[u8], value: &str) -> Vec<u8> {
    tlv(0x31, &tlv(0x30, &[tlv(0x06, oid), tlv(0x0c, value.as_bytes())].concat()))
}

fn utc_time(secs: i64) -> Vec<u8> {
    let (y, mo, d, h, mi, s) = crate::world::clock::civil(secs);
    if (1950..2050).contains(&y) {
        tlv(0x17, format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z", y % 100).as_bytes())
    } else {
        tlv(0x18, format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z").as_bytes())
    }
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

    #[test]
    fn issued_certificates_parse_back() {
        let epoch = crate::world::clock::EPOCH;
        let pem = issue(
            &Subject { common_name: "jane", organizations: &["developers", "qa"] },
            "kubernetes",
            epoch,
            epoch + 86_400,
            0x1234,
            None,
        );
        let info = parse(pem.as_bytes()).unwrap();
        assert_eq!((info.subject_cn.as_str(), info.issuer_cn.as_str()), ("jane", "kubernetes"));
        assert_eq!(info.subject_o, ["developers", "qa"]);
        assert_eq!((info.not_before, info.not_after), (epoch, epoch + 86_400));
        assert_eq!(spki_of(pem.as_bytes()).unwrap(), spki_of(ADMIN_CERT.as_bytes()).unwrap());
        if let Ok(path) = std::env::var("KUBETUTOR_DUMP_CERT") {
            let _ = std::fs::write(path, &pem);
        }
    }

    /// A request made with `openssl req -new -subj "/CN=jane/O=developers"`.
    const JANE_CSR: &str = "-----BEGIN CERTIFICATE REQUEST-----\nMIICaTCCAVECAQAwJDENMAsGA1UEAwwEamFuZTETMBEGA1UECgwKZGV2ZWxvcGVy\nczCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAK3FsGjWRAyH2Wh7opK7\nMBMN4wqMixIWKKRFz3LQiMBRi5gy5nUQY9a0biNh76jPNsjzfNRTnJWzR3laZFY9\nD95MAtCJzczZCVKjBBhP/sgcWmURAS8zn06ilAE3qvHbSN0goALlMuDnmK/T3GaZ\n9d964Tdbrz3M5wcE35mJSdyg3ZUxrXhtBH7UxKajJ4j8opYVyQMr3d6W/DLH0TJ5\nBdhJfgFqgFyqfZzZkpf7zPWccSd/GKEc0JDz2hBYSqCb8d5dxzTfgJKVOOwgbF32\n+FL2N7gA/hyWZkjPGl80n/3IoNb4dX550AtrEfmBqrc+D0kzD3uhrrVwG3tRaB1D\n1tECAwEAAaAAMA0GCSqGSIb3DQEBCwUAA4IBAQBFj5CpVBfmPn7iKXgRjgF9qwHy\nRWDP3KCStq0EK3jKBYPkZ4tkE0iRMSdJBi129P9+TR+Td/oQepdU3cTNqsB3O+/0\niV5fOsRlvaDnxAypUpCHRnzBS5hQcll6hKI7zs4wZMfBTBiMx+z+Em4qu/EnSSUk\nQf3ATVc5xdsT43W8iLwesW70Q6R3uY34LyDP+00BFy0dLaOMnokYcxyFODaHKctd\n2L+bv1ToAkAM7WKaXwHhCy6Obw2BgAJphIx803Z6m8r7ve02dVizkMuyCOGuHzqE\nQg2SWUWQv7KIxvX+akQIDzNoQEKIlGR584+2X43Zglh3tDsm+oXTt2VeEXuC\n-----END CERTIFICATE REQUEST-----\n";

    #[test]
    fn csr_subject_and_key() {
        let csr = parse_csr(JANE_CSR.as_bytes()).unwrap();
        assert_eq!((csr.common_name.as_str(), csr.organizations.as_slice()), ("jane", &["developers".to_string()][..]));
        let pem = issue(&Subject { common_name: "jane", organizations: &["developers"] }, "kubernetes", 0, 1, 2, Some(&csr.spki));
        assert_eq!(spki_of(pem.as_bytes()).unwrap(), csr.spki);
        assert_eq!(parse_csr(b"nope"), Err(CertError::NoPem));
    }
}
