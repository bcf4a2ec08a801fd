//! The simulated clock. Time only moves when the simulation moves it (`sleep`, settling), so
//! ages and timestamps are reproducible.

use serde::{Deserialize, Serialize};

/// Seconds since the Unix epoch, in simulated time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Clock {
    pub now: i64,
}

/// 2026-01-15T09:00:00Z: the moment every scenario's cluster was "installed".
pub const EPOCH: i64 = 1_768_467_600;

impl Default for Clock {
    fn default() -> Self {
        Clock { now: EPOCH }
    }
}

impl Clock {
    pub fn advance(&mut self, seconds: i64) {
        self.now += seconds.max(0);
    }

    /// RFC 3339 in UTC with second precision, as Kubernetes prints `metav1.Time`.
    pub fn rfc3339(&self) -> String {
        format_rfc3339(self.now)
    }
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_rfc3339(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` (fractions and offsets other than Z are not produced by the
/// simulation and are rejected).
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
}

/// Splits Unix seconds into (year, month, day, hour, minute, second) in UTC.
pub fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_formats_and_parses_back() {
        assert_eq!(format_rfc3339(EPOCH), "2026-01-15T09:00:00Z");
        assert_eq!(parse_rfc3339("2026-01-15T09:00:00Z"), Some(EPOCH));
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(parse_rfc3339("2024-02-29T23:59:59Z").map(format_rfc3339).as_deref(), Some("2024-02-29T23:59:59Z"));
        assert_eq!(parse_rfc3339("2024-02-29 23:59:59"), None);
    }
}
