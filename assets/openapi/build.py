#!/usr/bin/env python3
"""Builds definitions.json, the schemas `kubectl explain` renders, from the upstream swagger.

    assets/openapi/build.py SWAGGER.json > assets/openapi/definitions.json

Input: kubernetes/kubernetes v1.35.0 `api/openapi-spec/swagger.json` (see README.md). Output: one
minified JSON object, definition name -> schema, holding only what explain reads (description,
type, properties, items, additionalProperties, $ref, allOf, required, enum,
x-kubernetes-group-version-kind), already in the OpenAPI v3 form the API server publishes under
/openapi/v3 (`to_v3`). References are bare definition names.
"""
import json
import sys

KEEP = ("description", "type", "properties", "items", "additionalProperties", "$ref", "allOf", "required", "enum",
        "x-kubernetes-group-version-kind")

# Types whose Go implementation declares OpenAPIV3OneOfTypes (k8s.io/apimachinery resource.Quantity:
# string|number, intstr.IntOrString: integer|string): in v3 they have `oneOf` and no `type`, so explain
# shows their names (<Quantity>, <IntOrString>) where the v2 spec says string.
ONE_OF = {
    "io.k8s.apimachinery.pkg.api.resource.Quantity": [{"type": "string"}, {"type": "number"}],
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": [{"type": "integer"}, {"type": "string"}],
}


def convert(schema, ref_prefix, keep):
    """One schema in v3 form: OpenAPI 3.0 ignores the siblings of a $ref, so the server wraps a
    reference that has any sibling (a description, an extension) into `allOf: [{$ref}]` beside them
    (kube-openapi pkg/builder3/util WrapRefs)."""
    out = {}
    for key, value in schema.items():
        if keep is not None and key not in keep:
            continue
        if key == "$ref":
            out[key] = ref_prefix + value.rsplit("/", 1)[-1]
        elif key == "properties":
            out[key] = {name: convert(p, ref_prefix, keep) for name, p in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = convert(value, ref_prefix, keep)
        else:
            out[key] = value
    if "$ref" in out and any(k != "$ref" for k in schema):
        out["allOf"] = [{"$ref": out.pop("$ref")}]
    return out


def to_v3(definitions, ref_prefix, keep=KEEP):
    result = {}
    for name, schema in definitions.items():
        converted = convert(schema, ref_prefix, keep)
        if name in ONE_OF:
            converted.pop("type", None)
            converted["oneOf"] = ONE_OF[name]
            if keep is not None:
                converted.pop("oneOf")
        result[name] = converted
    return result


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        swagger = json.load(f)
    defs = to_v3(swagger["definitions"], "")
    json.dump(defs, sys.stdout, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
