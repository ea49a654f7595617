"""Which found files are unchanged since their last load, without reading every file.

A file's content hash is what decides (the one its last successful load recorded in the store). Reading and
hashing every file on every run is most of an unattended re-run over thousands of files, so this host keeps
a cache of content hashes keyed by each file's stat: device, inode, size, mtime and ctime, all to the
nanosecond. A stat that equals the cached one gives the cached hash; any other stat means the file is read.

Why this is safe: every write to a file, and every metadata change (`touch -d`, `cp -p`, `rsync -t` restoring
an old mtime), sets its ctime to the current time, which no program can set back; a file replaced by rename
gets a new inode. What remains is the "racy" case git has with its index: a write in the same timestamp
tick as the stat the cache recorded (timestamps are coarse: a jiffy on Linux, up to 2 s on some file
systems). So a cached stat counts only if the file's ctime and mtime were at least RACY_NS older than the
moment it was recorded; a file changed just before a run is hashed again on the next run, and then cached.
Tabular files are always hashed: their hash covers a sidecar file as well.

The cache is only an accelerator and is this host's (stats mean nothing elsewhere): one file per store and
set of paths given, in an embedded store's directory, else under $XDG_CACHE_HOME/agkg (~/.cache/agkg);
AGKG_HASH_CACHE=0 turns it off. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from agkg.loaders.edges import DERIVATION
from agkg.loaders.files import FoundFile
from agkg.loaders.formats import TABULAR_SUFFIXES
from agkg.loaders.readers import content_hash

RACY_NS = 3_000_000_000
_VERSION = "agkg-hash-cache 1"


class Stat(NamedTuple):
    dev: int
    ino: int
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, path: str) -> Stat | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@dataclass
class _Entry:
    stat: Stat
    recorded_ns: int
    sha256: str

    def trusted(self, stat: Stat) -> bool:
        return stat == self.stat and max(stat.mtime_ns, stat.ctime_ns) + RACY_NS <= self.recorded_ns


def cache_path(location: str, roots: Iterable[str]) -> Path | None:
    """Where the hash cache of runs over `roots` into the store at `location` lives (None: the cache is off):
    an embedded store's own directory, else the user's cache directory."""
    if os.environ.get("AGKG_HASH_CACHE", "1") == "0":
        return None
    key = hashlib.sha1("\0".join([location, *sorted(roots)]).encode()).hexdigest()[:16]
    if Path(location).is_dir():
        return Path(location) / "hash-cache" / f"{key}.tsv"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "agkg" / f"hashes-{key}.tsv"


class HashCache:
    """Content hashes of files by path, trusted while the file's stat stays what it was."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, _Entry] = {}
        self._seen: dict[str, _Entry] = {}
        self._dirty = False
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            lines = path.read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return
        if not lines or lines[0] != _VERSION:
            return
        for line in lines[1:]:
            parts = line.split("\t")
            if len(parts) != 8:
                continue
            with contextlib.suppress(ValueError):
                stat = Stat(*(int(p) for p in parts[1:6]))
                self._entries[parts[0]] = _Entry(stat, int(parts[6]), parts[7])

    def content_hash(self, real: str) -> str:
        """The file's content hash, read from the cache when its stat allows, else by reading the file."""
        if os.path.splitext(real)[1].lower() in TABULAR_SUFFIXES:  # no Path per file: thousands add up
            return content_hash(Path(real))
        stat = Stat.of(real)
        entry = self._entries.get(real)
        if stat is not None and entry is not None and entry.trusted(stat):
            self._seen[real] = entry
            return entry.sha256
        recorded = time.time_ns()  # before reading: a write during the read makes the stat differ next time
        digest = content_hash(Path(real))
        if stat is not None and digest:
            new = _Entry(stat, recorded, digest)
            self._dirty = self._dirty or entry != new
            self._seen[real] = new
        return digest

    def save(self) -> None:
        """Keep the entries of the files this run looked at (a file that is gone drops out)."""
        if self.path is None or not (self._dirty or set(self._entries) != set(self._seen)):
            return
        lines = [_VERSION]
        for real, e in sorted(self._seen.items()):
            if "\t" in real or "\n" in real:
                continue
            lines.append("\t".join([real, *(str(v) for v in e.stat), str(e.recorded_ns), e.sha256]))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: two runs at once leave one whole cache, never a torn one.
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".hashes-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write("\n".join(lines) + "\n")
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)


def unchanged(found: list[FoundFile], loaded: Mapping[str, Mapping[str, Any]], cache: HashCache) -> dict[str, str]:
    """shown name -> id of the stored document, for the files whose loaded content is current.

    A file loaded by an older derivation of claims and edges counts as changed: it is loaded again, once.
    """
    kept: dict[str, str] = {}
    for f in found:
        # Hashed (through the cache) even when never loaded, so that the next run finds it cached.
        digest = cache.content_hash(f.real)
        previous = loaded.get(f.real)
        if previous and previous.get("derivation") == DERIVATION and previous["sha256"] == digest:
            kept[f.shown] = previous["id"]
    return kept
