"""Schema validation of parsed files, with pydantic errors turned into located, plain messages."""

from __future__ import annotations

from typing import Any

from annotated_types import Ge, Le
from pydantic import BaseModel, ValidationError

from agkg.errors import Problem
from agkg.loaders.model import EntitySpec, FactFile, FactSpec, SourceSpec
from agkg.loaders.names import closest
from agkg.loaders.parse import ParsedFile

_MODELS: dict[str, type[BaseModel]] = {"source": SourceSpec, "entities": EntitySpec, "facts": FactSpec}


def validate_file(parsed: ParsedFile) -> tuple[FactFile | None, list[Problem]]:
    try:
        return FactFile.model_validate(parsed.data), []
    except ValidationError as exc:
        problems: dict[tuple[Any, ...], Problem] = {}
        errors = exc.errors(include_url=False)
        misspelt = _misspelt_required(parsed.data, errors)
        for error in errors:
            loc = _trim(parsed.data, error["loc"])
            if error["type"] == "missing" and loc in misspelt:
                continue  # the unknown field's "did you mean" says it
            loc, message, at_key = _located_message(parsed.data, error, loc)
            if loc in problems:
                continue  # a union reports each member's failure; the first says enough
            problems[loc] = parsed.problem(loc, message, at_key=at_key)
        return None, sorted(problems.values())


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
