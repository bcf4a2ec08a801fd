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
- `files/openapi/v2`: the /openapi/v2 document, in the protobuf form kubectl asks for (gnostic openapi_v2), for
  `kubectl explain -o plaintext-openapiv2`.
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


def crd_schemas(crd, schemas):
    """The component schemas a CRD's served versions publish (apiextensions-apiserver
    pkg/controller/openapi/builder buildKubeNative; see src/programs/kubectl/explain/crd.rs)."""
    pod = schemas["io.k8s.api.core.v1.Pod"]["properties"]
    meta = {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}],
            "description": pod["metadata"]["description"]}

    def embedded(s):
        for v in s.get("properties", {}).values():
            embedded(v)
        for key in ("items", "additionalProperties"):
            if isinstance(s.get(key), dict):
                embedded(s[key])
        if s.get("x-kubernetes-embedded-resource") is True:
            props = s.setdefault("properties", {})
            props["apiVersion"] = dict(pod["apiVersion"], description="apiVersion defines the versioned schema of this representation of an object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources")
            props["kind"] = dict(pod["kind"], description="kind is a string value representing the type of this object. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds")
            props["metadata"] = meta
            req = s.setdefault("required", [])
            for name in ("kind", "apiVersion"):
                if name not in req:
                    req.append(name)

    group, names = crd["spec"]["group"], crd["spec"]["names"]
    out = {}
    for version in crd["spec"]["versions"]:
        if not version.get("served", True):
            continue
        root = json.loads(json.dumps(version.get("schema", {}).get("openAPIV3Schema", {"type": "object"})))
        embedded(root)
        props = root.setdefault("properties", {})
        props["metadata"] = meta
        props["apiVersion"] = pod["apiVersion"]
        props["kind"] = pod["kind"]
        root["x-kubernetes-group-version-kind"] = [{"group": group, "version": version["name"], "kind": names["kind"]}]
        name = ".".join(reversed(group.split("."))) + "." + version["name"] + "." + names["kind"]
        out[version["name"]] = (name, root)
    return out


def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(number, payload):
    """A length-delimited protobuf field (strings and embedded messages)."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _schema_pb(s):
    """gnostic openapi_v2.Schema (google/gnostic-models openapiv2/OpenAPIv2.proto) of a v2 schema."""
    out = b""
    if "$ref" in s:
        out += _field(1, s["$ref"])
    if "format" in s:
        out += _field(2, s["format"])
    if "description" in s:
        out += _field(4, s["description"])
    for name in s.get("required", []):
        out += _field(19, name)
    ap = s.get("additionalProperties")
    if isinstance(ap, dict):
        out += _field(21, _field(1, _schema_pb(ap)))
    elif isinstance(ap, bool):
        out += _field(21, _varint(2 << 3) + _varint(int(ap)))
    if "type" in s:
        out += _field(22, _field(1, s["type"]))
    if isinstance(s.get("items"), dict):
        out += _field(23, _field(1, _schema_pb(s["items"])))
    if "properties" in s:
        named = b"".join(_field(1, _field(1, k) + _field(2, _schema_pb(v))) for k, v in s["properties"].items())
        out += _field(25, named)
    for key, value in s.items():
        if key.startswith("x-"):
            out += _field(31, _field(1, key) + _field(2, _field(2, json.dumps(value))))
    return out


def openapi_v2_pb(definitions):
    """The /openapi/v2 protobuf document (swagger, info and definitions: what explain reads)."""
    info = _field(1, "Kubernetes") + _field(2, "v1.35.2")
    defs = b"".join(_field(1, _field(1, name) + _field(2, _schema_pb(schema))) for name, schema in definitions.items())
    return _field(1, "2.0") + _field(2, info) + _field(9, defs)


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
    # CRDS: comma-separated CRD JSON files whose groups are added (documents and discovery).
    extra_discovery = {}
    for crd_file in filter(None, os.environ.get("CRDS", "").split(",")):
        with open(crd_file, encoding="utf-8") as f:
            crd = json.load(f)
        group, names = crd["spec"]["group"], crd["spec"]["names"]
        namespaced = crd["spec"].get("scope") == "Namespaced"
        for version, (name, root) in crd_schemas(crd, schemas).items():
            gv = f"apis/{group}/{version}"
            scope = "/namespaces/{namespace}" if namespaced else ""
            gvk = {"group": group, "version": version, "kind": names["kind"]}
            docs.setdefault(gv, {})[f"/{gv}{scope}/{names['plural']}"] = {
                "get": {"x-kubernetes-group-version-kind": gvk, "responses": {"200": {"description": "OK"}}}}
            schemas = dict(schemas, **{name: root})
            extra_discovery.setdefault(f"{group}/{version}", []).append({
                "name": names["plural"], "singularName": names.get("singular", ""), "namespaced": namespaced,
                "kind": names["kind"], "shortNames": names.get("shortNames", []),
                "verbs": ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"]})
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
    # kubectl-stub serves text bodies only, so the binary v2 document sits under files/, which
    # capture-stub.sh serves on FILES_PORT, and the stub redirects kubectl there.
    os.makedirs(os.path.join(out, "files", "openapi"), exist_ok=True)
    with open(os.path.join(out, "files", "openapi", "v2"), "wb") as f:
        f.write(openapi_v2_pb(swagger["definitions"]))
    if os.environ.get("FILES_PORT"):
        routes.append({"path": "/openapi/v2", "status": 307, "body": "",
                       "headers": {"Location": f"http://127.0.0.1:{os.environ['FILES_PORT']}/openapi/v2"}})
    with open(os.path.join(out, "v3", "root.json"), "w", encoding="utf-8") as f:
        json.dump(root, f)
    scenario = {"comment": "OpenAPI v3 documents of a v1.35 API server, built by build-openapi.py", "routes": routes}
    if extra_discovery:
        scenario["extraDiscovery"] = extra_discovery
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
