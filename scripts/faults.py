#!/usr/bin/env python3
"""Fault injection driver (issue 7, item 2): acknowledged writes survive faults.

scripts/faults.sh sets up a durable PostgreSQL cluster, migrates, seeds the demo data and starts the
app; then it runs this driver, which:

  1. gets an API token for the demo member (once: sign-in is throttled, and tokens live in
     PostgreSQL so they outlive app restarts);
  2. starts writer threads that create proposals back to back, each with a unique title and body,
     and keep a ledger of every write the app acknowledged (201), plus a reader thread, so that the
     "every answer is a clean 503" rule is checked on reads too;
  3. injects four faults, one after another, while the writers run:
       (a) SIGKILL the app and start it again with the same command;
       (b) stop PostgreSQL with `pg_ctl stop -m immediate` (a crash, as far as PostgreSQL is
           concerned), keep it down for ~3 s, start it again; every answer meanwhile must be a 503
           with a JSON error body that reveals nothing, within the client's timeout, and the first
           201 must come within 5 s of PostgreSQL accepting connections again;
       (c) terminate the app's database connections with pg_terminate_backend; the app must
           reconnect by itself, losing at most a write or two (503);
       (d) graceful shutdown: fire a burst of slow requests (GET /board, GET /api/v1/members?per_page=200,
           POST /api/v1/proposals) and send the app SIGTERM a few ms after they start; every request
           already sent when the signal went (the burst's, the writers' and the reader's) must get a
           complete 2xx answer, nothing in that phase may be a 5xx, and the app must exit within
           15 s; then it is started again the way (a) starts it. Only a request sent after the
           signal may be refused (the listener is closed) or cut off. Acknowledged writes of the
           burst join the ledger;
  4. checks in the database directly (psql, as the superuser) that no acknowledged write is missing
     or altered, that every proposal the run created is whole (its audit record, status history row
     and ward, written in the same transaction), and that no audit record points to a proposal that
     does not exist. Before trusting that check it runs it once on planted damage (inside a
     transaction that is rolled back) and makes sure it sees it.

Standard library only. Prints the figures and a final `faults: PASS` or `faults: FAIL (reasons)`;
exits 1 on FAIL. Details go to OUT/events.jsonl (every request) and OUT/ledger.jsonl.

FAULTS_DB_DOWN_SECONDS=… keeps PostgreSQL down longer in (b) (default 3), to see what the app does
in a longer outage. FAULTS_BURST=… sets the size of (d)'s burst (default 12) and
FAULTS_SIGTERM_DELAY_MS=… how long after the burst starts the SIGTERM goes (default 30; at 2-5 the
signal finds requests the app has not read yet: still in the listen backlog, or accepted and unread).

--only (FAULTS_ONLY=… in faults.sh: c, a,c…; default all four) applies only some of the faults and
--repeat (FAULTS_REPEAT=…; default 1) applies each of them that many times, with ~1 s of normal
writing between repetitions; the database checks of step 4 run at the end all the same. Such a run
reports each repetition on its own ("c[3/10]") and every request that got no answer within the
client timeout: method, path, when it was sent relative to the fault, its X-Request-Id and the
server log lines that name it; then "c: hung requests: K of N repetitions".

Every request carries its own X-Request-Id, which the app logs with the request ("[request-id: …]"),
so a request that failed can be looked up in the server logs: logged means the app had read it.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field

# --- limits ---------------------------------------------------------------------------------------

HTTP_TIMEOUT = 5.0            # s: an answer slower than this is a hang, and a hang is a failure
DB_DOWN_SECONDS = float(os.environ.get("FAULTS_DB_DOWN_SECONDS", "3"))  # PostgreSQL's outage in (b)
MAX_DB_RECOVERY = 5.0         # s from "PostgreSQL accepts connections" to the first 201 (fault b)
MAX_RECONNECT_RECOVERY = 5.0  # s from pg_terminate_backend to the first 201 (fault c)
MAX_RESTART_RECOVERY = 60.0   # s from SIGKILL to the first 201 (fault a): a debug build starts slowly
MAX_TERMINATE_FAILURES = 2    # failed writes tolerated in fault (c): "a failure or two"
SETTLE_SECONDS = 2.0          # steady writing before the first fault and after each recovery
WRITERS = 2
BURST = int(os.environ.get("FAULTS_BURST", "12"))    # concurrent requests fired just before the SIGTERM (d)
SIGTERM_DELAY = float(os.environ.get("FAULTS_SIGTERM_DELAY_MS", "30")) / 1000  # s from the burst to SIGTERM
MAX_GRACEFUL_EXIT = 15.0      # s from SIGTERM to the process gone (d)
BURST_READS = ["/board", "/api/v1/members?per_page=200"]
SLOW_ANSWER = 1.0             # s: an answer slower than this is listed in a targeted run (--only, --repeat)
BETWEEN_REPEATS = 1.0         # s of normal writing between two repetitions of a fault (--repeat)
FAULTS = "abcd"

DEMO_MEMBER = "member@demo.tsunagu.example"
DEMO_PASSWORD = "tsunagu-demo-2026"

# The phases, in order; every request is counted in the phase in which its answer came.
BASELINE, KILLED, DB_DOWN, DB_BACK, TERMINATED, GRACEFUL, AFTER = (
    "baseline", "a: app SIGKILLed", "b: PostgreSQL down", "b: PostgreSQL back", "c: connections terminated",
    "d: graceful shutdown (SIGTERM)", "after")
PHASES = [BASELINE, KILLED, DB_DOWN, DB_BACK, TERMINATED, GRACEFUL, AFTER]

# The leak patterns of the fuzz check (tests/fuzz/leaks.py, standard library only), plus
# connection errors: an error body must reveal nothing of the server's insides.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fuzz"))
from leaks import CONNECTION_LEAKS, LEAKS as FUZZ_LEAKS  # noqa: E402

LEAKS = FUZZ_LEAKS + CONNECTION_LEAKS


def now() -> float:
    return time.monotonic()


# --- what happened --------------------------------------------------------------------------------

@dataclass
class Event:
    """One request: when it started and ended, how it went, and in which phase its answer came."""
    who: str                 # "writer1", "reader", "writer-burst3", "reader-burst4"…
    start: float
    end: float
    outcome: str             # "201", "503", … or "timeout", "refused", "reset", "error"
    title: str | None = None
    problem: str | None = None   # why the answer is wrong, when it is
    error: str | None = None     # an error answer's code, field and message, to report
    phase: str = ""              # set by State.add
    sent: float | None = None    # when the whole request had been written to the socket (None: never)
    rid: str | None = None       # its X-Request-Id, to find it in the server log
    path: str | None = None
    port: int | None = None      # the client end's local port, to find the connection in the kernel's table


@dataclass
class Record:
    """An acknowledged write: what we sent and the id the app gave it."""
    id: str
    title: str
    body: str


@dataclass
class State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    phase: str = BASELINE
    phase_starts: list[tuple[float, str]] = field(default_factory=lambda: [(0.0, BASELINE)])
    events: list[Event] = field(default_factory=list)
    ledger: list[Record] = field(default_factory=list)
    attempted_titles: set[str] = field(default_factory=set)
    error_bodies_checked: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def add(self, event: Event, record: Record | None = None, checked_body: bool = False) -> None:
        with self.lock:
            # A request belongs to the phase in which it ended: one cut short by the SIGKILL is a
            # failure of fault (a), even though it started before.
            event.phase = self.phase
            self.events.append(event)
            if record:
                self.ledger.append(record)
            if checked_body:
                self.error_bodies_checked += 1

    def set_phase(self, phase: str, label: str | None = None) -> None:
        """Starts `phase`; `label` is what to print instead of its name (a repetition's number, say)."""
        with self.lock:
            self.phase = phase
            self.phase_starts.append((now(), phase))
        print(f"faults: --- {label or phase}", flush=True)

    def phase_at(self, instant: float) -> str:
        """The phase that was on at `instant` (a request's start, say)."""
        with self.lock:
            return [phase for start, phase in self.phase_starts if start <= instant][-1]

    def first_201(self, started_after: float | None = None, ended_after: float | None = None,
                  timeout: float = 90.0) -> float | None:
        """Waits for the first acknowledged write that started (or whose answer came) after the given
        instant; returns the instant its answer came, or None after `timeout`."""
        deadline = now() + timeout
        while now() < deadline:
            with self.lock:
                for e in self.events:
                    if e.outcome != "201" or e.problem or not e.who.startswith("writer"):
                        continue
                    if started_after is not None and e.start < started_after:
                        continue
                    if ended_after is not None and e.end < ended_after:
                        continue
                    return e.end
            time.sleep(0.02)
        return None


# --- HTTP -----------------------------------------------------------------------------------------

class Api:
    def __init__(self, base: str):
        m = re.match(r"http://([^:/]+):(\d+)$", base)
        if not m:
            raise SystemExit(f"faults.py: cannot parse --base {base}")
        self.host, self.port = m.group(1), int(m.group(2))

    def call(self, method: str, path: str, body: dict | None = None, token: str | None = None,
             timeout: float = HTTP_TIMEOUT, marks: dict | None = None) -> tuple[int, dict, bytes]:
        """One request on a fresh connection (no keep-alive: a killed app must not leave us holding a
        dead socket). Returns (status, headers, body); raises OSError/HTTPException on transport errors.
        `marks` gets the request's X-Request-Id ("rid"), the connection's local port ("port") and the
        instant the request had been sent whole ("sent")."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        marks = {} if marks is None else marks
        marks["rid"] = str(uuid.uuid4()).upper()
        try:
            headers = {"Accept": "application/json", "Connection": "close", "X-Request-Id": marks["rid"]}
            data = None
            if body is not None:
                data = json.dumps(body, ensure_ascii=False).encode()
                headers["Content-Type"] = "application/json"
            if token:
                headers["Authorization"] = f"Bearer {token}"
            conn.connect()
            marks["port"] = conn.sock.getsockname()[1]
            conn.request(method, path, body=data, headers=headers)
            marks["sent"] = now()
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()


def transport_outcome(error: BaseException) -> str:
    if isinstance(error, TimeoutError) or "timed out" in str(error):
        return "timeout"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected,
                          http.client.IncompleteRead)):
        return "reset"
    return "error"


def error_summary(body: bytes) -> str | None:
    """ "code (field): message" of an error answer, for the report; None when it has none."""
    try:
        detail = json.loads(body)["error"]
        field_name = f" ({detail['field']})" if detail.get("field") else ""
        return f"{detail['code']}{field_name}: {detail['message']}"
    except (ValueError, KeyError, TypeError):
        return None


def error_body_problem(status: int, headers: dict, body: bytes) -> str | None:
    """None when an error answer is the documented JSON {"error": {"code", "message"}} with nothing
    internal in it; otherwise what is wrong."""
    text = body.decode("utf-8", "replace")
    if "application/json" not in headers.get("content-type", ""):
        return f"{status} with content-type {headers.get('content-type')!r}: {text[:200]!r}"
    try:
        parsed = json.loads(text)
    except ValueError:
        return f"{status} with a body that is not JSON: {text[:200]!r}"
    detail = parsed.get("error") if isinstance(parsed, dict) else None
    if not isinstance(detail, dict) or not isinstance(detail.get("code"), str) \
            or not isinstance(detail.get("message"), str) or not detail["message"]:
        return f"{status} whose body is not {{\"error\": {{\"code\", \"message\"}}}}: {text[:200]!r}"
    for what, pattern in LEAKS:
        match = pattern.search(text)
        if match:
            return f"{status} body reveals {what} ({match.group(0)!r}): {text[:300]!r}"
    return None


# --- the load -------------------------------------------------------------------------------------

def traced(marks: dict, path: str) -> dict:
    """An Event's fields that say where a request went and how far it got (see Api.call)."""
    return {"sent": marks.get("sent"), "rid": marks.get("rid"), "port": marks.get("port"), "path": path}


def proposal_payload(title: str) -> dict:
    body = f"{title}: 確認用本文 {uuid.uuid4()} — acknowledged writes must survive faults."
    return {"title": title, "summary": "概要", "body": body, "domains": ["prevention"],
            "wards": ["麻生区"], "tags": ["体操"], "support_menu": ["pr_support"],
            "resources_offered": ["space"], "track": "regional"}


def write_once(api: Api, token: str, state: State, name: str, title: str) -> str:
    """POSTs one proposal and records what came of it; returns the outcome. A 201 goes in the ledger
    only after its answer shows the app stored exactly what we sent."""
    payload = proposal_payload(title)
    body = payload["body"]
    path = "/api/v1/proposals"
    with state.lock:
        state.attempted_titles.add(title)
    marks: dict = {}
    start = now()
    try:
        status, headers, raw = api.call("POST", path, payload, token, marks=marks)
    except (OSError, http.client.HTTPException) as error:
        outcome = transport_outcome(error)
        state.add(Event(name, start, now(), outcome, title, problem=repr(error),
                        **traced(marks, path)))
        return outcome
    end = now()
    if status == 201:
        problem, proposal_id = None, None
        try:
            answer = json.loads(raw)
            proposal_id = str(answer["id"]).lower()
            if answer.get("title") != title or answer.get("body") != body:
                problem = f"201 whose proposal differs from what was sent: {raw[:300]!r}"
        except (ValueError, KeyError, TypeError, AttributeError):
            problem = f"201 without a proposal id: {raw[:300]!r}"
        record = Record(proposal_id, title, body) if problem is None else None
        state.add(Event(name, start, end, "201", title, problem=problem, **traced(marks, path)), record)
    else:
        problem = error_body_problem(status, headers, raw)
        state.add(Event(name, start, end, str(status), title, problem=problem, error=error_summary(raw),
                        **traced(marks, path)), checked_body=True)
    return str(status)


def read_once(api: Api, token: str, state: State, name: str, path: str) -> str:
    """GETs one path and records what came of it; returns the outcome. An error answer of the API must
    be the documented JSON; a web page's (/board) is HTML, so only its status is judged."""
    marks: dict = {}
    start = now()
    try:
        status, headers, raw = api.call("GET", path, token=token, marks=marks)
    except (OSError, http.client.HTTPException) as error:
        outcome = transport_outcome(error)
        state.add(Event(name, start, now(), outcome, problem=f"GET {path}: {error!r}",
                        **traced(marks, path)))
        return outcome
    end = now()
    if status == 200:
        state.add(Event(name, start, end, "200", **traced(marks, path)))
    elif path == "/ready" and status == 503 and b'"shutting_down"' in raw:
        # A stopping server says so on /ready during its drain grace, while it still serves requests.
        state.add(Event(name, start, end, "draining", **traced(marks, path)))
    elif path.startswith("/api/") or path == "/ready" or "application/json" in headers.get("content-type", ""):
        problem = error_body_problem(status, headers, raw)
        state.add(Event(name, start, end, str(status), problem=f"GET {path}: {problem}" if problem else None,
                        error=error_summary(raw), **traced(marks, path)),
                  checked_body=True)
    else:
        state.add(Event(name, start, end, str(status), error=raw[:120].decode("utf-8", "replace"),
                        **traced(marks, path)))
    return str(status)


def writer(api: Api, token: str, state: State, name: str, run_id: str) -> None:
    """Creates proposals back to back, each with a unique title and body."""
    seq = 0
    while not state.stop.is_set():
        seq += 1
        outcome = write_once(api, token, state, name, f"障害試験 {run_id} {name}-{seq:06d}")
        # A short breath between successes: two writers on a 2-core machine next to the app and
        # PostgreSQL; the faults, not the load, are under test.
        time.sleep(0.02 if outcome == "201" else 0.1)


def reader(api: Api, token: str, state: State) -> None:
    """Reads while the writers write, so that a fault's answers are checked on reads as well:
    GET /api/v1/proposals (the token and the list both need the database) and GET /ready."""
    paths = ["/api/v1/proposals?per_page=1", "/ready"]
    i = 0
    while not state.stop.is_set():
        path = paths[i % len(paths)]
        i += 1
        read_once(api, token, state, "reader", path)
        time.sleep(0.2)


def burst(api: Api, token: str, state: State, run_id: str, go: threading.Event,
          prefix: str = "burst") -> list[threading.Thread]:
    """(d)'s burst: BURST requests that all start when `go` is set, every other one a write, the rest
    reads of the biggest pages there are (the board, 200 members), so that some are still being
    answered when the SIGTERM goes. `prefix` keeps the titles of a repeated (d)'s bursts apart."""
    def one(i: int) -> None:
        go.wait()
        if i % 2 == 0:
            write_once(api, token, state, f"writer-burst{i}", f"障害試験 {run_id} {prefix}-{i:06d}")
        else:
            read_once(api, token, state, f"reader-burst{i}", BURST_READS[(i // 2) % len(BURST_READS)])
    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(BURST)]
    for thread in threads:
        thread.start()
    return threads


# --- PostgreSQL -----------------------------------------------------------------------------------

class Postgres:
    def __init__(self, args: argparse.Namespace):
        m = re.match(r"postgres://([^@:/]+)@([^:/]+):(\d+)/(\w+)", args.database_url)
        if not m:
            raise SystemExit(f"faults.py: cannot parse DATABASE_URL {args.database_url}")
        self.user, self.host, self.port, self.db = m.group(1), m.group(2), m.group(3), m.group(4)
        self.pgdata, self.pg_ctl, self.psql, self.pg_isready = args.pgdata, args.pg_ctl, args.psql, args.pg_isready

    @staticmethod
    def as_owner(command: list[str]) -> list[str]:
        # PostgreSQL refuses to run as root; scripts/pg.sh runs it as the postgres system user.
        return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command

    def query(self, sql: str) -> str:
        """Runs SQL as the cluster's superuser over TCP (trust on 127.0.0.1); returns unaligned output."""
        result = subprocess.run([self.psql, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", self.host,
                                 "-p", self.port, "-U", self.user, "-d", self.db, "-f", "-"],
                                input=sql, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout

    def accepts_connections(self) -> bool:
        return subprocess.run([self.pg_isready, "-q", "-h", self.host, "-p", self.port, "-U", self.user,
                               "-d", self.db, "-t", "1"]).returncode == 0

    def stop_immediately(self) -> None:
        # -m immediate: no checkpoint, backends killed at once; on the next start PostgreSQL runs crash
        # recovery from the WAL, which is what a committed write has to survive.
        subprocess.run(self.as_owner([self.pg_ctl, "-D", self.pgdata, "-m", "immediate", "-w", "stop"]),
                       check=True, stdout=subprocess.DEVNULL)

    def start(self) -> subprocess.Popen:
        return subprocess.Popen(self.as_owner([self.pg_ctl, "-D", self.pgdata, "-l", f"{self.pgdata}/server.log",
                                               "-w", "-t", "60", "start"]), stdout=subprocess.DEVNULL)


# --- checking the database ------------------------------------------------------------------------

def stored_state(pg: Postgres, run_id: str, ledger: list[Record], plant_damage: bool = False) -> dict:
    """Every proposal of this run (by its title prefix) and every ledger id, each with what a create
    writes in the same transaction (ProposalWrites.create): the proposal.create audit record, the
    NULL→draft status history row and the ward; and the number of proposal audit records whose
    proposal does not exist.

    With plant_damage, first plants one proposal without audit, history or ward and one audit
    record of a proposal that does not exist, in a transaction that is rolled back: the check must
    see both, or a PASS would mean nothing."""
    ids = ",".join(f"'{r.id}'" for r in ledger if re.fullmatch(r"[0-9a-f-]{36}", r.id or "")) or "NULL"
    check = f"""
        SELECT json_build_object(
          'rows', (SELECT coalesce(json_agg(json_build_object(
                     'id', p.id, 'title', p.title, 'body', p.body,
                     'audit', (SELECT count(*) FROM audit_records a WHERE a.entity = 'proposal'
                                AND a.action = 'proposal.create' AND a.entity_id = p.id::text),
                     'history', (SELECT count(*) FROM proposal_status_history h WHERE h.proposal_id = p.id
                                  AND h.from_status IS NULL AND h.to_status = 'draft'),
                     'wards', (SELECT count(*) FROM proposal_wards w WHERE w.proposal_id = p.id))), '[]')
                   FROM proposals p WHERE p.title LIKE '障害試験 {run_id} %' OR p.id IN ({ids})),
          'orphans', (SELECT count(*) FROM audit_records a WHERE a.entity = 'proposal'
                       AND NOT EXISTS (SELECT 1 FROM proposals p WHERE p.id::text = a.entity_id)));
    """
    if plant_damage:
        check = f"""
            BEGIN;
            INSERT INTO proposals (id, council_id, member_id, title, summary, body, domains, city_wide, tags,
                                   support_menu, resources_offered, track, created_by)
              SELECT gen_random_uuid(), council_id, member_id, '障害試験 {run_id} planted', summary, body, domains,
                     city_wide, tags, support_menu, resources_offered, track, created_by
              FROM proposals WHERE title LIKE '障害試験 {run_id} %' LIMIT 1;
            INSERT INTO audit_records (action, entity, entity_id) VALUES ('proposal.create', 'proposal', gen_random_uuid()::text);
            {check}
            ROLLBACK;
        """
    return json.loads(pg.query(check))


def judge(stored: dict, ledger: list[Record], attempted_titles: set[str]) -> dict:
    rows = {row["id"]: row for row in stored["rows"]}
    acked = {r.id for r in ledger}
    return {
        "rows": len(rows),
        "missing": [r for r in ledger if r.id not in rows],
        "altered": [r for r in ledger if r.id in rows and (rows[r.id]["title"], rows[r.id]["body"]) != (r.title, r.body)],
        "half": [row for row in rows.values() if (row["audit"], row["history"], row["wards"]) != (1, 1, 1)],
        "unacknowledged": [row for row in rows.values() if row["id"] not in acked],
        "never_sent": [row for row in rows.values() if row["id"] not in acked and row["title"] not in attempted_titles],
        "duplicates": len(rows) - len({row["title"] for row in rows.values()}),
        "orphans": stored["orphans"],
    }


def check_the_check(pg: Postgres, run_id: str, ledger: list[Record], attempted: set[str], real: dict) -> str | None:
    """Plants damage the final check must see: a ledger entry the database lacks, one whose body
    differs, a proposal without its audit record, history and ward, an audit record of a missing
    proposal. None when the check sees each of them."""
    if not ledger:
        return "no acknowledged write to plant damage next to"
    fake = ledger + [Record(str(uuid.uuid4()), "障害試験 never stored", "-"),
                     Record(ledger[0].id, ledger[0].title, ledger[0].body + " (altered)")]
    seen = judge(stored_state(pg, run_id, ledger, plant_damage=True), fake,
                 attempted | {f"障害試験 {run_id} planted"})
    expected = {"missing": len(real["missing"]) + 1, "altered": len(real["altered"]) + 1,
                "half": len(real["half"]) + 1, "orphans": real["orphans"] + 1}
    got = {"missing": len(seen["missing"]), "altered": len(seen["altered"]), "half": len(seen["half"]),
           "orphans": seen["orphans"]}
    return None if got == expected else f"the database check missed planted damage: expected {expected}, saw {got}"


# --- the run --------------------------------------------------------------------------------------

def get_token(api: Api) -> str:
    status, _, raw = api.call("POST", "/api/v1/auth/token",
                              {"email": DEMO_MEMBER, "password": DEMO_PASSWORD, "name": "faults"}, timeout=30)
    if status not in (200, 201):
        raise SystemExit(f"faults.py: POST /api/v1/auth/token answered {status}: {raw[:300]!r}")
    return json.loads(raw)["token"]


def process_gone(pid: int) -> bool:
    """True once the process is dead. A killed child of faults.sh stays a zombie until the shell
    reaps it, and kill(pid, 0) still succeeds on a zombie, so read its state instead."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def wait_ready(api: Api, timeout: float) -> float | None:
    deadline = now() + timeout
    while now() < deadline:
        try:
            if api.call("GET", "/ready", timeout=2)[0] == 200:
                return now()
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    return None


def app_connections(port: int) -> dict[int, str] | None:
    """The app's end of every established TCP connection to `port` (IPv4), by the client's port, as
    the kernel has it: "backlog" (still in the listen queue, not accepted by the app: no inode),
    "unread" (accepted, with request bytes the app has not read yet) or "accepted" (nothing unread).
    Asked over netlink (sock_diag), which takes a few ms; reading /proc/net/tcp, with every TIME_WAIT
    of the run in it, took up to a quarter of a second under load and delayed the SIGTERM. None when
    the kernel does not answer."""
    found: dict[int, str] = {}
    try:
        sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)  # NETLINK_SOCK_DIAG
    except OSError:
        return None
    try:
        # inet_diag_req_v2: family, protocol, ext, pad, states (1 << TCP_ESTABLISHED), a zero socket id.
        request = struct.pack("=BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 0, 0, 1 << 1) + bytes(48)
        # nlmsghdr: length, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, sequence, port id.
        sock.send(struct.pack("=IHHII", 16 + len(request), 20, 0x1 | 0x300, 1, 0) + request)
        while True:
            data = sock.recv(1 << 16)
            offset = 0
            while offset + 16 <= len(data):
                length, kind = struct.unpack_from("=IH", data, offset)
                if kind in (2, 3):  # NLMSG_ERROR, NLMSG_DONE
                    return found if kind == 3 else None
                # inet_diag_msg: family, state, timer, retrans, then the socket id (ports big-endian,
                # addresses, interface, cookie: 48 bytes), expires, rqueue, wqueue, uid, inode.
                body = offset + 16
                local_port, remote_port = struct.unpack_from(">HH", data, body + 4)
                unread, = struct.unpack_from("=I", data, body + 56)
                inode, = struct.unpack_from("=I", data, body + 68)
                if local_port == port:
                    found[remote_port] = "backlog" if inode == 0 else ("unread" if unread else "accepted")
                offset += (length + 3) & ~3
                if length < 16:
                    return None
    except OSError:
        return None
    finally:
        sock.close()


def server_log_lines(out: str, rid: str | None) -> list[str]:
    """The server log lines (of every app process of the run) that name this request id."""
    if not rid:
        return []
    lines = []
    for name in sorted(os.listdir(out)):
        if name.startswith("server") and name.endswith(".log"):
            with open(os.path.join(out, name), errors="replace") as f:
                lines += [f"{name}: {line.rstrip()}" for line in f if rid in line]
    return lines


class Server:
    """The app process the faults act on: the one faults.sh started (not the driver's child: its end
    is seen in /proc and its exit status is unknown) or one the driver started (`process`)."""
    def __init__(self, pid: int, process: subprocess.Popen | None = None, log: str = "server.log"):
        self.pid, self.process, self.log = pid, process, log

    def signal(self, sig: int) -> None:
        if self.process is not None:
            self.process.send_signal(sig)
        else:
            os.kill(self.pid, sig)

    def wait(self, timeout: float | None = None) -> int | None:
        """Waits for the process to end; its exit status (negative: killed by that signal), or None
        when unknown. Raises subprocess.TimeoutExpired."""
        if self.process is not None:
            return self.process.wait(timeout=timeout)
        deadline = None if timeout is None else now() + timeout
        while not process_gone(self.pid):
            if deadline is not None and now() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)
        return None


def parse_only(text: str) -> str:
    """The faults to apply, in their order, from "c", "a,c", "a c" or "ac"."""
    letters = set(re.sub(r"[\s,]+", "", text.lower()))
    if not letters or not letters <= set(FAULTS):
        raise argparse.ArgumentTypeError(f"{text!r}: expected some of {', '.join(FAULTS)} (a comma list)")
    return "".join(f for f in FAULTS if f in letters)


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number, 1 or more")
    return int(text)


def start_server(args: argparse.Namespace, log_name: str) -> subprocess.Popen:
    """Starts the app with the command faults.sh started it with; faults.sh's cleanup stops it."""
    with open(os.path.join(args.out, log_name), "ab") as log:
        server = subprocess.Popen([args.bin, "serve", "--hostname", "127.0.0.1", "--port", args.port],
                                  stdout=log, stderr=subprocess.STDOUT)
    with open(args.pid_file, "w") as f:
        f.write(f"{server.pid}\n")
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("base", "bin", "port", "pid-file", "out", "pgdata", "pg-ctl", "psql", "pg-isready",
                 "database-url", "db"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--only", type=parse_only, default=FAULTS,
                        help="the faults to apply, e.g. c or a,c (default: all four, in order)")
    parser.add_argument("--repeat", type=positive, default=1,
                        help=f"how many times to apply each selected fault, with ~{BETWEEN_REPEATS:.0f} s of "
                             f"normal writing between repetitions (default 1)")
    args = parser.parse_args()

    api = Api(args.base)
    pg = Postgres(args)
    state = State()
    failures: list[str] = []
    figures: list[str] = []
    run_id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
    # Anything but all four faults once is a targeted run: its figures are per repetition, with every
    # request that got no answer traced; the default run's output stays as it always was.
    custom = args.only != FAULTS or args.repeat != 1
    # Every fault applied, in order: (instant the fault struck, fault, repetition), to tell which
    # fault a request met (see met_by); and what each repetition of (c) and (d) measured.
    anchors: list[tuple[float, str, int]] = []
    c_reps: list[dict] = []
    d_reps: list[dict] = []

    def tag(fault: str, rep: int) -> str:
        """How a figure names a fault's repetition: "c" in the default run, "c[3/10]" otherwise."""
        return f"{fault}[{rep}/{args.repeat}]" if custom else fault

    def label(phase: str, rep: int) -> str | None:
        return f"{phase} ({rep} of {args.repeat})" if args.repeat > 1 else None

    def pause_after(rep: int, last: float = SETTLE_SECONDS) -> None:
        """Normal writing after a repetition: ~1 s before the next one, `last` after the last."""
        time.sleep(last if rep == args.repeat else BETWEEN_REPEATS)

    # The test means something only on a durable cluster: a run on fsync=off must not pass.
    settings = pg.query("SHOW fsync; SHOW synchronous_commit; SHOW full_page_writes;").split()
    print(f"faults: PostgreSQL fsync={settings[0]} synchronous_commit={settings[1]} full_page_writes={settings[2]}")
    if settings != ["on", "on", "on"]:
        failures.append(f"the cluster is not durable (fsync, synchronous_commit, full_page_writes = {settings})")

    token = get_token(api)
    threads = [threading.Thread(target=writer, args=(api, token, state, f"writer{i + 1}", run_id), daemon=True)
               for i in range(WRITERS)]
    threads.append(threading.Thread(target=reader, args=(api, token, state), daemon=True))
    print(f"faults: run {run_id}: {WRITERS} writers + 1 reader as {DEMO_MEMBER}, client timeout {HTTP_TIMEOUT:.0f} s",
          flush=True)
    if custom:
        print(f"faults: only fault(s) {', '.join(args.only)}, each applied {args.repeat} time(s) "
              f"(FAULTS_ONLY, FAULTS_REPEAT)", flush=True)
    for thread in threads:
        thread.start()
    time.sleep(SETTLE_SECONDS)
    if state.first_201(timeout=10) is None:
        failures.append("no write succeeded before the first fault")

    # The app process the faults act on: the one faults.sh started until (a) or (d) starts another.
    server = Server(args.server_pid)

    # (a) SIGKILL the app, start it again at once with the same command -----------------------------
    def fault_a(rep: int) -> None:
        nonlocal server
        t = tag("a", rep)
        state.set_phase(KILLED, label(KILLED, rep))
        t_kill = now()
        anchors.append((t_kill, "a", rep))
        server.signal(signal.SIGKILL)
        server.wait()
        process = start_server(args, "server-after-kill.log")
        server = Server(process.pid, process, "server-after-kill.log")
        t_ready = wait_ready(api, MAX_RESTART_RECOVERY)
        t_ok = state.first_201(started_after=t_kill, timeout=MAX_RESTART_RECOVERY)
        figures.append(f"{t}: SIGKILL to /ready 200: {t_ready - t_kill:.2f} s" if t_ready else f"{t}: /ready never 200")
        if t_ok is None:
            failures.append(f"({t}) no write succeeded within {MAX_RESTART_RECOVERY:.0f} s of the SIGKILL")
            figures.append(f"{t}: SIGKILL to first 201: never")
        else:
            figures.append(f"{t}: SIGKILL to first 201: {t_ok - t_kill:.2f} s (restarted at once; limit {MAX_RESTART_RECOVERY:.0f} s)")
        pause_after(rep)

    # (b) stop PostgreSQL abruptly, keep it down, start it again ------------------------------------
    def fault_b(rep: int) -> None:
        t = tag("b", rep)
        state.set_phase(DB_DOWN, label(DB_DOWN, rep))
        t_stop = now()
        anchors.append((t_stop, "b", rep))
        pg.stop_immediately()
        t_stopped = now()
        time.sleep(DB_DOWN_SECONDS)
        t_start = now()
        starting = pg.start()
        # The instant PostgreSQL accepts connections again: pg_isready every 50 ms while pg_ctl waits.
        while not pg.accepts_connections():
            if now() - t_start > 120:
                failures.append(f"({t}) PostgreSQL did not come back within 120 s")
                break
            time.sleep(0.05)
        t_pg_up = now()
        if starting.wait(timeout=120) != 0:
            failures.append(f"({t}) pg_ctl start failed (see postgresql.log)")
        state.set_phase(DB_BACK, label(DB_BACK, rep))
        t_ok = state.first_201(ended_after=t_pg_up, timeout=60)
        figures.append(f"{t}: PostgreSQL down {t_pg_up - t_stop:.2f} s (stop -m immediate {t_stopped - t_stop:.2f} s, "
                       f"down {DB_DOWN_SECONDS:.0f} s, start with crash recovery {t_pg_up - t_start:.2f} s)")
        if t_ok is None:
            failures.append(f"({t}) no write succeeded within 60 s of PostgreSQL accepting connections")
            figures.append(f"{t}: PostgreSQL accepting connections to first 201: never")
        else:
            figures.append(f"{t}: PostgreSQL accepting connections to first 201: {t_ok - t_pg_up:.2f} s (limit {MAX_DB_RECOVERY:.0f} s)")
            if t_ok - t_pg_up > MAX_DB_RECOVERY:
                failures.append(f"({t}) the first write after PostgreSQL came back took {t_ok - t_pg_up:.2f} s "
                                f"(limit {MAX_DB_RECOVERY:.0f} s)")
        pause_after(rep)

    # (c) terminate the app's database connections --------------------------------------------------
    def fault_c(rep: int) -> None:
        t = tag("c", rep)
        state.set_phase(TERMINATED, label(TERMINATED, rep))
        t_term = now()
        anchors.append((t_term, "c", rep))
        terminated = pg.query(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              f"WHERE datname = '{pg.db}' AND pid <> pg_backend_pid();").split()
        # psql takes a while to start: the backends are signalled somewhere between t_term and here.
        t_done = now()
        t_ok = state.first_201(started_after=t_term, timeout=60)
        c_reps.append({"rep": rep, "tag": t, "t_term": t_term, "t_done": t_done, "terminated": terminated.count("t"),
                       "first_201": None if t_ok is None else t_ok - t_term})
        # A targeted run reports each repetition in one line at the end (see the repetitions below).
        if not custom:
            figures.append(f"{t}: backends terminated: {terminated.count('t')}")
        if t_ok is None:
            failures.append(f"({t}) no write succeeded within 60 s of terminating the connections")
            if not custom:
                figures.append(f"{t}: terminate to first 201: never")
        else:
            if not custom:
                figures.append(f"{t}: terminate to first 201: {t_ok - t_term:.2f} s (limit {MAX_RECONNECT_RECOVERY:.0f} s)")
            if t_ok - t_term > MAX_RECONNECT_RECOVERY:
                failures.append(f"({t}) the first write after terminating the connections took {t_ok - t_term:.2f} s")
        # After the last repetition, long enough for every request started in (c) to have its answer
        # or give up (client timeout) before (d) begins, so that a request (c) left hanging is counted
        # in (c), not as one that the SIGTERM of (d) found in flight.
        pause_after(rep, last=max(SETTLE_SECONDS, HTTP_TIMEOUT + 0.5))

    # (d) graceful shutdown: SIGTERM with requests in flight, wait for the exit, start again ----------
    def fault_d(rep: int) -> None:
        nonlocal server
        t = tag("d", rep)
        state.set_phase(GRACEFUL, label(GRACEFUL, rep))
        rec: dict = {"rep": rep, "tag": t, "t_start": now()}
        d_reps.append(rec)
        go = threading.Event()
        burst_threads = burst(api, token, state, run_id, go, "burst" if rep == 1 else f"burst{rep}")
        time.sleep(0.2)  # every burst thread waiting on `go`
        go.set()
        t_fire = now()
        time.sleep(SIGTERM_DELAY)
        # Where each connection stands in the app at the signal: in the listen backlog, accepted with the
        # request not read yet, or being handled (read). Says why a request in flight was cut off.
        at_sigterm = app_connections(int(args.port))
        t_sigterm = now()
        anchors.append((t_sigterm, "d", rep))
        server.signal(signal.SIGTERM)
        try:
            exit_status: int | None = server.wait(timeout=MAX_GRACEFUL_EXIT)
            t_exit, timed_out = now(), False
        except subprocess.TimeoutExpired:
            failures.append(f"({t}) the app did not exit within {MAX_GRACEFUL_EXIT:.0f} s of SIGTERM (SIGKILLed)")
            server.signal(signal.SIGKILL)
            server.wait()
            exit_status, t_exit, timed_out = None, now(), True
        for thread in burst_threads:
            thread.join(timeout=HTTP_TIMEOUT + 1)
        stopped_log = server.log
        process = start_server(args, "server-after-term.log")
        server = Server(process.pid, process, "server-after-term.log")
        t_d_ready = wait_ready(api, MAX_RESTART_RECOVERY)
        t_ok = state.first_201(started_after=t_exit, timeout=MAX_RESTART_RECOVERY)
        if timed_out:
            figures.append(f"{t}: SIGTERM to exit: none within {MAX_GRACEFUL_EXIT:.0f} s (SIGKILLed)")
        elif exit_status is None:
            # The process faults.sh started is not the driver's child: its exit status is not ours to see.
            figures.append(f"{t}: SIGTERM to exit: {t_exit - t_sigterm:.2f} s (exit status unknown: not the "
                           f"driver's child; limit {MAX_GRACEFUL_EXIT:.0f} s)")
        else:
            how = f"exit status {exit_status}" if exit_status >= 0 else f"killed by signal {-exit_status}"
            figures.append(f"{t}: SIGTERM to exit: {t_exit - t_sigterm:.2f} s ({how}; limit {MAX_GRACEFUL_EXIT:.0f} s)")
            if exit_status != 0:
                failures.append(f"({t}) the app did not exit cleanly after SIGTERM ({how}; see {stopped_log})")
        figures.append(f"{t}: exit to /ready 200 after restart: {t_d_ready - t_exit:.2f} s" if t_d_ready
                       else f"{t}: /ready never 200 after the restart")
        if t_ok is None:
            failures.append(f"({t}) no write succeeded within {MAX_RESTART_RECOVERY:.0f} s of the restart")
            figures.append(f"{t}: exit to first 201: never")
        else:
            figures.append(f"{t}: exit to first 201: {t_ok - t_exit:.2f} s")
        rec.update(t_fire=t_fire, t_sigterm=t_sigterm, at_sigterm=at_sigterm, t_d_ready=t_d_ready)
        pause_after(rep)

    for fault in args.only:
        for rep in range(1, args.repeat + 1):
            {"a": fault_a, "b": fault_b, "c": fault_c, "d": fault_d}[fault](rep)

    state.set_phase(AFTER)
    time.sleep(SETTLE_SECONDS)
    state.stop.set()
    for thread in threads:
        thread.join(timeout=HTTP_TIMEOUT + 5)

    # --- the answers ----------------------------------------------------------------------------------
    with state.lock:
        events, ledger, attempted = list(state.events), list(state.ledger), set(state.attempted_titles)
    with open(os.path.join(args.out, "events.jsonl"), "w") as f:
        for e in events:
            f.write(json.dumps(e.__dict__, ensure_ascii=False) + "\n")
    with open(os.path.join(args.out, "ledger.jsonl"), "w") as f:
        for r in ledger:
            f.write(json.dumps(r.__dict__, ensure_ascii=False) + "\n")

    writes = [e for e in events if e.who.startswith("writer")]
    print(f"faults: writes acknowledged (201): {len(ledger)} of {len(writes)} attempts; "
          f"reads: {sum(1 for e in events if e.who.startswith('reader'))}")
    # A targeted run shows only the phases it went through.
    phases = [p for p in PHASES if not custom or any(p == q for _, q in state.phase_starts)]
    for phase in phases:
        def failed(who: str, ok: str) -> dict[str, int]:
            counts: dict[str, int] = {}
            for e in events:
                if e.phase == phase and e.who.startswith(who) and e.outcome != ok:
                    counts[e.outcome] = counts.get(e.outcome, 0) + 1
            return counts
        acked = sum(1 for e in writes if e.phase == phase and e.outcome == "201")
        print(f"faults: {phase}: {acked} writes acknowledged; failed writes by outcome "
              f"{failed('writer', '201') or '{}'}; failed reads by outcome {failed('reader', '200') or '{}'}")
    print(f"faults: error bodies checked: {state.error_bodies_checked} "
          f"({sum(1 for e in events if e.outcome == '503')} of them 503)")

    bad = [e for e in events if e.problem and e.outcome not in ("refused", "reset", "timeout", "error")]
    for e in bad[:10]:
        print(f"faults:   wrong answer in {e.phase} ({e.who}): {e.problem}")
    if bad:
        failures.append(f"{len(bad)} answers with a wrong body (above)")
    # Nothing but success and 503 is right during any fault: a 500 means the app did not recognise
    # the database being away, a 4xx that it lost the token or the reference data.
    wrong_status: dict[str, int] = {}
    examples: dict[str, str] = {}
    for e in events:
        draining = e.outcome == "draining" and e.phase == GRACEFUL  # /ready while a stopping server drains
        if not draining and e.outcome not in ("200", "201", "503", "refused", "reset", "timeout", "error"):
            key = f"{e.phase}/{e.outcome}"
            wrong_status[key] = wrong_status.get(key, 0) + 1
            examples.setdefault(f"{key} {e.error}", f"{e.who}, {e.title or ''}")
    for what, who in list(examples.items())[:10]:
        print(f"faults:   wrong status {what} [{who}]")
    if wrong_status:
        failures.append(f"answers other than 2xx or 503: {wrong_status}")
    # A hang is a failure everywhere; a refused or cut connection only while the app is dead (a).
    hangs = [e for e in events if e.outcome == "timeout"]
    if hangs:
        where: dict[str, int] = {}
        for e in hangs:
            where[e.phase] = where.get(e.phase, 0) + 1
        failures.append(f"{len(hangs)} requests got no answer within {HTTP_TIMEOUT:.0f} s {where}")
        for e in hangs[:5]:
            logged = "logged by the app" if server_log_lines(args.out, e.rid) else "not in any server log"
            print(f"faults:   NO ANSWER {e.who} {e.path} started in {state.phase_at(e.start)}, gave up in {e.phase} "
                  f"(X-Request-Id {e.rid}: {logged})")
    # (d) is judged below, on its own terms.
    transport = [e for e in events
                 if e.outcome in ("refused", "reset", "error") and e.phase not in (KILLED, GRACEFUL)]
    if transport:
        failures.append(f"{len(transport)} connection failures while the app was up: "
                        f"{sorted({f'{e.phase}/{e.outcome}' for e in transport})}")
    if "b" in args.only:
        down: dict[str, int] = {}
        for e in events:
            if e.phase == DB_DOWN:
                down[e.outcome] = down.get(e.outcome, 0) + 1
        down_503 = down.get("503", 0)
        # A 2xx here was answered before the stop took effect; "timeout" is no answer within the timeout.
        print(f"faults: answers while PostgreSQL was down, by outcome: {down}")
        if down_503 == 0:
            failures.append("(b) not one 503 while PostgreSQL was down")

    # When each terminate of (c) was done (psql returned): the backends went somewhere in between.
    returned = {("c", c["rep"]): c["t_done"] for c in c_reps}

    def met_by(e: Event) -> tuple[float, str, int] | None:
        """The fault (instant, fault, repetition) a request met: the first one applied while it was
        on its way (for (c): from the terminate's call to its return), else the last one applied
        before it started; None before the first fault."""
        for anchor in anchors:
            if anchor[0] < e.end and e.start < returned.get(anchor[1:], anchor[0]):
                return anchor
        before = [anchor for anchor in anchors if anchor[0] <= e.start]
        return before[-1] if before else None

    met = {id(e): met_by(e) for e in events} if custom else {}
    if "c" in args.only and not custom:
        c_failed = [e for e in writes if e.phase == TERMINATED and e.outcome != "201"]
        if len(c_failed) > MAX_TERMINATE_FAILURES:
            failures.append(f"(c) {len(c_failed)} failed writes after terminating the connections "
                            f"(at most {MAX_TERMINATE_FAILURES} tolerated)")
    # A targeted run judges each repetition of (c) on its own: "a failure or two" each time.
    for c in c_reps if custom else []:
        c_failed = [e for e in writes if e.outcome != "201" and (met[id(e)] or (0, ""))[1:] == ("c", c["rep"])]
        c["failed"] = c_failed
        if len(c_failed) > MAX_TERMINATE_FAILURES:
            failures.append(f"({c['tag']}) {len(c_failed)} failed writes after terminating the connections "
                            f"(at most {MAX_TERMINATE_FAILURES} tolerated)")

    # (d): a request sent whole before the SIGTERM and not yet answered was in flight; it must get a
    # complete 2xx. After the SIGTERM a request may be refused or cut off until the restarted app
    # answers /ready; a 5xx is wrong anywhere in (d). Each repetition is judged on its own, on the
    # requests of its own window (from its start to the next repetition's).
    for i, rec in enumerate(d_reps):
        t, t_sigterm, t_fire, at_sigterm, t_d_ready = (rec["tag"], rec["t_sigterm"], rec["t_fire"], rec["at_sigterm"],
                                                       rec["t_d_ready"])
        w_start, w_end = rec["t_start"], d_reps[i + 1]["t_start"] if i + 1 < len(d_reps) else float("inf")

        def in_window(instant: float) -> bool:
            return len(d_reps) == 1 or w_start <= instant < w_end
        in_flight = [e for e in events if e.sent is not None and e.sent < t_sigterm <= e.end]
        flying = {id(e) for e in in_flight}
        # /ready answering 503 "shutting_down" during the drain is the right answer (see classify).
        flight_failed = [e for e in in_flight if e.outcome not in ("200", "201", "draining") or e.problem]
        by_outcome: dict[str, int] = {}
        for e in flight_failed:
            by_outcome[e.outcome] = by_outcome.get(e.outcome, 0) + 1
        kinds: dict[str, int] = {}
        for e in in_flight:
            kind = "burst" if "burst" in e.who else e.who.rstrip("0123456789")
            kinds[kind] = kinds.get(kind, 0) + 1
        burst_events = [e for e in events if "burst" in e.who and in_window(e.start)]
        answered_before = sum(1 for e in burst_events if e.end < t_sigterm)
        print(f"faults: {t}: burst of {len(burst_events)} requests ({sum(1 for e in burst_events if e.who.startswith('writer'))} "
              f"writes, the rest GET {' and '.join(BURST_READS)}), SIGTERM {(t_sigterm - t_fire) * 1000:.0f} ms after it "
              f"started; {answered_before} of them answered before the SIGTERM")
        answered = (f" (answered {min(e.end for e in in_flight) - t_sigterm:+.2f} to "
                    f"{max(e.end for e in in_flight) - t_sigterm:+.2f} s from SIGTERM)" if in_flight else "")
        stands: dict[str, int] = {}
        for where in (at_sigterm or {}).values():
            stands[where] = stands.get(where, 0) + 1
        print(f"faults: {t}: the app's connections just before SIGTERM (kernel socket table): "
              f"{stands if at_sigterm is not None else 'unknown (sock_diag unavailable)'} "
              f"(backlog: not yet accepted; unread: accepted, request not read yet)")
        print(f"faults: {t}: in flight at SIGTERM: {len(in_flight)} {kinds or '{}'}; completed OK: "
              f"{len(in_flight) - len(flight_failed)}{answered}; failed by outcome: {by_outcome or '{}'}")
        for e in flight_failed[:10]:
            if at_sigterm is None or not e.port:
                where = "unknown"
            else:
                where = at_sigterm.get(e.port, "not in the table (connected after it was read)")
            print(f"faults:   IN-FLIGHT FAILED {e.who} {e.path} -> {e.outcome}: started in {state.phase_at(e.start)}, "
                  f"sent {(e.sent - t_sigterm) * 1000:+.0f} ms, ended {(e.end - t_sigterm) * 1000:+.0f} ms from SIGTERM; "
                  f"its connection at SIGTERM: {where}; {e.error or e.problem or ''}")
            for line in server_log_lines(args.out, e.rid)[:3] or [f"(X-Request-Id {e.rid} not in any server log)"]:
                print(f"faults:     {line}")
        if flight_failed:
            failures.append(f"({t}) {len(flight_failed)} of {len(in_flight)} requests in flight at SIGTERM failed {by_outcome}")
        if not in_flight:
            failures.append(f"({t}) no request was in flight at SIGTERM, so the test proved nothing "
                            "(raise FAULTS_BURST or lower FAULTS_SIGTERM_DELAY_MS)")
        later: dict[str, int] = {}
        restarted: dict[str, int] = {}
        for e in events:
            if e.phase == GRACEFUL and in_window(e.end) and id(e) not in flying and (e.sent is None or e.sent >= t_sigterm):
                counts = restarted if t_d_ready is not None and e.start >= t_d_ready else later
                counts[e.outcome] = counts.get(e.outcome, 0) + 1
        print(f"faults: {t}: requests not sent before SIGTERM, by outcome: until the restarted app was ready "
              f"{later or '{}'}, after: {restarted or '{}'}")
        if i == len(d_reps) - 1:
            d_5xx = [e for e in events if e.phase == GRACEFUL and e.outcome.startswith("5")]
            if d_5xx:
                failures.append(f"(d) {len(d_5xx)} 5xx answers during the graceful shutdown "
                                f"{sorted({f'{e.who}/{e.outcome}' for e in d_5xx})}")
        d_transport = [e for e in events if e.phase == GRACEFUL and in_window(e.end) and id(e) not in flying
                       and e.outcome in ("refused", "reset", "error")
                       and (e.end < t_sigterm or (e.sent is not None and e.sent < t_sigterm)
                            or (t_d_ready is not None and e.start > t_d_ready))]
        if d_transport:
            failures.append(f"({t}) {len(d_transport)} connection failures before the SIGTERM "
                            f"or after the restarted app was ready: {sorted({f'{e.who}/{e.outcome}' for e in d_transport})}")

    # --- the database, directly -------------------------------------------------------------------------
    found = judge(stored_state(pg, run_id, ledger), ledger, attempted)
    print(f"faults: in the database: {found['rows']} proposals of this run; acknowledged writes missing: "
          f"{len(found['missing'])}; altered: {len(found['altered'])}; half-written (audit record, history row, "
          f"ward not exactly 1 each): {len(found['half'])}; audit records of a missing proposal: {found['orphans']}")
    # Allowed: the commit happened but its answer was lost to the fault. What the client saw says how.
    last_seen = {e.title: e for e in writes}
    seen: dict[str, int] = {}
    for row in found["unacknowledged"]:
        e = last_seen.get(row["title"])
        outcome = e.outcome if e else "no answer yet"
        seen[outcome] = seen.get(outcome, 0) + 1
    print(f"faults: committed without an acknowledgement (allowed): {len(found['unacknowledged'])}, "
          f"the client having seen {seen or '{}'}; stored twice: {found['duplicates']}")
    for row in found["unacknowledged"][:10]:
        e = last_seen.get(row["title"])
        print(f"faults:   committed, not acknowledged: {row['title']} "
              f"({f'{e.outcome} in {e.phase} after {e.end - e.start:.2f} s' if e else 'no answer yet'})")
    for r in found["missing"][:5]:
        print(f"faults:   MISSING {r.id} {r.title}")
    for r in found["altered"][:5]:
        print(f"faults:   ALTERED {r.id} {r.title}")
    for row in found["half"][:5]:
        print(f"faults:   HALF-WRITTEN {row['id']} audit={row['audit']} history={row['history']} wards={row['wards']}")
    for what, key in (("acknowledged writes missing", "missing"), ("acknowledged writes altered", "altered"),
                      ("half-written proposals", "half"), ("proposals of this run that no writer sent", "never_sent")):
        if found[key]:
            failures.append(f"{len(found[key])} {what}")
    if found["orphans"]:
        failures.append(f"{found['orphans']} audit records point to a missing proposal")
    if found["duplicates"]:
        failures.append(f"{found['duplicates']} titles stored more than once")
    if not ledger:
        failures.append("no write was acknowledged at all")
    blind = check_the_check(pg, run_id, ledger, attempted, found)
    print(f"faults: the database check sees planted damage: {'no: ' + blind if blind else 'yes'}")
    if blind:
        failures.append(blind)

    for line in figures:
        print(f"faults: {line}")
    if custom:
        # Per repetition: what each terminate did, and every request that got no answer within the
        # client timeout (a hang), with the X-Request-Id it carried and what the app logged of it.
        hung_by: dict[tuple[str, int], list[Event]] = {}
        for e in events:
            if e.outcome == "timeout" and met[id(e)] is not None:
                hung_by.setdefault(met[id(e)][1:], []).append(e)

        what_of = {"a": "SIGKILL", "b": "PostgreSQL stop", "c": "terminate", "d": "SIGTERM"}
        slow_by: dict[tuple[str, int], list[Event]] = {}
        for e in events:
            if e.outcome != "timeout" and e.end - e.start > SLOW_ANSWER and met[id(e)] is not None:
                slow_by.setdefault(met[id(e)][1:], []).append(e)

        def numbered_log_lines(rid: str | None) -> list[str]:
            """Like server_log_lines, with each line's number, to look around it in the log."""
            lines = []
            for name in sorted(os.listdir(args.out)):
                if rid and name.startswith("server") and name.endswith(".log"):
                    with open(os.path.join(args.out, name), errors="replace") as f:
                        lines += [f"{name}:{n}: {line.rstrip()}" for n, line in enumerate(f, 1) if rid in line]
            return lines or [f"(X-Request-Id {rid} not in any server log)"]

        def relative(e: Event, anchor: tuple[float, str, int]) -> str:
            """When a request was sent (or started, if never sent whole), from a fault."""
            instant, fault, rep = anchor
            text = (f"{'sent' if e.sent is not None else 'started (never sent whole)'} "
                    f"{((e.sent if e.sent is not None else e.start) - instant) * 1000:+.0f} ms from "
                    f"{tag(fault, rep)}'s {what_of[fault]}")
            if (fault, rep) in returned:
                text += f" (pg_terminate_backend returned {(returned[(fault, rep)] - instant) * 1000:+.0f} ms)"
            return text

        def print_requests(fault: str, rep: int) -> None:
            """The repetition's hung requests, then (for c) its slow answers: each with its timing against the
            fault it met, the last one before it was sent and any that came while it waited."""
            for e in hung_by.get((fault, rep), []) + (slow_by.get((fault, rep), []) if fault == "c" else []):
                method = "POST" if e.who.startswith("writer") else "GET"
                how = (f"NO ANSWER (gave up after {e.end - e.start:.2f} s)" if e.outcome == "timeout"
                       else f"SLOW {e.outcome} after {e.end - e.start:.2f} s")
                # The fault it met, the last one before it was sent, and any that came while it waited.
                sent = e.sent if e.sent is not None else e.start
                shown = {met[id(e)]} | set([a for a in anchors if a[0] <= sent][-1:]) \
                    | {a for a in anchors if sent < a[0] < e.end}
                when = [relative(e, a) for a in sorted(shown)]
                print(f"faults:   {tag(fault, rep)}: {how} {method} {e.path} ({e.who}) X-Request-Id {e.rid}")
                print(f"faults:     {'; '.join(when)}")
                for line in numbered_log_lines(e.rid):
                    print(f"faults:     {line}")
        for c in c_reps:
            failed: dict[str, int] = {}
            for e in c["failed"]:
                failed[e.outcome] = failed.get(e.outcome, 0) + 1
            first = "never" if c["first_201"] is None else f"{c['first_201']:.2f} s"
            print(f"faults: {c['tag']}: backends terminated: {c['terminated']} (pg_terminate_backend returned "
                  f"{(c['t_done'] - c['t_term']) * 1000:.0f} ms after the call); terminate to first 201: {first} "
                  f"(limit {MAX_RECONNECT_RECOVERY:.0f} s); failed writes: {failed or '{}'}; "
                  f"no answer within {HTTP_TIMEOUT:.0f} s: {len(hung_by.get(('c', c['rep']), []))}; "
                  f"slower than {SLOW_ANSWER:.0f} s: {len(slow_by.get(('c', c['rep']), []))}")
            print_requests("c", c["rep"])
        for _, fault, rep in anchors:
            if fault != "c":
                print_requests(fault, rep)
        for fault in args.only:
            reps = {rep for f, rep in hung_by if f == fault}
            total = sum(len(v) for (f, _), v in hung_by.items() if f == fault)
            print(f"faults: {fault}: hung requests: {len(reps)} of {args.repeat} repetitions ({total} requests)")
    if failures:
        print(f"faults: FAIL ({'; '.join(failures)})")
        return 1
    print("faults: PASS (no acknowledged write lost or altered; no in-flight request failed at SIGTERM)" if "d" in args.only
          else "faults: PASS (no acknowledged write lost or altered)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
