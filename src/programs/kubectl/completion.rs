//! `kubectl completion SHELL`: a small completion script of our own for bash, zsh, fish and
//! PowerShell. In the simulated shell `source <(kubectl completion bash)` only has to be
//! accepted silently; the script registers `__start_kubectl` as real setups expect, so
//! `complete -o default -F __start_kubectl k` keeps working.

use super::flags::FlagDef;
use crate::programs::Ctx;

const FLAGS: &[FlagDef] = &[];

/// Comment lines and `complete` only, so kubetutor's shell sources it silently; the completion
/// itself is built into the shell, which knows kubectl's verbs from the verb table.
const BASH: &str = "# bash completion for kubectl (kubetutor)\n\
# Load it into the current shell with: source <(kubectl completion bash)\n\
# Alias completion, as the exam tips suggest: complete -o default -F __start_kubectl k\n\
complete -o default -F __start_kubectl kubectl\n";

const ZSH: &str = "#compdef kubectl\n\
compdef _kubectl kubectl\n\
\n\
# zsh completion for kubectl (kubetutor)\n\
# Load it in the current shell with: source <(kubectl completion zsh)\n\
\n\
_kubectl()\n\
{\n\
    local -a commands\n\
    commands=(annotate api-resources api-versions apply auth cluster-info completion config create delete describe edit events explain expose get kustomize label patch replace run scale set taint version wait)\n\
    _describe 'command' commands\n\
}\n\
\n\
if [ \"$funcstack[1]\" = \"_kubectl\" ]; then\n\
    _kubectl\n\
fi\n";

const FISH: &str = "# fish completion for kubectl (kubetutor)\n\
# Load it in the current shell with: kubectl completion fish | source\n\
complete -c kubectl -f -a 'annotate api-resources api-versions apply auth cluster-info completion config create delete describe edit events explain expose get kustomize label patch replace run scale set taint version wait'\n";

const POWERSHELL: &str = "# powershell completion for kubectl (kubetutor)\n\
Register-ArgumentCompleter -CommandName 'kubectl' -ScriptBlock {\n\
    param($wordToComplete)\n\
    'annotate','api-resources','api-versions','apply','auth','cluster-info','completion','config','create','delete','describe','edit','events','explain','expose','get','kustomize','label','patch','replace','run','scale','set','taint','version','wait' | Where-Object { $_ -like \"$wordToComplete*\" }\n\
}\n";

pub fn run(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let flags = match super::config::parse_or_help(
        ctx,
        "completion",
        FLAGS,
        args,
        "Print a completion script for bash, zsh, fish or powershell.\n\nUsage:\n  kubectl completion SHELL [options]",
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let usage = "See 'kubectl completion -h' for help and examples\n";
    match flags.args.as_slice() {
        [] => {
            ctx.out.err(format!("error: Shell not specified.\n{usage}"));
            1
        }
        [shell] => {
            let script = match shell.as_str() {
                "bash" => BASH,
                "zsh" => ZSH,
                "fish" => FISH,
                "powershell" => POWERSHELL,
                other => {
                    ctx.out.err(format!("error: Unsupported shell type \"{other}\".\n{usage}"));
                    return 1;
                }
            };
            ctx.out.out(script);
            0
        }
        _ => {
            ctx.out.err(format!("error: Too many arguments. Expected only the shell type.\n{usage}"));
            1
        }
    }
}
