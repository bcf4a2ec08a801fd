//! Endpoints: port protocols default to TCP (`SetDefaults_Endpoints`).

use serde_json::{Value, json};

use super::{BASE, Strategy, default_key, each_in};

pub const STRATEGY: Strategy = Strategy { default, ..BASE };

fn default(obj: &mut Value) {
    let Some(root) = obj.as_object_mut() else { return };
    each_in(root, "subsets", |ss| each_in(ss, "ports", |p| default_key(p, "protocol", json!("TCP"))));
}
