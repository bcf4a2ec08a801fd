//! `kubectl create secret docker-registry NAME --docker-username --docker-password
//! [--docker-server] [--docker-email]` (or `--from-file` of existing docker configs).

use serde_json::{Map, Value, json};

use crate::programs::Ctx;
use crate::programs::kubectl::create::common::{self, Failure};
use crate::programs::kubectl::create::sources::{self, Data, Target};
use crate::programs::kubectl::flags::{FlagDef, FlagKind};
use crate::programs::kubectl::printers::KeyOrder;
use crate::programs::kubectl::printers::json::compact;

pub const FLAGS: &[FlagDef] = &[
    FlagDef::bool("append-hash"),
    FlagDef::string("docker-email"),
    FlagDef::string("docker-password"),
    FlagDef::string("docker-server"),
    FlagDef::string("docker-username"),
    FlagDef::new("from-file", None, FlagKind::StringSlice),
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    common::generate(ctx, args, "create secret docker-registry", FLAGS, &[], |ctx, req| {
        let p = req.parsed;
        let user = p.string("docker-username", "");
        let password = p.string("docker-password", "");
        let server = p.string("docker-server", "https://index.docker.io/v1/");
        let email = p.string("docker-email", "");
        let files = p.all("from-file");
        if files.is_empty() && (user.is_empty() || password.is_empty() || server.is_empty()) {
            return Err(Failure::plain(
                "either --from-file or the combination of --docker-username, --docker-password and --docker-server is required",
            ));
        }
        // With --from-file the files are the whole secret; the credential flags are ignored.
        let data = if files.is_empty() {
            let mut d = Data::new();
            d.insert(".dockerconfigjson".into(), docker_config(&server, &user, &password, &email).into_bytes());
            d
        } else {
            // A file without a key name becomes the `.dockerconfigjson` entry.
            let keyed: Vec<String> =
                files.iter().map(|f| if f.contains('=') { f.clone() } else { format!(".dockerconfigjson={f}") }).collect();
            sources::files(ctx, &keyed, Target::Secret, &req.name)?
        };
        Ok(vec![crate::programs::kubectl::create::secret::build(&req.name, &data, "kubernetes.io/dockerconfigjson", p.bool("append-hash"))])
    })
}

/// `{"auths":{SERVER:{"username","password","email"?,"auth"}}}` as Go marshals kubectl's
/// DockerConfigJSON struct.
pub fn docker_config(server: &str, user: &str, password: &str, email: &str) -> String {
    let mut entry = Map::new();
    entry.insert("username".into(), json!(user));
    entry.insert("password".into(), json!(password));
    if !email.is_empty() {
        entry.insert("email".into(), json!(email));
    }
    entry.insert("auth".into(), json!(super::b64(format!("{user}:{password}").as_bytes())));
    let mut auths = Map::new();
    auths.insert(server.to_string(), Value::Object(entry));
    compact(&json!({"auths": auths}), KeyOrder::AsBuilt)
}
