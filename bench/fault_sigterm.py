#!/usr/bin/env python3
"""Fault: SIGTERM while serving a steady load (issue 8, item 5).

Drives about `--rate` (200) requests/s, paced, from `--threads` keep-alive client threads: 40%
`POST /api/v1/vacancies` (each with its own Idempotency-Key), 40% `GET /api/v1/vacancies?limit=20`,
20% `GET /api/staff/progress`. After `--before` seconds it sends SIGTERM to `jobmatch serve` and
keeps sending for a few seconds more. Checks:
- every request whose bytes were written before the signal got a complete response, none a 5xx;
- the process exits with code 0 within 30 s of the signal;
- started again on the same home, every vacancy whose POST was acknowledged is there.
Requests sent after the signal may be refused (the listener is closed): they are counted, not failed.
Exits 1 when a check fails.

Usage: python3 bench/fault_sigterm.py [--rate 200] [--threads 16] [--before 10] [--binary PATH]
"""
import argparse, http.client, signal, sys, threading, time

from benchlib import (Client, Service, VacancyBurst, debug_binary, latency_summary, make_employer, run, conclude)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--before", type=float, default=10)
    parser.add_argument("--after", type=float, default=3)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = debug_binary(args.binary)
    failures = []
    with Service(binary, prefix="jm-fault-term-", EMPLOYER_RATE_LIMIT_PER_MINUTE="100000000") as service:
        token = service.command("staff", "add", "bench", "--role", "officer")
        service.start()
        key, employer_id = make_employer(service, token)
        records = []          # (kind, sent_at or None, started, seconds, outcome, key, id)
        lock = threading.Lock()
        signal_at = [None]
        stop_at = [None]
        begin = time.monotonic() + 0.5

        def worker(number):
            client = Client(service.port, timeout=60)
            k = 0
            while True:
                due = begin + (k * args.threads + number) / args.rate
                k += 1
                if stop_at[0] is not None and due > stop_at[0]:
                    return
                time.sleep(max(0, due - time.monotonic()))
                choice = (k * args.threads + number) % 5
                sent = [None]
                started = time.monotonic()
                idem = None
                try:
                    if choice in (0, 1):
                        kind, idem = "post", f"term-{number}-{k}"
                        reply = client.request("POST", "/api/v1/vacancies", VacancyBurst.body(idem),
                                               {"Authorization": f"Bearer {key}", "Idempotency-Key": idem},
                                               on_sent=lambda: sent.__setitem__(0, time.monotonic()))
                    elif choice in (2, 3):
                        kind = "list"
                        reply = client.request("GET", "/api/v1/vacancies?limit=20", headers={"Authorization": f"Bearer {key}"},
                                               on_sent=lambda: sent.__setitem__(0, time.monotonic()))
                    else:
                        kind = "progress"
                        reply = client.request("GET", "/api/staff/progress", headers={"Authorization": f"Bearer {token}"},
                                               on_sent=lambda: sent.__setitem__(0, time.monotonic()))
                    outcome = reply.status
                    vid = reply.json()["id"] if kind == "post" and reply.status == 201 else None
                except (OSError, http.client.HTTPException) as error:
                    outcome, vid = type(error).__name__, None
                with lock:
                    records.append((kind, sent[0], started, time.monotonic() - started, outcome, idem, vid))

        threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(args.threads)]
        for t in threads:
            t.start()
        time.sleep(max(0, begin + args.before - time.monotonic()))
        signal_at[0] = time.monotonic()
        service.server.send_signal(signal.SIGTERM)
        stop_at[0] = signal_at[0] + args.after
        try:
            code = service.server.wait(timeout=30)
            exit_seconds = time.monotonic() - signal_at[0]
        except Exception:
            code, exit_seconds = None, None
            failures.append("the process did not exit within 30 s of SIGTERM")
            service.server.kill()
            service.server.wait()
        for t in threads:
            t.join(70)
        if code not in (0, None):
            failures.append(f"exit code {code}")
        before = [r for r in records if r[1] is not None and r[1] < signal_at[0]]
        in_flight = [r for r in before if r[2] + r[3] > signal_at[0]]
        failed = [r for r in before if not isinstance(r[4], int) or r[4] >= 500]
        after = [r for r in records if r not in before]
        rate = len([r for r in records if r[2] < signal_at[0]]) / (signal_at[0] - begin)
        if failed:
            failures.append(f"{len(failed)} requests sent before the signal failed, e.g. {failed[:3]}")
        # Nothing acknowledged is lost: start again on the same home and look for every acknowledged POST.
        acked = {r[5]: r[6] for r in records if r[0] == "post" and r[4] == 201}
        service.start()
        listing = run(service.psql + ["-At", "-F", "\t", "-c", f"SELECT reference, id FROM vacancies WHERE employer_id = {employer_id}"])
        rows = dict(line.split("\t") for line in listing.stdout.split("\n") if line)
        missing = [k for k, v in acked.items() if rows.get(k) != str(v)]
        if missing:
            failures.append(f"{len(missing)} acknowledged vacancies missing after the restart, e.g. {missing[:3]}")
        outcomes_before, outcomes_after = {}, {}
        for r in before:
            outcomes_before[r[4]] = outcomes_before.get(r[4], 0) + 1
        for r in after:
            outcomes_after[r[4]] = outcomes_after.get(r[4], 0) + 1
        print(f"fault_sigterm: {rate:.0f} requests/s for {args.before:.0f} s from {args.threads} threads "
              f"(40% POST vacancy, 40% list, 20% progress), then SIGTERM")
        print(f"  sent before the signal: {len(before)}, of them in flight at the signal: {len(in_flight)}; "
              f"outcomes {dict(sorted(outcomes_before.items(), key=str))}")
        print(f"  latency before the signal: {latency_summary([r[3] for r in before])}; "
              f"in flight: {latency_summary([r[3] for r in in_flight])}")
        print(f"  sent after the signal: {len(after)}, outcomes {dict(sorted(outcomes_after.items(), key=str))}")
        print(f"  exit code {code} after {exit_seconds:.2f} s" if exit_seconds is not None else "  no exit")
        print(f"  acknowledged POSTs {len(acked)}, all present after restart: {not missing} "
              f"(vacancies in SQL {len(rows)})")
    return conclude(failures)


if __name__ == "__main__":
    sys.exit(main())
