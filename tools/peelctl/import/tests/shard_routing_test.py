#!/usr/bin/python3
"""`peelctl import --shard_map` routes each record to the shard owning its
force (issue 8 item 5, DESIGN §5). Real servers on loopback port 0, temp
folders; the shards are read back with an independent client (Debian's
python3-grpcio with descriptors from tools/peel.protoset).

  crime-recording, shards A = metropolitan+kent and B = every other force:
    audits (JSON, routed by each audit's force) and audited incidents
    (CSV, routed to the shard holding --audit);
  victim-service, shards A = metropolitan and B = kent+essex (no catch-all):
    call records (CSV, routed per row, batches of 2 so each shard gets
    several); a surrey row is owned by no shard and an essex row from 1999
    is refused by shard B: both are reported with their line numbers.

    shard_routing_test.py --peelctl P --crime-recording C --victim-service V
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "integration-tests"))
import grpc  # noqa: E402
from reflection_client import call, protoset_pool, start_server  # noqa: E402

CR = "peel.crimerecording.v1.CrimeRecordingService"
VS = "peel.victimservice.v1.VictimService"

failures = []


def check(what, got, want):
    if got != want:
        failures.append(f"{what}: got {got!r}, expected {want!r}")
    else:
        print(f"ok: {what} = {got!r}")


def peelctl(args, *extra):
    out = subprocess.run([args.peelctl, "import", *extra],
                         capture_output=True, text=True, timeout=60)
    print(" ".join(extra[:2]), "->", out.returncode, out.stdout.strip(),
          out.stderr.strip()[-300:])
    return out


def audit(audit_id, force):
    return {"audit_id": audit_id, "force": force,
            "period": {"start_date": "2021-07-01", "end_date": "2021-12-31"},
            "recorded_crime_base": 1000, "recorded_crime_base_source": "test",
            "strata": [{"stratum": "VIOLENCE", "weight": 0.5},
                       {"stratum": "SEXUAL_OFFENCES", "weight": 0.25},
                       {"stratum": "OTHER", "weight": 0.25}]}


def rpc(channel, pool, service, method, request):
    m = pool.FindServiceByName(service).methods_by_name[method]
    return call(channel, m, [request])


def audits_on(channel, pool):
    ids = []
    for force in ("metropolitan", "kent", "essex", "surrey"):
        answer = rpc(channel, pool, CR, "ListAudits", {"force": force})
        ids += [a["audit_id"] for a in answer.get("audits", [])]
    return sorted(ids)


def incidents_on(channel, pool, audit_id):
    try:
        answer = rpc(channel, pool, CR, "GetRecordingEstimate",
                     {"audit_id": audit_id})
        return int(answer.get("incidents", 0))
    except grpc.RpcError as e:
        return e.code().name


def answered_on(channel, pool, force):
    answer = rpc(channel, pool, VS, "GetCallHandlingSummary",
                 {"force": force, "period": {"start_date": "2021-06-01",
                                             "end_date": "2021-06-30"}})
    emergency = answer.get("overall", {}).get("emergency", {})
    return int(emergency.get("answered", 0))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peelctl", required=True)
    ap.add_argument("--crime-recording", required=True)
    ap.add_argument("--victim-service", required=True)
    args = ap.parse_args()
    pool, _ = protoset_pool(os.path.join(ROOT, "tools", "peel.protoset"))
    procs = []
    ch = {}
    with tempfile.TemporaryDirectory(prefix="peel-shards-") as tmp:
        try:
            addr = {}
            for name, binary in [("cr_a", args.crime_recording),
                                 ("cr_b", args.crime_recording),
                                 ("vs_a", args.victim_service),
                                 ("vs_b", args.victim_service)]:
                work = os.path.join(tmp, name)
                os.makedirs(work)
                proc, addr[name] = start_server(binary, work, [])
                procs.append(proc)
            ch = {n: grpc.insecure_channel(a) for n, a in addr.items()}

            # crime-recording: audits by their own force.
            cr_map = f"--shard_map=metropolitan+kent@{addr['cr_a']}," \
                     f"{addr['cr_b']}"
            audits = os.path.join(tmp, "audits.json")
            with open(audits, "w") as f:
                json.dump([audit("met-h2", "metropolitan"),
                           audit("kent-h2", "kent"),
                           audit("essex-h2", "essex"),
                           audit("surrey-h2", "surrey")], f)
            out = peelctl(args, "audits", audits, cr_map)
            check("audits exit code", out.returncode, 0)
            check("audits summary", "4 accepted" in out.stdout, True)
            check("audits on shard A", audits_on(ch["cr_a"], pool),
                  ["kent-h2", "met-h2"])
            check("audits on shard B", audits_on(ch["cr_b"], pool),
                  ["essex-h2", "surrey-h2"])

            # Audited incidents: to the shard holding the audit.
            for audit_id, n in [("kent-h2", 3), ("essex-h2", 5)]:
                path = os.path.join(tmp, f"{audit_id}.csv")
                with open(path, "w") as f:
                    f.write("incident_id,stratum,crimes.recorded\n")
                    for i in range(n):
                        f.write(f"{audit_id}-i{i},VIOLENCE,yes\n")
                out = peelctl(args, "audited-incidents", path,
                              f"--audit={audit_id}", cr_map)
                check(f"{audit_id} incidents exit code", out.returncode, 0)
            check("kent incidents on A", incidents_on(ch["cr_a"], pool,
                                                      "kent-h2"), 3)
            check("kent audit not on B", incidents_on(ch["cr_b"], pool,
                                                      "kent-h2"), "NOT_FOUND")
            check("essex incidents on B", incidents_on(ch["cr_b"], pool,
                                                       "essex-h2"), 5)
            out = peelctl(args, "audited-incidents", path, "--audit=nowhere",
                          cr_map)
            check("unknown audit exit code", out.returncode, 1)
            check("unknown audit message",
                  "no shard holds audit_id 'nowhere'" in out.stderr, True)

            # victim-service: call records row by row; surrey is unowned.
            vs_map = f"--shard_map=metropolitan@{addr['vs_a']}," \
                     f"kent+essex@{addr['vs_b']}"
            calls = os.path.join(tmp, "calls.csv")
            rows = ["metropolitan"] * 3 + ["kent"] * 2 + ["essex", "surrey",
                                                          "metropolitan",
                                                          "essex-1999"]
            with open(calls, "w") as f:
                f.write("call_id,force,channel,offered_at,answered.answer_ms\n")
                for k, force in enumerate(rows, start=1):
                    day = f"2021-06-{k:02d}T10:00:00Z"
                    if force == "essex-1999":
                        force, day = "essex", "1999-12-31T10:00:00Z"
                    f.write(f"c{k},{force},EMERGENCY_999,{day},{1000 * k}\n")
            out = peelctl(args, "call-records", calls, vs_map,
                          "--batch_size=2")
            check("calls exit code (rows rejected)", out.returncode, 4)
            check("calls summary",
                  "9 rows, 7 accepted, 0 duplicate, 2 rejected" in out.stdout,
                  True)
            # c9 is the second call of shard B's second batch (c4 c5, c6 c9).
            rejected = sorted(
                open(calls + ".rejected.csv").read().splitlines()[1:])
            check("rejected rows", rejected,
                  ['10,"c9","calls[1].offered_at","before 2000-01-01 or '
                   'malformed"',
                   '8,"c7","force","no shard of --shard_map owns force '
                   '\'surrey\'"'])
            for shard, force, n in [("vs_a", "metropolitan", 4),
                                    ("vs_b", "metropolitan", 0),
                                    ("vs_a", "kent", 0), ("vs_b", "kent", 2),
                                    ("vs_b", "essex", 1)]:
                check(f"{force} calls on {shard}",
                      answered_on(ch[shard], pool, force), n)

            bad = peelctl(args, "call-records", calls,
                          f"--shard_map=kent@{addr['vs_a']},kent@"
                          f"{addr['vs_b']}")
            check("bad shard map exit code", bad.returncode, 2)
            check("bad shard map message",
                  "force 'kent' is owned by two shards" in bad.stderr, True)
        finally:
            # Idle connections would hold each server's drain on SIGTERM.
            for c in ch.values():
                c.close()
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=30)
    for f in failures:
        print("FAIL:", f)
    print("PASS" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
