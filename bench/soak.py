#!/usr/bin/env python3
"""Soak (issue 8, item 7): a steady load for `--minutes` (10) and the service's memory.

Drives about `--rate` (50) requests/s, paced, from `--threads` keep-alive threads, the work of a
day at the centre: employers posting vacancies (each with its own Idempotency-Key) and listing
them, staff searching workers, opening a vacancy's candidates, reading progress, and web pages
(sign-in once, then the dashboard and worker search). Samples the service's resident memory
(`/proc/PID/status` VmRSS) every 10 s. Checks, after a warm-up of `--warmup` minutes (2): memory at
the end at most 10% above memory at the end of the warm-up; no error (every answer 2xx or 3xx);
the service still healthy. Prints the samples and exits 1 when a check fails.

Usage: python3 bench/soak.py [--minutes 10] [--rate 50] [--threads 8] [--warmup 2] [--binary PATH]
Uses the debug binary unless `--binary` names another (e.g. `.build/release/jobmatch`).
"""
import argparse, http.client, os, re, sys, threading, time, urllib.parse

from benchlib import (Client, Service, VacancyBurst, debug_binary, make_employer, run, conclude)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=5000)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = args.binary or debug_binary(None)
    failures = []
    with Service(binary, prefix="jm-soak-", EMPLOYER_RATE_LIMIT_PER_MINUTE="100000000", JOBMATCH_WEB_DIR=os.path.join(ROOT, "web")) as service:
        service.command("seed", "--workers", str(args.workers))
        token = service.command("staff", "add", "soak", "--role", "officer")
        password = "Lua-gao-Hau-Giang-26"
        run(["/bin/sh", "-c", f"printf '%s\\n' '{password}' | '{binary}' staff password soak --home '{service.home}'"], env=service.env)
        service.start()
        key, _ = make_employer(service, token)
        pid = service.server.pid
        staff = {"Authorization": f"Bearer {token}"}
        employer = {"Authorization": f"Bearer {key}"}
        names = ["nguyen van", "tran thi", "le van", "pham thi", "hoang", "vo thi", "dang van", "bui thi"]
        counts = {}
        lock = threading.Lock()
        vacancies = []
        stop_at = time.monotonic() + args.minutes * 60
        begin = time.monotonic() + 0.5

        def web_session():
            """Signs in through the form; returns the session's cookie header and its CSRF token."""
            conn = http.client.HTTPConnection("127.0.0.1", service.port, timeout=60)
            conn.request("GET", "/sign-in")
            reply = conn.getresponse()
            cookies = [v for k, v in reply.getheaders() if k.lower() == "set-cookie"]
            signin_cookie = next(c.split(";")[0] for c in cookies if c.startswith("jm_signin="))
            token_field = re.search(r'name="_csrf" value="([^"]+)"', reply.read().decode()).group(1)
            body = urllib.parse.urlencode({"_csrf": token_field, "next": "", "username": "soak", "password": password})
            conn.request("POST", "/sign-in", body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": signin_cookie})
            reply = conn.getresponse()
            reply.read()
            cookies = [v for k, v in reply.getheaders() if k.lower() == "set-cookie"]
            session = next(c.split(";")[0] for c in cookies if c.startswith("jm_session="))
            conn.request("GET", "/", headers={"Cookie": session})
            csrf = re.search(r'name="_csrf" value="([^"]+)"', conn.getresponse().read().decode()).group(1)
            conn.close()
            return session, csrf

        def worker(number):
            client = Client(service.port, timeout=60)
            cookie, csrf = web_session()
            k = 0
            while True:
                due = begin + (k * args.threads + number) / args.rate
                k += 1
                if due > stop_at or time.monotonic() > stop_at:
                    return  # the load stops on time even when the service fell behind the rate
                time.sleep(max(0, due - time.monotonic()))
                choice = (k * args.threads + number) % 10
                try:
                    if choice in (0, 1):
                        idem = f"soak-{number}-{k}"
                        reply = client.request("POST", "/api/v1/vacancies", VacancyBurst.body(idem), dict(employer, **{"Idempotency-Key": idem}))
                        if reply.status == 201:
                            with lock:
                                vacancies.append(reply.json()["id"])
                    elif choice == 2:
                        reply = client.request("GET", "/api/v1/vacancies?limit=20", None, employer)
                    elif choice in (3, 4):
                        query = urllib.parse.quote(names[k % len(names)])
                        reply = client.request("GET", f"/api/staff/workers?limit=20&q={query}", None, staff)
                    elif choice == 5 and vacancies:
                        reply = client.request("GET", f"/api/staff/vacancies/{vacancies[k % len(vacancies)]}/candidates?limit=20", None, staff)
                    elif choice == 6:
                        reply = client.request("GET", "/api/staff/progress", None, staff)
                    elif choice == 7:
                        reply = client.request("GET", "/", None, {"Cookie": cookie})
                    else:
                        body = urllib.parse.urlencode({"_csrf": csrf, "q": names[k % len(names)]})
                        reply = client.request("POST", "/workers/search", body.encode(),
                                               {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
                    outcome = reply.status
                except Exception as error:  # noqa: BLE001 - every failure is counted and reported
                    outcome = type(error).__name__
                    client = Client(service.port, timeout=60)
                with lock:
                    counts[outcome] = counts.get(outcome, 0) + 1

        threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(args.threads)]
        for thread in threads:
            thread.start()
        samples = []
        started = time.monotonic()
        while any(t.is_alive() for t in threads):
            samples.append((time.monotonic() - started, rss_mb(pid)))
            time.sleep(10)
        for thread in threads:
            thread.join()
        samples.append((time.monotonic() - started, rss_mb(pid)))
        healthy = Client(service.port).request("GET", "/readyz").status
        total = sum(counts.values())
        warm = [mb for at, mb in samples if at <= args.warmup * 60]
        base = warm[-1] if warm else samples[0][1]
        end = samples[-1][1]
        growth = (end - base) / base * 100 if base else 0
        errors = {k: v for k, v in counts.items() if not (isinstance(k, int) and k < 400)}
        print(f"soak: {args.minutes:.0f} min at {total / (samples[-1][0] or 1):.1f} requests/s ({total} requests, {args.threads} threads, "
              f"{args.workers} seeded workers, {os.path.basename(os.path.dirname(binary))} build)")
        print(f"  outcomes {dict(sorted(counts.items(), key=str))}")
        print("  memory (MB): " + ", ".join(f"{at / 60:.1f} min {mb:.0f}" for at, mb in samples[:: max(1, len(samples) // 12)]))
        print(f"  after warm-up ({args.warmup:.0f} min) {base:.1f} MB, at the end {end:.1f} MB: growth {growth:+.1f}% (goal under 10%)")
        print(f"  /readyz at the end: {healthy}")
        if growth >= 10:
            failures.append(f"memory grew {growth:.1f}%")
        if errors:
            failures.append(f"errors: {errors}")
        if healthy != 200:
            failures.append(f"not ready at the end ({healthy})")
    return conclude(failures)


if __name__ == "__main__":
    sys.exit(main())
