#!/usr/bin/python3
"""The validator must fail on a malformed manifest: for each breakage below,
copy k8s/ to a temporary folder, break one thing, run validate_manifests.py
on the copy and require a non-zero exit whose output names the problem.
Also requires the unbroken copy to pass, so a failure is the breakage's.
Exit 77 (skipped) when the validator itself skips (no kubectl / PyYAML)."""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
K8S = os.path.dirname(HERE)
REPO = os.path.dirname(K8S)
IGNORE = shutil.ignore_patterns("node_modules", "__pycache__")

# (what, file under k8s/, old text, new text, expected words in the output)
BREAKAGES = [
    ("probe on an undeclared port", "base/crime-recording.yaml",
     "          startupProbe:\n            grpc:\n              port: 50051",
     "          startupProbe:\n            grpc:\n              port: 50059",
     "startupProbe port 50059 is not a declared container port"),
    ("readiness on another service's health name", "base/workforce.yaml",
     "service: peel.workforce.v1.WorkforceService",
     "service: peel.soc.v1.SocDisruptionService",
     "readinessProbe asks health of 'peel.soc.v1.SocDisruptionService'"),
    ("an env var no server flag reads", "base/soc-disruptions.yaml",
     "            - name: FLAGS_drain_seconds\n",
     "            - name: FLAGS_drain_secs\n",
     "FLAGS_drain_secs names no flag soc-disruptions declares"),
    ("a flag set but not in --tryfromenv", "base/victim-service.yaml",
     "metrics_port,write_buffer_mb\n", "metrics_port\n",
     "FLAGS_write_buffer_mb is set but write_buffer_mb is not in --tryfromenv"),
    ("an unknown kind", "base/gateway.yaml",
     "kind: PodDisruptionBudget", "kind: PodDisruptionBudgett",
     "unknown apiVersion/kind policy/v1/PodDisruptionBudgett"),
    ("an inconsistent image name", "base/crime-recording.yaml",
     "image: peel/crime-recording", "image: peel/crime-recorder",
     "image 'peel/crime-recorder' is not peel/<binary>"),
    ("a writable root filesystem", "base/gateway.yaml",
     "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false",
     "readOnlyRootFilesystem is not true"),
    ("no memory limit", "base/workforce.yaml",
     "            limits:\n              cpu: \"1\"\n              memory: 512Mi\n",
     "            limits:\n              cpu: \"1\"\n",
     "resources.limits.memory missing"),
    ("the data dir off the volume", "base/crime-recording.yaml",
     "value: /var/lib/peel/crime-recording", "value: /srv/crime-recording",
     "FLAGS_data_dir /srv/crime-recording is not on a writable volume"),
    ("a force owned by two shards", "components/sharded/kustomization.yaml",
     "norfolk+suffolk@crime-recording-0.crime-recording-headless:50051,",
     "norfolk+suffolk@crime-recording-0.crime-recording-headless:50051,"
     "kent@",
     "force kent is owned by"),
    ("a shard address with no pod behind it", "components/sharded/kustomization.yaml",
     "workforce-1.workforce-headless:50053", "workforce-2.workforce-headless:50053",
     "workforce-2.workforce-headless is no pod of StatefulSet workforce"),
    ("a shard map leaving forces unowned", "components/sharded/kustomization.yaml",
     ",soc-disruptions-1.soc-disruptions-headless:50054",
     "",
     "soc_disruptions_addr: no shard owns"),
    ("a grading policy out of step with the gateway's", "base/policy/peel-2021-22.textproto",
     None, "# drifted\n", "differs from services/gateway/policy"),
    ("TLS keys on a writable mount", "components/tls/kustomization.yaml",
     "          readOnly: true", "          readOnly: false",
     "FLAGS_tls_cert /etc/peel/tls/server.pem is not on a read-only Secret volume"),
    ("the token key on a writable mount", "components/tls/kustomization.yaml",
     "          mountPath: /etc/peel/auth\n          readOnly: true",
     "          mountPath: /etc/peel/auth\n          readOnly: false",
     "FLAGS_auth_token_key_file /etc/peel/auth/auth-token.key is not on a read-only Secret volume"),
    ("probes left on the TLS port", "components/tls/kustomization.yaml",
     "startupProbe/grpc/port\n        value: 8081",
     "startupProbe/grpc/port\n        value: 50051",
     "startupProbe probes port 50051, not the health port"),
    ("YAML kustomize cannot render", "base/kustomization.yaml",
     "resources:\n", "resources:\n  - missing-file.yaml\n",
     "kubectl kustomize failed"),
]


def run(k8s, only=None):
    return subprocess.run(
        [sys.executable, os.path.join(HERE, "validate_manifests.py"), "--k8s", k8s,
         "--repo", REPO] + (["--only", only] if only else []),
        capture_output=True, text=True)


def main():
    failures = []
    with tempfile.TemporaryDirectory() as work:
        clean = os.path.join(work, "clean")
        shutil.copytree(K8S, clean, ignore=IGNORE)
        r = run(clean)
        if r.returncode == 77:
            print(r.stdout.strip())
            return 77
        if r.returncode != 0:
            print("the unbroken copy fails validation:\n" + r.stdout + r.stderr)
            return 1
        for i, (what, path, old, new, expect) in enumerate(BREAKAGES):
            copy = os.path.join(work, "broken%d" % i)
            shutil.copytree(K8S, copy, ignore=IGNORE)
            target = os.path.join(copy, path)
            text = open(target).read()
            if old is None:
                text += new
            else:
                if old not in text:
                    failures.append("%s: the text to break is not in %s" % (what, path))
                    continue
                text = text.replace(old, new, 1)
            open(target, "w").write(text)
            # One render shows the breakage: the base, or base+<component>
            # for a component's.
            r = run(copy, "base+sharded" if "sharded" in path else
                    "base+tls" if "components/tls/" in path else "base")
            ok = r.returncode == 1 and expect in r.stdout
            print("%-50s %s" % (what, "caught" if ok else "MISSED"))
            if not ok:
                failures.append("%s: exit %d, expected %r in:\n%s%s" %
                                (what, r.returncode, expect, r.stdout, r.stderr))
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
