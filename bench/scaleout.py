"""Scale-out check: two `lokalmaal serve` app servers behind HAProxy (deploy/haproxy.cfg), one
PostgreSQL database, one Redis, one task worker; prints each check and requests per second with
one and with two app servers.

Run: .venv/bin/python bench/scaleout.py [--seconds 20] [--connections 32] [--keep-db]

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and Redis at 127.0.0.1:6379, both
running, and Debian's haproxy and wrk: they are installed with apt-get when missing (as root).
It creates the database lokalmaal_scaleout (dropped again at the end unless --keep-db), uses
Redis database 11 (emptied before and after), migrates and loads the data bundle, and starts
everything on 127.0.0.1: the load balancer on 8100, the app servers on 8101 and 8102.

Checks: a login made through one app server is valid on the other; a login lockout earned on one
holds on the other; a plan uploaded through one is analysed by the worker and its file is served
by the other (in the person's data export); killing one app server in the middle of a load of
GET requests through the load balancer loses none of them; and a backup of the PostgreSQL
database restores into an empty PostgreSQL database with the same row counts.
"""

import argparse
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOKALMAAL = str(ROOT / ".venv" / "bin" / "lokalmaal")
HOST = "127.0.0.1"
LB, APP1, APP2 = 8100, 8101, 8102
DATABASE = "lokalmaal_scaleout"
RESTORED = "lokalmaal_scaleout_restore"
PG = "postgres://postgres@127.0.0.1:5432"
REDIS_DB = 11
PASSWORD = "Et-langt-passord-for-skalering-7"
# Pages for the throughput figures: each kind once, as an anonymous visitor sees them.
PAGES = ["/", "/mal/13/", "/delmal/11.6/", "/kommuner/4601/", "/fylker/46/", "/api/v1/goals/"]

failures: list[str] = []


def say(message: str) -> None:
    print(message, flush=True)


def check(name: str, ok: bool, detail: str = "") -> None:
    say(f"{'PASS' if ok else 'FAIL'}  {name}{f' ({detail})' if detail else ''}")
    if not ok:
        failures.append(name)


def ensure_debian_package(command: str, package: str) -> None:
    if shutil.which(command):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(f"{command} is missing: install Debian's {package} package")
    say(f"Installing Debian's {package} (apt-get install -y {package}) …")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True, env=env)


def psql(sql: str) -> None:
    result = subprocess.run(
        ["psql", f"{PG}/postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"psql: {sql}: {result.stderr.strip()}")


def redis_flush() -> None:
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "FLUSHDB"], check=True, capture_output=True)


def environment(media: Path, database: str = DATABASE) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("LOKALMAAL_")},
        "LOKALMAAL_ENV": "production",
        "LOKALMAAL_SECRET_KEY": secrets.token_urlsafe(48),
        "LOKALMAAL_ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": f"{PG}/{database}",
        "LOKALMAAL_CACHE_URL": f"redis://{HOST}:6379/{REDIS_DB}",
        "LOKALMAAL_MEDIA_DIR": str(media),  # the folder every app server mounts
        "LOKALMAAL_SSL_REDIRECT": "false",  # plain HTTP on the loopback; TLS ends at the proxy
        "LOKALMAAL_REQUEST_LOG": "false",
        "LOKALMAAL_TASK_WORKERS": "1",
    }


def run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [LOKALMAAL, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"lokalmaal {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A process in a group of its own, so it can be killed with all its children."""
    out = log.open("wb")
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(port: int, path: str = "/helse/?del=database,cache", seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"nothing answered {path} on port {port} within {seconds:.0f} s")


class Browser:
    """One person's cookies, sent to whichever server is asked (cookies are marked Secure in
    production; on the loopback they travel over plain HTTP)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, port: int, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(HOST, port, timeout=120)
        headers = {"Accept-Language": "nb", "Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def csrf(self, port: int, path: str) -> str:
        status, _headers, page = self.request(port, "GET", path)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not found:
            raise SystemExit(f"{path} on {port}: no form ({status})")
        return found.group(1).decode()

    def post_form(self, port: int, path: str, form_path: str, fields: dict[str, str]) -> int:
        fields = {"csrfmiddlewaretoken": self.csrf(port, form_path), **fields}
        body = urllib.parse.urlencode(fields).encode()
        return self.request(port, "POST", path, body, "application/x-www-form-urlencoded")[0]

    def login(self, port: int, email: str, password: str) -> int:
        fields = {"login": email, "password": password}
        return self.post_form(port, "/konto/login/", "/konto/login/", fields)

    def upload(
        self, port: int, path: str, form_path: str, fields: dict[str, str], file: bytes
    ) -> tuple[int, str]:
        """Posts a multipart form with `file`; the status and where it redirects."""
        token = self.csrf(port, form_path)
        boundary = secrets.token_hex(16)
        parts = []
        for name, value in {"csrfmiddlewaretoken": token, **fields}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="plan.txt"\r\n'
            f"Content-Type: text/plain\r\n\r\n".encode()
            + file
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        kind = f"multipart/form-data; boundary={boundary}"
        status, headers, _page = self.request(port, "POST", path, body, kind)
        return status, headers.get("location", "")


def logged_in(browser: Browser, port: int) -> bool:
    status, _headers, _page = browser.request(port, "GET", "/organisasjoner/mine/")
    return status == 200


def create_people(env: dict[str, str]) -> str:
    """Three verified people, one an editor of Bergen's organisation; returns its slug."""
    script = f"""
from allauth.account.models import EmailAddress
from lokalmaal.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from lokalmaal.regions.models import Region
region = Region.objects.get(code="4601")
organisation, _ = Organisation.objects.get_or_create(
    region=region,
    defaults={{"slug": region.slug, "name": region.name_with_kind(), "kind": OrganisationKind.MUNICIPALITY}},
)
for email in ("ola@bergen.kommune.no", "kari@bergen.kommune.no", "per@bergen.kommune.no"):
    user = User.objects.filter(email=email).first() or User.objects.create_user(email, {PASSWORD!r})
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={{"verified": True, "primary": True}})
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={{"role": Role.EDITOR}})
print(organisation.slug)
"""
    return run(env, "shell", "-c", script).strip().splitlines()[-1]


def check_login_and_lockout() -> None:
    browser = Browser()
    status = browser.login(APP1, "ola@bergen.kommune.no", PASSWORD)
    check("login through app server 1", status == 302 and logged_in(browser, APP1), f"{status}")
    check("that login is valid on app server 2", logged_in(browser, APP2))

    attacker = Browser()
    for _attempt in range(6):
        attacker.login(APP1, "kari@bergen.kommune.no", "feil-passord")
    owner = Browser()
    owner.login(APP2, "kari@bergen.kommune.no", PASSWORD)
    locked = not logged_in(owner, APP2)
    control = Browser()
    control.login(APP2, "per@bergen.kommune.no", PASSWORD)
    check(
        "a lockout earned on app server 1 holds on app server 2",
        locked and logged_in(control, APP2),
        "right password refused after 6 failures elsewhere; another person logs in",
    )


def check_upload_analysis_and_file(slug: str) -> None:
    browser = Browser()
    browser.login(APP1, "per@bergen.kommune.no", PASSWORD)
    text = (
        "Kommuneplanens samfunnsdel for Bergen.\n\n"
        "Kommunen skal redusere klimagassutslippene med 70 prosent innen 2030 og satse på "
        "kollektivtransport, sykkel og gange.\n\n"
        "Alle barn skal ha trygg skoleveg og tilgang til barnehage av god kvalitet.\n"
    ).encode()
    status, location = browser.upload(
        APP1,
        f"/organisasjoner/{slug}/planar/ny/",
        f"/organisasjoner/{slug}/planar/",
        {"title": "Samfunnsdelen (skaleringstest)", "plan_type": "samfunnsdel", "year": "2026"},
        text,
    )
    check("a plan uploaded through app server 1", status == 302, f"{status} → {location}")
    if status != 302:
        return
    started, state = time.monotonic(), ""
    while time.monotonic() - started < 300 and state not in ("Analysed", "Analysis failed"):
        page = browser.request(APP2, "GET", f"{location}?lang=en")[2].decode()
        found = re.search(r"<dt>Analysis</dt><dd>([^<]+)</dd>", page)
        state = found.group(1) if found else ""
        if state not in ("Analysed", "Analysis failed"):
            time.sleep(1)
    took = time.monotonic() - started
    check(
        "is analysed by the worker, shown by app server 2",
        state == "Analysed",
        f"{state}, {took:.0f} s",
    )
    status, _headers, archive = browser.request(APP2, "GET", "/konto/mine-data/lokalmaal-data.zip")
    files = []
    if status == 200:
        with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
            files = [zipped.read(n) for n in zipped.namelist() if "plandocument" in n]
    check("its file is served by app server 2 (data export)", text in files, f"{status}")


def wrk(port: int, seconds: float, connections: int) -> float:
    """Requests per second over the page mix (wrk with a Lua script that rotates the paths)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        paths = ", ".join(json.dumps(p) for p in PAGES)
        script.write(
            f"local paths = {{{paths}}}\nlocal i = 0\n"
            "request = function()\n  i = i + 1\n"
            "  return wrk.format('GET', paths[(i % #paths) + 1], {['Accept-Language'] = 'nb'})\n"
            "end\n"
        )
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            "--timeout=30s",
            f"-c{connections}",
            f"-d{int(seconds)}s",
            "-s",
            script.name,
            f"http://{HOST}:{port}/",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    socket_errors = re.search(r"Socket errors: (.*)", result.stdout)
    if errors or socket_errors:
        say(
            f"  wrk reported: {errors.group(0) if errors else ''} {socket_errors.group(0) if socket_errors else ''}"
        )
    return rate


def load_while(
    port: int, seconds: float, connections: int, during: Callable[[], None]
) -> tuple[int, int, int]:
    """GET requests through `port` from `connections` threads; `during` runs a third of the way
    in. Returns (requests, lost, cut): lost requests got no answer or an error status; cut ones
    had their answer broken off mid-body by the kill, which no load balancer can take back."""
    deadline = time.monotonic() + seconds
    counts = {"requests": 0, "failed": 0}
    reasons: Counter[str] = Counter()
    lock = threading.Lock()

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        n = offset
        while time.monotonic() < deadline:
            path = PAGES[n % len(PAGES)]
            n += 1
            try:
                connection.request("GET", path, headers={"Accept-Language": "nb"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                reason = str(response.status)
            except (OSError, http.client.HTTPException) as error:
                ok = False
                reason = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
            with lock:
                counts["requests"] += 1
                counts["failed"] += not ok
                if not ok:
                    reasons[reason] += 1

    timer = threading.Timer(seconds / 3, during)
    timer.start()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(client, range(connections)))
    timer.join()
    if reasons:
        say(f"  failed requests by status or error: {dict(reasons)}")
    cut = reasons["IncompleteRead"]
    return counts["requests"], counts["failed"] - cut, cut


def check_backup_restore(env: dict[str, str], media: Path, work: Path) -> None:
    psql(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{RESTORED}"')
    try:
        started = time.monotonic()
        run(env, "backup", "--to", str(work / "backup"))
        backed_up = time.monotonic() - started
        target = {**environment(work / "restored-media", RESTORED)}
        run(target, "migrate", "--noinput", "-v", "0")
        started = time.monotonic()
        run(target, "restore", "--from", str(work / "backup"))
        restored = time.monotonic() - started
        count = "from lokalmaal.ops.backup import row_counts; import json; print(json.dumps(row_counts()))"
        before = json.loads(run(env, "shell", "-c", count).strip().splitlines()[-1])
        after = json.loads(run(target, "shell", "-c", count).strip().splitlines()[-1])
        manifest = json.loads((work / "backup" / "manifest.json").read_text())
        check(
            "backup of PostgreSQL restores into an empty PostgreSQL database",
            before == after and len(manifest["files"]) >= 1,
            f"{sum(after.values())} rows, {len(manifest['files'])} files; backup {backed_up:.0f} s, "
            f"restore {restored:.0f} s",
        )
    finally:
        psql(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')


@contextmanager
def stack(
    args: argparse.Namespace, work: Path
) -> Iterator[tuple[dict[str, str], dict[str, subprocess.Popen[bytes]]]]:
    media = work / "media"
    env = environment(media)
    if not args.keep_db:
        psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    exists = subprocess.run(
        [
            "psql",
            f"{PG}/postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        psql(f'CREATE DATABASE "{DATABASE}"')
    redis_flush()
    say("Migrating and loading the data bundle into PostgreSQL …")
    run(env, "migrate", "--noinput", "-v", "0")
    run(env, "data", "load")
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for name, port in (("app1", APP1), ("app2", APP2)):
            processes[name] = start(
                [LOKALMAAL, "serve", "--bind", f"{HOST}:{port}", "--workers", str(args.workers)],
                env,
                work / f"{name}.log",
            )
        processes["worker"] = start([LOKALMAAL, "worker"], env, work / "worker.log")
        wait_for(APP1)
        wait_for(APP2)
        lb_env = {
            **os.environ,
            "LB_BIND": f"{HOST}:{LB}",
            "APP1": f"{HOST}:{APP1}",
            "APP2": f"{HOST}:{APP2}",
        }
        processes["haproxy"] = start(
            ["haproxy", "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
            lb_env,
            work / "haproxy.log",
        )
        wait_for(LB)
        yield env, processes
    finally:
        for process in processes.values():
            stop(process)
        redis_flush()
        if not args.keep_db:
            psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="each throughput run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes per app server")
    parser.add_argument("--keep-db", action="store_true", help="keep (and reuse) the database")
    args = parser.parse_args()
    ensure_debian_package("haproxy", "haproxy")
    ensure_debian_package("wrk", "wrk")
    work = Path(tempfile.mkdtemp(prefix="lokalmaal-scaleout-"))
    with stack(args, work) as (env, processes):
        slug = create_people(env)
        check_login_and_lockout()
        check_upload_analysis_and_file(slug)
        for page in PAGES:  # warm every app server's caches before timing
            for port in (APP1, APP2):
                Browser().request(port, "GET", page)
        two = wrk(LB, args.seconds, args.connections)
        say(f"two app servers behind the load balancer: {two:.0f} req/s")

        def kill_app1() -> None:
            stop(processes["app1"], signal.SIGKILL)

        requests, lost, cut = load_while(LB, args.seconds, args.connections, kill_app1)
        check(
            "killing app server 1 mid-load loses no GET request the other could take",
            lost == 0 and processes["app1"].poll() is not None,
            f"{requests} requests, {lost} lost, {cut} answers cut off mid-body by the kill",
        )
        one = wrk(LB, args.seconds, args.connections)
        say(f"one app server behind the load balancer: {one:.0f} req/s")
        say(f"two / one app servers: {two / one:.2f}× ({os.cpu_count()} CPU cores shared by all)")
        check_backup_restore(env, work / "media", work)
    if failures:
        say(f"logs of the app servers, the worker and HAProxy: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    say("all checks passed" if not failures else f"FAILED: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
