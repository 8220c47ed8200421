"""Run text extraction in a child process with a time and memory limit, so that a hostile or
broken document (a PDF bomb, a file that makes the parser loop or crash) can fail its own
extraction but never the web process or the task worker that asked for it.

The parent (`run_extraction`) starts `python -m lokalmaal.plans.sandbox PATH ...` in its own
session, with an environment stripped of secrets, and kills the whole session at the wall-clock
limit. The child first limits its own
address space (RLIMIT_AS) and CPU time (RLIMIT_CPU) and switches core dumps off, then extracts and
writes one JSON object on standard output: {"document": …} or {"error": {"code", …}}. However
the child ends — an answer, a MemoryError, an abort from PDFium when an allocation fails, a
signal from the CPU limit — the parent returns such a JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import resource
import signal
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)
PACKAGE_PARENT = Path(__file__).resolve().parents[2]  # the folder holding `lokalmaal`
CHILD_MEMORY_EXIT = 3


def run_extraction(
    path: Path, *, time_limit: float, memory_limit: int, max_pages: int, max_bytes: int
) -> dict[str, Any]:
    """{"document": …} or {"error": {"code", "reason", "params"}} for the file at path, with
    "peak_memory" (bytes) when the child ended normally."""
    command = [
        sys.executable,
        "-P",  # no current folder on sys.path
        "-m",
        "lokalmaal.plans.sandbox",
        str(Path(path).resolve()),
        "--max-pages",
        str(max_pages),
        "--max-bytes",
        str(max_bytes),
        "--memory",
        str(memory_limit),
        "--cpu",
        str(max(1, int(time_limit + 0.999))),
    ]
    child = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_child_environment(),
        cwd="/",
        start_new_session=True,  # its own process group: killing it kills nothing of ours
    )
    try:
        out, err = child.communicate(timeout=time_limit)
    except subprocess.TimeoutExpired:
        _kill(child)
        child.communicate()
        return _error("timeout", seconds=_seconds(time_limit))
    return _outcome(child.returncode, out, err, time_limit)


def _child_environment() -> dict[str, str]:
    """Only what the child needs: no database URL, secret key or passwords reach the process
    that parses files from outside, in case a parser bug ever lets a file take it over."""
    passed = {"PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "VIRTUAL_ENV", "LOKALMAAL_VAR_DIR"}
    env = {
        name: value
        for name, value in os.environ.items()
        if name in passed or name.startswith("LOKALMAAL_PLAN_")
    }
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PACKAGE_PARENT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    env["DJANGO_SETTINGS_MODULE"] = "lokalmaal.config.settings"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _kill(child: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)


def _outcome(returncode: int, out: bytes, err: bytes, time_limit: float) -> dict[str, Any]:
    if returncode == 0:
        try:
            answer = json.loads(out)
        except ValueError:
            answer = None
        if isinstance(answer, dict) and ("document" in answer or "error" in answer):
            return answer
    stderr = err[-2000:].decode("utf-8", errors="replace")
    logger.warning("Plan text extraction failed (exit %s): %s", returncode, stderr)
    if returncode == -signal.SIGXCPU:
        return _error("timeout", seconds=_seconds(time_limit))
    # SIGKILL from anyone but us is the kernel's out-of-memory killer; PDFium aborts (SIGABRT)
    # when an allocation fails under RLIMIT_AS.
    if returncode in {-signal.SIGKILL, -signal.SIGABRT, CHILD_MEMORY_EXIT} or (
        "MemoryError" in stderr
    ):
        return _error("memory")
    return _error("corrupt")


def _error(code: str, **params: str | int) -> dict[str, Any]:
    return {"error": {"code": code, "reason": code, "params": params}}


def _seconds(time_limit: float) -> str:
    return f"{time_limit:g}"


# ---------------------------------------------------------------------------------------------
# The child


def _limit_self(memory: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # SIGXCPU at the soft limit; the hard limit (SIGKILL) a little later in case it is ignored.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.nice(5)  # the web process and other tasks come first on a small machine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Extract a plan document's text (child side).")
    parser.add_argument("path", type=Path)
    parser.add_argument("--max-pages", type=int, required=True)
    parser.add_argument("--max-bytes", type=int, required=True)
    parser.add_argument("--memory", type=int, required=True, help="address space limit, bytes")
    parser.add_argument("--cpu", type=int, required=True, help="CPU time limit, seconds")
    args = parser.parse_args(argv)
    _limit_self(args.memory, args.cpu)
    text: str | None = None
    with contextlib.suppress(MemoryError):  # the document's memory is freed then; say so below
        answer = _extract(args.path, args.max_pages, args.max_bytes)
        answer["peak_memory"] = _peak_memory()
        text = json.dumps(answer, ensure_ascii=False)
    if text is None:
        try:
            text = json.dumps(_error("memory"))
        except MemoryError:
            return CHILD_MEMORY_EXIT
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


def _peak_memory() -> int | None:
    """This process's peak resident memory in bytes (VmHWM; getrusage's figure would include
    the parent's size at the fork, which exec keeps)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


def _extract(path: Path, max_pages: int, max_bytes: int) -> dict[str, Any]:
    from lokalmaal.plans.extract import ExtractionError, extract_file

    try:
        return {"document": extract_file(path, max_pages=max_pages, max_bytes=max_bytes).to_json()}
    except ExtractionError as error:
        return {"error": error.to_json()}
    except MemoryError:
        raise
    except Exception:  # any other failure of a parser on a broken file
        traceback.print_exc()
        return _error("corrupt")


if __name__ == "__main__":
    sys.exit(main())
