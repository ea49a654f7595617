"""Log lines on stderr: plain for people, one JSON object per line for log shippers (--log-format json)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

_format = "text"


def set_format(value: str) -> None:
    global _format
    _format = value


def log(event: str, level: str = "info", **fields: Any) -> None:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
    if _format == "json":
        line = json.dumps({"timestamp": now, "level": level, "event": event, **fields}, ensure_ascii=False, default=str)
    else:
        detail = " ".join(f"{k}={v}" for k, v in fields.items())
        line = f"{now} {level.upper():5} {event} {detail}".rstrip()
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
