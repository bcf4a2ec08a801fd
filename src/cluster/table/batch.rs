//! Table printers of batch/v1 kinds: Job (with the v1.35 STATUS column) and CronJob.

use serde_json::Value;

use super::{Cell, Ctx, Printer, age, arr_at, containers_and_images, int_at, name, or, str_at};
use crate::cluster::path::at;
use crate::cluster::selector::format_label_selector;

pub fn printer(group: &str, kind: &str) -> Option<&'static Printer> {
    if group != "batch" {
        return None;
    }
    Some(match kind {
        "Job" => &JOB,
        "CronJob" => &CRONJOB,
        _ => return None,
    })
}

fn condition(o: &Value, ty: &str) -> bool {
    arr_at(o, "/status/conditions")
        .iter()
        .any(|c| c.get("type").and_then(Value::as_str) == Some(ty) && c.get("status").and_then(Value::as_str) == Some("True"))
}

/// Job STATUS, first match wins.
pub fn job_status(o: &Value) -> &'static str {
    if condition(o, "Complete") {
        "Complete"
    } else if condition(o, "Failed") {
        "Failed"
    } else if at(o, "/metadata/deletionTimestamp").is_some_and(|v| !v.is_null()) {
        "Terminating"
    } else if condition(o, "Suspended") {
        "Suspended"
    } else if condition(o, "FailureTarget") {
        "FailureTarget"
    } else if condition(o, "SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    }
}

/// Job COMPLETIONS.
pub fn job_completions(o: &Value) -> String {
    let succeeded = int_at(o, "/status/succeeded");
    match at(o, "/spec/completions").and_then(Value::as_i64) {
        Some(c) => format!("{succeeded}/{c}"),
        None => {
            let p = at(o, "/spec/parallelism").and_then(Value::as_i64).unwrap_or(1);
            if p > 1 { format!("{succeeded}/1 of {p}") } else { format!("{succeeded}/1") }
        }
    }
}

/// Job DURATION.
pub fn job_duration(o: &Value, now: i64) -> String {
    let t = |p: &str| at(o, p).and_then(Value::as_str).and_then(super::duration::parse_time);
    match (t("/status/startTime"), t("/status/completionTime")) {
        (None, _) => String::new(),
        (Some(s), None) => super::human_duration(now - s),
        (Some(s), Some(c)) => super::human_duration(c - s),
    }
}

static JOB: Printer = Printer {
    columns: &[
        ("Name", 0),
        ("Status", 0),
        ("Completions", 0),
        ("Duration", 0),
        ("Age", 0),
        ("Containers", 1),
        ("Images", 1),
        ("Selector", 1),
    ],
    row: |o, ctx| {
        let (c, i) = containers_and_images(at(o, "/spec/template/spec"));
        let sel = crate::cluster::selector::from_label_selector_object(at(o, "/spec/selector").unwrap_or(&Value::Null)).to_string();
        vec![
            name(o).into(),
            job_status(o).into(),
            job_completions(o).into(),
            job_duration(o, ctx.now).into(),
            age(o, ctx.now).into(),
            c.into(),
            i.into(),
            sel.into(),
        ]
    },
};

static CRONJOB: Printer = Printer {
    columns: &[
        ("Name", 0),
        ("Schedule", 0),
        ("Timezone", 0),
        ("Suspend", 0),
        ("Active", 0),
        ("Last Schedule", 0),
        ("Age", 0),
        ("Containers", 1),
        ("Images", 1),
        ("Selector", 1),
    ],
    row: cronjob_row,
};

fn cronjob_row(o: &Value, ctx: &Ctx<'_>) -> Vec<Cell> {
    let (c, i) = containers_and_images(at(o, "/spec/jobTemplate/spec/template/spec"));
    let suspend = match at(o, "/spec/suspend").and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    let last = if at(o, "/status/lastScheduleTime").and_then(Value::as_str).is_some() {
        super::since(o, "/status/lastScheduleTime", ctx.now)
    } else {
        "<none>".to_string()
    };
    vec![
        name(o).into(),
        str_at(o, "/spec/schedule").unwrap_or_default().into(),
        or(str_at(o, "/spec/timeZone"), "<none>").into(),
        suspend.into(),
        Cell::Int(arr_at(o, "/status/active").len() as i64),
        last.into(),
        age(o, ctx.now).into(),
        c.into(),
        i.into(),
        format_label_selector(at(o, "/spec/jobTemplate/spec/selector")).into(),
    ]
}
