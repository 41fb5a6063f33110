#!/usr/bin/env python3
"""Sign-in burst: resident memory before, at the peak of, and after bursts of
concurrent sign-ins with unknown email addresses (no account needed, so every
attempt runs Argon2 against the dummy hash).

Starts its own release server on a fresh SQLite data folder with --demo,
samples VmRSS from /proc every 5 ms, and prints one Markdown table row.
Measured and recorded, never asserted.

    python3 bench/signin_burst.py [--binary target/release/securebase]
        [--concurrency 120] [--rounds 3] [--env KEY=VALUE ...]
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, body, address):
    payload = json.dumps(body).encode()
    req = (
        f"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        f"X-Forwarded-For: {address}\r\nConnection: close\r\n\r\n"
    ).encode() + payload
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(req)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="target/release/securebase")
    ap.add_argument("--concurrency", type=int, default=120)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--label", default="default")
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--settle", type=float, default=15.0, help="seconds to wait before the settled reading")
    args = ap.parse_args()

    data = tempfile.mkdtemp(prefix="sb-burst-")
    port = free_port()
    env = dict(os.environ, RUST_LOG="warn", SECUREBASE_TRUST_FORWARDED_FOR="true")
    for kv in args.env:
        k, v = kv.split("=", 1)
        env[k] = v
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [args.binary, "--data-dir", data, "--bind", f"127.0.0.1:{port}", "serve", "--demo"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(400):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if b"ready" in s.recv(4096):
                        break
            except OSError:
                time.sleep(0.025)
        time.sleep(1.0)
        idle = rss_kib(server.pid)

        peak = [idle]
        sampling = [True]

        def sample():
            while sampling[0]:
                peak[0] = max(peak[0], rss_kib(server.pid))
                time.sleep(0.005)

        sampler = threading.Thread(target=sample)
        sampler.start()
        statuses = {}
        started = time.time()
        for r in range(args.rounds):
            threads = []
            results = []

            def one(i):
                # A different address each, so throttling is not what answers.
                addr = f"10.{r}.{i // 250}.{i % 250 + 1}"
                try:
                    results.append(request(port, {"email": f"nobody{r}-{i}@example.org", "password": "a guess"}, addr))
                except OSError as e:
                    results.append(f"error: {e.__class__.__name__}")

            for i in range(args.concurrency):
                t = threading.Thread(target=one, args=(i,))
                threads.append(t)
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            for s in results:
                statuses[s] = statuses.get(s, 0) + 1
        elapsed = time.time() - started
        sampling[0] = False
        sampler.join()
        # Longer than tokio's 10 s keep-alive for idle blocking threads.
        time.sleep(args.settle)
        settled = rss_kib(server.pid)
        mib = lambda k: f"{k / 1024:.0f} MiB"
        print(
            f"| {args.label} | {args.concurrency} × {args.rounds} | {mib(idle)} | {mib(peak[0])} | {mib(settled)} "
            f"| {elapsed:.1f} s | {', '.join(f'{k}: {v}' for k, v in sorted(statuses.items(), key=str))} |"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
