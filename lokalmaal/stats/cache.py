"""A folder of raw PxWebApi response bodies, valid for as long as the table is not updated.

Each entry is keyed by table id and normalised selection and stores the table's `updated`
timestamp from its metadata. A lookup with a different timestamp is a miss, so a new release of
the table is fetched again while unchanged tables cost one metadata call instead of data calls.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def cache_key(table_id: str, request: Mapping[str, Any]) -> str:
    """Stable key: the same table and selection give the same key, whatever the value order."""
    canonical = json.dumps(_normalise(request), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    safe_table = "".join(c for c in table_id if c.isalnum() or c in "-_") or "table"
    return f"{safe_table}-{digest}"


def _normalise(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return sorted({str(v) for v in value})
    return value


class ResponseCache:
    """Stores the body (or, for split requests, the bodies) of one `data()` call per key."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def load(self, key: str, updated: str) -> list[bytes] | None:
        """The stored bodies if they were saved for this `updated` timestamp, else None."""
        try:
            header = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            if header.get("updated") != updated:
                return None
            return [self._part(key, i).read_bytes() for i in range(int(header["parts"]))]
        except (OSError, ValueError, KeyError, TypeError):
            # A missing, partial or unreadable entry is simply a miss.
            return None

    def store(self, key: str, updated: str, bodies: Sequence[bytes], about: Any = None) -> None:
        """Save bodies first and the header last: a crash mid-way never looks like a valid entry."""
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{key}.json").unlink(missing_ok=True)
        for i, body in enumerate(bodies):
            self._write(self._part(key, i), body)
        header = {"updated": updated, "parts": len(bodies), "request": about}
        self._write(self.folder / f"{key}.json", json.dumps(header, ensure_ascii=False).encode())

    def _part(self, key: str, index: int) -> Path:
        return self.folder / f"{key}.part{index}.body"

    def _write(self, path: Path, data: bytes) -> None:
        fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
