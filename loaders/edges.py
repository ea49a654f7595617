"""Deriving an edge's properties from the claims behind it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from agkg.graph.schema import SUPPORTS, Schema
from agkg.loaders.records import EdgeKey, stable_hash

# The version of what claims and edges are derived from a file. Bump it when that changes: the next
# ingest then reloads every file once, so a store never mixes edges of two derivations.
# 2: edges keep what asserting, announcing and denying claims say apart (support, contested, valid_from/to).
# 3: each normalised name is an (:EntityKey)-[:NAMES]->(:Entity) node, for an index seek on every back end.
DERIVATION = 3

# Sortable bounds of an open interval: every ISO date sorts between them, so "valid on $as_of" is the one
# comparison `r.valid_from <= $as_of < r.valid_to` on every back end.
OPEN_START = "0000"
OPEN_END = "9999"


def edge_props(claims: Iterable[Mapping[str, Any]], schema: Schema) -> dict[str, Any]:
    """Aggregate claims (mappings with the Claim properties) into one edge's properties.

    An edge lists every claim behind it, but shows only what its strongest class of claims says
    (asserted, else announced, else denied: `support`): status, sources, dates and validity come
    from those claims alone, so a lookup never shows an announcement's date with a report's status
    or a denying source as support. An asserted or announced relation that some source denies is
    `contested`, with the denying sources in `denied_by`.
    """
    rows = list(claims)
    if len(rows) == 1:
        return _one_claim_props(rows[0], schema)
    return _claims_props(rows, schema)


def _one_claim_props(claim: Mapping[str, Any], schema: Schema) -> dict[str, Any]:
    """What `_claims_props` gives for one claim (most edges have one), without its sorting and grouping."""
    status = claim["status"]
    since, until, on = claim.get("since"), claim.get("until"), claim.get("on")
    props: dict[str, Any] = {
        "key": EdgeKey(claim["subject_id"], claim["relation"], claim["object_id"]).text(),
        "relation": claim["relation"],
        "symmetric": schema.relations[claim["relation"]].symmetric,
        "claims": [claim["id"]],
        "claim_count": 1,
        "statuses": [status],
        "support": schema.support(status),
        "status": status,
        "sources": [claim["source_id"]],
        "contested": False,
        "denied_by": [],
        "since": claim["since"] if since else None,
        "until": claim["until"] if until else None,
        "valid_from": claim["since_lo"] if since else OPEN_START,
        "valid_to": claim["until_hi"] if until else OPEN_END,
        "on": on if on else None,
        "on_lo": claim["on_lo"] if on else None,
        "on_dates": [on] if on else [],
        "credibility": claim.get("credibility") or None,
    }
    props["hash"] = stable_hash(props)
    return props


def _claims_props(claims: list[Mapping[str, Any]], schema: Schema) -> dict[str, Any]:
    rows = sorted(claims, key=lambda c: c["id"])
    first = rows[0]
    classes: dict[str, list[Mapping[str, Any]]] = {}
    for claim in rows:
        classes.setdefault(schema.support(claim["status"]), []).append(claim)
    support = next(s for s in SUPPORTS if s in classes)
    shown = classes[support]
    denying = classes.get("denied", []) if support != "denied" else []
    sinces = [c for c in shown if c.get("since")]
    untils = [c for c in shown if c.get("until")]
    ons = sorted({(c["on_lo"], c["on"]) for c in shown if c.get("on")})
    # The interval is the widest the shown claims support: open-ended if any of them is.
    earliest = min(sinces, key=lambda c: (c["since_lo"], c["since"])) if sinces else None
    latest = None if len(untils) < len(shown) else max(untils, key=lambda c: (c["until_hi"], c["until"]))
    best = min(shown, key=lambda c: schema.status_rank(c["status"]))
    credibilities = [c["credibility"] for c in shown if c.get("credibility")]
    props: dict[str, Any] = {
        "key": EdgeKey(first["subject_id"], first["relation"], first["object_id"]).text(),
        "relation": first["relation"],
        "symmetric": schema.relations[first["relation"]].symmetric,
        "claims": [c["id"] for c in rows],
        "claim_count": len(rows),
        "statuses": sorted({c["status"] for c in rows}, key=schema.status_rank),
        "support": support,
        "status": best["status"],
        "sources": sorted({c["source_id"] for c in shown}),
        "contested": bool(denying),
        "denied_by": sorted({c["source_id"] for c in denying}),
        "since": earliest["since"] if earliest else None,
        "until": latest["until"] if latest else None,
        "valid_from": earliest["since_lo"] if earliest else OPEN_START,
        "valid_to": latest["until_hi"] if latest else OPEN_END,
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
