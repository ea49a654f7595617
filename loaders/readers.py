"""Picks the reader for a fact file by its name, and hashes files the way their readers record them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from agkg.loaders.formats import TABULAR_SUFFIXES
from agkg.loaders.parse import SUFFIXES, ParsedFile, read_fact_file
from agkg.loaders.tabular import _sidecar, is_sidecar, read_tabular

ALL_SUFFIXES = {*SUFFIXES, *TABULAR_SUFFIXES}


def is_fact_file(path: Path) -> bool:
    return path.suffix.lower() in ALL_SUFFIXES and not is_sidecar(path) and not path.name.startswith(".")


def read_any(path: Path, shown: str) -> ParsedFile:
    if path.suffix.lower() in TABULAR_SUFFIXES:
        return read_tabular(path, shown)
    return read_fact_file(path, shown)


def content_hash(path: Path) -> str:
    """What a successful load records for the file ('' if unreadable), without parsing it."""
    try:
        raw = path.read_bytes()
        if path.suffix.lower() in TABULAR_SUFFIXES:
            sidecar = _sidecar_hash(path)
            return hashlib.sha256(raw + sidecar.encode()).hexdigest()
        return hashlib.sha256(raw).hexdigest()
    except OSError:
        return ""


def _sidecar_hash(path: Path) -> str:
    from agkg.errors import InputError

    try:
        sidecar = _sidecar(path)
    except InputError:
        return "invalid"
    return sidecar.sha256 if sidecar else ""
