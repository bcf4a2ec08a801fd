#!/usr/bin/env python3
"""Writes the OpenAPI v3 documents a kubeadm v1.35 API server publishes, for kubectl-stub.

    tests/golden/explain/build-openapi.py SWAGGER.json OUTDIR

SWAGGER.json is kubernetes/kubernetes v1.35.0 `api/openapi-spec/swagger.json` (see
assets/openapi/README.md). OUTDIR receives:

- `v3/<api/v1 | apis/GROUP/VERSION>.json`: one document per group/version, as served at
  /openapi/v3/<that path>: its operations (only their x-kubernetes-group-version-kind, which is all
  kubectl explain reads) and every definition as `components.schemas`, converted to v3 by
  assets/openapi/build.py's `to_v3` (`#/components/schemas/` references, `allOf` around a reference
  with its own description, Quantity and IntOrString as `oneOf`). The real server sends only the
  schemas a group/version references; explain finds its schema by GVK, so the extra ones change
  nothing it prints.
- `v3/root.json`: the /openapi/v3 discovery document (paths -> serverRelativeURL).
Only the group/versions of the kubeadm discovery in assets/discovery/ are published.
- `scenario.json`: a kubectl-stub scenario serving all of them with bodyFile routes.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "assets", "openapi"))
from build import to_v3  # noqa: E402

DISCOVERY = os.environ.get("DISCOVERY", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "assets", "discovery"))
METHODS = ("get", "put", "post", "delete", "patch")


def group_version_of(path):
    parts = path.strip("/").split("/")
    if parts[0] == "api" and len(parts) >= 2:
        return "api/" + parts[1]
    if parts[0] == "apis" and len(parts) >= 3:
        return "apis/" + parts[1] + "/" + parts[2]
    return None


def main():
    swagger_file, out = sys.argv[1], sys.argv[2]
    # Only the group/versions a kubeadm v1.35 cluster serves (its discovery) are published.
    served = {"api/v1"}
    with open(os.path.join(DISCOVERY, "servergroups.json"), encoding="utf-8") as f:
        for group in json.load(f)["groups"]:
            served.update("apis/" + v["groupVersion"] for v in group["versions"] if group["name"])
    with open(swagger_file, encoding="utf-8") as f:
        swagger = json.load(f)
    schemas = to_v3(swagger["definitions"], "#/components/schemas/", keep=None)
    docs = {}
    for path, item in swagger["paths"].items():
        gv = group_version_of(path)
        if gv not in served:
            continue
        ops = {}
        for method in METHODS:
            op = item.get(method)
            if op and "x-kubernetes-group-version-kind" in op:
                ops[method] = {"x-kubernetes-group-version-kind": op["x-kubernetes-group-version-kind"],
                               "responses": {"200": {"description": "OK"}}}
        if ops:
            docs.setdefault(gv, {})[path] = ops
    os.makedirs(os.path.join(out, "v3"), exist_ok=True)
    root = {"paths": {}}
    routes = [{"path": "/openapi/v3", "bodyFile": "v3/root.json"}]
    for gv, paths in sorted(docs.items()):
        name = gv.replace("/", "_") + ".json"
        doc = {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.35.2"}, "paths": paths,
               "components": {"schemas": schemas}}
        with open(os.path.join(out, "v3", name), "w", encoding="utf-8") as f:
            json.dump(doc, f, separators=(",", ":"))
        root["paths"][gv] = {"serverRelativeURL": f"/openapi/v3/{gv}?hash=stub{len(routes)}"}
        routes.append({"path": f"/openapi/v3/{gv}", "bodyFile": f"v3/{name}"})
    with open(os.path.join(out, "v3", "root.json"), "w", encoding="utf-8") as f:
        json.dump(root, f)
    scenario = {"comment": "OpenAPI v3 documents of a v1.35 API server, built by build-openapi.py", "routes": routes}
    extra = os.environ.get("EXTRA_SCENARIO")
    if extra:
        with open(extra, encoding="utf-8") as f:
            more = json.load(f)
        scenario["routes"] = more.get("routes", []) + scenario["routes"]
        if "extraDiscovery" in more:
            scenario["extraDiscovery"] = more["extraDiscovery"]
    with open(os.path.join(out, "scenario.json"), "w", encoding="utf-8") as f:
        json.dump(scenario, f, indent=1)


if __name__ == "__main__":
    main()
