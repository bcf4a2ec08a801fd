//! `kubectl rollout status`: the status viewers of `pkg/polymorphichelpers/rollout_status.go`.
//! kubectl watches until the viewer says done; here the cluster has already settled, so one
//! look is all a watch would ever see, and an unfinished rollout ends as kubectl's watch does
//! when its time runs out.

use serde_json::Value;

use super::{Run, group_kind};
use crate::programs::Ctx;
use crate::programs::kubectl::resource_builder::{self as rb, CmdError};

fn num(o: &Value, ptr: &str) -> i64 {
    o.pointer(ptr).and_then(Value::as_i64).unwrap_or(0)
}

fn name(o: &Value) -> &str {
    o.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default()
}

/// One viewer's answer: the line to print and whether the rollout is done.
type Viewed = Result<(String, bool), String>;

/// `DeploymentStatusViewer.Status`.
fn deployment(d: &Value, revision: i64) -> Viewed {
    let n = name(d);
    if revision > 0 {
        // `deploymentutil.Revision`: no annotation is revision 0.
        let have = d.pointer("/metadata/annotations/deployment.kubernetes.io~1revision").and_then(Value::as_str).unwrap_or("0");
        let have: i64 = have
            .parse()
            .map_err(|_| format!("cannot get the revision of deployment \"{n}\": strconv.ParseInt: parsing \"{have}\": invalid syntax"))?;
        if have != revision {
            return Err(format!("desired revision ({revision}) is different from the running revision ({have})"));
        }
    }
    if num(d, "/metadata/generation") > num(d, "/status/observedGeneration") {
        return Ok(("Waiting for deployment spec update to be observed...\n".into(), false));
    }
    let progressing = crate::cluster::controllers::condition(d, "Progressing");
    if progressing.and_then(|c| c.get("reason")).and_then(Value::as_str) == Some("ProgressDeadlineExceeded") {
        return Err(format!("deployment \"{n}\" exceeded its progress deadline"));
    }
    let replicas = d.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1);
    let (updated, total, available) = (num(d, "/status/updatedReplicas"), num(d, "/status/replicas"), num(d, "/status/availableReplicas"));
    let waiting = |what: String| Ok((format!("Waiting for deployment \"{n}\" rollout to finish: {what}...\n"), false));
    if updated < replicas {
        return waiting(format!("{updated} out of {replicas} new replicas have been updated"));
    }
    if total > updated {
        return waiting(format!("{} old replicas are pending termination", total - updated));
    }
    if available < updated {
        return waiting(format!("{available} of {updated} updated replicas are available"));
    }
    Ok((format!("deployment \"{n}\" successfully rolled out\n"), true))
}

/// `DaemonSetStatusViewer.Status` (the revision is ignored: "DaemonSets does not have history yet").
fn daemon_set(ds: &Value) -> Viewed {
    let n = name(ds);
    if ds.pointer("/spec/updateStrategy/type").and_then(Value::as_str).unwrap_or("RollingUpdate") != "RollingUpdate" {
        return Err("rollout status is only available for RollingUpdate strategy type".into());
    }
    if num(ds, "/metadata/generation") > num(ds, "/status/observedGeneration") {
        return Ok(("Waiting for daemon set spec update to be observed...\n".into(), false));
    }
    let desired = num(ds, "/status/desiredNumberScheduled");
    let updated = num(ds, "/status/updatedNumberScheduled");
    let available = num(ds, "/status/numberAvailable");
    if updated < desired {
        return Ok((
            format!("Waiting for daemon set \"{n}\" rollout to finish: {updated} out of {desired} new pods have been updated...\n"),
            false,
        ));
    }
    if available < desired {
        return Ok((
            format!("Waiting for daemon set \"{n}\" rollout to finish: {available} of {desired} updated pods are available...\n"),
            false,
        ));
    }
    Ok((format!("daemon set \"{n}\" successfully rolled out\n"), true))
}

/// `StatefulSetStatusViewer.Status`.
fn stateful_set(sts: &Value) -> Viewed {
    if sts.pointer("/spec/updateStrategy/type").and_then(Value::as_str).unwrap_or("RollingUpdate") != "RollingUpdate" {
        return Err("rollout status is only available for RollingUpdate strategy type".into());
    }
    let observed = num(sts, "/status/observedGeneration");
    if observed == 0 || num(sts, "/metadata/generation") > observed {
        return Ok(("Waiting for statefulset spec update to be observed...\n".into(), false));
    }
    let replicas = sts.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1);
    let ready = num(sts, "/status/readyReplicas");
    if ready < replicas {
        return Ok((format!("Waiting for {} pods to be ready...\n", replicas - ready), false));
    }
    let updated = num(sts, "/status/updatedReplicas");
    if let Some(ru) = sts.pointer("/spec/updateStrategy/rollingUpdate").filter(|v| v.is_object()) {
        if let Some(p) = ru.get("partition").and_then(Value::as_i64)
            && updated < replicas - p
        {
            return Ok((
                format!("Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...\n", replicas - p),
                false,
            ));
        }
        return Ok((format!("partitioned roll out complete: {updated} new pods have been updated...\n"), true));
    }
    let rev = |f: &str| sts.pointer(&format!("/status/{f}")).and_then(Value::as_str).unwrap_or_default().to_string();
    if rev("updateRevision") != rev("currentRevision") {
        return Ok((
            format!("waiting for statefulset rolling update to complete {updated} pods at revision {}...\n", rev("updateRevision")),
            false,
        ));
    }
    Ok((
        format!(
            "statefulset rolling update complete {} pods at revision {}...\n",
            num(sts, "/status/currentReplicas"),
            rev("currentRevision")
        ),
        true,
    ))
}

pub(super) fn run(ctx: &mut Ctx<'_>, run: &Run<'_>, targets: Vec<Result<rb::Target, CmdError>>, watch: bool) -> Result<i32, String> {
    let mut found = false;
    for t in targets {
        // The visitor stops at the first error, as `r.Visit` does.
        let t = match t {
            Ok(t) => t,
            Err(e) => return Ok(rb::print_errors(ctx, &[e])),
        };
        found = true;
        let viewed = match t.res.kind.as_str() {
            "Deployment" => deployment(&t.object, run.revision),
            "DaemonSet" => daemon_set(&t.object),
            "StatefulSet" => stateful_set(&t.object),
            _ => Err(format!("no status viewer has been implemented for {}", group_kind(&t.res))),
        };
        let (line, done) = viewed?;
        ctx.out.out(line);
        if !done && watch {
            // Nothing changes while kubectl watches a settled world: this is where its
            // --timeout (or the learner's Ctrl-C) would end the watch.
            return Err("timed out waiting for the condition".into());
        }
    }
    if !found {
        ctx.out.err(format!("No resources found in {} namespace.\n", run.conn.namespace));
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deployment_lines_follow_the_viewer_order() {
        let d = json!({"metadata": {"name": "web", "generation": 2}, "spec": {"replicas": 3},
            "status": {"observedGeneration": 2, "replicas": 4, "updatedReplicas": 3, "availableReplicas": 3}});
        assert_eq!(
            deployment(&d, 0).unwrap().0,
            "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...\n"
        );
        let mut stale = d.clone();
        stale["status"]["observedGeneration"] = json!(1);
        assert_eq!(deployment(&stale, 0).unwrap().0, "Waiting for deployment spec update to be observed...\n");
        let mut done = d.clone();
        done["status"]["replicas"] = json!(3);
        assert_eq!(deployment(&done, 0).unwrap(), ("deployment \"web\" successfully rolled out\n".to_string(), true));
        let mut rev = done.clone();
        rev["metadata"]["annotations"] = json!({"deployment.kubernetes.io/revision": "2"});
        assert_eq!(deployment(&rev, 3).unwrap_err(), "desired revision (3) is different from the running revision (2)");
    }

    #[test]
    fn statefulset_without_partition_compares_revisions() {
        let s = json!({"metadata": {"name": "web", "generation": 1}, "spec": {"replicas": 2, "updateStrategy": {"type": "RollingUpdate"}},
            "status": {"observedGeneration": 1, "readyReplicas": 2, "updatedReplicas": 1, "currentReplicas": 1,
                "currentRevision": "web-a", "updateRevision": "web-b"}});
        assert_eq!(stateful_set(&s).unwrap().0, "waiting for statefulset rolling update to complete 1 pods at revision web-b...\n");
        let mut p = s.clone();
        p["spec"]["updateStrategy"]["rollingUpdate"] = json!({"partition": 0});
        assert_eq!(p["spec"]["updateStrategy"]["rollingUpdate"]["partition"], 0);
        assert_eq!(stateful_set(&p).unwrap().0, "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...\n");
    }
}
