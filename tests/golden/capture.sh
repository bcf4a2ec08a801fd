#!/usr/bin/env bash
# Captures golden outputs from the real kubectl v1.35.2 (the reference binary).
#
#   tests/golden/capture.sh SUITE
#
# reads tests/golden/SUITE/commands.txt (one shell command line per line; blank lines and lines
# starting with '#' are skipped) and writes tests/golden/SUITE/NNN-slug.json for each, replacing
# the suite's old cases. Each line runs under bash in a fresh HOME that holds the default world's
# ~/.kube/config (taken from kubetutor itself) and the v1.35 discovery cache for its server, so
# client-side commands behave exactly as they would on the exam's controlplane. `kubectl` and `k`
# are the reference binary. Lines whose real run needed the network, printed klog lines or
# mentioned the temporary directory are reported and skipped: they cannot be golden.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
suite=${1:?usage: capture.sh SUITE}
dir=$top/tests/golden/$suite
list=$dir/commands.txt
[[ -f $list ]] || { echo "capture.sh: $list not found" >&2; exit 2; }
shared=${KUBETUTOR_SHARED:-$top/../shared}
ref=$("$shared/tools/reference-kubectl")
cargo build -q --manifest-path "$top/Cargo.toml"
kubetutor=$top/target/debug/kubetutor

rm -f "$dir"/[0-9][0-9][0-9]-*.json
n=0
while IFS= read -r line || [[ -n $line ]]; do
  [[ -z ${line// } || $line == \#* ]] && continue
  n=$((n + 1))
  work=$(mktemp -d)
  home=$work/root
  mkdir -p "$home/.kube/cache/discovery"
  cp -r "$shared/tools/discovery-cache/discovery/127.0.0.1_1" "$home/.kube/cache/discovery/172.30.1.2_6443"
  find "$home/.kube/cache" -type f -exec touch {} +
  "$kubetutor" sh -c 'cat /root/.kube/config' >"$home/.kube/config"
  run_reference "$home" "$line" "$work" 20
  if grep -qE 'dial tcp|Unable to connect|connection refused|^[IWEF][0-9]{4} ' "$work/stdout" "$work/stderr" || grep -qF "$work" "$work/stdout" "$work/stderr" || [[ $status == 124 ]]; then
    echo "skipped (not capturable offline): $line" >&2
    rm -rf "$work"
    continue
  fi
  write_case "$dir" "$n" "$line" "$work" "$status"
  rm -rf "$work"
done <"$list"
echo "captured $(ls "$dir"/[0-9][0-9][0-9]-*.json 2>/dev/null | wc -l) cases in $dir"
