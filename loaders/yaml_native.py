"""YAML loading's fast path: yaml-rs, a Rust parser that builds Python values itself, where it gives what ruamel gives.

On a 100-fact file yaml-rs takes ~0.4 ms where ruamel's C loader with agkg's tuned constructor (`yaml_fast`)
takes 3.3-3.9 ms: ruamel's C part only scans, and nodes, tags and values are Python objects made one by one.
The two agree on plain YAML 1.2 maps, lists and scalars, not on everything (each difference below was found by
fuzzing them against each other): yaml-rs reads quoted dates as dates when asked to read dates, so it is not
asked, and ruamel's plain dates must then go to ruamel; it reads some number forms differently, an empty key as
null, flow scalars by YAML 1.2's looser rules, and keeps a line break at the very end of a block scalar; tags,
anchors, merge keys, directives and several documents are ruamel's own business. So a document goes to yaml-rs
only when a screen of its text (the patterns below, ~0.45 ms a file) finds none of these; whatever yaml-rs
refuses goes to ruamel too, which gives the data or the error (with its position and wording) it always gave.
The screen errs towards ruamel: quoted text that looks like one of these only sends its file to the slower
loader, never to another answer. `tests/test_yaml_fast.py` checks the loaders agree, data and errors, on odd
documents, the repository's and a generated corpus's YAML, scalars and fuzzed documents.
"""

from __future__ import annotations

import re
from typing import Any

import yaml_rs

from agkg.loaders.yaml_fast import fast_safe_yaml

# The screen runs on the text with a line break put first, so that "at a line's start" is "after \n": every
# pattern then starts with a literal or a character class, which `re` finds by a fast scan (a `^` pattern is
# tried at every position: 5x as slow on a fact file).
# Each is (a character without which it cannot occur, the pattern): a substring test is cheaper still.
_RUAMEL_ONLY = [
    ("%", re.compile(r"\n%")),  # a directive (%YAML 1.1 changes how scalars resolve)
    ("!", re.compile(r"[\s\[\]{},]!")),  # a tag, also `! x`
    ("&", re.compile(r"[\s\[\]{},]&\S")),  # an anchor
    ("*", re.compile(r"[\s\[\]{},]\*\S")),  # an alias
    ("<<", re.compile("<<")),  # a merge key
    ("=", re.compile(r"[\s\[{,]=(?=[\s,\]}:])")),  # a value key
    ("?", re.compile(r"[\s\[{,]\?(?=[\s,\]}:])")),  # a complex key
    ("\r", re.compile(r"\r(?!\n)")),  # a line break ruamel reads and yaml-rs does not
]
# Characters ruamel refuses, or reads as line breaks (NEL, LS, PS), and tabs, and a byte-order mark inside.
_ODD_CHARACTER = re.compile(r"[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# A document that is one block scalar: yaml-rs accepts content that ruamel finds not indented.
_BLANK_LINES = r"(?:[ \t\r]*(?:#[^\n]*)?\n)*"
_BLOCK_DOCUMENT = re.compile(rf"{_BLANK_LINES}(?:---(?:[ \t]+|[ \t\r]*(?:#[^\n]*)?\n{_BLANK_LINES}))?[ \t]*[|>]")
# A block scalar (| or >) whose header is the document's last line: yaml-rs keeps a line break ruamel drops.
_BLOCK_HEADER = re.compile(r"(?:^|\s)[|>][-+1-9]{0,2}[ \t\r]*(?:#.*)?$")
# A plain scalar that starts like a number: the two read some forms differently (`_1`, `0XFF`, `1e1_0`, `.inF`,
# `+.5e3`) and only ruamel reads dates, so only plain integers and decimals go to yaml-rs. A scalar starts a
# line (a key, or a list item) or follows `: `; in a flow collection also `[`, `{` or `,`.
_NOT_PLAIN_NUMBER = r"(?![-+]?[0-9]+(?:\.[0-9]+)?(?:[\s,\]}:#]|$))[-+]?[._0-9]"
# Two scans (one alternation of both has no literal start, and is slower than the two): after a line's indent
# and dashes, also an empty key (null for yaml-rs, refused by ruamel). Possessive quantifiers: backtracking into
# the indent could only find a space where a scalar starts, and trying it cost 3/4 of the scan.
_ODD_LINE_START = re.compile(r"\n[ \t]*+(?:-[ \t]++)*+(?::(?=\s)|" + _NOT_PLAIN_NUMBER + ")")
_ODD_VALUE = re.compile(r":[ \t]++" + _NOT_PLAIN_NUMBER)
# A flow collection ([...] or {...}) to the end of its line: yaml-rs reads YAML 1.2's flow scalars, ruamel 1.1's
# stricter ones (no `:` or `?` inside, no indicator first, no collection as a key). Such a line must close what
# it opens (two levels deep at most, one collection a line) and hold none of these.
_FLOW = re.compile(r"[\[{][^\n]*")
_INNER = r"(?:[^\n\[\]{}]|\[[^\n\[\]{}]*\]|\{[^\n\[\]{}]*\})*"
_CLOSED_FLOW = re.compile(rf"(?:\[{_INNER}\]|\{{{_INNER}\}})[^\n\[\]{{}}]*")
_FLOW_DOUBT = re.compile(r":(?![ \t])|\?|[\[{,:][ \t]*[|>@`%:]|[\]}][ \t]*:|[\[{,][ \t]*" + _NOT_PLAIN_NUMBER)
_MARKER = re.compile(r"\n(?:---|\.\.\.)(?=\s)")
_LEADING_MARKER = re.compile(r"(?:[ \t\r]*(?:#[^\n]*)?\n)*---[ \t\r]*\n")


class NativeFirstYAML:
    """`load(text)` returns what `YAML(typ="safe", pure=False).load(text)` returns, or raises what it raises."""

    def __init__(self) -> None:
        self._ruamel = fast_safe_yaml()

    def load(self, text: str) -> Any:
        if _native_can_read(text):
            try:
                return yaml_rs.loads(text, parse_datetime=False)
            except Exception:
                pass  # ruamel words the problem, or reads what yaml-rs refuses
            except BaseException as exc:  # a Rust panic (pyo3's PanicException) is not an Exception
                if isinstance(exc, KeyboardInterrupt | SystemExit):
                    raise
        return self._ruamel.load(text)


def _native_can_read(text: str) -> bool:
    if not text.endswith("\n") or _ODD_CHARACTER.search(text) or _BLOCK_DOCUMENT.match(text):
        return False
    lined = "\n" + text
    if any(mark in text and pattern.search(lined) for mark, pattern in _RUAMEL_ONLY):
        return False
    if _ODD_LINE_START.search(lined) or _ODD_VALUE.search(lined):
        return False
    if ("|" in text or ">" in text) and _BLOCK_HEADER.search(_last_content_line(text)):
        return False
    if ("[" in text or "{" in text) and not _plain_flow(text):
        return False
    if "---" not in text and "..." not in text:
        return True
    markers = _MARKER.findall(lined)
    # One `---` before any content is the common header of a single document.
    return not markers or (len(markers) == 1 and _LEADING_MARKER.match(text) is not None)


def _last_content_line(text: str) -> str:
    end = len(text)
    while end > 0:
        start = text.rfind("\n", 0, end - 1) + 1
        line = text[start : end - 1] if text[end - 1] == "\n" else text[start:end]
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return line
        end = start
    return ""


def _plain_flow(text: str) -> bool:
    return all(_CLOSED_FLOW.fullmatch(flow) and not _FLOW_DOUBT.search(flow) for flow in _FLOW.findall(text))
