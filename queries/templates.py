"""Expansion of the per-back-end query variants that repeat a step per level.

FalkorDB has no quantified path patterns or SHORTEST, so its variants of the breadth-first
queries spell each level out. They are written once, as a template:

    // for N in 1..8:
    ... text using {{N}}, {{N - 1}} or {{'a' if N % 2 else 'b'}} ...
    // end for

Each block is repeated for N = 1..8 (inclusive), with every `{{expression}}` replaced by its value.
Expressions are arithmetic and conditionals over the loop variable, evaluated with no builtins, and
`steps(k)`, which writes k hops between entities (`-[]-(:Entity)` k - 1 times, then `-[]-`).
Templates are files of this repository, never user input.
"""

from __future__ import annotations

import re
from typing import Any

_FOR = re.compile(r"^\s*//\s*for\s+([A-Za-z_]\w*)\s+in\s+(\d+)\.\.(\d+)\s*:\s*$")
_END = re.compile(r"^\s*//\s*end\s+for\s*$")
_EXPR = re.compile(r"\{\{(.+?)\}\}")


class TemplateError(ValueError):
    """A malformed template (a bug in the repository, caught by tests)."""


def steps(k: int, rel: str = "") -> str:
    """`k` undirected hops between entities: the middle of a pattern such as (a)<steps>(m:Entity)."""
    hop = f"-[{rel}]-"
    return (hop + "(:Entity)") * (k - 1) + hop


def expand(text: str) -> str:
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        head = _FOR.match(lines[i])
        if not head:
            if _END.match(lines[i]):
                raise TemplateError(f"line {i + 1}: `// end for` without `// for`")
            out.append(lines[i])
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if _END.match(lines[j])), None)
        if end is None:
            raise TemplateError(f"line {i + 1}: `// for` without `// end for`")
        body = lines[i + 1 : end]
        if any(_FOR.match(line) for line in body):
            raise TemplateError(f"line {i + 1}: nested `// for` blocks are not supported")
        name, first, last = head[1], int(head[2]), int(head[3])
        for value in range(first, last + 1):
            out.extend(_substitute(line, {name: value}) for line in body)
        i = end + 1
    return "\n".join(out)


def _substitute(line: str, names: dict[str, Any]) -> str:
    def value(found: re.Match[str]) -> str:
        try:
            return str(eval(found[1], {"__builtins__": {}, "steps": steps}, names))
        except Exception as exc:
            raise TemplateError(f"{{{{{found[1]}}}}}: {exc}") from None

    return _EXPR.sub(value, line)
