#!/usr/bin/python3
"""Runs the rendered manifests' containers as local processes, as the
kubelet would run them: the container's args and FLAGS_* environment from
`kubectl kustomize`, one process per StatefulSet replica, then the probes the
manifest declares (startup, liveness, readiness: gRPC health on the declared
port and service name) and a scrape of the declared metrics port.

What is changed to run without a cluster: every port is remapped to a free
one (the same remapping everywhere, so the gateway's addresses follow),
pod and Service names resolve to 127.0.0.1, the data directory goes to a
temporary folder and the policy path to services/gateway/policy/.

  pods_as_processes_test.py --bin NAME=PATH ... [--only base+sharded]
Exit 77 (skipped) when kubectl or PyYAML is missing."""

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
K8S = os.path.dirname(HERE)
REPO = os.path.dirname(K8S)
sys.path.insert(0, HERE)


def free_port(taken=()):
    """A loopback port that binds now, from 20000-32767: the kernel hands out
    32768-60999 for port-0 binds and outgoing connections, so a port from
    that range, released, can be taken by a parallel test before our server
    binds it (CI once saw "metrics: cannot listen on 127.0.0.1:52417")."""
    rng = random.SystemRandom()
    for _ in range(64):
        port = rng.randrange(20000, 32768)
        if port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 20000-32767")


def health(port, service, timeout=2.0):
    """grpc.health.v1.Health/Check by hand (no generated stubs needed):
    HealthCheckRequest{service} is field 1, a string; the answer's field 1 is
    the status (1 = SERVING)."""
    import grpc
    name = service.encode()
    request = b"\x0a" + bytes([len(name)]) + name if name else b""
    with grpc.insecure_channel("127.0.0.1:%d" % port) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check")
        try:
            answer = check(request, timeout=timeout)
        except grpc.RpcError as e:
            return e.code().name
    return "SERVING" if answer == b"\x08\x01" else "status bytes %r" % answer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", action="append", default=[], help="NAME=PATH")
    ap.add_argument("--only", action="append", default=[])
    args = ap.parse_args()
    kubectl = shutil.which("kubectl")
    if not kubectl:
        print("SKIPPED: kubectl is not installed")
        return 77
    try:
        import yaml  # noqa: F401
        import grpc  # noqa: F401
    except ImportError as e:
        print("SKIPPED: %s (apt-get install python3-yaml python3-grpcio)" % e)
        return 77
    import validate_manifests as vm
    binaries = dict(b.split("=", 1) for b in args.bin)
    combos = args.only or ["overlays/local", "overlays/local+sharded",
                           "overlays/local+tls"]
    failures = []
    for combo in combos:
        overlay, *components = combo.split("+")
        with tempfile.TemporaryDirectory() as work:
            objects, error = vm.render(kubectl, K8S, overlay,
                                       ["components/" + c for c in components], work)
            if error:
                failures.append("%s: %s" % (combo, error))
                continue
            failures += run_combo(combo, objects, binaries, work)
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


def run_combo(combo, objects, binaries, work):
    failures = []
    ports = {}  # declared (host, port) -> local port

    def remap(host, port):
        key = (host, int(port))
        if key not in ports:
            ports[key] = free_port(set(ports.values()))
        return ports[key]

    def forget_ports(pod):
        for key in [k for k in ports if k[0] == pod]:
            del ports[key]

    workloads = [o for o in objects if o["kind"] in ("StatefulSet", "Deployment")]
    # Stores first: the gateway checks its backends' health from the start.
    workloads.sort(key=lambda o: o["kind"] != "StatefulSet")
    pods = []
    for w in workloads:
        name = w["metadata"]["name"]
        replicas = w["spec"].get("replicas", 1) if w["kind"] == "StatefulSet" else 1
        for ordinal in range(replicas):
            pods.append((w, "%s-%d" % (name, ordinal), ordinal))
    # components/tls mounts the Secret peel-tls at /etc/peel/tls and
    # peel-auth-token at /etc/peel/auth: stand in the test certificates and
    # token key made by tools/make-test-certs under the same keys.
    tls_dir = os.path.join(work, "tls")
    secret_files = {}
    if any(e.get("name") == "FLAGS_tls_cert"
           for w, _, _ in pods
           for e in w["spec"]["template"]["spec"]["containers"][0].get("env", [])):
        subprocess.run([os.path.join(REPO, "tools/make-test-certs"), tls_dir],
                       check=True, stdout=subprocess.DEVNULL)
        secret_files = {"server.pem": "server.pem", "server.key": "server.key",
                        "ca.pem": "ca.pem", "gateway.pem": "client-gateway.pem",
                        "gateway.key": "client-gateway.key",
                        "auth-token.key": "auth-token.key"}

    def launch(w, pod):
        c = w["spec"]["template"]["spec"]["containers"][0]
        binary = c["image"].split("/")[-1].split(":")[0]
        env = {e["name"]: str(e["value"]) for e in c.get("env", []) if "value" in e}
        declared = {p["name"]: p["containerPort"] for p in c["ports"]}
        env["FLAGS_port"] = str(remap(pod, declared["grpc"]))
        env["FLAGS_metrics_port"] = str(remap(pod, declared["metrics"]))
        env["FLAGS_listen_host"] = "127.0.0.1"
        if "health" in declared:
            env["FLAGS_health_port"] = str(remap(pod, declared["health"]))
        for flag, value in list(env.items()):
            if value.startswith(("/etc/peel/tls/", "/etc/peel/auth/")):
                env[flag] = os.path.join(tls_dir, secret_files[os.path.basename(value)])
        env["FLAGS_data_dir"] = os.path.join(work, pod, env["FLAGS_data_dir"].lstrip("/"))
        if "FLAGS_policy" in env:
            env["FLAGS_policy"] = os.path.join(
                REPO, "services/gateway/policy", os.path.basename(env["FLAGS_policy"]))
        for flag, value in list(env.items()):
            if flag.endswith("_addr"):
                env[flag] = re.sub(
                    r"([a-z0-9.-]+):(\d+)",
                    lambda m: "127.0.0.1:%d" % remap(
                        # crime-recording-0.crime-recording-headless -> pod
                        # crime-recording -> the Service's first pod
                        m.group(1).split(".")[0] if "." in m.group(1)
                        else m.group(1) + "-0",
                        int(m.group(2))), value)
        log_path = os.path.join(work, pod + ".log")
        with open(log_path, "w") as log:
            proc = subprocess.Popen([binaries[binary]] + c.get("args", []),
                                    env=dict(os.environ, **env), stdout=log,
                                    stderr=subprocess.STDOUT)
        return proc, c, env, log_path

    def wait_startup(proc, c, env):
        # The probes' port: the plaintext health port with TLS.
        port = int(env.get("FLAGS_health_port", env["FLAGS_port"]))
        start = c["startupProbe"]
        budget = start.get("periodSeconds", 10) * start.get("failureThreshold", 3)
        deadline = time.time() + min(budget, 60)
        status = None
        while time.time() < deadline and proc.poll() is None:
            status = health(port, start["grpc"].get("service", ""), 0.5)
            if status == "SERVING":
                break
            time.sleep(0.2)
        return status

    procs = []
    not_started = set()
    try:
        # One pod at a time, each started before the next is given its
        # address, so that a pod whose port was taken by another process in
        # the meantime can be moved to fresh ports before anyone is told.
        for w, pod, ordinal in pods:
            binary = w["spec"]["template"]["spec"]["containers"][0]["image"]
            binary = binary.split("/")[-1].split(":")[0]
            if binary not in binaries:
                failures.append("%s: no --bin for %s" % (combo, binary))
                continue
            for attempt in range(3):
                proc, c, env, log_path = launch(w, pod)
                status = wait_startup(proc, c, env)
                if status == "SERVING" or proc.poll() is None:
                    break
                if "cannot listen on" not in open(log_path).read():
                    break
                proc.wait()
                print("NOTE: %s: a port was taken before it could bind;"
                      " starting it again on fresh ports" % pod)
                forget_ports(pod)
            procs.append((pod, proc, c, env, log_path))
            if status != "SERVING":
                not_started.add(pod)
                failures.append("%s: %s startupProbe never passed (%s, exit %s):\n%s" %
                                (combo, pod, status, proc.poll(), open(log_path).read()))

        for pod, proc, c, env, log_path in procs:
            if pod in not_started:
                continue
            port = int(env.get("FLAGS_health_port", env["FLAGS_port"]))
            for kind in ("livenessProbe", "readinessProbe"):
                service = c[kind]["grpc"].get("service", "")
                # The gateway marks itself ready once serving; give any
                # first health round a moment.
                for _ in range(20):
                    status = health(port, service)
                    if status == "SERVING":
                        break
                    time.sleep(0.25)
                if status != "SERVING":
                    failures.append("%s: %s %s on %r answered %s" %
                                    (combo, pod, kind, service, status))
            scrape = check_metrics(pod, env)
            if scrape:
                failures.append("%s: %s" % (combo, scrape))
            print("%-28s %-22s probes SERVING, metrics %s" % (combo, pod,
                  "scraped" if scrape is None else "FAILED"))
    finally:
        for pod, proc, c, env, log_path in procs:
            proc.terminate()
        for pod, proc, c, env, log_path in procs:
            try:
                code = proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = "killed"
            if code != 0:
                failures.append("%s: %s exited %s after SIGTERM:\n%s" %
                                (combo, pod, code, open(log_path).read()))
    return failures


def check_metrics(pod, env):
    url = "http://127.0.0.1:%s/metrics" % env["FLAGS_metrics_port"]
    try:
        body = urllib.request.urlopen(url, timeout=5).read().decode()
    except OSError as e:
        return "%s: GET %s failed: %s" % (pod, url, e)
    want = ('grpc_server_handled_total{grpc_type="unary",grpc_service='
            '"grpc.health.v1.Health",grpc_method="Check",grpc_code="OK"}')
    m = re.search(re.escape(want) + r" (\d+)", body)
    if not m or int(m.group(1)) < 3:
        return "%s: the probes' health checks are not counted in %s" % (pod, url)
    if "peel_store_bytes" not in body:
        return "%s: no peel_store_bytes in %s" % (pod, url)
    return None


if __name__ == "__main__":
    sys.exit(main())
