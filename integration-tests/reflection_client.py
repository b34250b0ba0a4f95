#!/usr/bin/python3
"""An independent client (Debian's python3-grpcio, not our C++ code) that
uses a server as grpcurl would.

    reflection_client.py --binary PATH --scenario FILE.json
        [--protoset tools/peel.protoset] [--source-dir DIR]

Starts the binary on loopback port 0 with a fresh temp store, then:
  * with reflection (the default): lists every service by reflection
    (grpc.reflection.v1alpha, the version Debian's gRPC 1.51 serves),
    resolves every method's descriptor and the files of its input and
    output types with their dependencies;
  * with --protoset: starts the server with --noreflection, checks that
    reflection is indeed off (UNIMPLEMENTED), and builds the descriptor pool
    from the FileDescriptorSet only;
then runs the scenario's steps: each calls a method with JSON-shaped input
(json_format.ParseDict into a dynamic message class, as grpcurl -d does)
and compares fields of the answer with expected values, and finally calls
grpc.health.v1.Health/Check for the scenario's service. Stops the server
with SIGTERM and expects a clean exit.

A scenario file:
  {"service": "peel.x.v1.XService",
   "server_args": ["--policy={source_dir}/..."],      (optional)
   "steps": [{"method": "CreateX", "request": {...},
              "expect": {"x.count": 3}},
             {"method": "IngestX", "requests": [{...}, {...}],
              "expect": {"0.accepted": 2, "#": 2}}]}
Streaming answers are lists: "0.accepted" is a field of the first message,
"#" their number ("items.#" counts a repeated field). Paths name fields as
in the .proto (snake_case); int64 values, which JSON carries as strings,
compare as numbers; a float expected value matches within 1e-9.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format
from google.protobuf import message_factory

REFLECTION = "grpc.reflection.v1alpha.ServerReflection"
HEALTH = "grpc.health.v1.Health"


def generate_reflection_stubs(out_dir):
    root = "/usr/share/grpc-proto/grpc/reflection/v1alpha"
    os.makedirs(out_dir, exist_ok=True)
    subprocess.run(
        ["protoc", f"-I{root}", f"--python_out={out_dir}",
         f"--grpc_python_out={out_dir}",
         "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin",
         "reflection.proto"], check=True)
    sys.path.insert(0, out_dir)
    import reflection_pb2  # noqa: E402
    import reflection_pb2_grpc  # noqa: E402
    return reflection_pb2, reflection_pb2_grpc


def start_server(binary, work, extra_args):
    port_file = os.path.join(work, "port")
    log = open(os.path.join(work, "log"), "w")
    proc = subprocess.Popen(
        [binary, "--port=0", "--listen_host=127.0.0.1",
         f"--port_file={port_file}", f"--data_dir={work}/store"] + extra_args,
        stdout=log, stderr=log)
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{binary} exited: {open(log.name).read()}")
        if os.path.exists(port_file):
            port = open(port_file).read().strip()
            if port:
                return proc, f"127.0.0.1:{port}"
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("no port file")


def add_files_in_order(pool, added, protos, fetch=None):
    """Adds FileDescriptorProtos to `pool` dependencies first. `fetch(name)`
    returns the serialized files for an import not among `protos`."""
    by_name = {p.name: p for p in protos if p.name not in added}
    if fetch is not None:
        wanted = [d for p in by_name.values() for d in p.dependency]
        while wanted:
            dep = wanted.pop()
            if dep in added or dep in by_name:
                continue
            for raw in fetch(dep):
                fdp = descriptor_pb2.FileDescriptorProto.FromString(raw)
                if fdp.name not in added and fdp.name not in by_name:
                    by_name[fdp.name] = fdp
                    wanted.extend(fdp.dependency)
    pending = list(by_name.values())
    while pending:
        ready = [p for p in pending if all(d in added for d in p.dependency)]
        if not ready:
            raise RuntimeError(
                f"unresolvable imports: {[p.name for p in pending]}")
        for fdp in ready:
            pool.Add(fdp)
            added.add(fdp.name)
            pending.remove(fdp)


class Reflection:
    """Descriptors from the server's reflection service."""

    def __init__(self, channel, pb2, pb2_grpc):
        self.stub = pb2_grpc.ServerReflectionStub(channel)
        self.pb2 = pb2
        self.pool = descriptor_pool.DescriptorPool()
        self.added = set()

    def ask(self, **kwargs):
        req = self.pb2.ServerReflectionRequest(**kwargs)
        resp = next(iter(self.stub.ServerReflectionInfo(iter([req]),
                                                        timeout=10)))
        if resp.HasField("error_response"):
            raise RuntimeError(f"reflection error for {kwargs}: "
                               f"{resp.error_response.error_message}")
        return resp

    def list_services(self):
        resp = self.ask(list_services="")
        return [s.name for s in resp.list_services_response.service]

    def _fetch(self, filename):
        r = self.ask(file_by_filename=filename)
        return r.file_descriptor_response.file_descriptor_proto

    def resolve(self, symbol):
        """Adds the file defining `symbol` (and its imports) to the pool."""
        resp = self.ask(file_containing_symbol=symbol)
        protos = [descriptor_pb2.FileDescriptorProto.FromString(raw) for raw
                  in resp.file_descriptor_response.file_descriptor_proto]
        add_files_in_order(self.pool, self.added, protos, self._fetch)

    def describe(self, service):
        self.resolve(service)
        return self.pool.FindServiceByName(service)


def reflection_is_off(channel):
    """True when the server answers reflection with UNIMPLEMENTED."""
    info = channel.stream_stream(
        f"/{REFLECTION}/ServerReflectionInfo",
        request_serializer=lambda b: b, response_deserializer=lambda b: b)
    try:
        list(info(iter([b""]), timeout=10))
    except grpc.RpcError as e:
        return e.code() == grpc.StatusCode.UNIMPLEMENTED
    return False


def protoset_pool(path):
    fds = descriptor_pb2.FileDescriptorSet.FromString(open(path, "rb").read())
    pool = descriptor_pool.DescriptorPool()
    add_files_in_order(pool, set(), list(fds.file))
    return pool, sorted(s.full_name for f in fds.file
                        for s in pool.FindFileByName(f.name)
                        .services_by_name.values())


def message_class(desc):
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory().GetPrototype(desc)


def streaming(method):
    proto = descriptor_pb2.MethodDescriptorProto()
    method.CopyToProto(proto)
    return proto.client_streaming, proto.server_streaming


def call(channel, method, requests_json):
    """Calls `method` with JSON requests (one unless client streaming);
    returns the answers as dicts (a list when server streaming)."""
    req_cls = message_class(method.input_type)
    resp_cls = message_class(method.output_type)
    client_stream, server_stream = streaming(method)
    path = f"/{method.containing_service.full_name}/{method.name}"
    kwargs = dict(request_serializer=lambda m: m.SerializeToString(),
                  response_deserializer=resp_cls.FromString)
    requests = [json_format.ParseDict(r, req_cls()) for r in requests_json]
    if client_stream and server_stream:
        answers = list(channel.stream_stream(path, **kwargs)(
            iter(requests), timeout=20))
    elif client_stream:
        answers = channel.stream_unary(path, **kwargs)(iter(requests),
                                                       timeout=20)
    elif server_stream:
        answers = list(channel.unary_stream(path, **kwargs)(requests[0],
                                                            timeout=20))
    else:
        answers = channel.unary_unary(path, **kwargs)(requests[0], timeout=20)

    def as_dict(m):
        return json_format.MessageToDict(m, preserving_proto_field_name=True)
    if isinstance(answers, list):
        return [as_dict(a) for a in answers]
    return as_dict(answers)


def lookup(value, path):
    for part in path.split("."):
        if part == "#":  # the number of elements (absent repeated: 0)
            return len(value) if isinstance(value, list) else 0
        if isinstance(value, list):
            value = value[int(part)] if int(part) < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def matches(actual, expected):
    if isinstance(expected, bool) or isinstance(expected, str):
        return actual == expected
    if isinstance(expected, (int, float)) and actual is not None:
        try:
            number = float(actual)  # int64 fields arrive as strings
        except (TypeError, ValueError):
            return False
        return abs(number - expected) <= 1e-9
    return actual == expected


def run_steps(channel, pool, scenario):
    failures = []
    svc = pool.FindServiceByName(scenario["service"])
    for step in scenario["steps"]:
        method = svc.methods_by_name[step["method"]]
        requests = step.get("requests", [step.get("request", {})])
        answer = call(channel, method, requests)
        print(f"{step['method']} -> {json.dumps(answer)[:600]}")
        for path, want in step.get("expect", {}).items():
            got = lookup(answer, path)
            if not matches(got, want):
                failures.append(f"{step['method']}: {path} is {got!r}, "
                                f"expected {want!r}")
    return failures


def check_health(channel, pool, service):
    check = pool.FindServiceByName(HEALTH).methods_by_name["Check"]
    answer = call(channel, check, [{"service": service}])
    print("health:", answer)
    return [] if answer.get("status") == "SERVING" else [
        f"health of {service} is {answer.get('status')}, not SERVING"]


def exercise(channel, scenario, stubs_dir, protoset=""):
    """Everything a client checks of one running server; the failures."""
    failures = []
    grpc.channel_ready_future(channel).result(timeout=10)
    if protoset:
        pool, services = protoset_pool(protoset)
        print(f"protoset services: {', '.join(services)}")
        if not reflection_is_off(channel):
            failures.append("--noreflection: reflection still served")
        if scenario["service"] not in services:
            failures.append(f"{scenario['service']} not in protoset")
    else:
        pb2, pb2_grpc = generate_reflection_stubs(stubs_dir)
        refl = Reflection(channel, pb2, pb2_grpc)
        pool = refl.pool
        services = refl.list_services()
        print("services:", ", ".join(sorted(services)))
        for want in (scenario["service"], HEALTH, REFLECTION):
            if want not in services:
                failures.append(f"{want} not listed by reflection")
        methods = 0
        for name in services:
            for m in refl.describe(name).methods:
                # The types' own files, as grpcurl describe does.
                refl.resolve(m.input_type.full_name)
                refl.resolve(m.output_type.full_name)
                message_class(m.input_type)
                message_class(m.output_type)
                methods += 1
        print(f"resolved {methods} methods of {len(services)} services")
        if methods < len(services):
            failures.append("a service without methods")
    failures += run_steps(channel, pool, scenario)
    failures += check_health(channel, pool, scenario["service"])
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--protoset", default="",
                    help="descriptors from this FileDescriptorSet instead of "
                         "the server's reflection")
    ap.add_argument("--source-dir", default=os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))))
    args = ap.parse_args()
    scenario = json.load(open(args.scenario))
    server_args = [a.format(source_dir=args.source_dir)
                   for a in scenario.get("server_args", [])]
    if args.protoset:
        server_args.append("--noreflection")

    failures = []
    with tempfile.TemporaryDirectory(prefix="peel-reflection-") as work:
        proc, address = start_server(args.binary, work, server_args)
        try:
            channel = grpc.insecure_channel(address)
            failures += exercise(channel, scenario,
                                 os.path.join(work, "stubs"), args.protoset)
            channel.close()
        except Exception as e:  # report, then still stop the server
            failures.append(f"{type(e).__name__}: {e}")
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = "killed"
            if code != 0:
                failures.append(f"server exit code {code} after SIGTERM")
            if failures:
                print(open(os.path.join(work, "log")).read()[-3000:])
    for f in failures:
        print("FAIL:", f)
    print("PASS" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
