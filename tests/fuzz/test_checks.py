#!/usr/bin/env python3
"""Proves tests/fuzz/checks.py's no_internal_details catches leaks and lets clean bodies through.

scripts/fuzz.sh runs this before fuzzing: a leak check that silently passes everything would make
every fuzz run a PASS. Exit status 0 when every expectation holds.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

spec = importlib.util.spec_from_file_location("tsunagu_fuzz_checks", Path(__file__).with_name("checks.py"))
checks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checks)


def case(body=None, query=None):
    return SimpleNamespace(body=body, query=query or {}, path_parameters={}, headers={})


def leaks(text: str, request=None) -> bool:
    try:
        checks.no_internal_details(None, SimpleNamespace(text=text), request or case())
    except AssertionError:
        return True
    return False


LEAKY = [
    '{"error":{"code":"internal_error","message":"PSQLError(code: server, serverInfo: [sqlState: 22021])"}}',
    '{"error":{"code":"x","message":"invalid byte sequence for encoding \\"UTF8\\": 0x00"}}',
    '{"error":{"code":"x","message":"syntax error at or near \\"FROM\\""}}',
    '{"error":{"code":"x","message":"SELECT id, name FROM members WHERE id = $1"}}',
    '{"error":{"code":"x","message":"duplicate key value violates unique constraint \\"users_email_key\\""}}',
    '{"error":{"code":"x","message":"Fatal error at /work/main/Sources/App/Features/Needs/NeedsAPI.swift:42"}}',
    '{"error":{"code":"x","message":"MembersAPI.swift line 10"}}',
    '{"error":{"code":"x","message":"keyNotFound(CodingKeys(stringValue: \\"email\\", intValue: nil))"}}',
    "0: 0x00005555deadbeef in tsunagu\n1 0x00005555deadbeef main",
]
CLEAN = [
    '{"error":{"code":"invalid_parameter","field":"page","message":"Query parameter \'page\' is invalid"}}',
    '{"items":[{"name":"川崎市地域包括ケア推進協議会","url":"https://example.org/a"}],"total":1}',
    '{"error":{"code":"not_found","message":"No such member."}}',
    "",
]

problems = [f"not caught: {text!r}" for text in LEAKY if not leaks(text)]
problems += [f"false alarm: {text!r}" for text in CLEAN if leaks(text)]
# Input echoed back (a proposal titled "SELECT * FROM x") is the user's text, not a leak.
if leaks('{"title":"SELECT * FROM x"}', case(body={"title": "SELECT * FROM x"})):
    problems.append("false alarm on echoed input")
for problem in problems:
    print("test_checks:", problem, file=sys.stderr)
sys.exit(1 if problems else 0)
