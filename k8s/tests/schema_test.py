#!/usr/bin/python3
"""Schema validation of every rendered combination: installs the pinned
kubernetes-models (npm ci, from the committed package-lock.json, into
k8s/tests/schema/node_modules), checks that a malformed object is rejected,
then runs validate_manifests.py --schema. Exit 77 (skipped) with the reason
when node/npm are missing or the packages cannot be installed (offline)."""

import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "schema")


def main():
    for tool in ("node", "npm"):
        if not shutil.which(tool):
            print("SKIPPED: %s is not installed (Node 20 validates the schemas)" % tool)
            return 77
    r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=SCHEMA, capture_output=True, text=True)
    if r.returncode != 0:
        print("SKIPPED: npm ci in k8s/tests/schema failed (offline?):\n" + r.stderr[-2000:])
        return 77
    broken = [{"apiVersion": "apps/v1", "kind": "StatefulSet",
               "metadata": {"name": "broken"},
               "spec": {"template": {"spec": {"containers": [{
                   "name": "server",
                   "startupProbe": {"grpc": {"port": "grpc"}}}]}}}}]
    r = subprocess.run(["node", os.path.join(SCHEMA, "schema.js")],
                       input=json.dumps(broken), capture_output=True, text=True)
    if r.returncode != 1 or "selector" not in r.stdout or "port must be integer" not in r.stdout:
        print("FAIL: the schema check accepted a malformed StatefulSet:\n" + r.stdout + r.stderr)
        return 1
    print("malformed StatefulSet rejected: " + r.stdout.strip())
    return subprocess.call([sys.executable, os.path.join(HERE, "validate_manifests.py"),
                            "--schema"] + sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
