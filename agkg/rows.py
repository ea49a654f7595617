"""Typed rows of the lookups: what `Graph`'s methods return.

`model_dump(mode="json")` is the object the matching command prints with `--format json`: a row's own
fields first, then those it shares with other rows (`Stated`: what its claims state; `Dated`: with an
interval), in declaration order. Rows are plain frozen objects with pydantic's `model_dump` and
`model_dump_json`, not pydantic models: importing pydantic and building the models cost a lookup ~80 ms
of start-up, and the rows only carry what the queries return (both back ends' answers are tested alike).
"""

from __future__ import annotations

import inspect
import json
from typing import Any, ClassVar

# Python names of fields whose key is a reserved word.
_KEYS = {"from_": "from"}


class Row:
    """A frozen row: built from a query's row by field name (its key, e.g. `from`, or its attribute, `from_`);
    columns the row does not declare are ignored, a missing one is an error."""

    _fields: ClassVar[tuple[str, ...]] = ()  # attribute names, in dump order
    _extra: ClassVar[bool] = False  # whether fields beyond the declared ones are kept (after them)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: list[str] = []
        for klass in cls.__mro__:  # each class's own fields, from the most derived class to Row
            if klass is Row or not issubclass(klass, Row):
                continue
            for name, annotation in inspect.get_annotations(klass).items():
                if not str(annotation).startswith("ClassVar") and name not in fields:
                    fields.append(name)
        cls._fields = tuple(fields)

    def __init__(self, **values: Any) -> None:
        own: dict[str, Any] = {}
        for name in self._fields:
            key = _KEYS.get(name, name)
            if key in values:
                own[name] = values.pop(key)
            elif name in values:
                own[name] = values.pop(name)
            else:
                raise TypeError(f"{type(self).__name__}: missing field '{key}'")
        # Kept apart from the fields, so that an extra named like a method (Profile's `sources`) hides nothing.
        own["_more"] = {_KEYS.get(k, k): v for k, v in values.items()} if self._extra else {}
        self.__dict__.update(own)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot set '{name}'")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *(getattr(self, name) for name in self._fields)))

    def __repr__(self) -> str:
        fields = ", ".join(f"{key}={value!r}" for key, value in self._items())
        return f"{type(self).__name__}({fields})"

    def _items(self) -> list[tuple[str, Any]]:
        more: dict[str, Any] = self.__dict__["_more"]
        return [(_KEYS.get(name, name), self.__dict__[name]) for name in self._fields] + list(more.items())

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        """The row as a dict, keys as the command prints them (`from`, not `from_`); nested rows too."""
        return {key: _dumped(value) for key, value in self._items()}

    def model_dump_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))


def _dumped(value: Any) -> Any:
    if isinstance(value, Row):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_dumped(v) for v in value]
    return value


class Stated(Row):
    """A relation as its strongest class of claims states it (README: What counts as support)."""

    status: str | None
    sources: list[str]
    contested: bool
    denied_by: list[str]


class Dated(Stated):
    since: str | None
    until: str | None


class Member(Dated):
    name: str
    id: str
    kind: str
    via: list[str]


class Affiliation(Dated):
    name: str
    id: str
    kind: str
    depth: int
    relation: str
    via: list[str]


class Presence(Dated):
    """One place a group operates in (`where`); via: the umbrella through which, if not directly."""

    place: str
    id: str
    kind: str
    within: list[str]
    via: str | None


class Operating(Dated):
    """One group operating in a place (`operating-in`)."""

    group: str
    id: str
    place: str


class Withdrawal(Stated):
    group: str
    id: str
    from_: str
    on: str | None


class Backing(Dated):
    group: str
    id: str
    via: list[str]


class BorderPresence(Dated):
    group: str
    id: str
    place: str
    state: list[str]


class CoLocated(Row):
    group: str
    id: str
    places: list[str]


class PathStep(Stated):
    step: int
    from_: str
    from_id: str
    relation: str
    direction: str
    to: str
    to_id: str


class TimelineEntry(Row):
    date: str
    what: str
    subject: str
    relation: str
    object: str
    status: str
    source: str


class Evidence(Row):
    subject: str
    relation: str
    object: str
    source: str | None
    publisher: str | None
    published: str | None
    url: str | None
    quote: str | None
    status: str
    credibility: int | None
    since: str | None
    until: str | None
    on: str | None
    note: str | None


class SearchHit(Row):
    id: str
    name: str
    kind: str
    matched: str
    score: int


class ProfileRelation(Dated):
    name: str
    id: str
    on: str | None


class ProfileSource(Row):
    id: str
    title: str | None
    publisher: str | None
    published: str | None
    url: str | None


class Profile(Row):
    """One entity: its names, then one list per relation key of the schema (member_of, members, ...,
    `Schema.relation_keys()`), then the sources behind them."""

    _extra = True

    id: str
    name: str
    kind: str
    aliases: list[str]
    description: str | None

    def relations(self) -> dict[str, list[ProfileRelation]]:
        """The relation lists, by key, in the schema's order."""
        more: dict[str, Any] = self.__dict__["_more"]
        return {key: value for key, value in more.items() if key != "sources"}

    def sources(self) -> list[ProfileSource]:
        found: list[ProfileSource] = self.__dict__["_more"].get("sources", [])
        return found

    def __getattr__(self, name: str) -> Any:
        # A relation list by its key (profile.member_of), as on the pydantic model the rows were before.
        try:
            return self.__dict__["_more"][name]
        except KeyError:
            raise AttributeError(f"'Profile' has no field '{name}'") from None
