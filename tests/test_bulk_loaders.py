"""CSV and JSON Lines fact files: same validation, same error format (with row lines), same graph."""

from __future__ import annotations

from pathlib import Path

from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest
from tests.conftest import DATA

HEADER = "subject,relation,object,since,status,quote,source_id,source_title,source_publisher,source_published\n"


def _edge(store: GraphStore, subject: str, relation_type: str, obj: str) -> list[dict[str, object]]:
    return store.read(
        "MATCH (a:Entity {id: $s})-[r]->(b:Entity {id: $o}) WHERE type(r) = $type "
        "RETURN r.sources AS sources, r.since AS since",
        {"s": subject, "o": obj, "type": relation_type},
    )


def test_csv_rows_become_claims_with_their_source(store: GraphStore, tmp_path: Path) -> None:
    facts = tmp_path / "pipeline.csv"
    facts.write_text(
        HEADER
        + 'KH,operates_in,Albukamal,2019,reported,"a ""quoted"" text",csv-src,CSV Source,Pipeline,2025-01\n'
        + "AAH;KH,operates_in,Al-Qaim,2020,reported,x,csv-src,CSV Source,Pipeline,2025-01\n",
        "utf-8",
    )
    summary = ingest(store, [DATA, facts])
    assert summary.problems == []
    assert summary.claims.added == 91 + 3
    assert _edge(store, "kataib-hezbollah", "OPERATES_IN", "albukamal") == [{"sources": ["csv-src"], "since": "2019"}]
    quote = store.read("MATCH (c:Claim {doc: 'csv-src', object_id: 'albukamal'}) RETURN c.quote AS quote")
    assert quote == [{"quote": 'a "quoted" text'}]


def test_csv_errors_point_at_the_row_and_the_field(store: GraphStore, tmp_path: Path) -> None:
    facts = tmp_path / "bad.csv"
    facts.write_text(
        HEADER
        + "KH,operates_in,Albukamal,2019,reported,x,csv-src,CSV Source,Pipeline,2025-01\n"
        + "KH,operats_in,Al-Qaim,2021,reported,x,csv-src,CSV Source,Pipeline,2025-01\n"
        + "KH,operates_in,Al-Qaim,2021-13,reported,x,csv-src,CSV Source,Pipeline,2025-01\n",
        "utf-8",
    )
    summary = ingest(store, [DATA, facts])
    # One pass: the date (schema) and the relation typo (a later check) are reported together, in line order.
    assert [str(p) for p in summary.problems] == [
        f"{facts}:3:4: unknown relation 'operats_in'; did you mean 'operates_in'?",
        f"{facts}:4:24: since: invalid date '2021-13': month 13 is not 01-12",
    ]
    assert store.read("MATCH (c:Claim {doc: 'csv-src'}) RETURN count(c) AS n") == [{"n": 0}]


def test_csv_with_a_sidecar_source_file(store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "batch.csv").write_text("subject,relation,object\nKH,operates_in,Al-Mayadeen\n", "utf-8")
    (tmp_path / "batch.source.yaml").write_text(
        "source:\n  id: sidecar-src\n  title: Batch\n  publisher: Pipeline\n  published: 2025\n", "utf-8"
    )
    summary = ingest(store, [DATA, tmp_path])
    assert summary.problems == []
    assert summary.files == 3, "the sidecar is not a fact file of its own"
    assert _edge(store, "kataib-hezbollah", "OPERATES_IN", "al-mayadeen") == [
        {"sources": ["sidecar-src"], "since": None}
    ]


def test_unknown_csv_column_is_reported_on_the_header(store: GraphStore, tmp_path: Path) -> None:
    facts = tmp_path / "typo.csv"
    facts.write_text("subject,relaton,object\nKH,operates_in,Al-Qaim\n", "utf-8")
    summary = ingest(store, [DATA, facts])
    assert [str(p) for p in summary.problems] == [f"{facts}:1:9: unknown column 'relaton'; did you mean 'relation'?"]


def test_json_lines_facts_and_errors(store: GraphStore, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(
        '{"source": {"id": "jsonl-src", "title": "JL", "publisher": "P", "published": "2025"}}\n'
        '{"subject": "KH", "relation": "backed_by", "object": "Iran", "status": "confirmed"}\n',
        "utf-8",
    )
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"source": {"id": "jsonl-bad", "title": "JL", "publisher": "P", "published": "2025"}}\n'
        '{"subject": "KH", "relation": "backed_by", "object": "Irann"}\n',
        "utf-8",
    )
    summary = ingest(store, [DATA, good, bad])
    assert [str(p) for p in summary.problems] == [f"{bad}:2:54: unknown entity 'Irann'; did you mean 'Iran'?"]
    rows = store.read(
        "MATCH (:Entity {id: 'kataib-hezbollah'})-[r:BACKED_BY]->(:Entity {id: 'iran'}) RETURN r.sources AS s"
    )
    assert rows and "jsonl-src" in rows[0]["s"]
