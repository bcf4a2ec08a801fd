//! Resource quantities as describe needs them: parsed to milli-units for sums and percentages,
//! and printed in canonical form (`1Gi`, `500m`, `2`), as apimachinery's `resource.Quantity` does
//! for the values a cluster holds.

/// Milli-units of a quantity (`100m` → 100, `1` → 1000, `1Ki` → 1 024 000); 0 when unparsable.
pub fn parse(q: &str) -> i128 {
    let q = q.trim();
    let split = q.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+')).unwrap_or(q.len());
    let (num, suffix) = q.split_at(split);
    let Ok(n) = num.parse::<f64>() else { return 0 };
    let mult: f64 = match suffix {
        "" => 1.0,
        "m" => 0.001,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        s if s.starts_with(['e', 'E']) => 10f64.powi(s[1..].parse().unwrap_or(0)),
        _ => return 0,
    };
    (n * mult * 1000.0).round() as i128
}

/// Whether a quantity string uses a binary suffix (the format a sum keeps).
pub fn is_binary(q: &str) -> bool {
    q.ends_with('i')
}

/// Formats milli-units in the given format (binary or decimal SI).
pub fn format(milli: i128, binary: bool) -> String {
    if milli == 0 {
        return "0".into();
    }
    if milli % 1000 != 0 {
        return format!("{milli}m");
    }
    let n = milli / 1000;
    if binary {
        for (suf, f) in [("Ei", 1i128 << 60), ("Pi", 1 << 50), ("Ti", 1 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
            if n % f == 0 {
                return format!("{}{suf}", n / f);
            }
        }
        return n.to_string();
    }
    for (suf, f) in
        [("E", 10i128.pow(18)), ("P", 10i128.pow(15)), ("T", 10i128.pow(12)), ("G", 10i128.pow(9)), ("M", 10i128.pow(6)), ("k", 1000)]
    {
        if n % f == 0 {
            return format!("{}{suf}", n / f);
        }
    }
    n.to_string()
}

/// A quantity string in canonical form (`1024Mi` → `1Gi`, `0.5` → `500m`); what does not parse
/// is shown as it is.
pub fn canonical(q: &str) -> String {
    crate::cluster::quantity::canonical(q).unwrap_or_else(|_| q.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        assert_eq!(canonical("1024Mi"), "1Gi");
        assert_eq!(canonical("0.5"), "500m");
        assert_eq!(canonical("100m"), "100m");
        assert_eq!(canonical("2"), "2");
        assert_eq!(canonical("1000M"), "1G");
        assert_eq!(parse("1Ki"), 1_024_000);
    }
}
