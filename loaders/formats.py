"""The file formats agkg reads, by suffix: the one list the readers, the help texts and the README follow.

Kept free of imports so that `agkg --help` can show it without loading a parser.
"""

from __future__ import annotations

# suffix -> format; the readers (loaders/parse.py, loaders/tabular.py) take their share of it.
DOCUMENT_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
TABULAR_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl"}
SUFFIXES = {**DOCUMENT_SUFFIXES, **TABULAR_SUFFIXES}
# A tabular file's source, beside it: `events.csv` and `events.source.yaml`; not a fact file itself.
SIDECAR_SUFFIXES = (".source.yaml", ".source.yml", ".source.json")


def described() -> str:
    """'.yaml, .yml, .json, .csv, .jsonl' for help texts."""
    return ", ".join(SUFFIXES)
