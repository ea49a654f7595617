"""Name normalisation, slugs and the name → entity resolver.

Names match ignoring case, accents, apostrophes, hyphens and extra spaces, so
"Kata'ib Hizballah" and "kataib hizballah" are the same key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

# Written as escapes: the characters themselves look alike in most fonts.
_APOSTROPHES = re.compile("['\u2019\u2018\u02bc\u02bb`\u00b4\u02bf\u02be]")
_SEPARATORS = re.compile("[-\u2010\u2011\u2012\u2013\u2014_/]+")
_SPACES = re.compile(r"\s+")
_NON_SLUG = re.compile(r"[^\w]+")


# Memoised: a load normalises the same few thousand names for every reference to them.
@lru_cache(maxsize=1 << 16)
def normalise(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", stripped.casefold())
    text = _SEPARATORS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def a(noun: str) -> str:
    """The noun with its indefinite article, for messages: 'a group', 'an umbrella'."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def slugify(name: str) -> str:
    """A readable id: the normalised name with non-word runs turned into hyphens."""
    return _NON_SLUG.sub("-", normalise(name)).strip("-_")


SUGGEST_MARGIN = 8
NEAR_EXACT = 92  # WRatio above which another kind's name is still worth suggesting


@dataclass
class KnownEntity:
    id: str
    kind: str
    name: str
    names: set[str] = field(default_factory=set)


class Unresolved(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class NameIndex:
    """Maps normalised ids, names and aliases to entity ids."""

    def __init__(self) -> None:
        self.entities: dict[str, KnownEntity] = {}
        self._keys: dict[str, set[str]] = {}

    def add(self, entity_id: str, kind: str, name: str, names: Iterable[str]) -> KnownEntity:
        known = self.entities.get(entity_id)
        if known is None:
            known = self.entities[entity_id] = KnownEntity(entity_id, kind, name)
        for text in (entity_id, name, *names):
            key = normalise(text)
            if key:
                known.names.add(text)
                self._keys.setdefault(key, set()).add(entity_id)
        return known

    def candidates(self, name: str) -> set[str]:
        return set(self._keys.get(normalise(name), ()))

    def resolve(self, name: str, kinds: Iterable[str] = (), local: Mapping[str, str] | None = None) -> KnownEntity:
        """The one entity `name` denotes; `kinds`: the kinds that would fit here, to choose suggestions;
        `local`: the file's own surface forms (normalised local alias -> entity id), which come first."""
        if local and (entity_id := local.get(normalise(name))) is not None:
            return self.entities[entity_id]
        found = self.candidates(name)
        if len(found) == 1:
            return self.entities[found.pop()]
        if found:
            ids = sorted(found)
            listed = ", ".join(f"'{self.entities[i].name}' ({self.entities[i].kind}, id {i})" for i in ids)
            raise Unresolved(
                f"ambiguous name '{name}': it matches {len(ids)} entities, {listed}; expected a name of one entity: "
                f"write its id instead (e.g. '{ids[0]}')"
            )
        hint = self.suggest(name, kinds=kinds)
        suffix = f"; did you mean {hint}?" if hint else "; declare it under `entities`"
        raise Unresolved(f"unknown entity '{name}'{suffix}")

    def suggest(self, name: str, limit: int = 3, kinds: Iterable[str] = ()) -> str:
        """The closest known names, quoted and joined for a message ('' if none is close).

        With `kinds` (those that fit where the name stands), names of those kinds are preferred: another
        kind's name is suggested only if it is a near-exact match (a likely kind mistake, not noise).
        """
        key = normalise(name)
        if not key or not self._keys:
            return ""
        fitting = set(kinds)
        keys = list(self._keys)
        if fitting:
            same = [k for k in keys if any(self.entities[e].kind in fitting for e in self._keys[k])]
            found = self._suggest(key, same, limit, 70)
            return found or self._suggest(key, keys, limit, NEAR_EXACT)
        return self._suggest(key, keys, limit, 70)

    def _suggest(self, key: str, keys: list[str], limit: int, cutoff: float) -> str:
        from rapidfuzz import fuzz, process  # only for suggestions: a lookup that resolves its name never needs it

        matches = process.extract(key, keys, scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=cutoff)
        # WRatio scores any shared word (e.g. "al") highly; only names about as close as the best are suggestions.
        best = matches[0][1] if matches else 0
        names: list[str] = []
        for matched_key, score, _ in matches:
            if score < best - SUGGEST_MARGIN:
                break
            for entity_id in sorted(self._keys[matched_key]):
                label = self.entities[entity_id].name
                if label not in names:
                    names.append(label)
        return " or ".join(f"'{n}'" for n in names[:limit])


def closest(word: str, choices: Iterable[str], limit: int = 1) -> list[str]:
    """Closest strings among `choices` (field names, relation names, kinds)."""
    from rapidfuzz import fuzz, process

    found = process.extract(word, list(choices), scorer=fuzz.ratio, limit=limit, score_cutoff=60)
    return [choice for choice, _score, _ in found]


@cache
def common_words() -> frozenset[str]:
    """Normalised words too common to be any one entity's global alias (package data: common_words.txt)."""
    text = resources.files("agkg.loaders").joinpath("common_words.txt").read_text("utf-8")
    words = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(normalise(w) for w in words if w)
