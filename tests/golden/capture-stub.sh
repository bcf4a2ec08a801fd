#!/usr/bin/env bash
# Captures golden outputs from the real kubectl v1.35.2 talking to kubectl-stub, for commands that
# need server answers capture.sh cannot give offline (kubectl explain reads /openapi/v3).
#
#   tests/golden/capture-stub.sh SUITE
#
# tests/golden/SUITE/scenario.sh OUTDIR must write OUTDIR/scenario.json, the stub scenario (its
# bodyFile paths relative to OUTDIR). One stub serves every line of tests/golden/SUITE/commands.txt
# (same format as for capture.sh); files under OUTDIR/files/ are served on $FILES_PORT. Each line
# runs under bash in a fresh HOME whose kubeconfig points at the stub, with an empty discovery cache,
# and `kubectl`/`k` being the reference binary. Cases are written as NNN-slug.json, replacing the
# suite's old ones. Lines whose output shows the stub's
# address or temporary paths, or that timed out, are reported and skipped.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
suite=${1:?usage: capture-stub.sh SUITE}
dir=$top/tests/golden/$suite
list=$dir/commands.txt
[[ -f $list && -x $dir/scenario.sh ]] || { echo "capture-stub.sh: need $list and an executable $dir/scenario.sh" >&2; exit 2; }
shared=${KUBETUTOR_SHARED:-$top/../shared}
ref=$("$shared/tools/reference-kubectl")
stubdir=$(mktemp -d)
stub_pid=
files_pid=
cleanup() {
  [[ -n $stub_pid ]] && kill "$stub_pid" 2>/dev/null || true
  [[ -n $files_pid ]] && kill "$files_pid" 2>/dev/null || true
  rm -rf "$stubdir"
}
trap cleanup EXIT
# Binary bodies (the stub serves text only) go in OUTDIR/files/, served on FILES_PORT by a plain
# loopback file server; the scenario redirects kubectl there.
FILES_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export FILES_PORT
"$dir/scenario.sh" "$stubdir/scenario"
if [[ -d $stubdir/scenario/files ]]; then
  python3 -m http.server "$FILES_PORT" --bind 127.0.0.1 --directory "$stubdir/scenario/files" >/dev/null 2>&1 &
  files_pid=$!
fi
python3 "$shared/tools/kubectl-stub/stub.py" "$stubdir/scenario/scenario.json" --port 0 --port-file "$stubdir/port" \
  --log "$stubdir/requests.log" --exit-with-parent &
stub_pid=$!
for _ in $(seq 100); do [[ -s $stubdir/port ]] && break; sleep 0.1; done
port=$(cat "$stubdir/port")

rm -f "$dir"/[0-9][0-9][0-9]-*.json
n=0
while IFS= read -r line || [[ -n $line ]]; do
  [[ -z ${line// } || $line == \#* ]] && continue
  n=$((n + 1))
  work=$(mktemp -d)
  home=$work/root
  mkdir -p "$home/.kube"
  cat >"$home/.kube/config" <<KCFG
apiVersion: v1
kind: Config
clusters:
- cluster:
    server: http://127.0.0.1:$port
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
users:
- name: kubernetes-admin
  user:
    token: stub
KCFG
  run_reference "$home" "$line" "$work" 30
  if grep -qE "127\.0\.0\.1:$port|^[IWEF][0-9]{4} " "$work/stdout" "$work/stderr" || grep -qF "$work" "$work/stdout" "$work/stderr" || [[ $status == 124 ]]; then
    echo "skipped (shows the stub or timed out): $line" >&2
    rm -rf "$work"
    continue
  fi
  write_case "$dir" "$n" "$line" "$work" "$status"
  rm -rf "$work"
done <"$list"
echo "captured $(ls "$dir"/[0-9][0-9][0-9]-*.json 2>/dev/null | wc -l) cases in $dir"
