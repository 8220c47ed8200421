"""Every public page type under load: 50 concurrent connections for two minutes against a server
started on 127.0.0.1, each page type's requests per second as a ratio to a static file served by
the same server in the same run, errors, and the server's memory at start and end.

Run: .venv/bin/python bench/bench_load.py [--seconds 120] [--connections 50] [--server CMD]
It starts `lokalmaal runserver --noreload --insecure` (threaded) on a free port with DEBUG off
and the database the environment names (the development database unless DATABASE_URL says
otherwise; run `lokalmaal data load` first). --server swaps the command, with {port} for the
port, e.g. --server ".venv/bin/gunicorn -w 2 -b 127.0.0.1:{port} lokalmaal.config.wsgi".

The time is split into rounds; in each round every page type, the static file included, is
loaded on its own by all connections for an equal slice, so that a noisy neighbour on a shared
machine slows the static file and the pages alike. Goals (the issue's): no errors, server memory
(resident, with its child processes) under 600 MB at the end, and requests per second at least
0.5 × the static file's for dashboards and indicator pages, 0.25 × for the others.
"""

import argparse
import http.client
import os
import shlex
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER = f"{ROOT}/.venv/bin/lokalmaal runserver --noreload --insecure 127.0.0.1:{{port}}"
HOST = "127.0.0.1"  # never anything else
MAX_REQUESTS = 100_000  # per slice, whatever the time
MEMORY_GOAL_MB = 600
STATIC = "static"


@dataclass(frozen=True)
class PageType:
    name: str
    urls: tuple[str, ...]
    goal: float  # requests per second as a share of the static file's


PAGE_TYPES = [
    PageType(STATIC, ("/static/web/site.css",), 1.0),
    PageType("home", ("/",), 0.25),
    PageType("goal", ("/mal/13/", "/mal/7/"), 0.25),
    PageType("target", ("/delmal/11.6/", "/delmal/13.2/"), 0.25),
    PageType("municipality", ("/kommuner/4601/", "/kommuner/1577/", "/kommuner/0301/"), 0.25),
    PageType("county", ("/fylker/46/", "/fylker/03/"), 0.25),
    PageType(
        "dashboard",
        (
            "/kommuner/4601/berekraft/",
            "/kommuner/1577/berekraft/",
            "/kommuner/0301/berekraft/",
            "/kommuner/5501/berekraft/",
            "/kommuner/3907/berekraft/",
        ),
        0.5,
    ),
    PageType(
        "indicator",
        (
            "/indikatorar/befolkningsvekst/",
            "/indikatorar/befolkningsvekst/?kommune=4601",
            "/indikatorar/valgdeltakelse-stortingsvalg/?kommune=1577",
            "/indikatorar/vaksinasjon-hpv-jenter/",
        ),
        0.5,
    ),
    PageType("indicator list", ("/indikatorar/",), 0.25),
    PageType("comparison", ("/samanlikn/?k=4601&k=1577",), 0.25),
    PageType("search", ("/sok/?q=klima",), 0.25),
    PageType("examples", ("/erfaringar/",), 0.25),
    PageType("api indicators", ("/api/v1/indicators/",), 0.25),
    PageType("api regions", ("/api/v1/regions/?type=municipality",), 0.25),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def resident_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (gunicorn's workers, say)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total_kb, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
        except OSError:
            pass
    return total_kb / 1024


def fetch(connection: http.client.HTTPConnection, path: str) -> tuple[int, int]:
    connection.request("GET", path, headers={"Accept-Language": "nb"})
    response = connection.getresponse()
    return response.status, len(response.read())


def wait_for(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            if fetch(connection, path)[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"the server did not answer {path} within {seconds:.0f} s")
        time.sleep(0.2)


@dataclass
class Tally:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0


def load(port: int, page: PageType, seconds: float, connections: int, tally: Tally) -> None:
    """All connections request the page type's URLs in turn for `seconds`."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    done = 0

    def worker(offset: int) -> None:
        nonlocal done
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        number = offset
        while time.monotonic() < deadline:
            path = page.urls[number % len(page.urls)]
            number += 1
            try:
                ok = fetch(connection, path)[0] == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
            with lock:
                done += 1
                tally.requests += 1
                tally.errors += not ok
                if done >= MAX_REQUESTS:
                    break
        connection.close()

    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        for future in [pool.submit(worker, n) for n in range(connections)]:
            future.result()
    tally.seconds += time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="total load time")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="passes over all page types")
    parser.add_argument("--server", default=SERVER, help="server command; {port} is replaced")
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "LOKALMAAL_DEBUG": "false", "LOKALMAAL_ALLOWED_HOSTS": HOST}
    command = shlex.split(args.server.format(port=port))
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(port, PAGE_TYPES[0].urls[0])
        memory_start = resident_mb(server.pid)
        sizes: dict[str, int] = {}
        for page in PAGE_TYPES:  # every URL answers before any is timed; the first fills caches
            connection = http.client.HTTPConnection(HOST, port, timeout=120)
            for path in page.urls:
                status, size = fetch(connection, path)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}")
                sizes[path] = size
        memory_warm = resident_mb(server.pid)
        tallies = {page.name: Tally() for page in PAGE_TYPES}
        peak = memory_warm
        slice_seconds = args.seconds / args.rounds / len(PAGE_TYPES)
        for _round in range(args.rounds):
            for page in PAGE_TYPES:
                load(port, page, slice_seconds, args.connections, tallies[page.name])
                peak = max(peak, resident_mb(server.pid))
        memory_end = resident_mb(server.pid)
    finally:
        server.terminate()
        try:  # a production server finishes its requests first (gunicorn: up to 30 s)
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    report(args, tallies, sizes, memory_start, memory_warm, peak, memory_end)
    errors = sum(t.errors for t in tallies.values())
    return 1 if errors or memory_end > MEMORY_GOAL_MB else 0


def report(
    args: argparse.Namespace,
    tallies: dict[str, Tally],
    sizes: dict[str, int],
    memory_start: float,
    memory_warm: float,
    peak: float,
    memory_end: float,
) -> None:
    static = tallies[STATIC]
    static_rate = static.requests / static.seconds
    print(f"{args.connections} connections, {args.seconds:.0f} s in {args.rounds} rounds")
    print(f"{'page type':16} {'requests':>9} {'errors':>7} {'req/s':>8} {'ratio':>6} {'goal':>5}")
    for page in PAGE_TYPES:
        tally = tallies[page.name]
        rate = tally.requests / tally.seconds
        ratio = rate / static_rate
        verdict = "" if page.name == STATIC else ("ok" if ratio >= page.goal else "BELOW")
        print(
            f"{page.name:16} {tally.requests:9d} {tally.errors:7d} {rate:8.1f} {ratio:6.2f}"
            f" {page.goal:5.2f} {verdict}"
        )
    errors = sum(t.errors for t in tallies.values())
    print(f"errors: {errors} (goal 0)")
    print(
        f"server memory (RSS with children): start {memory_start:.0f} MB, after warm-up "
        f"{memory_warm:.0f} MB, peak {peak:.0f} MB, end {memory_end:.0f} MB "
        f"(goal < {MEMORY_GOAL_MB} MB)"
    )
    largest = max(sizes, key=lambda path: sizes[path])
    print(f"largest page: {largest} {sizes[largest] / 1024:.0f} KB")


if __name__ == "__main__":
    sys.exit(main())
