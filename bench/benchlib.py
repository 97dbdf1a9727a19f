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
        self.env = dict(os.environ, JOBMATCH_SQL_DIR=os.path.join(ROOT, "sql"), LOG_LEVEL="error", **env)
        self.env.pop("DATABASE_URL", None)
        self.port = 21000 + os.getpid() % 10000
        self.socket_dir = os.path.join(self.home, "run")
        self.psql = ["psql", "-h", self.socket_dir, "-U", "jobmatch", "-d", "jobmatch", "-v", "ON_ERROR_STOP=1", "-q"]
        self.server = None

    def command(self, *args):
        """Runs a jobmatch subcommand on this home; returns its last line of output."""
        return run([self.binary, *args, "--home", self.home], env=self.env).stdout.strip().splitlines()[-1]

    def start(self):
        self.server = subprocess.Popen([self.binary, "serve", "--home", self.home, "--port", str(self.port)], env=self.env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the service did not become healthy")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.server:
            self.server.send_signal(signal.SIGTERM)
            self.server.wait(timeout=60)
        shutil.rmtree(self.home, ignore_errors=True)


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
    run(psql + ["-c", "ALTER SYSTEM SET log_min_duration_statement = 0", "-c", "SELECT pg_reload_conf()"])
    time.sleep(0.5)
    try:
        requests()
    finally:
        run(psql + ["-c", "ALTER SYSTEM RESET log_min_duration_statement", "-c", "SELECT pg_reload_conf()"])
    text = "".join(open(os.path.join(log_dir, f), encoding="utf-8", errors="replace").read() for f in sorted(os.listdir(log_dir)))
    entries = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", text)
    statements = {}
    for index, entry in enumerate(entries):
        if " execute " in entry and marker in entry and index + 1 < len(entries) and "parameters:" in entries[index + 1]:
            parameters = dict(re.findall(r"\$(\d+) = (NULL|'(?:[^']|'')*')", entries[index + 1]))
            sql = re.sub(r"\$(\d+)(?!\d)", lambda m: parameters[m.group(1)], entry[entry.index(marker):].rstrip())
            statements.setdefault(parameters["1"].strip("'"), []).append(sql)
    return statements
