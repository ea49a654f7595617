"""Typed rows of the lookups: what `Graph`'s methods return.

Each model lists the columns of its canned query, in order; `model_dump(mode="json")` is the object the
matching command prints with `--format json`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Row(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True)


class Member(Row):
    name: str
    id: str
    kind: str
    via: list[str]
    since: str | None
    until: str | None
    status: str | None
    sources: list[str]
    contested: bool
    denied_by: list[str]


class Affiliation(Row):
    name: str
    id: str
    kind: str
    depth: int
    relation: str
    via: list[str]
    since: str | None
    until: str | None
    status: str | None
    sources: list[str]
    contested: bool
    denied_by: list[str]


class Presence(Row):
    """One place a group operates in (`where`)."""

    place: str
    id: str
    kind: str
    within: list[str]
    since: str | None
    until: str | None
    status: str | None
    sources: list[str]
    contested: bool
    denied_by: list[str]
    via: str | None


class Operating(Row):
    """One group operating in a place (`operating-in`)."""

    group: str
    id: str
    place: str
    since: str | None
    until: str | None
    status: str | None
    sources: list[str]
    contested: bool
    denied_by: list[str]


class Withdrawal(Row):
    group: str
    id: str
    from_: str = Field(alias="from")
    on: str | None
    status: str | None
    sources: list[str]
    contested: bool
    denied_by: list[str]


class Backing(Row):
    group: str
    id: str
    via: list[str]
    since: str | None
    until: str | None
    status: str | None
    sources: list[str]
    contested: bool
    denied_by: list[str]


class BorderPresence(Row):
    group: str
    id: str
    place: str
    state: list[str]
    since: str | None
    until: str | None
    status: str | None
    sources: list[str]
    contested: bool
    denied_by: list[str]


class CoLocated(Row):
    group: str
    id: str
    places: list[str]


class PathStep(Row):
    step: int
    from_: str = Field(alias="from")
    from_id: str
    relation: str
    direction: str
    to: str
    to_id: str
    status: str | None
    sources: list[str]
    contested: bool
    denied_by: list[str]


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


class ProfileRelation(Row):
    name: str
    id: str
    since: str | None
    until: str | None
    on: str | None
    status: str | None
    sources: list[str]
    contested: bool
    denied_by: list[str]


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
