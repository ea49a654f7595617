"""Schema validation of parsed files, with pydantic errors turned into located, plain messages."""

from __future__ import annotations

from typing import Any

from annotated_types import Ge, Le
from pydantic import BaseModel, ValidationError

from agkg.errors import Problem
from agkg.loaders.model import (
    EntitySpec,
    FactFile,
    FactSpec,
    PrintableEntitySpec,
    PrintableFactFile,
    PrintableFactSpec,
    PrintableSourceSpec,
    SourceSpec,
    may_hold_control_characters,
)
from agkg.loaders.names import closest
from agkg.loaders.parse import ParsedFile

_MODELS: dict[str, type[BaseModel]] = {"source": SourceSpec, "entities": EntitySpec, "facts": FactSpec}
# The same models with every text field checked for control characters, for data that may hold one.
_PRINTABLE: dict[str, type[BaseModel]] = {
    "": PrintableFactFile,
    "source": PrintableSourceSpec,
    "entities": PrintableEntitySpec,
    "facts": PrintableFactSpec,
}
_PLAIN: dict[str, type[BaseModel]] = {"": FactFile, **_MODELS}


def validate_file(parsed: ParsedFile) -> tuple[FactFile | None, list[Problem]]:
    """The file as models, with its schema problems.

    A file with problems still gives a FactFile of its valid parts (the source, entity entries and facts
    whose own fields are valid, see `FactFile.partial`), so that names, kinds and duplicates are checked
    in the same pass; None only when `entities` or `facts` is not a list at all.
    """
    models = _PRINTABLE if may_hold_control_characters(parsed.data) else _PLAIN
    try:
        return models[""].model_validate(parsed.data), []  # type: ignore[return-value]
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    problems: dict[tuple[Any, ...], Problem] = {}
    misspelt = _misspelt_required(parsed.data, errors)
    bad: set[tuple[Any, ...]] = set()
    for error in errors:
        loc = _trim(parsed.data, error["loc"])
        if loc:  # () is the file's own check (facts need a source): the entries themselves are valid
            bad.add(loc[:2] if loc[:1] in {("entities",), ("facts",)} else loc[:1])
        if error["type"] == "missing" and loc in misspelt:
            continue  # the unknown field's "did you mean" says it
        loc, message, at_key = _located_message(parsed.data, error, loc)
        if loc in problems:
            continue  # a union reports each member's failure; the first says enough
        problems[loc] = parsed.problem(loc, message, at_key=at_key)
    data = parsed.data
    if not isinstance(data, dict) or ("entities",) in bad or ("facts",) in bad:
        return None, sorted(problems.values())
    if data.get("facts") and "source" not in data:
        # The model's own check runs only when every field is valid: say it here too.
        loc = ("facts",)
        problems.setdefault(
            loc,
            parsed.problem(
                loc,
                "facts need a `source`: expected a `source` mapping (title, publisher, published) "
                "naming the article they come from",
                at_key=True,
            ),
        )
    return _valid_parts(data, bad, models), sorted(problems.values())


def _valid_parts(data: dict[str, Any], bad: set[tuple[Any, ...]], models: dict[str, type[BaseModel]]) -> FactFile:
    source = None
    raw_source = data.get("source")
    if raw_source is not None and ("source",) not in bad:
        source = models["source"].model_validate(raw_source)
    raw_id = raw_source.get("id") if isinstance(raw_source, dict) else None
    source_id = raw_id if isinstance(raw_id, str) and raw_id and " " not in raw_id and "|" not in raw_id else None
    entities = {
        i: models["entities"].model_validate(e)
        for i, e in enumerate(data.get("entities") or [])
        if ("entities", i) not in bad
    }
    facts = {
        i: models["facts"].model_validate(f) for i, f in enumerate(data.get("facts") or []) if ("facts", i) not in bad
    }
    return FactFile.partial(source, entities, facts, source_id)  # type: ignore[arg-type]


def rejected_names(parsed: ParsedFile, facts: FactFile) -> list[str]:
    """The names (name, id, aliases) of the file's entity entries that failed schema validation: facts that
    use them are not reported again as naming an unknown entity."""
    valid = {i for i, _ in facts.numbered_entities()}
    entries = parsed.data.get("entities") if isinstance(parsed.data, dict) else None
    names: list[str] = []
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if i in valid or not isinstance(entry, dict):
            continue
        for key in ("name", "id", "aliases", "local_aliases"):
            value = entry.get(key)
            names.extend(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str) and v)
    return names


def _misspelt_required(data: Any, errors: list[Any]) -> set[tuple[Any, ...]]:
    """Locations of missing fields for which an unknown field next to them is the likely typo."""
    missing = {_trim(data, e["loc"]) for e in errors if e["type"] == "missing"}
    found = set()
    for error in errors:
        if error["type"] != "extra_forbidden":
            continue
        loc = _trim(data, error["loc"])
        hint = closest(str(loc[-1]), list(_model_for(loc).model_fields))
        if hint and (*loc[:-1], hint[0]) in missing:
            found.add((*loc[:-1], hint[0]))
    return found


def _located_message(data: Any, error: Any, loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], str, bool]:
    """Model-level checks report on the whole object; point them at the field they are about."""
    value = error.get("input")
    if error["type"] == "value_error" and isinstance(value, dict):
        if loc == () and "facts" in value and "source" not in value:
            return (
                ("facts",),
                "facts need a `source`: expected a `source` mapping (title, publisher, published) "
                "naming the article they come from",
                True,
            )
        if "until" in value and "since" in value and "is before since" in str(error["msg"]):
            return (
                (*loc, "until"),
                f"until '{value['until']}' is before since '{value['since']}': expected an end date "
                "on or after the start date; are they swapped?",
                False,
            )
    message, at_key = _message(error, loc)
    return loc, message, at_key


def _trim(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the union-member names pydantic puts in locations (e.g. 'str', 'list[str]')."""
    out: list[Any] = []
    node = data
    for step in loc:
        if (isinstance(node, dict) and step in node) or (
            isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        ):
            out.append(step)
            node = node[step]
        elif isinstance(node, dict) and isinstance(step, str) and not _is_union_tag(step):
            out.append(step)  # a missing or unknown key: keep it for the message
            node = None
    return tuple(out)


def _is_union_tag(step: str) -> bool:
    return "[" in step or step in {"str", "int", "list", "constrained-str", "function-after"}


def _model_for(loc: tuple[Any, ...]) -> type[BaseModel]:
    return _MODELS.get(str(loc[0]), FactFile) if len(loc) > 1 else FactFile


def _message(error: Any, loc: tuple[Any, ...]) -> tuple[str, bool]:
    kind = error["type"]
    field = str(loc[-1]) if loc and isinstance(loc[-1], str) else None
    value = error.get("input")
    where = f"{field}: " if field else ""
    if kind == "missing":
        return f"missing required field '{field}'{_in(loc)}", True
    if kind == "extra_forbidden":
        allowed = list(_model_for(loc).model_fields)
        hint = closest(str(field), allowed)
        tail = f"; did you mean '{hint[0]}'?" if hint else f"; expected one of: {', '.join(allowed)}"
        return f"unknown field '{field}'{_in(loc)}{tail}", True
    if kind == "literal_error":
        expected = error["ctx"]["expected"].replace("'", "")
        options = [o.strip() for o in expected.replace(" or ", ", ").split(",")]
        hint = closest(str(value), options)
        tail = f"; did you mean '{hint[0]}'?" if hint else ""
        return f"invalid {field} '{value}': expected one of {', '.join(options)}{tail}", False
    if kind in {"value_error", "assertion_error"}:
        return f"{where}{error['msg'].removeprefix('Value error, ')}", False
    if kind in {"string_type", "list_type", "int_type", "int_parsing", "dict_type", "model_type"}:
        wanted = {
            "string_type": "text",
            "list_type": "a list",
            "int_type": "a whole number",
            "int_parsing": "a whole number",
            "dict_type": "a mapping",
            "model_type": "a mapping",
        }[kind]
        extra = ""
        if kind == "string_type" and field == "object" and isinstance(value, list):
            extra = "; only `subject` takes a list (one claim each): write one fact per object"
        return f"{where}expected {wanted}, got {_show(value)}{extra}", False
    if kind in {"greater_than_equal", "less_than_equal"}:
        low, high = _bounds(loc)
        expected = f"a whole number from {low} to {high}" if low is not None and high is not None else error["msg"]
        return f"{where}{value} is out of range: expected {expected}", False
    if kind == "string_too_short":
        return f"{where}must not be empty", False
    if kind == "string_pattern_mismatch":
        if field == "url":
            return f"invalid url '{value}': expected an http:// or https:// address", False
        if field == "id":
            return f"invalid id '{value}': ids may not contain spaces or '|'", False
    return f"{where}{error['msg']} (got {_show(value)})", False


def _bounds(loc: tuple[Any, ...]) -> tuple[Any, Any]:
    """The ge/le limits declared on the field at `loc`, so messages never disagree with the model."""
    info = _model_for(loc).model_fields.get(str(loc[-1])) if loc else None
    metadata = info.metadata if info else []
    low = next((m.ge for m in metadata if isinstance(m, Ge)), None)
    high = next((m.le for m in metadata if isinstance(m, Le)), None)
    return low, high


def _in(loc: tuple[Any, ...]) -> str:
    """Which object a field belongs to, for messages about fields."""
    if len(loc) == 2 and loc[0] == "source":
        return " in `source`"
    if len(loc) == 3 and loc[0] in {"facts", "entities"}:
        return f" in this {'fact' if loc[0] == 'facts' else 'entity'}"
    return " at the top level" if len(loc) == 1 else ""


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)
