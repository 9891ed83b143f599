#!/usr/bin/env python3
"""Writes the descriptions of the Kubernetes types the CRDs embed (EnvVar, Affinity, Toleration, ...) from
k8s.io/kubernetes' published OpenAPI (api/openapi-spec/swagger.json in the Go module testcluster/build
downloads), so that `kubectl explain` describes those fields as it does in a Pod. The build reads the
committed output (operator/src/main/resources/dev/mlops/operator/api/k8s-field-descriptions.json); rerun
this when KUBERNETES_VERSION changes:  testcluster/k8s-field-descriptions.py"""
import json, os, subprocess, sys

ROOTS = ["Affinity", "Condition", "EnvVar", "LabelSelector", "LocalObjectReference", "ResourceRequirements",
         "Toleration"]
here = os.path.dirname(os.path.abspath(__file__))
version = [l.split("=")[1].strip() for l in open(os.path.join(here, "versions.env")) if l.startswith("KUBERNETES_VERSION=")][0]
moddir = subprocess.check_output(["go", "list", "-m", "-f", "{{.Dir}}", "k8s.io/kubernetes"], cwd=here, text=True).strip()
swagger = json.load(open(os.path.join(moddir, "api/openapi-spec/swagger.json")))["definitions"]

def ref_of(schema):
    for s in (schema, schema.get("items") or {}, schema.get("additionalProperties") or {}):
        if isinstance(s, dict) and "$ref" in s:
            return s["$ref"].split("/")[-1]
    return None

def find(simple):
    for prefix in ("io.k8s.api.core.v1.", "io.k8s.apimachinery.pkg.apis.meta.v1."):
        if prefix + simple in swagger:
            return prefix + simple
    sys.exit("no definition for " + simple)

out, todo = {}, [find(r) for r in ROOTS]
while todo:
    name = todo.pop()
    if name in out:
        continue
    d = swagger[name]
    props = {}
    for p, s in (d.get("properties") or {}).items():
        ref = ref_of(s)
        props[p] = {"description": s.get("description", "")}
        if ref:
            props[p]["type"] = ref.split(".")[-1]
            todo.append(ref)
    out[name.split(".")[-1]] = {"description": d.get("description", ""), "properties": props}
target = os.path.join(here, "../operator/src/main/resources/dev/mlops/operator/api/k8s-field-descriptions.json")
with open(target, "w") as f:
    json.dump({"kubernetesVersion": version, "types": dict(sorted(out.items()))}, f, indent=1, sort_keys=False)
    f.write("\n")
print(target, len(out), "types")
