//! Resource quantities (`500m`, `1Gi`, `2e3`) as `k8s.io/apimachinery/pkg/api/resource`
//! reads and writes them: `canonical` gives the string a quantity serializes to (the input when
//! it is already canonical: `1024Mi` → `1Gi`, `0.5` → `500m`, `1.0` → `1`), `parse`/`of` its
//! value for comparisons.

use serde_json::Value;

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QuantityError {
    #[error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")]
    Format,
    #[error("unable to parse quantity's suffix")]
    Suffix,
    #[error("unable to parse numeric part of quantity")]
    Numeric,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

struct Parts<'s> {
    positive: bool,
    num: &'s str,
    denom: &'s str,
    suffix: &'s str,
}

/// The string a quantity serializes to.
pub fn canonical(s: &str) -> Result<String, QuantityError> {
    if s.is_empty() {
        return Err(QuantityError::Format);
    }
    if s == "0" {
        return Ok(s.to_string());
    }
    let p = split(s)?;
    let (base, exponent, format) = interpret(p.suffix).ok_or(QuantityError::Suffix)?;
    let digits = format!("{}{}", p.num, p.denom);
    let denom_len = i32::try_from(p.denom.len()).map_err(|_| QuantityError::Numeric)?;
    let num_len = i32::try_from(p.num.len()).map_err(|_| QuantityError::Numeric)?;
    // The fast path keeps the input when it is already in canonical form.
    match format {
        Format::DecimalSi | Format::DecimalExponent => {
            let scale = exponent - denom_len;
            if 18 - (num_len + denom_len) >= 0 && scale >= -9 {
                let value: i64 = digits.parse().map_err(|_| QuantityError::Numeric)?;
                if scale % 3 == 0 && !digits.ends_with("000") && !digits.starts_with('0') {
                    return Ok(s.to_string());
                }
                return Ok(render(i128::from(value) * pow10(scale + 9), p.positive, format));
            }
        }
        Format::BinarySi => {
            if exponent >= 0 && p.denom.is_empty() {
                #[allow(clippy::cast_possible_truncation, reason = "Go truncates the float the same way")]
                let precision = 15 - num_len - ((exponent as f32) * 3.0 / 10.0) as i32 - 1;
                if precision >= 0 {
                    let value: i64 = digits.parse().map_err(|_| QuantityError::Numeric)?;
                    if let Some(v) = value.checked_mul(1i64 << exponent) {
                        if exponent % 10 == 0 && (value & 0x07) != 0 {
                            return Ok(s.to_string());
                        }
                        return Ok(render(i128::from(v) * 1_000_000_000, p.positive, Format::BinarySi));
                    }
                }
            }
        }
    }
    // The exact value in nano units, rounded up (away from zero) as Kubernetes does.
    let d: i128 = digits.parse().map_err(|_| QuantityError::Numeric)?;
    let nano = if base == 10 {
        let shift = exponent - denom_len + 9;
        if shift >= 0 { d.saturating_mul(pow10(shift)) } else { ceil_div(d, pow10(-shift)) }
    } else {
        ceil_div(d.saturating_mul(1i128 << exponent).saturating_mul(1_000_000_000), pow10(denom_len))
    };
    let format = if format == Format::BinarySi && nano < 1_000_000_000 { Format::DecimalSi } else { format };
    Ok(render(nano, p.positive, format))
}

/// `CanonicalizeBytes` over an amount in nano units.
fn render(nano: i128, positive: bool, format: Format) -> String {
    if nano == 0 {
        return "0".into();
    }
    let sign = if positive { "" } else { "-" };
    let format = match format {
        Format::BinarySi if nano < 1024 * 1_000_000_000 || nano % 1_000_000_000 != 0 => Format::DecimalSi,
        f => f,
    };
    if format == Format::BinarySi {
        let mut v = nano / 1_000_000_000;
        let mut e = 0;
        while v % 1024 == 0 && e < 6 {
            v /= 1024;
            e += 1;
        }
        return format!("{sign}{v}{}", ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][e]);
    }
    let mut m = nano;
    let mut e: i32 = -9;
    while m % 10 == 0 {
        m /= 10;
        e += 1;
    }
    let r = e.rem_euclid(3);
    m *= pow10(r);
    e -= r;
    let suffix = match (format, e) {
        (Format::DecimalExponent, 0) => String::new(),
        (Format::DecimalExponent, e) => format!("e{e}"),
        (_, -9) => "n".into(),
        (_, -6) => "u".into(),
        (_, -3) => "m".into(),
        (_, 0) => String::new(),
        (_, 3) => "k".into(),
        (_, 6) => "M".into(),
        (_, 9) => "G".into(),
        (_, 12) => "T".into(),
        (_, 15) => "P".into(),
        (_, 18) => "E".into(),
        (_, e) => format!("e{e}"),
    };
    format!("{sign}{m}{suffix}")
}

fn pow10(n: i32) -> i128 {
    10i128.saturating_pow(u32::try_from(n.max(0)).unwrap_or(0))
}

fn ceil_div(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { (a + b - 1) / b }
}

/// `parseQuantityString`: sign, numerator without leading zeros, fraction digits, suffix.
fn split(s: &str) -> Result<Parts<'_>, QuantityError> {
    let b = s.as_bytes();
    let mut pos = 0;
    let mut positive = true;
    match b.first() {
        Some(b'-') => {
            positive = false;
            pos = 1;
        }
        Some(b'+') => pos = 1,
        _ => {}
    }
    while pos < b.len() && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= b.len() {
        return Ok(Parts { positive, num: "0", denom: "", suffix: "" });
    }
    let start = pos;
    while pos < b.len() && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let num = if pos == start { "0" } else { &s[start..pos] };
    let mut denom = "";
    if pos < b.len() && b[pos] == b'.' {
        pos += 1;
        let ds = pos;
        while pos < b.len() && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[ds..pos];
    }
    let suffix_start = pos;
    while pos < b.len() && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < b.len() && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < b.len() && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos != b.len() {
        return Err(QuantityError::Format);
    }
    Ok(Parts { positive, num, denom, suffix: &s[suffix_start..] })
}

/// The base, exponent and format a suffix stands for.
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let dec = |e| Some((10, e, Format::DecimalSi));
    let bin = |e| Some((2, e, Format::BinarySi));
    match suffix {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        _ => {
            let rest = suffix.strip_prefix(['e', 'E'])?;
            let e: i32 = rest.parse().ok()?;
            Some((10, e, Format::DecimalExponent))
        }
    }
}

/// The decode error the API server gives for a quantity that does not parse.
pub const QUANTITY_ERROR: &str = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// The value of a quantity in base units (cores, bytes), or `None` when it does not parse.
pub fn parse(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-')).unwrap_or(t.len());
    let (num, suffix) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        s if s.starts_with(['e', 'E']) => 10f64.powi(s[1..].parse().ok()?),
        _ => return None,
    };
    Some(n * mult)
}

/// A JSON quantity (string or number) in base units.
pub fn of(v: &Value) -> Option<f64> {
    match v {
        Value::String(s) => parse(s),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// The first quantity under `resources.{requests,limits}` that does not parse.
pub fn first_bad(resources: Option<&Value>) -> Option<String> {
    let r = resources?;
    for part in ["requests", "limits"] {
        if let Some(map) = r.get(part).and_then(Value::as_object) {
            for v in map.values() {
                if of(v).is_none() {
                    return Some(QUANTITY_ERROR.to_string());
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_kubectl_create_quota() {
        // Captured: kubectl create quota q --hard=memory=1024Mi,cpu=0.5,pods=010,storage=1.5Gi,
        // a=1000m,b=2e3,c=1k,d=1.0,e=100M,f=0.1Ki --dry-run=client -o yaml
        for (input, want) in [
            ("1024Mi", "1Gi"),
            ("0.5", "500m"),
            ("010", "010"),
            ("1.5Gi", "1536Mi"),
            ("1000m", "1"),
            ("2e3", "2e3"),
            ("1k", "1k"),
            ("1.0", "1"),
            ("100M", "100M"),
            ("0.1Ki", "102400m"),
            ("1Gi", "1Gi"),
            ("500m", "500m"),
        ] {
            assert_eq!(canonical(input).as_deref(), Ok(want), "{input}");
        }
        assert_eq!(canonical("abc"), Err(QuantityError::Format));
    }

    #[test]
    fn parses_suffixes() {
        assert_eq!(parse("500m"), Some(0.5));
        assert_eq!(parse("1Gi"), Some(1073741824.0));
        assert_eq!(parse("2"), Some(2.0));
        assert_eq!(parse("1GB"), None);
        assert_eq!(parse("1 core"), None);
    }
}
