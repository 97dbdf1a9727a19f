#!/usr/bin/env python3
"""Employer API benchmark (employer API issue, "Measured").

Drives `POST /api/v1/vacancies` with a distinct Idempotency-Key per request through `wrk` at 8 and
32 concurrent connections, and in the same run `pgbench` inserting the same row shape into the
same `vacancies` table of the same database at the same concurrency. Prints requests/s and p99
latency of each, and the ratio of the API's rate to pgbench's transactions/s (goal: at least 0.5).

Usage: python3 bench/employer_api.py [--seconds 15] [--binary .build/release/jobmatch]
Needs wrk and pgbench (Debian: apt-get install wrk postgresql-contrib). Builds the release binary
first unless --binary is given. Everything runs on 127.0.0.1 against an embedded cluster in a
temporary home.
"""
import argparse, http.client, json, os, re, shutil, sys

from benchlib import Service, release_binary, run, record
BODY = {"title": "Thợ hàn", "occupation_code": "7212", "ward_code": "31321", "slots": 2, "closing_date": "2099-01-31",
        "wage_min": 6500000, "wage_max": 9000000}

WRK_SCRIPT = """
local counter = 0
local thread_id = 0
function setup(thread)
    thread_id = thread_id + 1
    thread:set("id", thread_id)
end
function init(args)
    token = args[1]
    body = args[2]
    path = args[3] or "/api/v1/vacancies"
    prefix = tostring(id) .. "-" .. tostring(os.time()) .. "-"
end
function request()
    counter = counter + 1
    local headers = {}
    headers["Authorization"] = "Bearer " .. token
    headers["Content-Type"] = "application/json"
    headers["Idempotency-Key"] = prefix .. counter
    return wrk.format("POST", path, headers, body)
end
done = function(summary, latency, requests)
    local statuses = 0
    io.write(string.format("P99_US %d\\n", latency:percentile(99)))
    io.write(string.format("ERRORS %d %d %d\\n", summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout))
end
"""

PGBENCH_SCRIPT = """INSERT INTO vacancies (employer_id, title, occupation_code, ward_code, slots, closing_date, wage_min, wage_max)
VALUES (1, 'Thợ hàn', '7212', '31321', 2, DATE '2099-01-31', 6500000, 9000000);
"""


def wrk(port, token, connections, seconds, directory, path="/api/v1/vacancies"):
    script = os.path.join(directory, "post.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT)
    out = run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", script,
               f"http://127.0.0.1:{port}", "--", token, json.dumps(BODY, ensure_ascii=False), path]).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = int(re.search(r"P99_US (\d+)", out).group(1)) / 1000
    status_errors = int(re.search(r"ERRORS (\d+) (\d+) (\d+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p99, (int(non2xx.group(1)) if non2xx else 0) + status_errors, out


def pgbench(socket_dir, connections, seconds, directory):
    script = os.path.join(directory, "insert.sql")
    with open(script, "w") as f:
        f.write(PGBENCH_SCRIPT)
    logs = os.path.join(directory, f"pgbench-{connections}")
    os.makedirs(logs, exist_ok=True)
    out = run(["pgbench", "-h", socket_dir, "-U", "jobmatch", "-n", "-c", str(connections), "-j", "2", "-T", str(seconds),
               "-f", script, "-l", "--log-prefix", os.path.join(logs, "log"), "jobmatch"]).stdout
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    latencies = []
    for name in os.listdir(logs):
        with open(os.path.join(logs, name)) as f:
            latencies += [int(line.split()[2]) for line in f if line.strip()]
    latencies.sort()
    p99 = latencies[int(0.99 * (len(latencies) - 1))] / 1000 if latencies else float("nan")
    return tps, p99


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--binary")
    args = parser.parse_args()
    for tool in ("wrk", "pgbench"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed: apt-get install wrk postgresql-contrib")
    binary = release_binary(args.binary)
    with Service(binary, prefix="jm-bench-api-", EMPLOYER_RATE_LIMIT_PER_MINUTE="100000000") as service:
        key = start_with_employer(service)
        print(f"POST /api/v1/vacancies (auth, validation, idempotency, audit) vs pgbench INSERT into vacancies, {args.seconds} s each")
        for connections in (8, 32):
            rate, p99, errors, raw = wrk(service.port, key, connections, args.seconds, service.home)
            tps, pg_p99 = pgbench(service.socket_dir, connections, args.seconds, service.home)
            print(f"{connections:>2} connections: API {rate:,.0f} req/s, p99 {p99:.1f} ms ({errors} non-2xx); "
                  f"pgbench {tps:,.0f} tps, p99 {pg_p99:.1f} ms; ratio {rate / tps:.2f} (goal >= 0.5)")
            record(f"POST /api/v1/vacancies, {connections} connections (req/s, p99)", f"{rate:,.0f} req/s, {p99:.1f} ms",
                   f"pgbench {tps:,.0f} tps, {pg_p99:.1f} ms", f"{rate / tps:.2f}", ">= 0.5", rate / tps >= 0.5 and errors == 0)
            if errors:
                print(raw)

def start_with_employer(service):
    """Starts the service with one employer (id 1); returns that employer's API key."""
    token = service.command("staff", "add", "bench", "--role", "officer")
    service.start()
    conn = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
    conn.request("POST", "/api/staff/employers", body=json.dumps({"name": "Công ty Cơ khí", "tax_code": "0100109106", "ward_code": "31321"}),
                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert conn.getresponse().status == 201
    return service.command("employer", "key", "1")


if __name__ == "__main__":
    sys.exit(main())
