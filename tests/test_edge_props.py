"""An edge of one claim (most edges) takes a short path to its properties: it must give what the general
aggregation gives for that claim, for every status, date shape and credibility."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agkg.graph.schema import load_schema
from agkg.loaders.edges import _claims_props, edge_props

SCHEMA = load_schema()
DATES = st.sampled_from([None, "", "2014", "2019-03", "2024-12-08"])


@st.composite
def claims(draw: st.DrawFn) -> dict[str, Any]:
    relation = draw(st.sampled_from(sorted(SCHEMA.relations)))
    claim: dict[str, Any] = {
        "id": draw(st.text("0123456789abcdef", min_size=16, max_size=16)),
        "subject_id": draw(st.sampled_from(["kataib-hezbollah", "a", "b"])),
        "relation": relation,
        "object_id": draw(st.sampled_from(["pmu", "c"])),
        "source_id": draw(st.sampled_from(["s1", "s2"])),
        "status": draw(st.sampled_from(list(SCHEMA.statuses))),
        "credibility": draw(st.sampled_from([None, 0, 1, 3, 6])),
    }
    for name, bound in (("since", "since_lo"), ("until", "until_hi"), ("on", "on_lo")):
        value = draw(DATES)
        if value is not None:
            claim[name] = value
            claim[bound] = f"{value}-lo" if value else None
    return claim


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a loaded CI machine draws slowly
@given(claims())
def test_one_claim_gives_what_the_aggregation_gives(claim: dict[str, Any]) -> None:
    assert edge_props([claim], SCHEMA) == _claims_props([claim], SCHEMA)
