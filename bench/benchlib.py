"""What the benchmarks share: building the release binary, and a jobmatch service on its own
embedded cluster in a temporary home, started on 127.0.0.1 and removed afterwards."""
import http.client, os, shutil, signal, subprocess, tempfile, time

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
