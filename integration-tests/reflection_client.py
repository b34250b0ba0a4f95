#!/usr/bin/python3
"""An independent client (Debian's python3-grpcio, not our C++ code) that
uses a server as grpcurl would: list services by reflection
(grpc.reflection.v1alpha, the version Debian's gRPC 1.51 serves), resolve
every method's request and response descriptors, and call one method with
JSON input.

    reflection_client.py --binary PATH --service NAME --method M --json '{}'
        [--expect-field FIELD]

Starts the binary on port 0 with a fresh temp store, stops it with SIGTERM.
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


def start_server(binary, work):
    port_file = os.path.join(work, "port")
    log = open(os.path.join(work, "log"), "w")
    proc = subprocess.Popen(
        [binary, "--port=0", "--listen_host=127.0.0.1",
         f"--port_file={port_file}", f"--data_dir={work}/store"],
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


class Reflection:
    def __init__(self, channel, pb2, pb2_grpc):
        self.stub = pb2_grpc.ServerReflectionStub(channel)
        self.pb2 = pb2
        self.pool = descriptor_pool.DescriptorPool()
        self.added = set()

    def ask(self, **kwargs):
        req = self.pb2.ServerReflectionRequest(**kwargs)
        resp = next(iter(self.stub.ServerReflectionInfo(iter([req]), timeout=10)))
        if resp.HasField("error_response"):
            raise RuntimeError(f"reflection error for {kwargs}: "
                               f"{resp.error_response.error_message}")
        return resp

    def list_services(self):
        resp = self.ask(list_services="")
        return [s.name for s in resp.list_services_response.service]

    def _add_files(self, serialized_files):
        protos = []
        for raw in serialized_files:
            fdp = descriptor_pb2.FileDescriptorProto.FromString(raw)
            if fdp.name not in self.added:
                protos.append(fdp)
        # Add dependencies first: ask for any import not yet known.
        for fdp in protos:
            for dep in fdp.dependency:
                if dep not in self.added and dep not in [p.name for p in protos]:
                    r = self.ask(file_by_filename=dep)
                    self._add_files(r.file_descriptor_response.file_descriptor_proto)
        pending = [p for p in protos if p.name not in self.added]
        while pending:
            progressed = False
            for fdp in list(pending):
                if all(d in self.added for d in fdp.dependency):
                    self.pool.Add(fdp)
                    self.added.add(fdp.name)
                    pending.remove(fdp)
                    progressed = True
            if not progressed:
                raise RuntimeError(f"unresolvable imports: {[p.name for p in pending]}")

    def describe(self, symbol):
        resp = self.ask(file_containing_symbol=symbol)
        self._add_files(resp.file_descriptor_response.file_descriptor_proto)
        return self.pool.FindServiceByName(symbol)


def message_class(desc):
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory().GetPrototype(desc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--service", required=True)
    ap.add_argument("--method", required=True)
    ap.add_argument("--json", default="{}")
    ap.add_argument("--expect-field", default="")
    args = ap.parse_args()

    failures = []
    with tempfile.TemporaryDirectory(prefix="peel-reflection-") as work:
        pb2, pb2_grpc = generate_reflection_stubs(os.path.join(work, "stubs"))
        proc, address = start_server(args.binary, work)
        try:
            channel = grpc.insecure_channel(address)
            grpc.channel_ready_future(channel).result(timeout=10)
            refl = Reflection(channel, pb2, pb2_grpc)
            services = refl.list_services()
            print("services:", ", ".join(sorted(services)))
            for want in (args.service, "grpc.health.v1.Health",
                         "grpc.reflection.v1alpha.ServerReflection"):
                if want not in services:
                    failures.append(f"{want} not listed by reflection")
            methods = 0
            for name in services:
                svc = refl.describe(name)
                for m in svc.methods:
                    message_class(m.input_type)
                    message_class(m.output_type)
                    methods += 1
            print(f"resolved {methods} methods of {len(services)} services")

            svc = refl.pool.FindServiceByName(args.service)
            method = svc.methods_by_name[args.method]
            req_cls = message_class(method.input_type)
            resp_cls = message_class(method.output_type)
            request = json_format.Parse(args.json, req_cls())
            call = channel.unary_unary(
                f"/{args.service}/{args.method}",
                request_serializer=lambda m: m.SerializeToString(),
                response_deserializer=resp_cls.FromString)
            response = call(request, timeout=10)
            text = json_format.MessageToJson(response,
                                             preserving_proto_field_name=True)
            print(f"{args.method} -> {text}")
            if args.expect_field and args.expect_field not in json.loads(text):
                failures.append(f"response lacks {args.expect_field}")

            health = refl.describe("grpc.health.v1.Health")
            check = health.methods_by_name["Check"]
            hreq = message_class(check.input_type)(service=args.service)
            hcall = channel.unary_unary(
                "/grpc.health.v1.Health/Check",
                request_serializer=lambda m: m.SerializeToString(),
                response_deserializer=message_class(check.output_type).FromString)
            status = hcall(hreq, timeout=5)
            print("health:", json_format.MessageToJson(status).strip())
            if status.status != 1:
                failures.append("health is not SERVING")
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = "killed"
            if code != 0:
                failures.append(f"server exit code {code} after SIGTERM")
    for f in failures:
        print("FAIL:", f)
    print(f"{1 if not failures else 0} passed, {1 if failures else 0} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
