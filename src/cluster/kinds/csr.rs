//! CertificateSigningRequests (`pkg/registry/certificates/certificates/strategy.go`): on create
//! the requester's identity replaces whatever the body said in `spec.username`, `spec.uid`,
//! `spec.groups` and `spec.extra`, and the status starts empty; an update keeps the stored spec
//! (approval and the certificate go through the `approval` and `status` subresources).

use serde_json::{Value, json};

use super::super::Cause;
use super::{BASE, Ctx, Strategy, empty_object, spec_mut};

pub const STRATEGY: Strategy =
    Strategy { before_create, prepare_update, status_subresource: true, initial_status: Some(empty_object), ..BASE };

fn before_create(obj: &mut Value, ctx: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    let (name, groups) = (ctx.user.name.clone(), ctx.user.groups.clone());
    if let Some(spec) = spec_mut(obj) {
        for key in ["username", "uid", "groups", "extra"] {
            spec.remove(key);
        }
        // Go's omitempty: an anonymous request leaves the fields out.
        if !name.is_empty() {
            spec.insert("username".into(), json!(name));
        }
        if !groups.is_empty() {
            spec.insert("groups".into(), json!(groups));
        }
    }
    Ok(())
}

fn prepare_update(obj: &mut Value, old: &Value, _: &mut Ctx<'_>) -> Result<(), Vec<Cause>> {
    if let (Some(root), Some(spec)) = (obj.as_object_mut(), old.get("spec")) {
        root.insert("spec".into(), spec.clone());
    }
    Ok(())
}
