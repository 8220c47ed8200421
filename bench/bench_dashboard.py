"""Requests per second for a municipality's SDG dashboard against a static file served by the
same server, 20 concurrent connections, measured in the same run. Only 127.0.0.1 is loaded, and
the run is bounded in time and count.

Run: .venv/bin/python bench/bench_dashboard.py [--seconds 10]
It starts `lokalmaal runserver --noreload` (threaded) on a free port with DEBUG off and the
development database (run `lokalmaal data load` first), warms both URLs, then loads each for the
given time and prints both rates and their ratio (target: dashboard ≥ 0.5 × static).
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONNECTIONS = 20
MAX_REQUESTS = 200_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load(port: int, path: str, seconds: float) -> float:
    deadline = time.monotonic() + seconds
    count = 0
    lock = threading.Lock()

    def worker() -> None:
        nonlocal count
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
            with lock:
                count += 1
                if count >= MAX_REQUESTS:
                    break
        connection.close()

    started = time.monotonic()
    with ThreadPoolExecutor(CONNECTIONS) as pool:
        for future in [pool.submit(worker) for _ in range(CONNECTIONS)]:
            future.result()
    return count / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--code", default="4601")
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "LOKALMAAL_DEBUG": "false", "LOKALMAAL_ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [os.path.join(ROOT, ".venv", "bin", "lokalmaal"), "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(3)
        dashboard = f"/kommuner/{args.code}/berekraft/?lang=nb"
        static = "/static/web/site.css"
        for path in (dashboard, static):
            load(port, path, 1.0)
        static_rate = load(port, static, args.seconds)
        dashboard_rate = load(port, dashboard, args.seconds)
        print(f"static file:  {static_rate:8.1f} requests/s")
        print(f"dashboard:    {dashboard_rate:8.1f} requests/s")
        print(f"ratio dashboard/static: {dashboard_rate / static_rate:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
