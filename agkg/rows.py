"""Typed rows of the lookups: what `Graph`'s methods return.

`model_dump(mode="json")` is the object the matching command prints with `--format json`: a row's own
fields first, then those it shares with other rows (`Stated`: what its claims state; `Dated`: with an
interval), in declaration order.
"""

from __future__ import annotations

import inspect
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer


@cache
def _order(cls: type[BaseModel]) -> tuple[str, ...]:
    """The keys of a dump: each class's own fields, from the most derived class to `Row`."""
    keys: list[str] = []
    for klass in cls.__mro__:
        if not (isinstance(klass, type) and issubclass(klass, BaseModel)) or klass is BaseModel:
            continue
        for name in inspect.get_annotations(klass):
            field = cls.model_fields.get(name)
            key = (field.alias or name) if field else name
            if field is not None and key not in keys:
                keys.append(key)
    return tuple(keys)


class Row(BaseModel):
    # Built on first use, so that a command pays only for the rows it returns (~4 ms a model).
    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True, defer_build=True)

    @model_serializer(mode="wrap")
    def _own_fields_first(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        order = _order(type(self))
        return {**{k: data[k] for k in order if k in data}, **{k: v for k, v in data.items() if k not in order}}


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
    from_: str = Field(alias="from")
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
    from_: str = Field(alias="from")
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

    model_config = ConfigDict(extra="allow")

    id: str
    name: str
    kind: str
    aliases: list[str]
    description: str | None

    def relations(self) -> dict[str, list[ProfileRelation]]:
        """The relation lists, by key, in the schema's order."""
        extra: dict[str, Any] = self.__pydantic_extra__ or {}
        return {key: value for key, value in extra.items() if key != "sources"}

    def sources(self) -> list[ProfileSource]:
        extra: dict[str, Any] = self.__pydantic_extra__ or {}
        found: list[ProfileSource] = extra.get("sources", [])
        return found
