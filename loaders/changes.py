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
import marshal
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from agkg.loaders.edges import DERIVATION
from agkg.loaders.files import FoundFile
from agkg.loaders.formats import TABULAR_SUFFIXES
from agkg.loaders.readers import content_hash

RACY_NS = 3_000_000_000
# marshal, not JSON: ~10x faster both ways for 10,000 entries (JSON spent ~80 ms a run encoding the stat
# integers). Its format is the Python version's, hence in the header; a file of another version, or damaged, is
# ignored. Like any cache in the user's own directories, it is trusted as much as those directories are.
_FORMAT = f"agkg-hash-cache 3 python {sys.version_info[0]}.{sys.version_info[1]}"
_TABULAR = tuple(TABULAR_SUFFIXES)


def _stat(path: str) -> tuple[int, int, int, int, int] | None:
    """(device, inode, size, mtime_ns, ctime_ns), or None if the file cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def cache_file(location: str, name: str) -> Path | None:
    """Where a cache named `name` of the store at `location` lives on this host (None: caching is off): an
    embedded store's own directory, else the user's cache directory. AGKG_HASH_CACHE=0 turns caching off."""
    if os.environ.get("AGKG_HASH_CACHE", "1") == "0":
        return None
    if Path(location).is_dir():
        return Path(location) / "hash-cache" / name
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "agkg" / name


def cache_path(location: str, roots: Iterable[str]) -> Path | None:
    """Where the hash cache of runs over `roots` into the store at `location` lives (None: the cache is off)."""
    key = hashlib.sha1("\0".join([location, *sorted(roots)]).encode()).hexdigest()[:16]
    return cache_file(location, f"hashes-{key}.marshal")


def write_aside(path: Path, data: bytes) -> None:
    """Write `path` aside and rename it into place (two runs at once leave one whole file, never a torn one);
    a cache that cannot be written is left as it was."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)


class HashCache:
    """Content hashes of files by path, trusted while the file's stat stays what it was.

    An entry is [device, inode, size, mtime_ns, ctime_ns, recorded_ns, sha256], kept as the list it was read
    as: a run over thousands of unchanged files compares each stat with a slice of it, no object built.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, list[Any]] = {}
        self._seen: dict[str, list[Any]] = {}
        self._dirty = False
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            fmt, files = marshal.loads(path.read_bytes())
            if fmt == _FORMAT and isinstance(files, dict):
                self._entries = files
        except (OSError, ValueError, TypeError, EOFError):
            return

    def cached(self, real: str) -> str | None:
        """The file's hash from the cache, if its stat is the recorded one and was recorded safely later than its
        last change (see the module's docstring); None otherwise, and always for tabular files."""
        entry = self._entries.get(real)
        if entry is None or len(entry) != 7 or real.lower().endswith(_TABULAR):
            return None
        try:
            st = os.stat(real)
        except OSError:
            return None
        # Field by field, no tuple built: this runs for every file of every run.
        if (
            entry[0] == st.st_dev
            and entry[1] == st.st_ino
            and entry[2] == st.st_size
            and entry[3] == st.st_mtime_ns
            and entry[4] == st.st_ctime_ns
            and max(entry[3], entry[4]) + RACY_NS <= entry[5]
        ):
            self._seen[real] = entry
            return str(entry[6])
        return None

    def content_hash(self, real: str) -> str:
        """The file's content hash, read from the cache when its stat allows, else by reading the file."""
        found = self.cached(real)
        if found is not None:
            return found
        if real.lower().endswith(_TABULAR):  # no Path or splitext per file: thousands add up
            return content_hash(Path(real))
        stat = _stat(real)
        entry = self._entries.get(real)
        recorded = time.time_ns()  # before reading: a write during the read makes the stat differ next time
        digest = content_hash(Path(real))
        if stat is not None and digest:
            new = [*stat, recorded, digest]
            self._dirty = self._dirty or entry != new
            self._seen[real] = new
        return digest

    def save(self) -> None:
        """Keep the entries of the files this run looked at (a file that is gone drops out)."""
        if self.path is None or not (self._dirty or self._entries.keys() != self._seen.keys()):
            return
        write_aside(self.path, marshal.dumps((_FORMAT, self._seen)))


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
