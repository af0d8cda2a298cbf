#!/usr/bin/env python3
"""Gets everything the load run needs from a freshly seeded server, checks every request kind once.

    scripts/load/prepare.py BASE_URL ENV_FILE [--drafts N]

Writes ENV_FILE as `export LOAD_…='…'` lines for scripts/load.sh to source (scripts/load/mixed.lua
reads them): API tokens of the demo member and staff user (POST /api/v1/auth/token), a session
cookie of the demo member (pages take the session cookie: GET /login for the anonymous CSRF cookie
and its form token, then POST /login, the double-submit check), the council, N new drafts of the
demo member (POST /api/v1/proposals), the member's proposals and the page counts of the member and
need lists. Then sends each kind of request of the mixed workload once and stops with a non-zero
exit when any answers other than 2xx, so a broken request is reported before the load, not as noise
in it.
"""
import argparse
import http.cookiejar
import json
import re
import shlex
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "tsunagu-demo-2026"
MEMBER = "member@demo.tsunagu.example"
STAFF = "staff@demo.tsunagu.example"

DRAFT = {
    "title": "負荷試験の下書き",
    "summary": "概要",
    "body": "地域の体操教室の会場と講師を提供します。",
    "domains": ["prevention"],
    "wards": ["麻生区"],
    "tags": ["体操"],
    "support_menu": ["pr_support"],
    "resources_offered": ["space"],
    "track": "regional",
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def call(base, method, path, token=None, body=None, cookie=None, timeout=60):
    """(status, parsed JSON or text, seconds)"""
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    started = time.monotonic()
    try:
        with opener.open(request, timeout=timeout) as response:
            status, raw, kind = response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers.get("Content-Type", "")
    elapsed = time.monotonic() - started
    if "json" in kind:
        try:
            return status, json.loads(raw), elapsed
        except ValueError:
            pass
    return status, raw.decode("utf-8", "replace"), elapsed


def ok(status, what, answer):
    if not 200 <= status < 300:
        sys.exit(f"prepare: {what} answered {status}: {str(answer)[:400]}")


def token_for(base, email):
    status, answer, _ = call(base, "POST", "/api/v1/auth/token",
                             body={"email": email, "password": PASSWORD, "name": "load test"})
    ok(status, f"POST /api/v1/auth/token ({email})", answer)
    return answer["token"]


def session_cookie_for(base, email):
    """Signs in through the login form as a browser does; returns 'tsunagu_session=…'."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(base + "/login", timeout=30) as response:
        page = response.read().decode("utf-8", "replace")
    match = re.search(r'name="csrf_token"\s+value="([^"]+)"', page)
    if not match:
        sys.exit("prepare: GET /login has no csrf_token field")
    form = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": match.group(1)}).encode()
    request = urllib.request.Request(base + "/login", data=form, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        opener.open(request, timeout=30)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code  # 303 to the portal is success (redirects are not followed)
    session = next((c.value for c in jar if c.name in ("tsunagu_session", "__Host-tsunagu_session")), None)
    if status != 303 or not session:
        sys.exit(f"prepare: POST /login as {email} answered {status} without a session cookie")
    name = next(c.name for c in jar if c.value == session)
    return f"{name}={session}"


def pages(base, path, token):
    status, answer, _ = call(base, "GET", path, token=token)
    ok(status, "GET " + path, answer)
    return max(1, -(-answer["total"] // answer["per_page"]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("env_file")
    parser.add_argument("--drafts", type=int, default=6)
    args = parser.parse_args()
    if args.drafts < 1:
        parser.error("--drafts must be at least 1")
    base = args.base.rstrip("/")

    member = token_for(base, MEMBER)
    staff = token_for(base, STAFF)
    cookie = session_cookie_for(base, MEMBER)

    status, answer, _ = call(base, "GET", "/api/v1/councils", token=staff)
    ok(status, "GET /api/v1/councils", answer)
    council = answer["items"][0]["id"]

    drafts, own = [], None
    for n in range(args.drafts):
        status, answer, _ = call(base, "POST", "/api/v1/proposals", token=member,
                                 body=dict(DRAFT, title=f"負荷試験の下書き {n + 1}"))
        ok(status, "POST /api/v1/proposals", answer)
        drafts.append(answer["id"])
        own = answer["member_id"]

    proposals, page = [], 1
    while True:
        status, answer, _ = call(base, "GET", f"/api/v1/proposals?page={page}", token=member)
        ok(status, "GET /api/v1/proposals", answer)
        # Members also see other members' accepted proposals (a summary): only the member's own here.
        proposals += [item["id"] for item in answer["items"] if own is None or item.get("member_id") == own]
        if page * answer["per_page"] >= answer["total"]:
            break
        page += 1

    member_pages = pages(base, "/api/v1/members", member)
    need_pages = pages(base, "/api/v1/needs", member)

    # Each kind once (the first matching round also warms the engine's code paths).
    checks = [
        ("GET", "/board", None, None, cookie),
        ("GET", f"/members?page={member_pages}", None, None, cookie),
        ("GET", "/needs", None, None, cookie),
        ("GET", f"/api/v1/members?page={member_pages}", member, None, None),
        ("GET", f"/api/v1/needs?page={need_pages}", member, None, None),
        ("GET", f"/api/v1/proposals/{proposals[0]}", member, None, None),
        ("PATCH", f"/api/v1/proposals/{drafts[0]}", member, {"title": "負荷試験の下書き (確認)"}, None),
        ("POST", "/api/v1/matching-rounds", staff, {"council_id": council, "candidates": "members"}, None),
        ("GET", "/health", None, None, None),
    ]
    for method, path, token, body, session in checks:
        status, answer, seconds = call(base, method, path, token=token, body=body, cookie=session)
        print(f"prepare: {method} {path} -> {status} in {seconds * 1000:.0f} ms", file=sys.stderr)
        ok(status, f"{method} {path}", answer)

    values = {
        "LOAD_SESSION_COOKIE": cookie,
        "LOAD_MEMBER_TOKEN": member,
        "LOAD_STAFF_TOKEN": staff,
        "LOAD_COUNCIL_ID": council,
        "LOAD_PROPOSAL_IDS": ",".join(proposals),
        "LOAD_DRAFT_IDS": ",".join(drafts),
        "LOAD_MEMBER_PAGES": str(member_pages),
        "LOAD_NEED_PAGES": str(need_pages),
    }
    with open(args.env_file, "w") as out:
        for key, value in values.items():
            out.write(f"export {key}={shlex.quote(value)}\n")
    print(f"prepare: {len(proposals)} proposals of the demo member ({len(drafts)} new drafts), "
          f"{member_pages} member pages, {need_pages} need pages", file=sys.stderr)


if __name__ == "__main__":
    main()
