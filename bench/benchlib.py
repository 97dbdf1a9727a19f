"""What the benchmarks share: building the release binary, and a jobmatch service on its own
embedded cluster in a temporary home, started on 127.0.0.1 and removed afterwards."""
import http.client, os, re, shutil, signal, subprocess, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def release_binary(binary=None):
    """`binary` if given, else the freshly built release binary."""
    if binary:
        return binary
    run(["swift", "build", "-c", "release", "--product", "jobmatch"], cwd=ROOT)
    return os.path.join(ROOT, ".build", "release", "jobmatch")


class Service:
    """`with Service(binary) as service:` gives a home, its environment and a port; `start()`
    runs `jobmatch serve` there and waits for /healthz; leaving the block stops it and removes the home."""

    def __init__(self, binary, prefix="jm-bench-", **env):
        self.binary = binary
        self.home = tempfile.mkdtemp(prefix=prefix)
        os.chmod(self.home, 0o755)
        self.env = dict(os.environ, JOBMATCH_SQL_DIR=os.path.join(ROOT, "sql"), LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "error"), **env)
        self.env.pop("DATABASE_URL", None)
        self.port = 21000 + os.getpid() % 10000
        self.socket_dir = os.path.join(self.home, "run")
        self.psql = ["psql", "-h", self.socket_dir, "-U", "jobmatch", "-d", "jobmatch", "-v", "ON_ERROR_STOP=1", "-q"]
        self.server = None

    def command(self, *args):
        """Runs a jobmatch subcommand on this home; returns its last line of output."""
        return run([self.binary, *args, "--home", self.home], env=self.env).stdout.strip().splitlines()[-1]

    def start(self):
        log = open(os.environ["BENCH_SERVICE_LOG"], "a") if os.environ.get("BENCH_SERVICE_LOG") else subprocess.DEVNULL
        self.server = subprocess.Popen([self.binary, "serve", "--home", self.home, "--port", str(self.port)], env=self.env,
                                       stdout=log, stderr=log)
        wait_healthy(self.port)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.server:
            self.server.send_signal(signal.SIGTERM)
            self.server.wait(timeout=60)
        shutil.rmtree(self.home, ignore_errors=True)


def wait_healthy(port, what="the service"):
    """Waits up to about a minute until the service on `port` answers /healthz with 200."""
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not become healthy")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed_copy(psql, script):
    """Seconds psql reports for the slowest statement of `script` (the \\copy), without psql's own start."""
    out = run(psql + ["-o", "/dev/null"], input="\\timing on\n" + script + "\n").stdout
    return max(float(line.split()[1]) for line in out.splitlines() if line.startswith("Time:")) / 1000


def captured_sql(psql, log_dir, marker, requests):
    """The SQL statements starting with `marker` that the API ran while `requests` runs, with their
    values inlined, by the value of their first parameter, read from PostgreSQL's statement log."""
    for name in os.listdir(log_dir):
        open(os.path.join(log_dir, name), "w").close()
    # Statements with their parameters (DETAIL lines: the cluster keeps them out of its log otherwise).
    run(psql + ["-c", "ALTER SYSTEM SET log_min_duration_statement = 0", "-c", "ALTER SYSTEM SET log_error_verbosity = 'default'",
                "-c", "SELECT pg_reload_conf()"])
    time.sleep(0.5)
    try:
        requests()
    finally:
        run(psql + ["-c", "ALTER SYSTEM RESET log_min_duration_statement", "-c", "ALTER SYSTEM RESET log_error_verbosity",
                    "-c", "SELECT pg_reload_conf()"])
    text = "".join(open(os.path.join(log_dir, f), encoding="utf-8", errors="replace").read() for f in sorted(os.listdir(log_dir)))
    entries = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", text)
    statements = {}
    for index, entry in enumerate(entries):
        if " execute " in entry and marker in entry and index + 1 < len(entries) and "parameters:" in entries[index + 1]:
            parameters = dict(re.findall(r"\$(\d+) = (NULL|'(?:[^']|'')*')", entries[index + 1]))
            sql = re.sub(r"\$(\d+)(?!\d)", lambda m: parameters[m.group(1)], entry[entry.index(marker):].rstrip())
            statements.setdefault(parameters["1"].strip("'"), []).append(sql)
    return statements


def record(what, jobmatch, tool, ratio, goal, met):
    """Adds one figure to the run's summary file (`JOBMATCH_BENCH_SUMMARY`, JSON lines), which
    `bench/run-all` prints as one table; without that variable it does nothing."""
    path = os.environ.get("JOBMATCH_BENCH_SUMMARY")
    if path:
        import json
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"what": what, "jobmatch": jobmatch, "tool": tool, "ratio": ratio, "goal": goal, "met": bool(met)},
                                 ensure_ascii=False) + "\n")


# --- Fault benches (bench/fault_*.py, bench/backup_restore.py) -------------------------------------

def debug_binary(binary=None):
    """`binary` if given, else the debug binary (`swift build`), built if missing."""
    if binary:
        return binary
    path = os.path.join(ROOT, ".build", "debug", "jobmatch")
    if not os.path.exists(path):
        run(["swift", "build", "--product", "jobmatch"], cwd=ROOT)
    return path


def pg_bin(name):
    """A PostgreSQL server program (pg_ctl, initdb) of the newest Debian version, or from PATH."""
    base = "/usr/lib/postgresql"
    versions = sorted((v for v in os.listdir(base) if v.isdigit()), key=int, reverse=True) if os.path.isdir(base) else []
    for version in versions:
        path = os.path.join(base, version, "bin", name)
        if os.path.exists(path):
            return path
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (apt-get install postgresql)")
    return found


def as_cluster_owner(args):
    """`args` run as the account that owns the embedded cluster (Debian's postgres when we are root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", os.environ.get("JOBMATCH_PG_ACCOUNT", "postgres"), "--"] + args
    return args


class Reply:
    def __init__(self, status, headers, body, seconds):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    def json(self):
        import json
        return json.loads(self.body) if self.body else None


class Client:
    """One keep-alive HTTP connection to the service (one per thread); reconnects after an error.
    `request` raises OSError / http.client.HTTPException when no complete response came."""

    def __init__(self, port, timeout=60):
        self.port, self.timeout, self.conn = port, timeout, None

    def request(self, method, path, body=None, headers=None, on_sent=None):
        import json
        headers = dict(headers or {})
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body, ensure_ascii=False).encode()
            headers.setdefault("Content-Type", "application/json")
        started = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.conn.request(method, path, body=body, headers=headers)
            if on_sent:
                on_sent()
            response = self.conn.getresponse()
            data = response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data, time.monotonic() - started)
        except BaseException:
            self.close()
            raise

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
            self.conn = None


def make_employer(service, token):
    """An employer and its API key, made through the staff API of a started service: (key, employer_id)."""
    reply = Client(service.port).request("POST", "/api/staff/employers",
                                         {"name": "Công ty Cơ khí", "tax_code": "0100109106", "ward_code": "31321"},
                                         {"Authorization": f"Bearer {token}"})
    assert reply.status == 201, (reply.status, reply.body)
    employer_id = reply.json()["id"]
    key = Client(service.port).request("POST", f"/api/staff/employers/{employer_id}/keys", None,
                                       {"Authorization": f"Bearer {token}"}).json()["api_key"]
    return key, employer_id


def sql_value(service, query):
    """The first column of the first row of `query`, as text, through psql on the embedded cluster."""
    return run(service.psql + ["-At", "-c", query]).stdout.strip()


def postmaster_pid(service):
    with open(os.path.join(service.home, "pgdata", "postmaster.pid")) as f:
        return int(f.readline())


def cluster_processes(service):
    """The postmaster and every process it started (backends, checkpointer, ...)."""
    master = postmaster_pid(service)
    children = run(["ps", "-o", "pid=", "--ppid", str(master)]).stdout.split()
    return [master] + [int(p) for p in children]


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def start_cluster(service, data_dir=None, socket_dir=None, log_file=None, cpus=None):
    """Starts an embedded cluster with pg_ctl the way `jobmatch` does (socket only, no TCP);
    `cpus` (e.g. "1") keeps its processes on those cores only (`taskset`)."""
    data_dir = data_dir or os.path.join(service.home, "pgdata")
    socket_dir = socket_dir or service.socket_dir
    log_file = log_file or os.path.join(service.home, "log", "postgresql.log")
    options = f"-c listen_addresses= -k {socket_dir} -c unix_socket_permissions=0700"
    pinned = ["taskset", "-c", cpus] if cpus else []
    run(pinned + as_cluster_owner([pg_bin("pg_ctl"), "start", "-D", data_dir, "-l", log_file, "-w", "-t", "60", "-o", options]), cwd="/")


def latency_summary(values):
    if not values:
        return "none"
    return f"n={len(values)} median {percentile(values, 50) * 1000:.0f} ms, p99 {percentile(values, 99) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"


class VacancyBurst:
    """`total` vacancy POSTs, each with its own Idempotency-Key and `reference`, sent by `threads`
    client threads; a request is sent again (same key, same body) until it is acknowledged (201).
    Records every attempt: (start, seconds, status or error) and each key's first acknowledgement."""

    def __init__(self, port, api_key, total, threads=8, prefix="k", timeout=60):
        import threading
        self.port, self.api_key, self.total, self.threads, self.timeout = port, api_key, total, threads, timeout
        self.keys = [f"{prefix}-{i:05d}" for i in range(total)]
        self.acked = {}                    # key -> (id, replayed?)
        self.attempts = []                 # (monotonic start, seconds, status int or error name, key)
        self.retries = 0
        self.lock = threading.Lock()
        self.next_index = 0
        self.stop = False
        self.paused = threading.Event()
        self.paused.set()

    @staticmethod
    def body(key):
        return {"reference": key, "title": "Thợ hàn", "occupation_code": "7212", "ward_code": "31321", "slots": 2,
                "closing_date": "2099-01-31", "wage_min": 6500000, "wage_max": 9000000}

    def headers(self, key):
        return {"Authorization": f"Bearer {self.api_key}", "Idempotency-Key": key}

    def acknowledged(self):
        with self.lock:
            return len(self.acked)

    def _take(self):
        with self.lock:
            if self.next_index >= self.total:
                return None
            key = self.keys[self.next_index]
            self.next_index += 1
            return key

    def _worker(self):
        client = Client(self.port, timeout=self.timeout)
        while not self.stop:
            key = self._take()
            if key is None:
                return
            first = True
            while not self.stop:
                self.paused.wait()
                if not first:
                    with self.lock:
                        self.retries += 1
                first = False
                start = time.monotonic()
                try:
                    reply = client.request("POST", "/api/v1/vacancies", self.body(key), self.headers(key))
                    outcome = reply.status
                except (OSError, http.client.HTTPException) as error:
                    reply, outcome = None, type(error).__name__
                seconds = time.monotonic() - start
                with self.lock:
                    self.attempts.append((start, seconds, outcome, key))
                if reply is not None and reply.status == 201:
                    with self.lock:
                        self.acked[key] = (reply.json()["id"], reply.headers.get("idempotent-replayed") == "true")
                    break
                if reply is not None and reply.status not in (409, 429, 503):
                    with self.lock:
                        self.acked.setdefault("!unexpected", []).append((key, reply.status, reply.body[:300]))
                time.sleep(0.05 if reply is not None else 0.1)

    def start(self):
        import threading
        self.workers = [threading.Thread(target=self._worker, daemon=True) for _ in range(self.threads)]
        self.started = time.monotonic()
        for worker in self.workers:
            worker.start()

    def join(self, deadline_seconds):
        end = time.monotonic() + deadline_seconds
        for worker in self.workers:
            worker.join(max(0.1, end - time.monotonic()))
        self.stop = True
        self.finished = time.monotonic()
        return not any(w.is_alive() for w in self.workers)

    def unexpected(self):
        return self.acked.get("!unexpected", [])

    def verify(self, service, employer_id, replay_sample=300, seed=0):
        """The checks every fault bench makes at the end; returns (failures, figures)."""
        import random
        failures, figures = [], {}
        acked = {k: v for k, v in self.acked.items() if not k.startswith("!")}
        figures["acknowledged"] = len(acked)
        figures["first_acknowledged_by_a_replay"] = sum(1 for _, replayed in acked.values() if replayed)
        if len(acked) != self.total:
            failures.append(f"{self.total - len(acked)} requests never acknowledged")
        rows = run(service.psql + ["-At", "-F", "\t", "-c",
                                   f"SELECT id, reference FROM vacancies WHERE employer_id = {employer_id}"]).stdout.split("\n")
        by_reference = {}
        for line in filter(None, rows):
            vid, reference = line.split("\t")
            by_reference.setdefault(reference, []).append(int(vid))
        count = sum(len(v) for v in by_reference.values())
        figures["vacancies_in_sql"] = count
        if count != self.total:
            failures.append(f"{count} vacancies in the database, expected {self.total}")
        duplicates = {r: ids for r, ids in by_reference.items() if len(ids) > 1}
        figures["duplicate_references"] = len(duplicates)
        if duplicates:
            failures.append(f"{len(duplicates)} references with more than one vacancy, e.g. {list(duplicates.items())[:3]}")
        stored_keys = int(sql_value(service, f"SELECT count(*) FROM idempotency_keys WHERE employer_id = {employer_id}"))
        figures["idempotency_keys_in_sql"] = stored_keys
        if stored_keys != self.total:
            failures.append(f"{stored_keys} idempotency keys stored, expected {self.total}")
        missing = [k for k, (vid, _) in acked.items() if by_reference.get(k) != [vid]]
        figures["acknowledged_but_missing_or_different"] = len(missing)
        if missing:
            failures.append(f"{len(missing)} acknowledged writes missing or with another id, e.g. {missing[:3]}")
        self.check_replays(service, acked, failures, figures, replay_sample=replay_sample, seed=seed)
        return failures, figures

    def check_replays(self, service, acked, failures, figures, replay_sample=300, seed=0, lost=frozenset()):
        """Sends again every acknowledged key that needed more than one attempt, plus a random sample,
        and expects the first answer replayed; keys in `lost` are left out (their write is gone, so a
        replay would make it anew). Also fails on any unexpected status seen during the burst."""
        import random
        tried = {}
        for _, _, _, key in self.attempts:
            tried[key] = tried.get(key, 0) + 1
        figures["keys_sent_more_than_once"] = sum(1 for n in tried.values() if n > 1)
        present = sorted(k for k in acked if k not in lost)
        sample = {k for k, n in tried.items() if n > 1 and k in acked and k not in lost}
        sample |= set(random.Random(seed).sample(present, min(replay_sample, len(present))))
        client, bad = Client(service.port), []
        for key in sorted(sample):
            reply = client.request("POST", "/api/v1/vacancies", self.body(key), self.headers(key))
            if reply.status != 201 or reply.headers.get("idempotent-replayed") != "true" or reply.json()["id"] != acked[key][0]:
                bad.append((key, reply.status, reply.headers.get("idempotent-replayed"), reply.body[:120]))
        figures["replays_checked"] = len(sample)
        if bad:
            failures.append(f"{len(bad)} replays differ from the first answer, e.g. {bad[:3]}")
        if self.unexpected():
            failures.append(f"{len(self.unexpected())} unexpected statuses, e.g. {self.unexpected()[:3]}")


def stop_service(service, timeout=30):
    """SIGTERM, then wait `timeout` s; if it has not exited, SIGKILL it and stop its cluster (immediate).
    Returns (exit code or None, seconds, exited by itself)."""
    if service.server is None or service.server.poll() is not None:
        return (service.server.returncode if service.server else None), 0.0, True
    began = time.monotonic()
    service.server.send_signal(signal.SIGTERM)
    try:
        code = service.server.wait(timeout=timeout)
        return code, time.monotonic() - began, True
    except subprocess.TimeoutExpired:
        service.server.kill()
        service.server.wait()
        subprocess.run(as_cluster_owner([pg_bin("pg_ctl"), "stop", "-D", os.path.join(service.home, "pgdata"), "-m", "immediate"]),
                       cwd="/", capture_output=True)
        return None, time.monotonic() - began, False


def check_clean_shutdown(service, failures):
    """SIGTERM to the service after a fault: prints how it ended; a failure unless it exited 0 within 30 s."""
    code, seconds, by_itself = stop_service(service)
    print(f"  SIGTERM at the end: exit code {code} after {seconds:.1f} s" + ("" if by_itself else " (killed: it did not exit in 30 s)"))
    if not by_itself or code != 0:
        failures.append(f"the service did not shut down cleanly after the fault (exit code {code}, {seconds:.0f} s)")


def conclude(failures):
    """Prints each failure and the result; the script's exit status."""
    for failure in failures:
        print("FAIL:", failure)
    print("result:", "FAIL" if failures else "ok")
    return 1 if failures else 0


def wait_for_index(service, token):
    """Waits until the service's candidate index has read its copy of the seeded workers (it reads one
    when the registry changes a lot: a measurement taken meanwhile would share the cores with it)."""
    t3 = time.monotonic()
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", service.port, timeout=120)
        conn.request("GET", "/metrics", headers={"Authorization": f"Bearer {token}"})
        if re.search(rb"^jobmatch_candidate_index_workers [1-9]", conn.getresponse().read(), re.M):
            break
        if time.monotonic() - t3 > 600:
            raise SystemExit("the candidate index did not read its copy within 10 minutes")
        time.sleep(1)
    print(f"candidate index ready {time.monotonic() - t3:.0f} s after the service started")


def wait_until_idle(service, quiet_seconds=3, timeout=600):
    """Waits until the service has used under 5% of a core and no other session of the database has
    run a statement for `quiet_seconds` in a row (after a bulk seed its background work, such as the
    candidate index's copy, may still be running, in the service or as a long query in PostgreSQL,
    while the service itself waits: a measurement taken meanwhile would share the cores with it);
    returns the seconds waited."""
    tick = os.sysconf("SC_CLK_TCK")
    busy_sql = ("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend'")

    def database_busy():
        return int(run(service.psql + ["-At", "-c", busy_sql]).stdout.strip() or 0) > 0

    def cpu_seconds():
        with open(f"/proc/{service.server.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    started = time.monotonic()
    quiet_since, last = time.monotonic(), cpu_seconds()
    while time.monotonic() - started < timeout:
        time.sleep(0.5)
        now = cpu_seconds()
        if now - last > 0.025 or database_busy():
            quiet_since = time.monotonic()
        last = now
        if time.monotonic() - quiet_since >= quiet_seconds:
            return time.monotonic() - started
    if database_busy():
        # A statement of the service's background work outlasted the wait: say so and go on, so the
        # figures that follow are read knowing they share the cores with it.
        print(f"  warning: a statement was still running in the database after {timeout} s; measuring anyway", flush=True)
        return time.monotonic() - started
    raise SystemExit(f"the service did not become idle within {timeout} s")
