"""Deterministic synthetic corpus for the ingest benchmark.

Writes a gazetteer (states, places, one located_in fact per place) and N source
files that declare their share of the groups and umbrellas (each declared once
across the corpus) and state facts about any entity in the corpus. The relation
and kind rules come from graph/schema.yaml, so every file is valid: no
duplicate fact within a file, no self-loop, names unique after normalisation.
The same parameters and seed always give byte-identical files.

    python bench/corpus.py --facts 10000 --sources 100 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agkg.graph.schema import load_schema
from agkg.loaders.names import normalise, slugify

GAZETTEER_ID = "bench-gazetteer"

# How often each relation appears among the source files' facts (borders and
# located_in are mostly the gazetteer's business, so they are rare here).
RELATION_WEIGHTS = {
    "member_of": 22,
    "operates_in": 26,
    "withdrew_from": 8,
    "backed_by": 10,
    "attacked": 18,
    "allied_with": 10,
    "part_of": 4,
    "borders": 1,
    "located_in": 1,
}
STATUS_WEIGHTS = {"reported": 50, "confirmed": 20, "claimed": 12, "alleged": 10, "planned": 4, "denied": 4}

_SYLLABLES = (
    "ka",
    "ta",
    "ib",
    "hiz",
    "bal",
    "lah",
    "nu",
    "ja",
    "ba",
    "sa",
    "raya",
    "ha",
    "ma",
    "zan",
    "dar",
    "fa",
    "tim",
    "qu",
    "ds",
    "kha",
    "lid",
    "ra",
    "shid",
    "mu",
    "ham",
    "ad",
    "bad",
    "r",
    "ali",
    "a",
    "fir",
    "wa",
    "ni",
    "jun",
    "ud",
    "hus",
    "sein",
    "ab",
    "bas",
    "yy",
    "ar",
    "di",
    "zay",
    "nab",
)
_ACCENTED = {"a": "á", "e": "é", "i": "í", "o": "ô", "u": "ü"}
_GROUP_WORDS = ("Brigade", "Battalion", "Movement", "Front", "Army", "Company", "Regiment", "Vanguard", "Legion")
_UMBRELLA_WORDS = ("Coalition", "Alliance", "Forces", "Federation", "Council", "Resistance", "Union")
_PLACE_WORDS = ("Province", "District", "Crossing", "Valley", "Plain", "Heights", "Oasis", "Junction")
_PUBLISHERS = ("The Daily Wire Service", "Levant Monitor", "Gulf Observer", "Frontline Review", "Desert Dispatch")
_VERBS = ("said", "reported", "confirmed", "claimed", "denied", "told reporters", "announced")
# YAML 1.1 words a plain scalar must not be, or it reads as a bool or null.
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "~"}
_PLAIN = re.compile(r"[^\W\d_][\w .,()'\-]*[\w.)]")


@dataclass
class Entity:
    id: str
    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    description: str | None = None


@dataclass(frozen=True)
class Fact:
    """One fact as the ids it resolves to: what the raw-engine baselines write."""

    subject: str
    relation: str
    object: str


@dataclass
class Corpus:
    directory: Path
    files: list[Path]
    entities: list[Entity]
    facts: list[Fact]
    params: dict[str, Any]


class _Names:
    """Hands out names whose normalised forms (and ids) never collide."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _word(self, lo: int, hi: int) -> str:
        word = "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(lo, hi)))
        if self.rng.random() < 0.08:  # an accent, which normalisation drops
            i = self.rng.randrange(len(word))
            word = word[:i] + _ACCENTED.get(word[i], word[i]) + word[i + 1 :]
        if self.rng.random() < 0.08 and len(word) > 3:  # an apostrophe, also dropped
            i = self.rng.randrange(1, len(word) - 1)
            word = word[:i] + "'" + word[i:]
        return word.capitalize()

    def _claim(self, *texts: str) -> bool:
        keys = {normalise(t) for t in texts} | {normalise(slugify(t)) for t in texts}
        if "" in keys or keys & self.used:
            return False
        self.used |= keys
        return True

    def fresh(self, suffixes: tuple[str, ...], prefix: str = "") -> str:
        while True:
            parts = [self._word(2, 3)]
            if self.rng.random() < 0.5:
                parts.append(self._word(1, 3))
            joiner = "-" if self.rng.random() < 0.2 else " "  # hyphens normalise to spaces
            name = f"{prefix}{joiner.join(parts)} {self.rng.choice(suffixes)}".strip()
            if self._claim(name):
                return name

    def alias(self, name: str) -> str | None:
        initials = "".join(w[0] for w in re.split(r"[\s-]+", name) if w).upper()
        for candidate in (initials, f"{initials}{self.rng.randint(2, 99)}", f"al-{name}"):
            if len(candidate) > 1 and self._claim(candidate):
                return candidate
        return None


def generate(
    out: Path,
    *,
    groups: int = 5000,
    umbrellas: int = 500,
    places: int = 2000,
    states: int = 40,
    facts: int = 100_000,
    sources: int = 1000,
    seed: int = 7,
    as_json: bool = False,
    nesting: str = "tiered",
) -> Corpus:
    """Write the corpus under `out` (emptied first); `facts` counts the gazetteer's located_in facts too.

    nesting: "tiered" (umbrellas join only umbrellas of a higher tier, places lie in states, provinces and
    districts, as in reporting) or "random" (the first version: any umbrella joins any other, places form a
    random tree up to ~10 levels deep: cycles, ties and long chains, which the query tests want).
    """
    if nesting not in ("tiered", "random"):
        raise ValueError(f"nesting must be 'tiered' or 'random', not {nesting!r}")
    if min(groups + umbrellas, umbrellas, places, states, sources) < 1 or groups + umbrellas < 2:
        raise ValueError("need at least one source, umbrella, place and state, and two groups or umbrellas")
    source_facts = facts - places
    if source_facts < sources:
        raise ValueError(f"--facts must be at least places + sources ({places + sources})")
    rng = random.Random(seed)
    schema = load_schema()
    names = _Names(rng)
    suffix = ".json" if as_json else ".yaml"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    state_list = [_entity(names, rng, "state", ("Republic", "Federation", "Emirate", "Kingdom")) for _ in range(states)]
    place_list = [_entity(names, rng, "place", _PLACE_WORDS) for _ in range(places)]
    umbrella_list = [_entity(names, rng, "umbrella", _UMBRELLA_WORDS) for _ in range(umbrellas)]
    group_list = [_entity(names, rng, "group", _GROUP_WORDS) for _ in range(groups)]
    by_kind = {"state": state_list, "place": place_list, "umbrella": umbrella_list, "group": group_list}
    all_facts: list[Fact] = []
    files: list[Path] = []

    # Gazetteer. Tiered, as gazetteers are: a tenth of the places are provinces of a state, three tenths
    # districts of a province, the rest towns in a district. Random (the first version): the first few places
    # lie in a state, each later one in a state or an earlier place, a random tree up to ~10 levels deep
    # whose first places contain hundreds of others.
    provinces = max(1, places // 10)
    districts = max(provinces + 1, (4 * places) // 10)
    level = {p.id: 2 if i < provinces else 1 if i < districts else 0 for i, p in enumerate(place_list)}
    level.update((st.id, 3) for st in state_list)
    gaz_facts: list[dict[str, Any]] = []
    for i, place in enumerate(place_list):
        if nesting == "random":
            parent = rng.choice(state_list) if i < 10 or rng.random() < 0.4 else place_list[rng.randrange(i)]
        elif i < provinces:
            parent = rng.choice(state_list)
        else:
            parent = place_list[rng.randrange(provinces) if i < districts else rng.randrange(provinces, districts)]
        gaz_facts.append({"subject": _ref(rng, place), "relation": "located_in", "object": _ref(rng, parent)})
        all_facts.append(Fact(place.id, schema.relations["located_in"].type, parent.id))
    gazetteer = {
        "source": {
            "id": GAZETTEER_ID,
            "title": "Synthetic gazetteer",
            "publisher": "agkg bench",
            "published": "2025",
            "reliability": "A",
        },
        "entities": [_entity_doc(e) for e in (*state_list, *place_list)],
        "facts": gaz_facts,
    }
    files.append(_write(out / f"gazetteer{suffix}", gazetteer, as_json))

    # Skewed choice: a few actors and places turn up in many sources, as in real reporting.
    actors = umbrella_list + group_list
    actor_weights = _zipf_cum(len(actors), rng)
    place_weights = _zipf_cum(len(place_list), rng)
    declared = {e.id: i % sources for i, e in enumerate(rng.sample(actors, len(actors)))}
    relations = [r for r in RELATION_WEIGHTS if r in schema.relations]
    rel_cum = _cumulative([RELATION_WEIGHTS[r] for r in relations])
    statuses = list(STATUS_WEIGHTS)
    status_cum = _cumulative(list(STATUS_WEIGHTS.values()))
    own: list[list[Entity]] = [[] for _ in range(sources)]
    for actor in actors:
        own[declared[actor.id]].append(actor)
    # Umbrellas nest as they do in reporting: most gather groups, fewer gather other umbrellas too, and an
    # umbrella joins only one of a higher tier. (Drawn at random, the member_of graph among 500 umbrellas is
    # one strongly connected tangle in which every umbrella contains every other, which no source describes.)
    tier = {u.id: 0 if i < 0.8 * umbrellas else 1 if i < 0.97 * umbrellas else 2 for i, u in enumerate(umbrella_list)}

    def pick(kinds: tuple[str, ...]) -> Entity:
        kind = rng.choice(kinds)
        if kind in ("group", "umbrella") and set(kinds) >= {"group", "umbrella"}:
            return rng.choices(actors, cum_weights=actor_weights)[0]
        if kind == "place":
            return rng.choices(place_list, cum_weights=place_weights)[0]
        return rng.choice(by_kind[kind])

    per_file = [source_facts // sources + (1 if i < source_facts % sources else 0) for i in range(sources)]
    width = len(str(sources))
    for i in range(sources):
        doc_id = f"bench-source-{i:0{width}d}"
        seen: set[tuple[Any, ...]] = set()
        fact_docs: list[dict[str, Any]] = []
        while len(fact_docs) < per_file[i]:
            rel = schema.relations[rng.choices(relations, cum_weights=rel_cum)[0]]
            subject, obj = pick(rel.sources), pick(rel.targets)
            if subject.id == obj.id:
                continue
            if (
                nesting == "tiered"
                and rel.name == "member_of"
                and subject.kind == "umbrella"
                and tier[subject.id] >= tier[obj.id]
            ):
                continue
            if nesting == "tiered" and rel.name == "located_in" and level[subject.id] >= level[obj.id]:
                continue  # a town may lie in a second district, a district never in a town
            doc = _fact_doc(rng, rel.name, rel.event, subject, obj, rng.choices(statuses, cum_weights=status_cum)[0])
            s, o = (subject.id, obj.id) if not rel.symmetric or subject.id < obj.id else (obj.id, subject.id)
            key = (s, rel.name, o, doc.get("since"), doc.get("until"), doc.get("on"))
            if key in seen:
                continue
            seen.add(key)
            fact_docs.append(doc)
            all_facts.append(Fact(s, rel.type, o))
        year = 2015 + i % 11
        source: dict[str, Any] = {
            "id": doc_id,
            "title": f"Synthetic report {i}: {rng.choice(actors).name} and the {rng.choice(place_list).name}",
            "publisher": rng.choice(_PUBLISHERS),
            "published": f"{year}-{rng.randint(1, 12):02d}",
            "url": f"https://news.example.org/{year}/report-{i}",
            "reliability": rng.choice("ABCDEF"),
        }
        if rng.random() < 0.3:
            source["cites"] = [rng.choice(_PUBLISHERS)]
        body = {"source": source, "entities": [_entity_doc(e) for e in own[i]], "facts": fact_docs}
        files.append(_write(out / f"source-{i:0{width}d}{suffix}", body, as_json))

    params = {
        "groups": groups,
        "umbrellas": umbrellas,
        "places": places,
        "states": states,
        "facts": len(all_facts),
        "sources": sources,
        "seed": seed,
        "format": "json" if as_json else "yaml",
        "nesting": nesting,
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
    }
    entities = [*state_list, *place_list, *umbrella_list, *group_list]
    return Corpus(out, files, entities, all_facts, params)


def _entity(names: _Names, rng: random.Random, kind: str, suffixes: tuple[str, ...]) -> Entity:
    name = names.fresh(suffixes)
    aliases = [a for a in (names.alias(name) for _ in range(rng.choice((0, 0, 1, 1, 2)))) if a]
    description = f"Synthetic {kind} {name}." if rng.random() < 0.5 else None
    return Entity(slugify(name), kind, name, aliases, description)


def _ref(rng: random.Random, entity: Entity) -> str:
    """How a fact names an entity: usually its name, sometimes an alias, its id or a case variant."""
    roll = rng.random()
    if roll < 0.15 and entity.aliases:
        return rng.choice(entity.aliases)
    if roll < 0.25:
        return entity.id
    if roll < 0.3:
        return entity.name.lower()
    return entity.name


def _entity_doc(entity: Entity) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": entity.name, "kind": entity.kind}
    if entity.aliases:
        doc["aliases"] = entity.aliases
    if entity.description:
        doc["description"] = entity.description
    return doc


def _fact_doc(
    rng: random.Random, relation: str, event: bool, subject: Entity, obj: Entity, status: str
) -> dict[str, Any]:
    doc: dict[str, Any] = {"subject": _ref(rng, subject), "relation": relation, "object": _ref(rng, obj)}
    if event:
        doc["on"] = _date(rng, 2012, 2025)
    elif rng.random() < 0.4:
        since_year = rng.randint(2003, 2022)
        doc["since"] = _date(rng, since_year, since_year)
        if rng.random() < 0.35:
            doc["until"] = str(rng.randint(since_year + 1, 2025))
    doc["status"] = status
    if rng.random() < 0.6:
        doc["credibility"] = rng.randint(1, 6)
    if rng.random() < 0.5:
        doc["quote"] = f"{subject.name} {relation.replace('_', ' ')} {obj.name}, officials {rng.choice(_VERBS)}."
    if rng.random() < 0.1:
        doc["note"] = "Synthetic; the date is the report's."
    return doc


def _date(rng: random.Random, lo: int, hi: int) -> str:
    year = rng.randint(lo, hi)
    precision = rng.random()
    if precision < 0.3:
        return str(year)
    if precision < 0.7:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _zipf_cum(n: int, rng: random.Random, exponent: float = 0.8) -> list[float]:
    ranks = list(range(1, n + 1))
    rng.shuffle(ranks)
    return _cumulative([1.0 / r**exponent for r in ranks])


def _write(path: Path, body: dict[str, Any], as_json: bool) -> Path:
    text = json.dumps(body, ensure_ascii=False, indent=1) + "\n" if as_json else _yaml(body)
    path.write_text(text, encoding="utf-8")
    return path


def _yaml(body: dict[str, Any]) -> str:
    """Block-style YAML; scalars plain where that is unambiguous, else JSON strings (valid YAML)."""
    lines: list[str] = []
    for key, value in body.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {k}: {_scalar(v)}" for k, v in value.items())
        elif not value:  # `key:` alone would be null, not a list (a source that declares no entity)
            lines.append(f"{key}: []")
        else:
            lines.append(f"{key}:")
            for item in value:
                prefix = "  - "
                for k, v in item.items():
                    lines.append(f"{prefix}{k}: {_scalar(v)}")
                    prefix = "    "
    return "\n".join(lines) + "\n"


def _scalar(value: Any, *, flow: bool = False) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v, flow=True) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and not (flow and "," in text):
        return text
    return json.dumps(text, ensure_ascii=False)


def publish(result: dict[str, Any], text: str, output: Path) -> None:
    """Print a benchmark's report and write its figures as JSON (shared by the bench scripts)."""
    print()
    print(text)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {output}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "corpus")
    args = parser.parse_args(argv)
    corpus = generate(args.out, **corpus_kwargs(args))
    print(json.dumps({"directory": str(corpus.directory), **corpus.params}))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--groups", type=int, default=5000)
    parser.add_argument("--umbrellas", type=int, default=500)
    parser.add_argument("--places", type=int, default=2000)
    parser.add_argument("--states", type=int, default=40)
    parser.add_argument("--facts", type=int, default=100_000, help="total, the gazetteer's located_in facts included")
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="write JSON files instead of YAML")
    parser.add_argument(
        "--nesting",
        choices=("tiered", "random"),
        default="tiered",
        help="umbrellas and places nest in tiers (tiered), or at random (random: cycles, deep chains)",
    )


def corpus_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "groups": args.groups,
        "umbrellas": args.umbrellas,
        "places": args.places,
        "states": args.states,
        "facts": args.facts,
        "sources": args.sources,
        "seed": args.seed,
        "as_json": args.json,
        "nesting": args.nesting,
    }


if __name__ == "__main__":
    main()
