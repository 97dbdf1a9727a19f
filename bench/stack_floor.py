#!/usr/bin/env python3
"""The floor under the employer API's throughput (employer API issue, "Measured"): how fast the
same stack goes when it does the least a POST can do.

`bench/floor` is a twenty-line Hummingbird server: it reads the JSON body, runs one prepared INSERT
into `vacancies` through a PostgresNIO pool and answers 201 with the id; no authentication,
validation, idempotency or audit. In one run, at 8 and 32 connections, this prints: `POST
/api/v1/vacancies` through jobmatch (the whole work), the same POST through the floor server (wrk,
same body), and pgbench inserting the same row shape (`bench/employer_api.py`), all against the
same embedded cluster, with each rate's ratio to pgbench's. If the floor itself stays under half of
pgbench's rate, no work on jobmatch's own code can reach the issue's 0.5 on this machine.

Usage: python3 bench/stack_floor.py [--seconds 15] [--binary .build/release/jobmatch]
Builds bench/floor in release mode first (its own .build; a few minutes the first time).
"""
import argparse, glob, http.client, os, subprocess, sys, time

from benchlib import ROOT, Service, release_binary, run, record
from employer_api import pgbench, start_with_employer, wrk


def floor_binary():
    package = os.path.join(ROOT, "bench", "floor")
    run(["swift", "build", "-c", "release", "--package-path", package])
    return os.path.join(package, ".build", "release", "StackFloor")


def wait_for(port, path="/vacancies"):
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the floor server did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = release_binary(args.binary)
    floor = floor_binary()
    with Service(binary, prefix="jm-bench-floor-", EMPLOYER_RATE_LIMIT_PER_MINUTE="100000000") as service:
        key = start_with_employer(service)
        socket = glob.glob(os.path.join(service.socket_dir, ".s.PGSQL.*"))
        socket = [s for s in socket if not s.endswith(".lock")][0]
        port = service.port + 1
        server = subprocess.Popen([floor], env=dict(os.environ, FLOOR_SOCKET=socket, FLOOR_PORT=str(port), FLOOR_EMPLOYER="1"),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(port)
            print(f"POST a vacancy, {args.seconds} s each: jobmatch's API (all of it), the floor server (one INSERT), pgbench (one INSERT)")
            for connections in (8, 32):
                api, api_p99, api_errors, _ = wrk(service.port, key, connections, args.seconds, service.home)
                bare, bare_p99, bare_errors, _ = wrk(port, key, connections, args.seconds, service.home, path="/vacancies")
                tps, pg_p99 = pgbench(service.socket_dir, connections, args.seconds, service.home)
                print(f"{connections:>2} connections: API {api:,.0f} req/s (p99 {api_p99:.1f} ms, {api_errors} non-2xx), ratio {api / tps:.2f}; "
                      f"floor {bare:,.0f} req/s (p99 {bare_p99:.1f} ms, {bare_errors} non-2xx), ratio {bare / tps:.2f}; "
                      f"pgbench {tps:,.0f} tps (p99 {pg_p99:.1f} ms)")
                record(f"the stack's floor: Hummingbird + one PostgresNIO INSERT, {connections} connections", f"{bare:,.0f} req/s, {bare_p99:.1f} ms",
                       f"pgbench {tps:,.0f} tps, {pg_p99:.1f} ms", f"{bare / tps:.2f}", "(reference)", bare_errors == 0)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
