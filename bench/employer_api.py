#!/usr/bin/env python3
"""Employer API benchmark (employer API issue, "Measured"; issue 21, section 1).

Drives `POST /api/v1/vacancies` with a distinct Idempotency-Key per request through `wrk` at 8 and
32 concurrent connections and, in the same run and against the same database at the same
concurrency:

- `pgbench` inserting the same row shape into `vacancies` (one-row INSERT; the employer API issue's
  yardstick, goal 0.5, which the floor showed to be beyond this stack on this machine);
- `pgbench -M prepared` running the very SQL the service sends for one POST: the text of
  `VacancyPostStatement.sql` read from the Swift source, with the service's parameter values for
  this body and a distinct Idempotency-Key per transaction (goal: the API at least 0.4 of it);
- the floor server (`bench/floor`, see `stack_floor.py`): Hummingbird + PostgresNIO doing one
  prepared INSERT per POST (goal: the API at least 0.6 of it, and its p99 at most twice the floor's).

Usage: python3 bench/employer_api.py [--seconds 15] [--binary .build/release/jobmatch] [--floor PATH | --no-floor]
Needs wrk and pgbench (Debian: apt-get install wrk postgresql-contrib). Builds the release binary
first unless --binary is given, and the floor server (its own package, long the first time) unless
--floor or --no-floor is given. Everything runs on 127.0.0.1 against an embedded cluster in a
temporary home.
"""
import argparse, glob, http.client, json, os, re, shutil, subprocess, sys

from benchlib import ROOT, Service, release_binary, run, record, sql_value
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


def pgbench(socket_dir, connections, seconds, directory, script_text=PGBENCH_SCRIPT, name="insert", extra=()):
    script = os.path.join(directory, f"{name}.sql")
    with open(script, "w") as f:
        f.write(script_text)
    logs = os.path.join(directory, f"pgbench-{name}-{connections}")
    os.makedirs(logs, exist_ok=True)
    out = run(["pgbench", "-h", socket_dir, "-U", "jobmatch", "-n", "-c", str(connections), "-j", "2", "-T", str(seconds),
               *extra, "-f", script, "-l", "--log-prefix", os.path.join(logs, "log"), "jobmatch"]).stdout
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    latencies = []
    for name in os.listdir(logs):
        with open(os.path.join(logs, name)) as f:
            latencies += [int(line.split()[2]) for line in f if line.strip()]
    latencies.sort()
    p99 = latencies[int(0.99 * (len(latencies) - 1))] / 1000 if latencies else float("nan")
    return tps, p99


SERVICE_SQL_SOURCE = os.path.join(ROOT, "Sources", "JobMatch", "Vacancies", "VacancyPostStatement.swift")


def service_sql_script(service, run_id):
    """A pgbench script and its `-D` definitions: the SQL text of `VacancyPostStatement` with each
    `$n` as a pgbench variable holding the value the service binds for BODY (a NULL the service
    binds stays a NULL literal, as pgbench has no NULL variable), and the Idempotency-Key made
    distinct per transaction from the run, the client and a per-client counter."""
    source = open(SERVICE_SQL_SOURCE, encoding="utf-8").read()
    sql = re.search(r'static let sql = """\n(.*?)\n\s*"""', source, re.S).group(1)
    sql = " ".join(line.strip() for line in sql.splitlines())
    ward_name = sql_value(service, "SELECT ward_name FROM wards_2025 WHERE ward_code = '31321'")
    # The answer's body as the service renders it before the call (keys in the contract's order; placeholders for
    # the id and the times), the headers it stores, and the audit entry's values.
    template = json.dumps({"id": -1, "title": BODY["title"], "occupation_code": BODY["occupation_code"], "skills": [],
                           "ward_code": BODY["ward_code"], "ward_name": ward_name, "slots": BODY["slots"], "slots_filled": 0,
                           "wage_min": BODY["wage_min"], "wage_max": BODY["wage_max"], "closing_date": BODY["closing_date"],
                           "open_to_abroad_bound": False, "status": "open", "created_at": "1970-01-01T00:00:00Z",
                           "updated_at": "1970-01-01T00:00:00Z"}, ensure_ascii=False, separators=(",", ":"))
    audit = json.dumps({"closing_date": BODY["closing_date"], "occupation_code": BODY["occupation_code"], "reference": "",
                        "slots": str(BODY["slots"]), "title": BODY["title"], "ward_code": BODY["ward_code"]},
                       ensure_ascii=False, separators=(",", ":"))
    values = {1: "1", 2: None, 3: "POST", 4: "/api/v1/vacancies", 5: "\\x" + "ab" * 32,
              6: '{"Content-Type":"application/json; charset=utf-8"}', 7: template, 8: None, 9: BODY["title"], 10: None,
              11: BODY["occupation_code"], 12: BODY["ward_code"], 13: str(BODY["slots"]), 14: BODY["closing_date"],
              15: str(BODY["wage_min"]), 16: str(BODY["wage_max"]), 17: None, 18: None, 19: None, 20: None, 21: None, 22: None,
              23: "false", 24: "{}", 25: audit}
    def parameter(match):
        number = int(match.group(1))
        if number == 2:
            return ":key"
        return f":p{number}" if values[number] is not None else "NULL"
    script = ("\\set n :n + 1\n"
              "\\set key :run * 1000000000000 + :client_id * 1000000000 + :n\n"
              + re.sub(r"\$(\d+)(?!\d)", parameter, sql) + ";\n")
    defines = ["-D", "n=0", "-D", f"run={run_id}"]
    for number, value in values.items():
        if value is not None and number != 2:
            defines += ["-D", f"p{number}={value}"]
    return script, defines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--binary")
    parser.add_argument("--floor", help="a built bench/floor server (StackFloor); built when not given")
    parser.add_argument("--no-floor", action="store_true", help="leave the floor server out")
    args = parser.parse_args()
    for tool in ("wrk", "pgbench"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed: apt-get install wrk postgresql-contrib")
    binary = release_binary(args.binary)
    floor = None
    if not args.no_floor:
        from stack_floor import floor_binary
        floor = args.floor or floor_binary()
    with Service(binary, prefix="jm-bench-api-", EMPLOYER_RATE_LIMIT_PER_MINUTE="100000000") as service:
        key = start_with_employer(service)
        server, floor_port = (start_floor(service, floor) if floor else (None, None))
        try:
            print(f"POST /api/v1/vacancies (auth, validation, idempotency, audit), {args.seconds} s each, vs pgbench: one-row INSERT, "
                  f"and the service's own SQL (-M prepared); and the floor server" + ("" if floor else " (left out)"))
            for connections in (8, 32):
                rate, p99, errors, raw = wrk(service.port, key, connections, args.seconds, service.home)
                tps, pg_p99 = pgbench(service.socket_dir, connections, args.seconds, service.home)
                script, defines = service_sql_script(service, connections)
                own, own_p99 = pgbench(service.socket_dir, connections, args.seconds, service.home, script, name="service-sql",
                                       extra=["-M", "prepared", *defines])
                line = (f"{connections:>2} connections: API {rate:,.0f} req/s, p99 {p99:.1f} ms ({errors} non-2xx); "
                        f"pgbench INSERT {tps:,.0f} tps, p99 {pg_p99:.1f} ms, ratio {rate / tps:.2f}; "
                        f"pgbench service SQL {own:,.0f} tps, p99 {own_p99:.1f} ms, ratio {rate / own:.2f} (goal >= 0.4)")
                record(f"POST /api/v1/vacancies, {connections} connections (req/s, p99)", f"{rate:,.0f} req/s, {p99:.1f} ms",
                       f"pgbench INSERT {tps:,.0f} tps, {pg_p99:.1f} ms", f"{rate / tps:.2f}", ">= 0.5", rate / tps >= 0.5 and errors == 0)
                record(f"POST /api/v1/vacancies vs pgbench running its own SQL, {connections} connections",
                       f"{rate:,.0f} req/s, {p99:.1f} ms", f"pgbench -M prepared {own:,.0f} tps, {own_p99:.1f} ms", f"{rate / own:.2f}",
                       ">= 0.4", rate / own >= 0.4 and errors == 0)
                if floor:
                    bare, bare_p99, bare_errors, _ = wrk(floor_port, key, connections, args.seconds, service.home, path="/vacancies")
                    line += (f"; floor {bare:,.0f} req/s, p99 {bare_p99:.1f} ms ({bare_errors} non-2xx), "
                             f"ratio {rate / bare:.2f} (goal >= 0.6), p99 {p99 / bare_p99:.2f}x the floor's (goal <= 2)")
                    record(f"POST /api/v1/vacancies vs the floor server, {connections} connections", f"{rate:,.0f} req/s, {p99:.1f} ms",
                           f"floor {bare:,.0f} req/s, {bare_p99:.1f} ms", f"{rate / bare:.2f}, p99 {p99 / bare_p99:.2f}x",
                           ">= 0.6, p99 <= 2x", rate / bare >= 0.6 and p99 <= 2 * bare_p99 and errors == 0 and bare_errors == 0)
                print(line)
                if errors:
                    print(raw)
        finally:
            if server:
                server.terminate()
                server.wait(timeout=30)


def start_floor(service, floor):
    """Starts the floor server on the service's cluster, next to the service's port; returns it and its port."""
    from stack_floor import wait_for
    socket = [s for s in glob.glob(os.path.join(service.socket_dir, ".s.PGSQL.*")) if not s.endswith(".lock")][0]
    port = service.port + 1
    server = subprocess.Popen([floor], env=dict(os.environ, FLOOR_SOCKET=socket, FLOOR_PORT=str(port), FLOOR_EMPLOYER="1"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port)
    return server, port


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
