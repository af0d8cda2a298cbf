"""What an error body must never show: the server's insides. Standard library only.

Shared by the fuzz check (tests/fuzz/checks.py, loaded by schemathesis) and the fault-injection
driver (scripts/faults.py, which runs without schemathesis), so the two cannot drift apart.
"""
from __future__ import annotations

import re

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

# While the database is down or its connections are cut (scripts/faults.py), an answer must not
# say how the server reaches it either. Not part of the fuzz check: fuzzing never cuts the
# database, and a request may carry such words itself.
CONNECTION_LEAKS = [
    ("a database connection error", re.compile(r"[Cc]onnection refused|ECONNREFUSED|errno|CircuitBreaker|"
                                               r"ConnectionPool|postmaster|127\.0\.0\.1")),
]
