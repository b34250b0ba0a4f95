#!/usr/bin/python3
"""Renders every overlay x component combination of k8s/ with `kubectl
kustomize` and checks each object against what the servers really do.

  validate_manifests.py [--k8s DIR] [--repo DIR] [--kubectl PATH]

Checks, per rendered object:
  - apiVersion/kind known, metadata.name a DNS-1123 name, required fields;
  - workloads: selector matches the pod labels, ServiceAccount exists,
    StatefulSet serviceName is a headless Service, every volumeMount names
    a volume or claim template;
  - containers: image peel/<binary> with the same tag across the render,
    the binary's app.kubernetes.io/name, probes (startup, liveness on "",
    readiness on the service's own health name) on a declared numeric
    container port, non-root / drop ALL / read-only root / no privilege
    escalation, requests and limits for cpu and memory;
  - flags: every FLAGS_<name> variable names a flag the binary declares
    (ABSL_FLAG in common/server/flags.cc and services/<binary>/main.cc) and is
    listed in --tryfromenv, every --tryfromenv name is a declared flag,
    FLAGS_port / FLAGS_metrics_port agree with the container ports and the
    prometheus.io/port annotation, FLAGS_data_dir lies on a writable volume,
    FLAGS_policy on a mounted ConfigMap key;
  - Services: selector selects a workload, named targetPorts exist, the
    client Service's port is named grpc;
  - the gateway's shard maps: known forces, none owned twice, at most one
    catch-all shard, none left unowned, addresses resolve to a Service (or a
    StatefulSet pod ordinal below its replicas) on its gRPC port;
  - the grading-policy ConfigMap equals services/gateway/policy/.
Exit 0 when every combination passes, 1 on any violation (each printed),
77 (skipped) when kubectl or PyYAML is missing, with the reason.
"""

import argparse
import concurrent.futures
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77

HEALTH_NAMES = {
    "crime-recording": "peel.crimerecording.v1.CrimeRecordingService",
    "victim-service": "peel.victimservice.v1.VictimService",
    "workforce": "peel.workforce.v1.WorkforceService",
    "soc-disruptions": "peel.soc.v1.SocDisruptionService",
    "gateway": "peel.gateway.v1.AssessmentGateway",
}
STORE_KINDS = {"crime-recording": "StatefulSet", "victim-service": "StatefulSet",
               "workforce": "StatefulSet", "soc-disruptions": "StatefulSet",
               "gateway": "Deployment"}
SHARD_FLAGS = {"crime_recording_addr": "crime-recording",
               "victim_service_addr": "victim-service",
               "workforce_addr": "workforce",
               "soc_disruptions_addr": "soc-disruptions"}
KNOWN = {
    ("v1", "ServiceAccount"), ("v1", "Service"), ("v1", "ConfigMap"),
    ("v1", "Secret"), ("v1", "Namespace"), ("apps/v1", "StatefulSet"),
    ("apps/v1", "Deployment"), ("policy/v1", "PodDisruptionBudget"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
}
DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def declared_flags(repo, binary):
    """Flag names a binary declares: the common server flags plus its main."""
    names = set()
    for path in (os.path.join(repo, "common/server/flags.cc"),
                 os.path.join(repo, "services", binary, "main.cc")):
        if os.path.exists(path):
            with open(path) as f:
                names |= set(re.findall(r"ABSL_FLAG\(\s*[\w:<>]+\s*,\s*(\w+)\s*,",
                                        f.read()))
    return names


def force_slugs(repo):
    with open(os.path.join(repo, "common/reference/forces.cc")) as f:
        return set(re.findall(r'\{"([a-z-]+)",\s*"', f.read()))


class Checker:
    def __init__(self, repo, objects, label):
        self.repo = repo
        self.objects = objects
        self.label = label
        self.errors = []
        self.flags_cache = {}

    def err(self, obj, msg):
        where = "%s/%s" % (obj.get("kind", "?"),
                           (obj.get("metadata") or {}).get("name", "?")) if obj else ""
        self.errors.append("[%s] %s: %s" % (self.label, where, msg))

    def by_kind(self, kind):
        return [o for o in self.objects if o.get("kind") == kind]

    def find(self, kind, name):
        for o in self.by_kind(kind):
            if o["metadata"].get("name") == name:
                return o
        return None

    def flags_of(self, binary):
        if binary not in self.flags_cache:
            self.flags_cache[binary] = declared_flags(self.repo, binary)
        return self.flags_cache[binary]

    # -- every object ------------------------------------------------------
    def check_all(self):
        tags = {}
        for o in self.objects:
            if not isinstance(o, dict):
                self.err(None, "a document that is not a mapping")
                continue
            if (o.get("apiVersion"), o.get("kind")) not in KNOWN:
                self.err(o, "unknown apiVersion/kind %s/%s" %
                         (o.get("apiVersion"), o.get("kind")))
                continue
            name = (o.get("metadata") or {}).get("name")
            if not name or not DNS1123.match(name) or len(name) > 253:
                self.err(o, "metadata.name missing or not a DNS-1123 name")
                continue
            getattr(self, "check_" + o["kind"], lambda o: None)(o)
            for c in self.containers(o):
                image = c.get("image", "")
                tags.setdefault(image.rsplit(":", 1)[1] if ":" in image.split("/")[-1]
                                else "", []).append(image)
        if len(tags) > 1:
            self.err(None, "images carry different tags: %s" % sorted(
                i for l in tags.values() for i in l))
        self.check_shard_maps()

    def containers(self, o):
        if o.get("kind") not in ("StatefulSet", "Deployment"):
            return []
        return (((o.get("spec") or {}).get("template") or {}).get("spec") or {}).get(
            "containers") or []

    # -- kinds -------------------------------------------------------------
    def check_Service(self, o):
        spec = o.get("spec") or {}
        ports = spec.get("ports") or []
        if not ports:
            self.err(o, "spec.ports is empty")
        for p in ports:
            if not isinstance(p.get("port"), int):
                self.err(o, "a port without a numeric port")
        selector = spec.get("selector") or {}
        pods = [w for w in self.by_kind("StatefulSet") + self.by_kind("Deployment")
                if selector and all(self.pod_labels(w).get(k) == v
                                    for k, v in selector.items())]
        if not pods:
            self.err(o, "selector %s selects no workload" % selector)
            return
        names = {cp.get("name") for w in pods for c in self.containers(w)
                 for cp in c.get("ports") or []}
        for p in ports:
            t = p.get("targetPort")
            if isinstance(t, str) and t not in names:
                self.err(o, "targetPort %r is no container port name" % t)
        if not o["metadata"]["name"].endswith("-headless") and not any(
                p.get("name") == "grpc" for p in ports):
            self.err(o, "client Service has no port named grpc")

    def pod_labels(self, w):
        return (((w.get("spec") or {}).get("template") or {}).get("metadata") or {}).get(
            "labels") or {}

    def check_workload(self, o):
        spec = o.get("spec") or {}
        sel = (spec.get("selector") or {}).get("matchLabels") or {}
        labels = self.pod_labels(o)
        if not sel or any(labels.get(k) != v for k, v in sel.items()):
            self.err(o, "spec.selector does not match the pod template labels")
        pod = (spec.get("template") or {}).get("spec") or {}
        sa = pod.get("serviceAccountName")
        if not sa or not self.find("ServiceAccount", sa):
            self.err(o, "serviceAccountName %r is not declared" % sa)
        psc = pod.get("securityContext") or {}
        if psc.get("runAsNonRoot") is not True:
            self.err(o, "pod securityContext.runAsNonRoot is not true")
        volumes = {v.get("name"): v for v in pod.get("volumes") or []}
        for t in spec.get("volumeClaimTemplates") or []:
            volumes[t["metadata"]["name"]] = {"claim": t}
        containers = pod.get("containers") or []
        if not containers:
            self.err(o, "no containers")
        for c in containers:
            self.check_container(o, c, volumes)

    def check_StatefulSet(self, o):
        spec = o.get("spec") or {}
        svc = self.find("Service", spec.get("serviceName", ""))
        if not svc or (svc.get("spec") or {}).get("clusterIP") != "None":
            self.err(o, "serviceName %r is not a headless Service" %
                     spec.get("serviceName"))
        templates = spec.get("volumeClaimTemplates") or []
        if not templates:
            self.err(o, "no volumeClaimTemplates (the store needs a volume)")
        for t in templates:
            storage = (((t.get("spec") or {}).get("resources") or {}).get(
                "requests") or {}).get("storage")
            if not storage or not (t.get("spec") or {}).get("accessModes"):
                self.err(o, "claim template %s lacks accessModes or a storage request"
                         % t["metadata"].get("name"))
        self.check_workload(o)

    def check_Deployment(self, o):
        self.check_workload(o)

    def check_PodDisruptionBudget(self, o):
        spec = o.get("spec") or {}
        if ("minAvailable" in spec) == ("maxUnavailable" in spec):
            self.err(o, "exactly one of minAvailable / maxUnavailable is required")
        sel = (spec.get("selector") or {}).get("matchLabels") or {}
        workloads = [w for w in self.by_kind("Deployment") + self.by_kind("StatefulSet")
                     if sel and all(self.pod_labels(w).get(k) == v for k, v in sel.items())]
        if not workloads:
            self.err(o, "selector selects no workload")
        for w in workloads:
            if spec.get("minAvailable", 0) >= (w["spec"].get("replicas") or 1):
                self.err(o, "minAvailable %s leaves %s no disruption allowed" %
                         (spec["minAvailable"], w["metadata"]["name"]))

    def check_NetworkPolicy(self, o):
        spec = o.get("spec") or {}
        if "podSelector" not in spec or not spec.get("policyTypes"):
            self.err(o, "podSelector and policyTypes are required")

    def check_ConfigMap(self, o):
        if o["metadata"]["name"].startswith("grading-policy"):
            for key, value in (o.get("data") or {}).items():
                path = os.path.join(self.repo, "services/gateway/policy", key)
                if not os.path.exists(path):
                    self.err(o, "%s has no source in services/gateway/policy" % key)
                elif open(path).read() != value:
                    self.err(o, "%s differs from services/gateway/policy/%s" % (key, key))

    # -- containers --------------------------------------------------------
    def check_container(self, o, c, volumes):
        image = c.get("image", "")
        repo = image.rsplit(":", 1)[0] if ":" in image.split("/")[-1] else image
        binary = repo.split("/")[-1]
        app = self.pod_labels(o).get("app.kubernetes.io/name")
        if binary not in HEALTH_NAMES or not re.search(r"(^|/)peel/" + re.escape(binary) + "$", repo):
            self.err(o, "image %r is not peel/<binary> of a known binary" % image)
            return
        if app != binary or o["metadata"]["name"] != binary:
            self.err(o, "image %s runs in workload %s labelled %s" %
                     (image, o["metadata"]["name"], app))
        if o["kind"] != STORE_KINDS[binary]:
            self.err(o, "%s must run as a %s" % (binary, STORE_KINDS[binary]))
        ports = {}
        for p in c.get("ports") or []:
            if not isinstance(p.get("containerPort"), int):
                self.err(o, "container port without a number")
            ports[p.get("name")] = p.get("containerPort")
        numbers = set(ports.values())
        # With TLS (components/tls) kubelet's plaintext gRPC probes go to
        # the --health_port listener, which answers health only.
        env_values = {e.get("name"): str(e.get("value")) for e in c.get("env") or []
                      if "value" in e}
        probe_port = ports.get("grpc")
        if "FLAGS_health_port" in env_values:
            probe_port = ports.get("health")
            if str(probe_port) != env_values["FLAGS_health_port"]:
                self.err(o, "FLAGS_health_port=%s but the health container port is %s"
                         % (env_values["FLAGS_health_port"], probe_port))
            if not env_values.get("FLAGS_tls_cert"):
                self.err(o, "FLAGS_health_port is set without FLAGS_tls_cert "
                            "(the server refuses to start)")
        for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
            probe = c.get(kind)
            if not probe or "grpc" not in probe:
                self.err(o, "%s missing or not a grpc probe" % kind)
                continue
            port = probe["grpc"].get("port")
            if port not in numbers:
                self.err(o, "%s port %r is not a declared container port" % (kind, port))
            elif port != probe_port:
                self.err(o, "%s probes port %s, not the %s port" %
                         (kind, port, "health" if probe_port != ports.get("grpc") else "grpc"))
            service = probe["grpc"].get("service", "")
            want = HEALTH_NAMES[binary] if kind == "readinessProbe" else ""
            if service != want:
                self.err(o, "%s asks health of %r, want %r" % (kind, service, want))
        sc = c.get("securityContext") or {}
        if sc.get("allowPrivilegeEscalation") is not False:
            self.err(o, "allowPrivilegeEscalation is not false")
        if sc.get("readOnlyRootFilesystem") is not True:
            self.err(o, "readOnlyRootFilesystem is not true")
        if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
            self.err(o, "capabilities do not drop ALL")
        res = c.get("resources") or {}
        for part in ("requests", "limits"):
            for r in ("cpu", "memory"):
                if r not in (res.get(part) or {}):
                    self.err(o, "resources.%s.%s missing" % (part, r))
        self.check_flags(o, c, binary, ports, volumes)

    def check_flags(self, o, c, binary, ports, volumes):
        declared = self.flags_of(binary)
        args = (c.get("command") or []) + (c.get("args") or [])
        listed = set()
        for a in args:
            m = re.match(r"^--(try)?fromenv=(.*)$", a)
            if m:
                listed |= {n for n in m.group(2).split(",") if n}
            elif a.startswith("--"):
                name = a[2:].split("=", 1)[0]
                if name not in declared and not (name.startswith("no") and name[2:] in declared):
                    self.err(o, "argument %s names no flag %s declares" % (a, binary))
        for n in sorted(listed - declared):
            self.err(o, "--tryfromenv lists %s, which %s does not declare" % (n, binary))
        env = {}
        for e in c.get("env") or []:
            name = e.get("name", "")
            if name.startswith("FLAGS_"):
                flag = name[len("FLAGS_"):]
                if flag not in declared:
                    self.err(o, "%s names no flag %s declares" % (name, binary))
                elif flag not in listed:
                    self.err(o, "%s is set but %s is not in --tryfromenv (it would be ignored)"
                             % (name, flag))
                if "value" in e:
                    env[flag] = str(e["value"])
        if env.get("port") != str(ports.get("grpc")):
            self.err(o, "FLAGS_port=%s but the grpc container port is %s" %
                     (env.get("port"), ports.get("grpc")))
        annotations = ((o["spec"]["template"].get("metadata") or {}).get("annotations") or {})
        metrics = env.get("metrics_port", "0")
        if metrics != "0":
            if str(ports.get("metrics")) != metrics:
                self.err(o, "FLAGS_metrics_port=%s but the metrics container port is %s"
                         % (metrics, ports.get("metrics")))
            if annotations.get("prometheus.io/scrape") != "true" or \
                    annotations.get("prometheus.io/port") != metrics:
                self.err(o, "prometheus.io annotations do not point at metrics port %s" % metrics)
        mounts = c.get("volumeMounts") or []
        for m in mounts:
            if m.get("name") not in volumes:
                self.err(o, "volumeMount %s names no volume" % m.get("name"))

        def mount_of(path):
            best = None
            for m in mounts:
                mp = m.get("mountPath", "").rstrip("/")
                if path == mp or path.startswith(mp + "/"):
                    if best is None or len(mp) > len(best.get("mountPath", "")):
                        best = m
            return best
        data_dir = env.get("data_dir")
        if not data_dir:
            self.err(o, "FLAGS_data_dir is not set")
        else:
            m = mount_of(data_dir)
            if m is None or m.get("readOnly"):
                self.err(o, "FLAGS_data_dir %s is not on a writable volume "
                            "(the root filesystem is read-only)" % data_dir)
            elif o["kind"] == "StatefulSet" and "claim" not in volumes.get(m["name"], {}):
                self.err(o, "FLAGS_data_dir %s is not on the volume claim" % data_dir)
        for flag in ("tls_cert", "tls_key", "tls_ca", "backend_tls_cert",
                     "backend_tls_key", "backend_tls_ca", "auth_token_key_file"):
            path = env.get(flag)
            if not path:
                continue
            m = mount_of(path)
            secret = (volumes.get(m["name"]) or {}).get("secret") if m else None
            if not secret or not m.get("readOnly"):
                self.err(o, "FLAGS_%s %s is not on a read-only Secret volume" % (flag, path))
        if (env.get("tls_cert") is None) != (env.get("tls_key") is None):
            self.err(o, "FLAGS_tls_cert and FLAGS_tls_key must be set together")
        if binary == "gateway":
            policy = env.get("policy")
            m = mount_of(policy) if policy else None
            cm = (volumes.get(m["name"]) or {}).get("configMap") if m else None
            cmo = self.find("ConfigMap", cm["name"]) if cm else None
            key = os.path.relpath(policy, m["mountPath"]) if m else None
            if not cmo or key not in (cmo.get("data") or {}):
                self.err(o, "FLAGS_policy %s is not a key of a mounted ConfigMap" % policy)

    # -- shard maps --------------------------------------------------------
    def check_shard_maps(self):
        gateway = self.find("Deployment", "gateway")
        if not gateway:
            return
        slugs = force_slugs(self.repo)
        for c in self.containers(gateway):
            for e in c.get("env") or []:
                flag = e.get("name", "")[len("FLAGS_"):]
                if flag in SHARD_FLAGS and "value" in e:
                    self.check_shard_map(gateway, flag, SHARD_FLAGS[flag], str(e["value"]), slugs)

    def check_shard_map(self, o, flag, binary, text, slugs):
        owner = {}
        catch_all = 0
        for shard in [s for s in text.split(",")]:
            forces, _, address = shard.rpartition("@")
            if not address:
                self.err(o, "%s: an empty shard address" % flag)
                continue
            if forces:
                for f in forces.split("+"):
                    if f not in slugs:
                        self.err(o, "%s: unknown force %r" % (flag, f))
                    elif f in owner:
                        self.err(o, "%s: force %s is owned by %s and %s" %
                                 (flag, f, owner[f], address))
                    else:
                        owner[f] = address
            else:
                catch_all += 1
            self.check_address(o, flag, binary, address)
        if catch_all > 1:
            self.err(o, "%s: %d catch-all shards (at most one)" % (flag, catch_all))
        if catch_all == 0:
            unowned = sorted(slugs - set(owner))
            if unowned:
                self.err(o, "%s: no shard owns %s" % (flag, ", ".join(unowned)))

    def check_address(self, o, flag, binary, address):
        host, _, port = address.rpartition(":")
        parts = host.split(".")
        svc = self.find("Service", parts[1] if len(parts) > 1 else parts[0])
        sts = self.find("StatefulSet", binary)
        if svc is None:
            self.err(o, "%s: %s is no Service of the render" % (flag, address))
            return
        if not any(str(p.get("port")) == port for p in svc["spec"].get("ports") or []):
            self.err(o, "%s: %s is not a port of Service %s" % (flag, port,
                                                               svc["metadata"]["name"]))
        if len(parts) > 1:  # <statefulset>-<ordinal>.<headless service>
            m = re.match(r"^(.*)-(\d+)$", parts[0])
            if not m or not sts or m.group(1) != binary or \
                    int(m.group(2)) >= (sts["spec"].get("replicas") or 1) or \
                    sts["spec"].get("serviceName") != parts[1]:
                self.err(o, "%s: %s is no pod of StatefulSet %s" % (flag, host, binary))
        elif svc["spec"].get("selector", {}).get("app.kubernetes.io/name") != binary:
            self.err(o, "%s: Service %s does not select %s" % (flag, parts[0], binary))


def render(kubectl, k8s, overlay, components, workdir):
    """kubectl kustomize of `overlay` plus extra components, as objects."""
    import yaml
    d = tempfile.mkdtemp(dir=workdir)
    rel = lambda p: os.path.relpath(os.path.join(k8s, p), d)
    with open(os.path.join(d, "kustomization.yaml"), "w") as f:
        f.write("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n")
        f.write("resources:\n  - %s\n" % rel(overlay))
        if components:
            f.write("components:\n" + "".join("  - %s\n" % rel(c) for c in components))
    r = subprocess.run([kubectl, "kustomize", d], capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr.strip()
    try:
        return [o for o in yaml.safe_load_all(r.stdout) if o is not None], None
    except yaml.YAMLError as e:
        return None, "rendered YAML does not parse: %s" % e


def schema_errors(objects, label):
    """Types and required fields from the Kubernetes OpenAPI schemas."""
    import json
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema", "schema.js")
    r = subprocess.run(["node", script], input=json.dumps(objects),
                       capture_output=True, text=True)
    if r.returncode == 0:
        return []
    lines = (r.stdout + r.stderr).strip().splitlines() or ["node exited %d" % r.returncode]
    return ["[%s] schema: %s" % (label, l) for l in lines]


def own_components(k8s, overlay):
    import yaml
    with open(os.path.join(k8s, overlay, "kustomization.yaml")) as f:
        k = yaml.safe_load(f) or {}
    return {os.path.normpath(os.path.join(overlay, c)) for c in k.get("components") or []}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--k8s", default=os.path.dirname(here))
    ap.add_argument("--repo", default=os.path.dirname(os.path.dirname(here)))
    ap.add_argument("--kubectl", default=shutil.which("kubectl"))
    ap.add_argument("--schema", action="store_true",
                    help="also validate each object against the OpenAPI schemas "
                         "(node + tests/schema, after `npm ci` there)")
    ap.add_argument("--only", action="append", default=[],
                    help="render only this combination (e.g. base+sharded); repeatable")
    args = ap.parse_args()
    if not args.kubectl or not os.path.exists(args.kubectl):
        print("SKIPPED: kubectl is not installed (it renders the kustomizations);"
              " install kubectl >= 1.27 to run this test")
        return SKIP
    try:
        import yaml  # noqa: F401
    except ImportError:
        print("SKIPPED: PyYAML is not installed for /usr/bin/python3 "
              "(apt-get install python3-yaml)")
        return SKIP

    k8s = os.path.abspath(args.k8s)
    overlays = sorted("overlays/" + d for d in os.listdir(os.path.join(k8s, "overlays"))
                      if os.path.exists(os.path.join(k8s, "overlays", d, "kustomization.yaml")))
    components = sorted("components/" + d for d in os.listdir(os.path.join(k8s, "components"))
                        if os.path.exists(os.path.join(k8s, "components", d, "kustomization.yaml")))
    combos = []
    for overlay in ["base"] + overlays:
        own = own_components(k8s, overlay)
        extra = [c for c in components if c not in own]
        for n in range(len(extra) + 1):
            for combo in itertools.combinations(extra, n):
                label = "+".join([overlay] + [c.split("/")[-1] for c in combo])
                if not args.only or label in args.only:
                    combos.append((label, overlay, list(combo)))
    if not combos:
        print("no combination matches --only %s" % args.only)
        return 1
    failures = []
    count = len(combos)
    with tempfile.TemporaryDirectory() as work:
        # kubectl takes a second or two per render: run them side by side.
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            rendered = list(pool.map(
                lambda c: render(args.kubectl, k8s, c[1], c[2], work), combos))
    for (label, _, _), (objects, error) in zip(combos, rendered):
        if error:
            failures.append("[%s] kubectl kustomize failed: %s" % (label, error))
            print("%-45s kubectl kustomize failed" % label)
            continue
        checker = Checker(args.repo, objects, label)
        checker.check_all()
        if args.schema:
            checker.errors += schema_errors(objects, label)
        failures += checker.errors
        print("%-45s %3d objects, %s" % (label, len(objects),
              "ok" if not checker.errors else "%d problems" % len(checker.errors)))
    for f in failures:
        print("FAIL " + f)
    print("%d renders, %d problems" % (count, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
