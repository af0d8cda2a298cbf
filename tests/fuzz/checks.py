"""Schemathesis hooks for Tsunagu's API fuzzing (scripts/fuzz.sh loads this via SCHEMATHESIS_HOOKS).

One custom check: no response body may reveal internals: a stack trace, SQL, a database error
or a path on the server. The built-in checks cover 5xx, status codes, content types and schemas.
"""
from __future__ import annotations

import re

import schemathesis

# Each pattern names something only the server's insides know. Matching is case-sensitive on
# purpose: "select" in Japanese-English UI prose is fine, "SELECT " in a body is SQL.
LEAKS = [
    ("a server path", re.compile(r"/work/|/root/|/home/|/usr/|/tmp/|\.build/|Sources/|Tests/")),
    ("a Swift source file", re.compile(r"[A-Za-z]+\.swift\b")),
    ("a stack trace", re.compile(r"Fatal error|Stack trace|Backtrace|^\s*#?\d+:?\s+0x[0-9a-f]{6,}", re.M)),
    ("a database error", re.compile(r"PSQLError|PostgresError|PostgresNIO|sqlState|SQLSTATE|syntax error at|"
                                    r"invalid byte sequence|violates (?:unique|foreign key|check|not-null) constraint|"
                                    r"duplicate key value")),
    ("SQL", re.compile(r"\bSELECT \S|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\bDELETE FROM\b|\bWHERE \w+ *=|\bRETURNING\b")),
    ("a Swift type's internals", re.compile(r"CodingKeys\(|codingPath|Swift\.DecodingError|NIOCore\.|Vapor\.\w+Error")),
]


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
