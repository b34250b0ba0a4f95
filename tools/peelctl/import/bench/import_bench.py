#!/usr/bin/python3
"""Benchmark of `peelctl import call-records` (issue 7: 10^6 call records
from CSV in under 10 s). Not a ctest test: it prints figures.

    tools/peelctl/import/bench/import_bench.py \
        --peelctl=build/release/tools/peelctl/peelctl \
        --server=build/release/services/victim-service/victim-service \
        --records=1000000 --runs=3

Writes a seeded CSV of call records (time-ordered over 2021, ten forces,
999 and 101, about 1 in 12 abandoned) once, then for each run starts a
fresh victim-service on port 0 in a temp suite folder, times the whole
`peelctl import` command (wall clock, and peelctl's own CPU), checks that
every record was accepted, and stops the server. Prints each run and the
median.
"""
import argparse
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time

FORCES = ["metropolitan", "west-midlands", "greater-manchester",
          "west-yorkshire", "thames-valley", "kent", "merseyside",
          "avon-and-somerset", "essex", "hampshire"]
HEADER = "call_id,force,channel,offered_at,answered.answer_ms," \
         "abandoned.waited_ms\n"


def write_csv(path, records, seed=7):
    rng = random.Random(seed)
    start = 1609459200  # 2021-01-01T00:00:00Z
    step = 365 * 86400 / records
    with open(path, "w") as f:
        f.write(HEADER)
        rows = []
        for i in range(records):
            t = int(start + i * step)
            force = FORCES[0] if rng.random() < 0.5 else rng.choice(FORCES)
            channel = "EMERGENCY_999" if rng.random() < 0.6 \
                else "NON_EMERGENCY_101"
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
            if rng.random() < 1 / 12:
                cells = f",{rng.randint(1000, 300000)}"
            else:
                cells = f"{int(rng.expovariate(1 / 9000))},"
            rows.append(f"c{i:08x},{force},{channel},{stamp},{cells}\n")
            if len(rows) == 10000:
                f.writelines(rows)
                rows = []
        f.writelines(rows)


def start_server(binary, suite):
    folder = os.path.join(suite, "victim-service")
    os.makedirs(folder)
    port_file = os.path.join(folder, "port")
    log = open(os.path.join(folder, "log"), "w")
    proc = subprocess.Popen(
        [binary, "--port=0", "--listen_host=127.0.0.1",
         f"--port_file={port_file}", f"--data_dir={folder}/store"],
        stdout=log, stderr=log)
    with open(os.path.join(folder, "pid"), "w") as f:
        f.write(f"{proc.pid}\n")
    deadline = time.time() + 30
    while time.time() < deadline:
        if os.path.exists(port_file) and open(port_file).read().strip():
            return proc
        if proc.poll() is not None:
            sys.exit(f"victim-service exited: {open(log.name).read()}")
        time.sleep(0.05)
    proc.kill()
    sys.exit("victim-service wrote no port file")


def cpu_seconds(pid):
    """User + system CPU of a live process, from /proc."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_once(args, csv, suite):
    proc = start_server(args.server, suite)
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        out = subprocess.run(
            [args.peelctl, "import", "call-records", csv,
             f"--data_dir={suite}"] + args.peelctl_args,
            capture_output=True, text=True)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_cpu = cpu_seconds(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime -
                                                 before.ru_stime)
    expected = f"{args.records} accepted"
    if out.returncode != 0 or expected not in out.stdout:
        sys.exit(f"import failed ({out.returncode}): {out.stdout} "
                 f"{out.stderr}")
    return wall, cpu, server_cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peelctl", required=True)
    ap.add_argument("--server", required=True)
    ap.add_argument("--records", type=int, default=1000000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--csv", default="",
                    help="reuse (or write) this CSV instead of a temp one")
    ap.add_argument("peelctl_args", nargs="*",
                    help="extra peelctl flags, after --")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="peel-import-bench-") as tmp:
        csv = args.csv or os.path.join(tmp, "calls.csv")
        if not os.path.exists(csv):
            write_csv(csv, args.records)
        size = os.path.getsize(csv) / 2**20
        print(f"{args.records} call records, {size:.1f} MiB CSV; load "
              f"average {os.getloadavg()[0]:.1f}")
        walls = []
        for i in range(args.runs):
            suite = os.path.join(tmp, f"suite{i}")
            wall, cpu, server_cpu = run_once(args, csv, suite)
            walls.append(wall)
            print(f"run {i + 1}: {wall:.2f} s wall, "
                  f"{args.records / wall:,.0f} records/s; CPU: peelctl "
                  f"{cpu:.2f} s ({cpu / args.records * 1e6:.2f} us/record), "
                  f"victim-service {server_cpu:.2f} s "
                  f"({server_cpu / args.records * 1e6:.2f} us/record); "
                  f"load average {os.getloadavg()[0]:.1f}")
        median = statistics.median(walls)
        print(f"median of {args.runs}: {median:.2f} s "
              f"({args.records / median:,.0f} records/s)")


if __name__ == "__main__":
    main()
