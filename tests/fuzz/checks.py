"""Schemathesis hooks for Tsunagu's API fuzzing (scripts/fuzz.sh loads this via SCHEMATHESIS_HOOKS).

One custom check: no response body may reveal internals: a stack trace, SQL, a database error
or a path on the server. The built-in checks cover 5xx, status codes, content types and schemas.
"""
from __future__ import annotations

import os
import sys

import schemathesis

# The patterns live in leaks.py, next to this file (shared with scripts/faults.py). Schemathesis
# loads this file by path, so its folder is put on the import path first.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from leaks import LEAKS  # noqa: E402


def _echoed(text: str, case) -> bool:
    """True when the text was in the request itself: a server may echo input back (a name, a query)."""
    parts = [repr(case.body), repr(case.query), repr(case.path_parameters), repr(case.headers)]
    return any(text in part for part in parts)


@schemathesis.check
def no_internal_details(ctx, response, case):
    """No stack trace, SQL, database error or server path in any response body."""
    try:
        body = response.text
    except Exception:  # a body that is not text at all would fail the content-type check instead
        return None
    if not body:
        return None
    for what, pattern in LEAKS:
        for match in pattern.finditer(body):
            if not _echoed(match.group(0), case):
                start = max(0, match.start() - 60)
                raise AssertionError(f"The response reveals {what}: …{body[start:match.end() + 60]}…")
    return None
