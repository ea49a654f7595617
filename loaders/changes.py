"""Which found files are unchanged since their last load, without reading every file.

A file's content hash is what decides (the one its last successful load recorded in the store). Reading and
hashing every file on every run is most of an unattended re-run over thousands of files, so this host keeps
a cache of content hashes keyed by each file's stat: device, inode, size, mtime and ctime, all to the
nanosecond. A stat that equals the cached one gives the cached hash; any other stat means the file is read.
A file is stat'ed on every run, and nothing more when it is unchanged: 10,000 files cost ~30 ms.

Why this is safe: every write to a file, and every metadata change (`touch -d`, `cp -p`, `rsync -t` restoring
an old mtime), sets its ctime to the current time, which no program can set back; a file replaced by rename
gets a new inode. What remains is the "racy" case git has with its index: a write in the same timestamp
tick as the stat the cache recorded (timestamps are coarse: a jiffy on Linux, up to 2 s on some file
systems). So a stat is cached only if the file's ctime and mtime were at least RACY_NS older than the moment
it was recorded; a file changed just before a run is hashed again on the next run, and then cached.
Tabular files are always hashed: their hash covers a sidecar file as well.

The cache is only an accelerator and is this host's (stats mean nothing elsewhere): one file per store and
set of paths given, in an embedded store's directory, else under $XDG_CACHE_HOME/agkg (~/.cache/agkg);
AGKG_HASH_CACHE=0 turns it off. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import hashlib
import itertools
import marshal
import operator
import os
import struct
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from agkg.loaders.edges import DERIVATION
from agkg.loaders.files import FoundFile
from agkg.loaders.formats import TABULAR_SUFFIXES

RACY_NS = 3_000_000_000
# marshal, not JSON: ~10x faster both ways (JSON spent ~80 ms a run encoding the stat integers). Its format is
# the Python version's, hence in the header; a file of another version, or damaged, is ignored. Like any cache
# in the user's own directories, it is trusted as much as those directories are.
_FORMAT = f"agkg-hash-cache 5 python {sys.version_info[0]}.{sys.version_info[1]}"
_TABULAR = tuple(TABULAR_SUFFIXES)
_S = 40  # bytes of a file's packed stat: device, inode, size, mtime_ns, ctime_ns as signed 64-bit integers
_BLOCK = 256  # files whose packed stats are compared at once, when a directory's differ
# What a file that cannot be stat'ed packs as, and the row of a file whose hash is not trusted (hashed too
# soon after a change, or new): unequal to each other and to any real stat.
_NO_STAT = (-1, -1, -1, -1, -1)
_UNTRUSTED = struct.pack("5q", -2, -2, -2, -2, -2)
Stat = tuple[int, int, int, int, int]
_stat_fields = operator.attrgetter("st_dev", "st_ino", "st_size", "st_mtime_ns", "st_ctime_ns")

# One directory's files, in columns: their names (sorted, as find_files lists them), their stats packed end to
# end, their hashes. Loading and saving 10,000 entries then handles a few objects, not 80,000, and the stats
# of a directory whose files are all unchanged equal the cached bytes in one comparison. A file whose hash is
# not trusted keeps its row (an _UNTRUSTED stat), so that the names stay those the next run finds.
Columns = tuple[tuple[str, ...], bytes, tuple[str, ...]]


def _pack(stats: list[Stat]) -> bytes | None:
    """The stats as bytes (None if a value does not fit 64 bits, as an inode can on some file systems: such a
    directory's files are then always read)."""
    try:
        return struct.pack(f"{5 * len(stats)}q", *itertools.chain.from_iterable(stats))
    except struct.error:
        return None


def _read_hash(real: str) -> str:
    from agkg.loaders.readers import content_hash  # with the readers: only a run that reads a file needs them

    return content_hash(Path(real))


def _open_directory(path: str) -> int:
    """A descriptor of the directory, to stat its files by name (-1 if it cannot be opened)."""
    try:
        return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return -1


def _stat(path: str) -> Stat | None:
    """(device, inode, size, mtime_ns, ctime_ns), or None if the file cannot be stat'ed."""
    try:
        return _stat_fields(os.stat(path))  # type: ignore[no-any-return,unused-ignore]
    except OSError:
        return None


def _stats_at(fd: int, names: list[str]) -> list[Stat | None]:
    """Each file's stat, by name relative to its directory's descriptor: the kernel then looks up one path
    component, not all of them (None for a file that cannot be stat'ed)."""
    stat_at = functools.partial(os.stat, dir_fd=fd)
    try:
        return list(map(_stat_fields, map(stat_at, names)))  # the loop in C: it runs for every file of every run
    except OSError:
        pass
    found: list[Stat | None] = []
    for name in names:
        try:
            found.append(_stat_fields(stat_at(name)))
        except OSError:
            found.append(None)
    return found


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

    A hash is trusted only if it was recorded safely later than the file's last change (see the module's
    docstring): a file hashed within RACY_NS of its last change is hashed again by the next run.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._dirs: dict[str, Columns] = {}
        # What this run found: directories' columns as checked, and files hashed since (name -> stat, hash).
        self._checked: dict[str, Columns] = {}
        self._hashed: dict[str, dict[str, tuple[bytes, str]]] = {}
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            fmt, dirs = marshal.loads(path.read_bytes())
            if fmt == _FORMAT and isinstance(dirs, dict):
                self._dirs = dirs
        except (OSError, ValueError, TypeError, EOFError):
            return

    def cached(self, reals: list[str]) -> dict[str, str]:
        """real path -> hash from the cache, for the files whose stat is still the recorded one; never for
        tabular files. `reals` come directory by directory, as find_files lists them. Called once a run: the
        files it does not answer are then hashed with content_hash."""
        found: dict[str, str] = {}
        for parent, group in _by_directory(reals):
            columns = self._dirs.get(parent)
            if columns is not None:
                found.update(self._current(parent, group, columns))
        return found

    def _current(self, parent: str, reals: list[str], columns: Columns) -> dict[str, str]:
        names = [real[len(parent) + 1 :] for real in reals]
        fd = _open_directory(parent or "/")
        if fd < 0:
            return {}
        try:
            packed = _pack([s or _NO_STAT for s in _stats_at(fd, names)])
        finally:
            os.close(fd)
        if packed is None:
            return {}
        if tuple(names) != columns[0]:  # files added or removed since: the cached rows in this run's order
            columns = _aligned(columns, names)
        _, stats, hashes = columns
        found = dict(zip(reals, hashes, strict=True))
        if packed == stats:  # the common case, in one comparison: no file of the directory changed
            self._checked[parent] = columns
            return found
        changed = _unequal_rows(packed, stats)
        marked = bytearray(stats)
        for i in changed:
            del found[reals[i]]
            marked[i * _S : (i + 1) * _S] = _UNTRUSTED
        self._checked[parent] = (columns[0], bytes(marked), hashes)
        return found

    def content_hash(self, real: str) -> str:
        """The file's content hash, read from the file (one `cached` did not answer), and recorded: trusted by
        later runs if the file had settled."""
        if real.lower().endswith(_TABULAR):  # no Path or splitext per file: thousands add up
            return _read_hash(real)
        stat = _stat(real)
        recorded = time.time_ns()  # before reading: a write during the read makes the stat differ next time
        digest = _read_hash(real)
        packed = _pack([stat]) if stat is not None else None
        settled = stat is not None and max(stat[3], stat[4]) + RACY_NS <= recorded
        parent, _, name = real.rpartition("/")
        row = (packed, digest) if packed is not None and settled and digest else (_UNTRUSTED, "")
        self._hashed.setdefault(parent, {})[name] = row
        return digest

    def save(self) -> None:
        """Keep the rows of the files this run looked at (a file that is gone drops out)."""
        if self.path is None:
            return
        dirs = dict(self._checked)
        for parent, files in self._hashed.items():
            dirs[parent] = _updated(dirs.get(parent, ((), b"", ())), files)
        if dirs != self._dirs:
            write_aside(self.path, marshal.dumps((_FORMAT, dirs)))


def _aligned(columns: Columns, names: list[str]) -> Columns:
    """The cached rows of `names`, in their order; an untrusted row for a name with none."""
    cached_names, stats, hashes = columns
    index = {name: i for i, name in enumerate(cached_names)}
    at = [index.get(name) for name in names]
    return (
        tuple(names),
        b"".join(_UNTRUSTED if i is None else stats[i * _S : (i + 1) * _S] for i in at),
        tuple("" if i is None else hashes[i] for i in at),
    )


def _updated(columns: Columns, files: dict[str, tuple[bytes, str]]) -> Columns:
    """`columns` with the rows of `files` (name -> packed stat, hash) set, added where missing."""
    names, stats, hashes = columns
    where = {name: bisect.bisect_left(names, name) for name in files}
    if all(i < len(names) and names[i] == name for name, i in where.items()):
        marked, new_hashes = bytearray(stats), list(hashes)
        for name, i in where.items():
            marked[i * _S : (i + 1) * _S], new_hashes[i] = files[name]
        return names, bytes(marked), tuple(new_hashes)
    rows = {name: (stats[i * _S : (i + 1) * _S], hashes[i]) for i, name in enumerate(names)} | files
    ordered = sorted(rows)
    return tuple(ordered), b"".join(rows[n][0] for n in ordered), tuple(rows[n][1] for n in ordered)


def _unequal_rows(packed: bytes, stats: bytes) -> list[int]:
    """The rows (files) whose packed stats differ, compared a block of rows at a time: the unchanged blocks
    cost one comparison each."""
    rows: list[int] = []
    step = _BLOCK * _S
    for start in range(0, len(packed), step):
        end = start + step
        if packed[start:end] != stats[start:end]:
            rows.extend(
                i // _S for i in range(start, min(end, len(packed)), _S) if packed[i : i + _S] != stats[i : i + _S]
            )
    return rows


def _by_directory(reals: list[str]) -> Iterable[tuple[str, list[str]]]:
    """(directory, its files in the order given) for the non-tabular files."""
    groups: dict[str, list[str]] = {}
    for real in reals:
        if real.lower().endswith(_TABULAR):  # their hash covers a sidecar as well: always read
            continue
        parent = real[: real.rindex("/")]
        group = groups.get(parent)
        if group is None:
            groups[parent] = group = []
        group.append(real)
    return groups.items()


def unchanged(found: list[FoundFile], loaded: Mapping[str, Mapping[str, Any]], cache: HashCache) -> dict[str, str]:
    """shown name -> id of the stored document, for the files whose loaded content is current.

    A file loaded by an older derivation of claims and edges counts as changed: it is loaded again, once.
    """
    kept: dict[str, str] = {}
    cached = cache.cached([f.real for f in found])
    for f in found:
        # Hashed (read) even when never loaded, so that the next run finds it cached.
        digest = cached.get(f.real) or cache.content_hash(f.real)
        previous = loaded.get(f.real)
        if previous and previous.get("derivation") == DERIVATION and previous["sha256"] == digest:
            kept[f.shown] = previous["id"]
    return kept
