//! Job control builtins: `jobs`, `fg`, `bg`, `wait`, `kill`. A background job runs to completion
//! when it starts (the simulation never blocks); until its `Done` notice it stays in the table, so
//! these commands find it as bash finds a job that is still running: `kill %1` ends it (its notice
//! then says `Terminated`), `fg %1` brings it back (printing its command) and returns its status.

use super::exec::{Shell, job_line};
use super::session::Job;
use crate::programs::Output;

/// Resolves `%N`, `%%`, `%+`, `%-`, `%string` or (when `pids`) a process id to a job index.
fn find_job(jobs: &[Job], spec: &str) -> Option<usize> {
    let newest = jobs.iter().enumerate().max_by_key(|(_, j)| j.id).map(|(i, _)| i);
    match spec {
        "%" | "%%" | "%+" => newest,
        "%-" => {
            let n = newest?;
            jobs.iter().enumerate().filter(|(i, _)| *i != n).max_by_key(|(_, j)| j.id).map(|(i, _)| i).or(Some(n))
        }
        s if s.starts_with('%') => {
            let rest = &s[1..];
            match rest.parse::<usize>() {
                Ok(n) => jobs.iter().position(|j| j.id == n),
                Err(_) => jobs.iter().position(|j| j.command.starts_with(rest)),
            }
        }
        _ => None,
    }
}

pub fn jobs(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let pids_only = argv[1..].iter().any(|a| a == "-p");
    let long = argv[1..].iter().any(|a| a == "-l");
    let specs: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
    let all = sh.session.frame().jobs.clone();
    let mut chosen = Vec::new();
    let mut status = 0;
    if specs.is_empty() {
        chosen = (0..all.len()).collect();
    }
    for s in specs {
        match find_job(&all, s) {
            Some(i) => chosen.push(i),
            None => {
                out.err(format!("bash: jobs: {s}: no such job\n"));
                status = 1;
            }
        }
    }
    for &i in &chosen {
        let j = &all[i];
        if pids_only {
            out.out(format!("{}\n", j.pid));
        } else if long {
            let line = job_line(&all, j, false);
            let (head, rest) = line.split_at(line.find("  ").unwrap_or(0));
            out.out(format!("{head} {}{rest}", j.pid));
        } else {
            out.out(job_line(&all, j, false));
        }
    }
    // A finished job is forgotten once `jobs` has shown it.
    if !pids_only {
        let ids: Vec<usize> = chosen.iter().map(|&i| all[i].id).collect();
        sh.session.frame_mut().jobs.retain(|j| !ids.contains(&j.id));
    }
    status
}

fn no_job_control(sh: &Shell<'_>, name: &str, out: &mut Output) -> bool {
    if !sh.interactive {
        out.err(format!("bash: {name}: no job control\n"));
        return true;
    }
    false
}

pub fn fg(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    if no_job_control(sh, "fg", out) {
        return 1;
    }
    let spec = argv.get(1).map_or("%+", String::as_str);
    let jobs = &sh.session.frame().jobs;
    let Some(i) = find_job(jobs, spec) else {
        let shown = if argv.len() > 1 { spec } else { "current" };
        out.err(format!("bash: fg: {shown}: no such job\n"));
        return 1;
    };
    // bash prints the command it brings to the foreground, then waits for it.
    let job = sh.session.frame_mut().jobs.remove(i);
    out.out(format!("{}\n", job.command));
    job.status
}

pub fn bg(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    if no_job_control(sh, "bg", out) {
        return 1;
    }
    let spec = argv.get(1).map_or("%+", String::as_str);
    let jobs = &sh.session.frame().jobs;
    match find_job(jobs, spec) {
        Some(i) => {
            out.err(format!("bash: bg: job {} already in background\n", jobs[i].id));
            0
        }
        None => {
            let shown = if argv.len() > 1 { spec } else { "current" };
            out.err(format!("bash: bg: {shown}: no such job\n"));
            1
        }
    }
}

pub fn wait(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let specs: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-') || a.starts_with("%-")).collect();
    if specs.is_empty() {
        return 0;
    }
    let mut status = 0;
    for s in specs {
        let jobs = &sh.session.frame().jobs;
        let found = if s.starts_with('%') {
            find_job(jobs, s).ok_or_else(|| format!("bash: wait: {s}: no such job\n"))
        } else {
            match s.parse::<u32>() {
                Ok(pid) => {
                    jobs.iter().position(|j| j.pid == pid).ok_or_else(|| format!("bash: wait: pid {pid} is not a child of this shell\n"))
                }
                Err(_) => Err(format!("bash: wait: `{s}': not a pid or valid job spec\n")),
            }
        };
        status = match found {
            Ok(i) => jobs[i].status,
            Err(e) => {
                out.err(e);
                127
            }
        };
    }
    status
}

pub fn kill(sh: &mut Shell<'_>, argv: &[String], _: &[(String, String)], _: &[u8], out: &mut Output) -> i32 {
    let mut signal = 15;
    let mut args: Vec<&String> = Vec::new();
    let mut it = argv[1..].iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-l" | "-L" => {
                out.out(" 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n 6) SIGABRT\t 7) SIGBUS\t 8) SIGFPE\t 9) SIGKILL\t10) SIGUSR1\n11) SIGSEGV\t12) SIGUSR2\t13) SIGPIPE\t14) SIGALRM\t15) SIGTERM\n");
                return 0;
            }
            "-s" | "-n" => {
                if let Some(v) = it.next() {
                    signal = signal_number(v).unwrap_or(15);
                }
            }
            s if s.starts_with('-') && args.is_empty() && s.len() > 1 => match signal_number(&s[1..]) {
                Some(n) => signal = n,
                None => {
                    out.err(format!("bash: kill: {}: invalid signal specification\n", &s[1..]));
                    return 1;
                }
            },
            _ => args.push(a),
        }
    }
    if args.is_empty() {
        out.err("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
        return 2;
    }
    let mut status = 0;
    for a in args {
        let jobs = &sh.session.frame().jobs;
        let idx = if a.starts_with('%') {
            match find_job(jobs, a) {
                Some(i) => Some(i),
                None => {
                    out.err(format!("bash: kill: {a}: no such job\n"));
                    status = 1;
                    continue;
                }
            }
        } else {
            match a.parse::<u32>() {
                Ok(pid) => jobs.iter().position(|j| j.pid == pid),
                Err(_) => {
                    out.err(format!("bash: kill: {a}: arguments must be process or job IDs\n"));
                    status = 1;
                    continue;
                }
            }
        };
        match idx {
            // Signal 0 only asks whether the job exists.
            Some(i) if signal != 0 => sh.session.frame_mut().jobs[i].status = 128 + signal,
            Some(_) => {}
            None => {
                out.err(format!("bash: kill: ({a}) - No such process\n"));
                status = 1;
            }
        }
    }
    status
}

fn signal_number(s: &str) -> Option<i32> {
    if let Ok(n) = s.parse::<i32>() {
        return (0..=64).contains(&n).then_some(n);
    }
    let name = s.trim_start_matches("SIG");
    Some(match name.to_ascii_uppercase().as_str() {
        "HUP" => 1,
        "INT" => 2,
        "QUIT" => 3,
        "KILL" => 9,
        "USR1" => 10,
        "USR2" => 12,
        "TERM" => 15,
        "CONT" => 18,
        "STOP" => 19,
        _ => return None,
    })
}
