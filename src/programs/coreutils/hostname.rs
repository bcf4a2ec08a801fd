//! `hostname [-i|-I|-s|-f]`: the host the shell is on.

use crate::programs::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let host = ctx.host.clone();
    let ip = ctx.world.hosts.get(&host).map(|h| h.ip.clone()).unwrap_or_default();
    let line = match args.first().map(String::as_str) {
        None | Some("-s" | "--short" | "-f" | "--fqdn" | "--long") => host,
        Some("-i" | "--ip-address") => ip,
        Some("-I" | "--all-ip-addresses") => format!("{ip} "),
        Some(a) if a.starts_with('-') => {
            ctx.out.err(format!("hostname: invalid option -- '{}'\n", a.trim_start_matches('-').chars().next().unwrap_or('-')));
            return 1;
        }
        Some(_) => {
            ctx.out.err("hostname: you must be root to change the host name\n");
            return 1;
        }
    };
    ctx.out.out(format!("{line}\n"));
    0
}
