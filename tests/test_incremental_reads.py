"""What an incremental run reads: the hash cache (stat-based change detection) and the declarations read by
index instead of all of them; both must give what a run that reads everything gives."""

from __future__ import annotations

import hashlib
import marshal
import os
import shutil
import struct
import time
from pathlib import Path
from typing import Any

import pytest

from agkg.graph import reads
from agkg.graph.cypher import cypher
from agkg.graph.store import GraphStore
from agkg.loaders import changes
from agkg.loaders.catalog import FIELDS, DocumentCatalog, catalog_path
from agkg.loaders.changes import RACY_NS, HashCache
from agkg.loaders.declarations import StoredDeclarations
from agkg.loaders.files import find_files
from agkg.loaders.ingest import ingest
from agkg.loaders.names import NameIndex
from agkg.loaders.parse import read_fact_file
from agkg.loaders.readers import is_fact_file
from agkg.loaders.resolve import Candidate, document_id
from agkg.loaders.runs import run_ingest
from agkg.loaders.validate import validate_file
from tests.graph_dump import dump

ARTICLE = "jpost-iraq-militias-syrian-border.yaml"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _same_size_edit(path: Path) -> None:
    """Change one byte in place, keep the size, and set the mtime back to what it was (as `cp -p` would)."""
    before = path.stat()
    text = path.read_text("utf-8")
    path.write_text(text.replace("status: planned", "status: claimed", 1), "utf-8")
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _cache_entry(cache_file: Path, path: Path, sha: str) -> os.stat_result:
    """A hash cache holding one entry for `path`: its current stat and the hash `sha`."""
    stat = path.stat()
    packed = struct.pack("5q", stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    columns = ((path.name,), packed, (sha,))
    cache_file.write_bytes(marshal.dumps((changes._FORMAT, {str(path.parent): columns})))
    return stat


def test_a_cached_hash_is_used_while_the_stat_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("source: {title: T, publisher: P, published: '2024'}\n", "utf-8")
    cache_file = tmp_path / "cache.marshal"
    _cache_entry(cache_file, path, "f" * 64)
    assert HashCache(cache_file).cached([str(path)]) == {str(path): "f" * 64}  # trusted: the file is not read
    path.write_text("source: {title: U, publisher: P, published: '2024'}\n", "utf-8")
    assert HashCache(cache_file).cached([str(path)]) == {}


def test_a_file_hashed_soon_after_its_last_change_is_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within RACY_NS of a change, a write in the same timestamp tick would leave the stat as recorded."""
    path = tmp_path / "a.yaml"
    path.write_text("status: planned\n", "utf-8")
    cache_file = tmp_path / "cache.marshal"
    first = HashCache(cache_file)
    assert first.content_hash(str(path)) == _sha(path)
    first.save()
    assert HashCache(cache_file).cached([str(path)]) == {}
    # The same file once settled (the window shrunk to nothing here, rather than waited out) is cached.
    monkeypatch.setattr(changes, "RACY_NS", 0)
    settled = HashCache(cache_file)
    settled.content_hash(str(path))
    settled.save()
    assert HashCache(cache_file).cached([str(path)]) == {str(path): _sha(path)}


def test_a_directory_with_one_changed_file_keeps_the_others_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changes, "RACY_NS", 0)
    paths = [tmp_path / f"s{i}.yaml" for i in range(5)]
    for i, path in enumerate(paths):
        path.write_text(f"n: {i}\n", "utf-8")
    cache_file = tmp_path / "cache.marshal"
    reals = [str(p) for p in paths]
    first = HashCache(cache_file)
    for real in reals:
        first.content_hash(real)
    first.save()
    assert HashCache(cache_file).cached(reals) == {str(p): _sha(p) for p in paths}
    time.sleep(0.05)
    paths[2].write_text("n: 20\n", "utf-8")
    paths[4].unlink()
    second = HashCache(cache_file)
    assert second.cached(reals) == {str(p): _sha(p) for p in paths[:2] + paths[3:4]}
    assert second.content_hash(reals[2]) == _sha(paths[2])
    second.save()
    assert HashCache(cache_file).cached(reals) == {str(p): _sha(p) for p in paths[:4]}
    added = tmp_path / "s10.yaml"  # sorts among the cached names
    added.write_text("n: 10\n", "utf-8")
    listed = sorted([*reals[:4], str(added)])
    assert HashCache(cache_file).cached(listed) == {str(p): _sha(p) for p in paths[:4]}


def test_a_same_size_edit_with_the_old_mtime_restored_is_still_seen(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("status: planned\n", "utf-8")
    cache_file = tmp_path / "cache.marshal"
    stat = _cache_entry(cache_file, path, cached := _sha(path))
    time.sleep(0.05)  # past the file system's timestamp tick
    _same_size_edit(path)
    after = path.stat()
    assert after.st_mtime_ns == stat.st_mtime_ns and after.st_size == stat.st_size
    assert HashCache(cache_file).cached([str(path)]) == {}
    assert _sha(path) != cached


def test_a_cache_is_saved_and_found_again_by_the_next_run(store: GraphStore, data_copy: Path) -> None:
    run_ingest(store, [data_copy])
    time.sleep(RACY_NS / 1e9 + 0.1)  # so that the next run records the files as settled
    second = run_ingest(store, [data_copy])
    article = data_copy / ARTICLE
    _same_size_edit(article)
    third = run_ingest(store, [data_copy])
    assert (second.summary.loaded, second.summary.skipped) == (0, 2)
    assert (third.summary.loaded, third.summary.skipped, third.summary.claims.updated) == (1, 1, 1)


def _walked(root: Path) -> list[tuple[str, str]]:
    """What the loader found before it resolved directories once: os.walk, sorted, each file resolved."""
    found: list[tuple[str, str]] = []
    seen: set[Path] = set()
    for top, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            child = Path(top) / name
            if is_fact_file(child) and child.resolve() not in seen:
                seen.add(child.resolve())
                found.append((str(child), str(child.resolve())))
    return found


def test_found_files_are_those_os_walk_finds_with_their_resolved_paths(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (data_copy / "sub").mkdir()
    shutil.copy(data_copy / "gazetteer.yaml", data_copy / "sub" / "places.yaml")
    (data_copy / ".hidden").mkdir()
    (data_copy / ".hidden" / "x.yaml").write_text("{}", "utf-8")
    (data_copy / "notes.txt").write_text("not a fact file", "utf-8")
    (data_copy / "link.yaml").symlink_to(data_copy / "sub" / "places.yaml")
    (data_copy / "linked-dir").symlink_to(data_copy / "sub")
    found, problems = find_files([data_copy, tmp_path / "missing"])
    assert [(f.shown, f.real) for f in found] == _walked(data_copy)
    # link.yaml comes first in sorted order and is sub/places.yaml: that file is found once.
    assert [Path(f.shown).name for f in found] == ["gazetteer.yaml", ARTICLE, "link.yaml"]
    assert found[2].real == str((data_copy / "sub" / "places.yaml").resolve())
    assert [str(p) for p in problems] == [f"{tmp_path / 'missing'}:0:0: no such file or directory"]
    monkeypatch.chdir(data_copy)
    assert [(f.shown, f.real) for f in find_files(["."])[0]] == _walked(Path("."))
    assert [f.shown for f in find_files(["."])[0]][:2] == ["gazetteer.yaml", ARTICLE]


def test_a_one_file_run_reads_only_the_declarations_it_needs(store: GraphStore, corpus: Path) -> None:
    ingest(store, [corpus])
    source = sorted(corpus.glob("source-*.yaml"))[1]
    parsed = read_fact_file(source, str(source))
    facts, problems = validate_file(parsed)
    assert facts is not None and problems == []
    candidate = Candidate(parsed, facts, document_id(parsed, facts))
    declarations = StoredDeclarations(store)
    declarations.read_for([candidate], {candidate.doc_id})
    partial = {r.id for r in declarations.records()}
    every = {f"{r['doc']}|{r['entity_id']}" for r in reads.entity_records(store)}
    named = {n for f in facts.facts for n in (*f.subjects(), f.object)}
    entities = {r.entity_id for r in declarations.records()}
    assert partial < every
    # Every declaration of every entity the file names is there, from whichever document made it.
    assert {i for i in every if i.split("|", 1)[1] in entities} == partial
    # ... and each name the file uses is among them, as a run reading every declaration resolves it.
    index = NameIndex()
    for r in reads.entity_records(store):
        index.add(r["entity_id"], r["kind"], r["name"], [r["name"], *(r["aliases"] or ())])
    assert named and {index.resolve(n).id for n in named} <= entities


def test_an_unknown_name_still_gets_suggestions_from_every_stored_declaration(
    store: GraphStore, data_copy: Path
) -> None:
    run_ingest(store, [data_copy])
    before = dump(store)
    typo = data_copy / "typo.yaml"
    typo.write_text(
        "source: {title: Typo, publisher: Test, published: '2024'}\n"
        "facts:\n"
        "  - subject: Kataib Hezbolah\n"
        "    relation: member_of\n"
        "    object: PMU\n",
        "utf-8",
    )
    result = run_ingest(store, [data_copy])
    assert [str(p) for p in result.summary.problems] == [
        f"{typo}:3:14: unknown entity 'Kataib Hezbolah'; did you mean 'Kataib Hezbollah'?"
    ]
    assert dump(store) == before


class _Recording:
    """A real store whose read queries are recorded (to see what a run asked for)."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.reads: list[str] = []
        self.params: list[Any] = []

    def read(self, query: str, params: Any = None) -> Any:
        self.reads.append(query)
        self.params.append(params)
        return self._store.read(query, params)

    def asked(self, name: str) -> list[Any]:
        """The parameters of each read of graph/cypher/NAME.cypher."""
        return [p for q, p in zip(self.reads, self.params, strict=True) if q == cypher(name)]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_a_run_reads_the_documents_only_when_the_store_changed_them_since(store: GraphStore, data_copy: Path) -> None:
    recording = _Recording(store)
    run_ingest(recording, [data_copy])
    recording.reads.clear()
    again = run_ingest(recording, [data_copy])
    assert (again.summary.loaded, again.summary.skipped) == (0, 2)
    assert cypher("read_documents") not in recording.reads
    assert cypher("read_catalog") in recording.reads


def test_the_documents_a_run_changed_are_cached_as_a_delta_of_the_last_full_save(
    store: GraphStore, data_copy: Path
) -> None:
    run_ingest(store, [data_copy])
    base = catalog_path(store)
    assert base is not None and base.exists()
    saved = base.read_bytes()
    article = data_copy / ARTICLE
    for before, after in (("planned", "claimed"), ("claimed", "planned")):
        text = article.read_text("utf-8")
        article.write_text(text.replace(f"status: {before}", f"status: {after}", 1), "utf-8")
        recording = _Recording(store)
        edited = run_ingest(recording, [data_copy])
        assert (edited.summary.loaded, edited.summary.claims.updated) == (1, 1)
        assert cypher("read_documents") not in recording.reads
    assert base.read_bytes() == saved  # the base stays; the delta holds the edits
    cached = DocumentCatalog(store)
    assert sorted(cached.rows(), key=str) == sorted(
        ({k: row.get(k) for k in FIELDS} for row in reads.documents(store)), key=str
    )


def test_documents_another_host_changed_are_read_again(
    store: GraphStore, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = data_copy / ARTICLE
    original = article.read_text("utf-8")
    run_ingest(store, [data_copy])
    # Another host (no cache of its own here) loads an edit of the article...
    monkeypatch.setenv("AGKG_HASH_CACHE", "0")
    article.write_text(original.replace("status: planned", "status: claimed", 1), "utf-8")
    assert run_ingest(store, [data_copy]).summary.loaded == 1
    monkeypatch.delenv("AGKG_HASH_CACHE")
    # ...and the article is put back: this host's cached documents still hold the original's hash, which is
    # the file's hash again, so only the store's new catalog version says the stored article is the edit.
    article.write_text(original, "utf-8")
    recording = _Recording(store)
    back = run_ingest(recording, [data_copy])
    assert cypher("read_documents") in recording.reads
    assert (back.summary.loaded, back.summary.skipped, back.summary.claims.updated) == (1, 1, 1)


def test_any_statement_on_documents_gives_the_catalog_a_new_version(store: GraphStore, data_copy: Path) -> None:
    run_ingest(store, [data_copy])
    version = store.read(cypher("read_catalog"))
    store.write(cypher("delete_documents"), {"rows": [], "version": "another"})
    assert store.read(cypher("read_catalog")) == [{"version": "another", "unfinished": None}] != version


def test_a_one_fact_edit_rederives_one_edge_and_no_entity(store: GraphStore, data_copy: Path) -> None:
    run_ingest(store, [data_copy])
    article = data_copy / ARTICLE
    article.write_text(article.read_text("utf-8").replace("status: planned", "status: claimed", 1), "utf-8")
    recording = _Recording(store)
    result = run_ingest(recording, [data_copy])
    assert (result.summary.loaded, result.summary.claims.updated, result.summary.entities.updated) == (1, 1, 0)
    # The claims behind the one edge whose claim changed, not behind every edge the article touches.
    assert [len(p["keys"]) for p in recording.asked("read_claims_by_edge")] == [1]
    # What a fresh load of the edited files gives, bookkeeping aside.
    after = dump(store)
    assert after == _fresh_dump(store, data_copy)


def _fresh_dump(store: GraphStore, data: Path) -> dict[str, list[str]]:
    """The dump of a fresh load of `data` on the same back end (the store is emptied and reloaded)."""
    drop = getattr(store, "drop")  # noqa: B009  (both stores have it; the GraphStore protocol does not)
    drop()
    run_ingest(store, [data], full=True)
    return dump(store)
