# Shared by the golden capture scripts (sourced, not run).

# run_reference HOME LINE WORK TIMEOUT: runs one command line under bash in HOME, with `kubectl`
# and `k` being the reference binary $ref; stdout/stderr go to WORK/stdout and WORK/stderr, the
# exit status to $status.
run_reference() {
  local home=$1 line=$2 work=$3 limit=$4
  set +e
  (cd "$home" && HOME=$home PATH=/usr/bin:/bin REF=$ref timeout "$limit" bash -c '
      unset KUBECONFIG
      kubectl() { "$REF" "$@"; }
      k() { "$REF" "$@"; }
      export -f kubectl k
      eval "$1"' capture "$line" >"$work/stdout" 2>"$work/stderr")
  status=$?
  set -e
}

# write_case DIR N LINE WORK STATUS: writes DIR/NNN-slug.json from a run's outputs.
write_case() {
  local dir=$1 n=$2 line=$3 work=$4 st=$5 slug out
  slug=$(printf '%s' "$line" | tr -cs 'A-Za-z0-9' '-' | cut -c1-60 | sed 's/-$//')
  out=$(printf '%s/%03d-%s.json' "$dir" "$n" "$slug")
  python3 - "$line" "$work/stdout" "$work/stderr" "$st" "$out" <<'PY'
import json, sys
cmd, so, se, st, out = sys.argv[1:]
case = {"command": cmd, "stdout": open(so, encoding="utf-8", errors="replace").read(),
        "stderr": open(se, encoding="utf-8", errors="replace").read(), "exit": int(st)}
with open(out, "w") as f:
    json.dump(case, f, indent=2, ensure_ascii=False)
    f.write("\n")
PY
}
