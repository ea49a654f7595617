"""Deriving an edge's properties from the claims behind it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from agkg.graph.schema import Schema
from agkg.loaders.records import stable_hash


def edge_props(claims: Iterable[Mapping[str, Any]], schema: Schema) -> dict[str, Any]:
    """Aggregate claims (mappings with the Claim properties) into one edge's properties.

    An edge lists every claim and source behind it; its interval is the widest
    the claims support (open-ended if any claim is), and its status the
    strongest any claim gives.
    """
    rows = sorted(claims, key=lambda c: c["id"])
    first = rows[0]
    sinces = [c for c in rows if c.get("since")]
    untils = [c for c in rows if c.get("until")]
    ons = sorted({(c["on_lo"], c["on"]) for c in rows if c.get("on")})
    earliest = min(sinces, key=lambda c: (c["since_lo"], c["since"])) if sinces else None
    open_ended = len(untils) < len(rows)
    latest = None if open_ended else max(untils, key=lambda c: (c["until_hi"], c["until"]))
    best = min(rows, key=lambda c: schema.status_rank(c["status"]))
    credibilities = [c["credibility"] for c in rows if c.get("credibility")]
    props: dict[str, Any] = {
        "key": f"{first['subject_id']}|{first['relation']}|{first['object_id']}",
        "relation": first["relation"],
        "claims": [c["id"] for c in rows],
        "sources": sorted({c["source_id"] for c in rows}),
        "claim_count": len(rows),
        "status": best["status"],
        "statuses": sorted({c["status"] for c in rows}, key=schema.status_rank),
        "since": earliest["since"] if earliest else None,
        "since_lo": earliest["since_lo"] if earliest else None,
        "until": latest["until"] if latest else None,
        "until_hi": latest["until_hi"] if latest else None,
        "on": ons[0][1] if ons else None,
        "on_lo": ons[0][0] if ons else None,
        "on_dates": [text for _, text in ons],
        "credibility": min(credibilities) if credibilities else None,
    }
    props["hash"] = stable_hash(props)
    return props


def entity_props(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """An entity's properties from all its declarations, independent of load order.

    The name and description come from a declaration that defines the id (the
    first by document id), the aliases are every other name any declaration gives.
    """
    ordered = sorted(records, key=lambda r: (not r["defines"], r["doc"]))
    main = ordered[0]
    names = {main["name"], *(n for r in ordered for n in (r["name"], *r["aliases"]))}
    names.discard(main["name"])
    description = next((r["description"] for r in ordered if r.get("description")), None)
    from agkg.loaders.names import normalise

    props = {
        "name": main["name"],
        "kind": main["kind"],
        "aliases": sorted(names),
        # What a name on the command line is matched against, so a lookup reads one entity, not all of them.
        "keys": sorted({normalise(n) for n in (main["entity_id"], main["name"], *names)} - {""}),
        "description": description,
        "docs": sorted({r["doc"] for r in ordered}),
    }
    props["hash"] = stable_hash(props)
    return props
