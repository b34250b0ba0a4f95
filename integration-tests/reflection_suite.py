#!/usr/bin/python3
"""The independent client against the suite as users run it: `peelctl up`
on a temp folder (every service on a free port), then for each of the five
services the reflection_client checks (list every service by reflection,
resolve every method and its types' files, the JSON scenario calls of
reflection_scenarios/<service>.json with checked answers, a health check)
through the address the suite wrote, and `peelctl down`.

    reflection_suite.py --peelctl PATH --bin_dir BUILD_DIR
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from reflection_client import exercise  # noqa: E402

SERVICES = ["crime-recording", "victim-service", "workforce",
            "soc-disruptions", "gateway"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peelctl", required=True)
    ap.add_argument("--bin_dir", required=True)
    args = ap.parse_args()
    failures = []
    with tempfile.TemporaryDirectory(prefix="peel-suite-") as data:
        ctl = [args.peelctl, f"--data_dir={data}", f"--bin_dir={args.bin_dir}"]
        up = subprocess.run(ctl[:1] + ["up"] + ctl[1:], capture_output=True,
                            text=True, timeout=120)
        print("peelctl up ->", up.returncode, up.stdout.strip()[-400:],
              up.stderr.strip()[-400:])
        try:
            if up.returncode != 0:
                failures.append(f"peelctl up exited {up.returncode}")
            else:
                for name in SERVICES:
                    print(f"== {name}")
                    scenario = json.load(open(os.path.join(
                        HERE, "reflection_scenarios", f"{name}.json")))
                    port = open(os.path.join(data, name, "port")).read()
                    channel = grpc.insecure_channel(f"127.0.0.1:{port.strip()}")
                    try:
                        failures += [f"{name}: {f}" for f in exercise(
                            channel, scenario, os.path.join(data, "stubs"))]
                    except Exception as e:
                        failures.append(f"{name}: {type(e).__name__}: {e}")
                    channel.close()
        finally:
            down = subprocess.run(ctl[:1] + ["down"] + ctl[1:],
                                  capture_output=True, text=True, timeout=120)
            if down.returncode != 0:
                failures.append(f"peelctl down exited {down.returncode}: "
                                f"{down.stderr.strip()}")
    for f in failures:
        print("FAIL:", f)
    print("PASS" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
