"""Fact file format, version 1, as pydantic models (also the published JSON Schema)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from agkg.graph.schema import load_schema
from agkg.loaders.dates import normalise_date_text

# YAML reads `since: 2018` as a number, so the published schema accepts a bare year too.
PartialDateText = Annotated[
    str,
    BeforeValidator(normalise_date_text),
    WithJsonSchema(
        {
            "description": "ISO date with the precision the source supports: YYYY, YYYY-MM or YYYY-MM-DD",
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                {"type": "integer", "minimum": 1, "maximum": 9999},
            ],
        }
    ),
]
NonEmpty = Annotated[str, Field(min_length=1)]


def _one_of(allowed: Iterable[str]) -> Callable[[str], str]:
    """A check that text is one of the schema's values (graph/schema.yaml is the only place they are
    listed), reported like a Literal's error: the message lists the choices and suggests the closest."""
    choices = list(allowed)

    def check(value: str) -> str:
        if value not in choices:
            expected = ", ".join(f"'{c}'" for c in choices)
            raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})
        return value

    return check


_SCHEMA = load_schema()
Kind = Annotated[
    str, AfterValidator(_one_of(_SCHEMA.kinds)), WithJsonSchema({"type": "string", "enum": list(_SCHEMA.kinds)})
]
Status = Annotated[
    str, AfterValidator(_one_of(_SCHEMA.statuses)), WithJsonSchema({"type": "string", "enum": list(_SCHEMA.statuses)})
]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
Slug = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\s|]+$")]


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _printable(value: Any) -> Any:
    """Control characters (NUL, ESC, …) are never meaningful in a fact and break some databases' protocols."""
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        if isinstance(text, str) and (found := _CONTROL.search(text)):
            raise ValueError(
                f"contains the control character U+{ord(found.group()):04X} at position {found.start() + 1}: "
                "expected printable text"
            )
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _PrintableText(BaseModel):
    """Every text field checked for control characters: a Python call per field (~40 % of a file's validation),
    so only files whose data may hold one are validated with these models (see may_hold_control_characters)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        return _printable(value)


class SourceSpec(_Model):
    """The article the facts come from."""

    title: NonEmpty
    publisher: NonEmpty
    published: PartialDateText
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    id: Slug | None = Field(
        default=None,
        description="Default: publisher slug, published date and a short hash of the url (else the title)",
    )
    author: str | None = None
    reliability: Reliability | None = Field(
        default=None, description="Admiralty source reliability, A (reliable) to F (cannot be judged)"
    )
    cites: list[NonEmpty] = Field(default_factory=list)


class EntitySpec(_Model):
    """A group, umbrella, state or place, with the other names it goes by."""

    name: NonEmpty
    kind: Kind
    aliases: list[NonEmpty] = Field(
        default_factory=list, description="Other names, resolved in every file (global): the entity's own names"
    )
    local_aliases: list[NonEmpty] = Field(
        default_factory=list,
        description="This article's own wording for the entity ('Amman' for Jordan, 'the Axis'): resolved only "
        "in this file, never in another file or a lookup",
    )
    id: Slug | None = Field(default=None, description="Default: slug of name")
    description: str | None = None


class FactSpec(_Model):
    """One relation the source states."""

    subject: NonEmpty | list[NonEmpty] = Field(description="Name, alias or id; a list gives one claim each")
    relation: NonEmpty = Field(description="A relation declared in graph/schema.yaml")
    object: NonEmpty
    since: PartialDateText | None = None
    until: PartialDateText | None = None
    on: PartialDateText | None = Field(default=None, description="Event date (withdrew_from, attacked)")
    status: Status = "reported"
    credibility: int | None = Field(
        default=None, ge=1, le=6, description="Admiralty information credibility, 1 (confirmed) to 6"
    )
    quote: str | None = None
    note: str | None = None

    @field_validator("subject")
    @classmethod
    def _non_empty_list(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, list) and not value:
            raise ValueError("subject list is empty: expected at least one name")
        return value

    @model_validator(mode="after")
    def _ordered_interval(self) -> FactSpec:
        from agkg.loaders.dates import parse_partial_date

        if self.since and self.until and parse_partial_date(self.until).hi < parse_partial_date(self.since).lo:
            raise ValueError(f"until {self.until} is before since {self.since}")
        return self

    def subjects(self) -> list[str]:
        return self.subject if isinstance(self.subject, list) else [self.subject]


class FactFile(_Model):
    """One file: the facts of one source (or only entities, for a gazetteer)."""

    source: SourceSpec | None = None
    entities: list[EntitySpec] = Field(default_factory=list)
    facts: list[FactSpec] = Field(default_factory=list)

    # A file with problems is still checked as far as it can be: its valid entries are kept, each with its
    # position in the file (for locations), and the source's id if only the source's other fields are wrong.
    _entity_at: list[int] | None = PrivateAttr(default=None)
    _fact_at: list[int] | None = PrivateAttr(default=None)
    _source_id: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _facts_need_source(self) -> FactFile:
        if self.facts and self.source is None:
            raise ValueError("a file with facts needs a `source` (title, publisher, published)")
        return self

    @classmethod
    def partial(
        cls,
        source: SourceSpec | None,
        entities: dict[int, EntitySpec],
        facts: dict[int, FactSpec],
        source_id: str | None = None,
    ) -> FactFile:
        """The valid parts of a file that has problems, by their index in the file (never loaded: checked)."""
        made = cls.model_construct(source=source, entities=list(entities.values()), facts=list(facts.values()))
        made._entity_at, made._fact_at, made._source_id = list(entities), list(facts), source_id
        return made

    def numbered_entities(self) -> list[tuple[int, EntitySpec]]:
        """Each entity entry with its index in the file's `entities`."""
        return list(zip(self._entity_at or range(len(self.entities)), self.entities, strict=True))

    def numbered_facts(self) -> list[tuple[int, FactSpec]]:
        """Each fact with its index in the file's `facts`."""
        return list(zip(self._fact_at or range(len(self.facts)), self.facts, strict=True))

    @property
    def source_id(self) -> str | None:
        """The source's `id`, also when the rest of the source is invalid."""
        return self.source.id if self.source is not None else self._source_id


class PrintableSourceSpec(SourceSpec, _PrintableText):
    pass


class PrintableEntitySpec(EntitySpec, _PrintableText):
    pass


class PrintableFactSpec(FactSpec, _PrintableText):
    pass


class PrintableFactFile(FactFile, _PrintableText):
    source: PrintableSourceSpec | None = None
    entities: list[PrintableEntitySpec] = Field(default_factory=list)  # type: ignore[assignment]
    facts: list[PrintableFactSpec] = Field(default_factory=list)  # type: ignore[assignment]


# orjson writes U+0000-U+001F as \uXXXX (or \b, \f, \n, \r, \t) and U+007F-U+009F as they are: any of
# these in the data's JSON may be a control character (an escaped backslash before b or f too: only slower).
_CONTROL_IN_JSON = re.compile(rb"\\u00[01][0-9a-fA-F]|\\[bf]|\x7f|\xc2[\x80-\x9f]")


def may_hold_control_characters(data: Any) -> bool:
    """False only if no text in `data` holds a control character: then the models without the per-field
    check validate it the same (one scan of the data as JSON, ~0.05 ms for a 100-fact file)."""
    try:
        text = orjson.dumps(data)
    except TypeError:  # a value JSON cannot hold (a key that is not text, ...): check it field by field
        return True
    return _CONTROL_IN_JSON.search(text) is not None


def json_schema() -> dict[str, Any]:
    from agkg.graph.schema import load_schema

    schema = FactFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "agkg fact file, version 1"
    relation = schema["$defs"]["FactSpec"]["properties"]["relation"]
    relation["enum"] = sorted(load_schema().relations)
    return schema
