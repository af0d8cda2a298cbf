#!/usr/bin/env python3
"""Browser journeys for Tsunagu (issue 6, item 7) in a real headless Chromium.

    python3 tests/browser/journeys.py --base-url http://127.0.0.1:8080 --out test-output/browser [--only abf]

Expects a server with the demo data (`tsunagu seed --demo`); scripts/browser-test.sh sets one up.
Each journey runs in its own browser (own cookies), saves screenshots under --out, runs axe-core
(4.x, WCAG 2.0/2.1 A and AA rules plus best practices) on every main page it visits and fails on
any WCAG violation, and on best-practice findings of impact "critical" or "serious"; journey g
sweeps every page no other journey visits, as each role.
Expected texts come from Resources/Localization/{ja,en}.json, so the tests follow the wording.
Exit status: 0 when every journey passed, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
import traceback
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


def axe_source() -> str | None:
    """axe-core's script as shipped inside the PyPI package axe-playwright-python (installed with
    --no-deps: only its axe.min.js is used, injected through Selenium; Playwright is never imported)."""
    import importlib.util
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        return None
    script = Path(list(spec.submodule_search_locations)[0]) / "axe.min.js"
    return script.read_text(encoding="utf-8") if script.exists() else None


AXE = axe_source()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "tsunagu-demo-2026"
MEMBER = "member@demo.tsunagu.example"    # a demo company (sports club)
MEMBER2 = "member2@demo.tsunagu.example"  # another council member (supermarket)
STAFF = "staff@demo.tsunagu.example"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Not in the localisation files: ProposalInput.problems() writes it (Sources/App/Features/Proposals).
DOMAIN_REQUIRED_JA = "重点連携領域を1つ以上選んでください。"

JA = json.loads((REPO / "Resources/Localization/ja.json").read_text(encoding="utf-8"))
EN = json.loads((REPO / "Resources/Localization/en.json").read_text(encoding="utf-8"))


class StepFailed(Exception):
    pass


class Run:
    """Options and results shared by every journey."""

    def __init__(self, base_url: str, out: Path, wait: float, axe_fail: bool):
        self.base = base_url.rstrip("/")
        self.out = out
        self.wait = wait
        self.axe_fail = axe_fail
        self.axe_checked: set[str] = set()     # page keys already checked (each main page once)
        self.axe_summary: list[str] = []       # one line per finding, for the end
        self.axe_rules_passed = 0              # rule × page checks that passed, for the summary
        self.shared: dict[str, str] = {}       # what a later journey may reuse (it copes without)
        self.stamp = time.strftime("%m%d-%H%M%S")


class Journey:
    """One journey: its browser, its numbered steps and screenshots."""

    def __init__(self, run: Run, letter: str, title: str):
        self.run, self.letter, self.title = run, letter, title
        self.steps = 0
        self.shots = 0
        self.current = "start"
        self.a11y_failures: list[str] = []
        self.driver = new_driver()
        self.waiter = WebDriverWait(self.driver, run.wait)

    # --- structure -------------------------------------------------------------------------
    def step(self, name: str):
        self.steps += 1
        self.current = name
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def fail(self, message: str):
        raise StepFailed(message)

    def check(self, condition, message: str):
        if not condition:
            self.fail(message)

    # --- browser helpers --------------------------------------------------------------------
    @property
    def d(self):
        return self.driver

    def get(self, path: str):
        self.d.get(self.run.base + path)
        self.wait_ready()

    def wait_ready(self):
        self.waiter.until(lambda d: d.execute_script("return document.readyState") == "complete")

    def until(self, condition, message: str, timeout: float | None = None):
        try:
            return WebDriverWait(self.d, timeout or self.run.wait).until(condition)
        except TimeoutException:
            self.fail(f"timed out waiting for {message} (at {self.d.current_url})")

    def find(self, css: str, within=None):
        return (within or self.d).find_element(By.CSS_SELECTOR, css)

    def finds(self, css: str, within=None):
        return (within or self.d).find_elements(By.CSS_SELECTOR, css)

    def visible(self, css: str, what: str | None = None):
        return self.until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)), what or css)

    def click_and_load(self, element, what: str):
        """Click something that submits or navigates and wait for the new document to be complete.
        A marker on the old window object tells the documents apart (an element's staleness can
        raise odd inspector errors while Chromium swaps documents)."""
        self.d.execute_script("window.__journeyMarker = 1")
        element.click()

        def loaded(d):
            try:
                return d.execute_script(
                    "return window.__journeyMarker === undefined && document.readyState === 'complete'")
            except WebDriverException:
                return False  # mid-navigation
        self.until(loaded, f"the page after {what}")

    def h1(self) -> str:
        return self.visible("main h1", "the page heading").text.strip()

    def expect_h1(self, expected: str):
        got = self.h1()
        self.check(got == expected, f"the page heading is {got!r}, expected {expected!r}")

    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.d.current_url)

    def lang(self) -> str:
        return self.find("html").get_attribute("lang") or ""

    def shot(self, name: str):
        self.shots += 1
        file = self.run.out / f"{self.letter}{self.shots}-{name}.png"
        self.d.save_screenshot(str(file))

    def sign_in(self, email: str):
        self.get("/login")
        self.check(self.lang() == "ja", f"the login page is not in Japanese (html lang={self.lang()!r})")
        self.expect_h1(JA["auth_login_title"])
        self.find("#email").send_keys(email)
        self.find("#password").send_keys(PASSWORD)
        self.click_and_load(self.find("main form[action='/login'] button[type=submit]"), "signing in")
        if self.finds("#login-error"):
            self.fail(f"sign-in as {email} refused: {self.find('#login-error').text}")
        self.check(self.path().split("?")[0] != "/login", f"still on the login page after signing in as {email}")
        name = self.finds("header .user-name")
        self.check(name and name[0].text.strip(), "no signed-in user name in the header")

    def nav(self, href: str):
        """Follow a link of the header's navigation, as a person would."""
        link = self.find(f"header nav a[href='{href}']")
        self.click_and_load(link, f"the header link {href}")

    # --- accessibility ----------------------------------------------------------------------
    def axe(self, key: str):
        """axe-core on the current page, once per page key across the whole run."""
        if key in self.run.axe_checked or AXE is None:
            return
        self.run.axe_checked.add(key)
        self.d.execute_script(AXE)
        result = self.d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
            "  .then(r => done({violations: r.violations, passes: r.passes.length}))"
            "  .catch(e => done({error: String(e)}));", AXE_TAGS)
        if "error" in result:
            self.fail(f"axe-core could not run on {key}: {result['error']}")
        self.run.axe_rules_passed += result["passes"]
        for v in result.get("violations", []):
            impact = v.get("impact") or "unknown"
            nodes = v.get("nodes", [])
            wcag = [t for t in v.get("tags", []) if t.startswith("wcag")]
            targets = "; ".join(", ".join(map(str, n.get("target", []))) for n in nodes[:5])
            line = (f"[{impact}{' ' + ','.join(wcag) if wcag else ''}] {v['id']} on {key} ({self.path()}): "
                    f"{v.get('help', '')} — {len(nodes)} element(s): {targets}")
            failing = bool(wcag) or impact in ("critical", "serious")
            self.run.axe_summary.append(("FAIL " if failing else "warn ") + line)
            print(f"    axe {'VIOLATION' if failing else 'warning'}: {line}")
            if failing:
                self.a11y_failures.append(f"{v['id']} ({impact}) on {key} at step {self.steps} '{self.current}'")

    def close(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass


def new_driver():
    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=ja"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"intl.accept_languages": "ja,ja-JP"})
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        raise SystemExit("chromium and chromedriver must be on PATH (apt-get install -y chromium chromium-driver)")
    opts.binary_location = chromium
    # A driver from the system, never one Selenium downloads.
    return webdriver.Chrome(service=Service(chromedriver), options=opts)


# ============================================================================================
# (a) a company signs in, writes a proposal, meets a validation error, fixes it and submits
# ============================================================================================
def journey_a(j: Journey):
    run = j.run
    title = f"ブラウザ試験の提案 {run.stamp}"
    summary = "商店街の空き店舗で、高齢者が立ち寄れる健康相談の場を週1回開きます。"
    body = "地域の薬局・スポーツクラブと協力し、血圧測定と軽い体操、お茶会を組み合わせます。\n第2段落: 参加者の声を集めます。"
    tags = "健康相談、居場所"

    with j.step("open the login page"):
        j.get("/login")
        j.check(j.lang() == "ja", f"html lang is {j.lang()!r}, expected ja")
        j.expect_h1(JA["auth_login_title"])
        j.shot("login")
        j.axe("login")
    with j.step("sign in as the company user"):
        j.find("#email").send_keys(MEMBER)
        j.find("#password").send_keys(PASSWORD)
        j.click_and_load(j.find("main form[action='/login'] button[type=submit]"), "signing in")
        j.check(j.path().startswith("/portal"), f"landed on {j.path()}, expected the portal")
        j.expect_h1(JA["proposal_portal_title"])
        j.shot("portal")
        j.axe("portal")
    with j.step("open the new-proposal form from the portal"):
        link = j.find("main a[href='/portal/proposals/new']")
        j.check(link.text.strip() == JA["proposal_new_title"], f"link text {link.text!r}")
        j.click_and_load(link, "the new-proposal link")
        j.expect_h1(JA["proposal_new_title"])
        j.axe("proposal form")
    with j.step("the browser itself stops an empty title"):
        j.find("#summary").send_keys(summary)
        j.find("main form.stacked button[type=submit]").click()
        missing = j.d.execute_script("return document.getElementById('title').validity.valueMissing")
        j.check(missing, "an empty title was not flagged by the browser")
        j.check(j.path() == "/portal/proposals/new", f"the form was sent with an empty title ({j.path()})")
    with j.step("send the form without a domain (a required choice)"):
        j.find("#title").send_keys(title)
        j.find("#body").send_keys(body)
        j.find("#tags").send_keys(tags)
        ward = j.find("main input[name='wards[]'][value='中原区']")
        ward.click()
        j.find("#resources_offered-space").click()
        j.click_and_load(j.find("main form.stacked button[type=submit]"), "saving without a domain")
    with j.step("see the Japanese field error with what was typed kept"):
        alert = j.visible("main .error-message[role=alert]", "the form's error summary")
        j.check(alert.text.strip() == JA["proposal_form_has_errors"], f"error summary {alert.text!r}")
        err = j.visible("#domains-error", "the error under the domain choices")
        j.check(err.text.strip() == DOMAIN_REQUIRED_JA, f"domain error {err.text!r}, expected {DOMAIN_REQUIRED_JA!r}")
        j.check(j.find("#title").get_attribute("value") == title, f"title not kept: {j.find('#title').get_attribute('value')!r}")
        j.check(j.find("#summary").get_attribute("value") == summary, "summary not kept")
        j.check(j.find("#body").get_attribute("value").replace("\r\n", "\n") == body, "body not kept")
        j.check(j.find("#tags").get_attribute("value") == tags, f"tags not kept: {j.find('#tags').get_attribute('value')!r}")
        j.check(j.find("main input[name='wards[]'][value='中原区']").is_selected(), "the chosen ward was not kept")
        j.check(j.find("#resources_offered-space").is_selected(), "the chosen resource was not kept")
        others = [e.get_attribute("id") for e in j.finds("main .field-error") if e.get_attribute("id") != "domains-error"]
        j.check(not others, f"unexpected errors on other fields: {others}")
        j.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", err)
        j.shot("validation-error")
        j.axe("proposal form with errors")
    with j.step("fix the error and save the draft"):
        j.find("#domains-prevention").click()
        j.click_and_load(j.find("main form.stacked button[type=submit]"), "saving the fixed form")
        j.check(re.fullmatch(rf"/portal/proposals/{UUID}", j.path()), f"after saving: {j.path()}")
        j.expect_h1(title)
        status = j.find("main dl.facts .badge").text.strip()
        j.check(status == JA["proposal_status_draft"], f"status {status!r}, expected {JA['proposal_status_draft']}")
        j.check(JA["domain_prevention"] in j.find("main dl.facts").text, "the chosen domain is not shown")
        j.shot("draft-saved")
        j.axe("proposal detail")
    with j.step("submit the proposal"):
        button = j.find("main form input[name=to][value=submitted]").find_element(By.XPATH, "..//button")
        j.check(button.text.strip() == JA["proposal_submit"], f"submit button {button.text!r}")
        j.click_and_load(button, "submitting")
        status = j.find("main dl.facts .badge").text.strip()
        j.check(status == JA["proposal_status_submitted"], f"status {status!r}, expected {JA['proposal_status_submitted']}")
        j.check(not j.finds("main form input[name=to][value=submitted]"), "the submit button is still offered")
        j.check(not j.finds(f"main a[href$='/edit']"), "a submitted proposal still offers editing")
        history = [b.text.strip() for b in j.finds("main ol.timeline .badge")]
        j.check(JA["proposal_status_submitted"] in history, f"history {history} lacks the submission")
        j.shot("submitted")
    run.shared["proposal_title"] = title
    run.shared["proposal_path"] = j.path()


def make_submitted_proposal(run: Run) -> str:
    """For journey (b) when (a) did not leave one: the shortest member flow to a submitted proposal."""
    j = Journey(run, "b0-", "setup")
    try:
        title = f"審査用の提案 {run.stamp}"
        j.sign_in(MEMBER)
        j.get("/portal/proposals/new")
        j.find("#title").send_keys(title)
        j.find("#domains-daily_life").click()
        j.click_and_load(j.find("main form.stacked button[type=submit]"), "saving")
        button = j.find("main form input[name=to][value=submitted]").find_element(By.XPATH, "..//button")
        j.click_and_load(button, "submitting")
        return title
    finally:
        j.close()


# ============================================================================================
# (b) staff find the proposal in the review queue, start review and accept it
# ============================================================================================
def journey_b(j: Journey):
    run = j.run
    title = run.shared.get("proposal_title")
    if not title:
        with j.step("prepare a submitted proposal (journey a did not leave one)"):
            title = make_submitted_proposal(run)

    with j.step("sign in as staff"):
        j.sign_in(STAFF)
        if not j.path().startswith("/review"):
            j.nav("/review")
        j.expect_h1(JA["review_title"])
        j.shot("review-queue")
        j.axe("review queue")
    with j.step("filter the queue to submitted proposals and find it"):
        Select(j.find("#status")).select_by_value("submitted")
        j.click_and_load(j.find("main form.filters button[type=submit]"), "filtering")
        j.check("status=submitted" in j.path(), f"filter not applied: {j.path()}")
        link = None
        for _ in range(50):  # follow the pager until the title shows up
            hits = [a for a in j.finds("main table.list tbody a") if a.text.strip() == title]
            if hits:
                link = hits[0]
                break
            nxt = j.finds("main nav.pager a[rel=next]")
            if not nxt:
                break
            j.click_and_load(nxt[0], "the next page of the queue")
        j.check(link is not None, f"proposal {title!r} is not in the review queue (filtered to submitted)")
        row = link.find_element(By.XPATH, "./ancestor::tr")
        j.check(JA["proposal_status_submitted"] in row.text, f"queue row {row.text!r} does not say submitted")
        j.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
        j.shot("found-in-queue")
        j.click_and_load(link, "opening the proposal")
        j.check(re.fullmatch(rf"/review/{UUID}", j.path()), f"opened {j.path()}")
        j.expect_h1(title)
        j.axe("review detail")
    with j.step("start the review"):
        Select(j.find("#to")).select_by_value("in_review")
        j.find("#comment").send_keys("内容を確認します。")
        j.click_and_load(j.find("main form.stacked button[type=submit]"), "starting the review")
        status = j.find("main dl.facts .badge").text.strip()
        j.check(status == JA["proposal_status_in_review"], f"status {status!r}, expected {JA['proposal_status_in_review']}")
        j.shot("in-review")
    with j.step("accept the proposal"):
        options = [o.get_attribute("value") for o in Select(j.find("#to")).options]
        j.check("accepted" in options, f"accept is not offered (options {options})")
        Select(j.find("#to")).select_by_value("accepted")
        j.find("#comment").send_keys("採択します。地域連携として進めてください。")
        j.click_and_load(j.find("main form.stacked button[type=submit]"), "accepting")
        status = j.find("main dl.facts .badge").text.strip()
        j.check(status == JA["proposal_status_accepted"], f"status {status!r}, expected {JA['proposal_status_accepted']}")
        comments = " ".join(c.text for c in j.finds("main ol.timeline .comment"))
        j.check("採択します" in comments, f"the decision's comment is not in the history: {comments!r}")
        j.check(not j.finds("#to"), "a decided proposal still offers actions")
        j.shot("accepted")


# ============================================================================================
# (c) staff run a matching round (members as candidates) and accept a proposed pair
# ============================================================================================
def journey_c(j: Journey):
    with j.step("sign in as staff and open matching"):
        j.sign_in(STAFF)
        j.nav("/staff/matching")
        j.expect_h1(JA["round_title"])
        j.shot("matching")
        j.axe("matching rounds")
    with j.step("run a round with members as candidates"):
        radio = j.find("main input[name=candidates][value=members]")
        if not radio.is_selected():
            radio.click()
        j.click_and_load(j.find("main form.round-form button[type=submit]"), "running the round")
        j.check(re.match(rf"/staff/matching/{UUID}", j.path()), f"after running: {j.path()}")
    with j.step("wait for the result page"):
        def done(d):
            try:
                if d.find_elements(By.CSS_SELECTOR, "main section.need-block"):
                    return True
                alerts = [a.text for a in d.find_elements(By.CSS_SELECTOR, "main .error-message[role=alert]")]
            except WebDriverException:
                return False  # the progress page is reloading itself
            if alerts:
                raise StepFailed(f"the round failed: {alerts[0]}")
            return False  # the progress page reloads itself every 2 s
        j.until(done, "the round's result (need blocks)", timeout=max(j.run.wait, 180))
        j.wait_ready()
        j.expect_h1(JA["round_result_title"])
        facts = j.find("main dl.facts").text
        j.check(JA["round_candidates_members"] in facts, f"the round's facts do not say members: {facts!r}")
        j.shot("round-result")
        j.axe("round result")
    with j.step("accept a proposed pair"):
        proposed_text = JA["round_proposed"]
        target = None
        for row in j.finds("main section.need-block table.ranked tbody tr"):
            badges = [b.text.strip() for b in j.finds("span.badge", row)]
            if proposed_text in badges and len(badges) == 1:  # proposed, not fixed, no decision yet
                target = row
                break
        j.check(target is not None, "no proposed pair without a decision on the first result page")
        need_id = j.find("input[name=need_id]", target).get_attribute("value")
        candidate_id = j.find("input[name=candidate_id]", target).get_attribute("value")
        accept = j.find("button[name=decision][value=accepted]", target)
        j.check(accept.text.strip() == JA["decision_accept"], f"accept button says {accept.text!r}")
        j.click_and_load(accept, "accepting the pair")
        j.check(j.path().startswith("/staff/matching/"), f"after accepting: {j.path()}")
    with j.step("the pair's row shows the accepted badge"):
        xpath = (f"//form[input[@name='need_id' and @value='{need_id}'] and "
                 f"input[@name='candidate_id' and @value='{candidate_id}']]/ancestor::tr[1]")
        rows = j.d.find_elements(By.XPATH, xpath)
        j.check(rows, "the accepted pair's row is gone from the result page")
        badges = [b.text.strip() for b in j.finds("span.badge", rows[0])]
        j.check(JA["decision_accepted"] in badges,
                f"the row's badges are {badges}, expected a {JA['decision_accepted']!r} decision badge")
        j.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", rows[0])
        j.shot("pair-accepted")


# ============================================================================================
# (d) staff form a working group (from a closed theme call) and move its stage
# ============================================================================================
def journey_d(j: Journey):
    run = j.run
    wg_title = f"ブラウザ試験WG {run.stamp}"
    with j.step("sign in as staff and open the theme calls"):
        j.sign_in(STAFF)
        j.nav("/theme-calls")
        j.expect_h1(JA["theme_title"])
        j.axe("theme calls")
    with j.step("open a closed call that can form a group"):
        rows = j.finds("main table.list tbody tr")
        closed = [r for r in rows if j.finds(".status-closed, .status-formed", r)]
        j.check(closed, "no closed theme call in the demo data")
        j.click_and_load(j.find("a", closed[0]), "opening the closed call")
        j.check(re.fullmatch(rf"/theme-calls/{UUID}", j.path()), f"opened {j.path()}")
        j.check(j.finds("main form[action$='/working-group']"), "the staff form to form a group is missing")
        j.axe("theme call")
    with j.step("select applicants, a lead and a name, and form the group"):
        boxes = j.finds("main input[name='member_ids[]']")
        j.check(len(boxes) >= 2, f"only {len(boxes)} selectable applicants")
        for box in boxes[:2]:
            box.click()
        lead_id = boxes[0].get_attribute("value")
        j.find(f"main input[name=lead_member_id][value='{lead_id}']").click()
        j.find("#wg-title").send_keys(wg_title)
        button = j.find("main form[action$='/working-group'] button[type=submit]")
        j.check(button.text.strip() == JA["theme_form_group"], f"button says {button.text!r}")
        j.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        j.shot("form-group")
        j.click_and_load(button, "forming the group")
        j.check(re.fullmatch(rf"/working-groups/{UUID}", j.path()), f"after forming: {j.path()}")
        j.expect_h1(wg_title)
        stage = j.find("main .wg-stage").text.strip()
        j.check(stage == JA["stage_forming"], f"a new group's stage is {stage!r}")
        j.check(len(j.finds("main table.list tbody th[scope=row]")) >= 2, "the participants are not listed")
        j.shot("group-formed")
        j.axe("working group")
    with j.step("move the group's stage"):
        select = Select(j.find("#stage-to"))
        choice = next((o for o in select.options if o.get_attribute("value") == "active"), select.options[0])
        to_label, to_value = choice.text.strip(), choice.get_attribute("value")
        j.check(to_label == JA["stage_" + to_value], f"the stage option says {to_label!r}")
        select.select_by_value(to_value)
        j.find("#stage-note").send_keys("キックオフ会議を開催")
        j.click_and_load(j.find("main form[action$='/stage'] button[type=submit]"), "changing the stage")
        stage = j.find("main .wg-stage").text.strip()
        j.check(stage == to_label, f"stage is {stage!r} after moving it to {to_label!r}")
        history = j.d.find_elements(By.XPATH, f"//h2[normalize-space()='{JA['wg_stage_history']}']/following-sibling::table[1]//tbody/tr")
        j.check(any(to_label in r.text and "キックオフ会議を開催" in r.text for r in history),
                f"no stage-history row for {to_label!r} with the note")
        j.shot("stage-moved")
    run.shared["wg_title"] = wg_title
    run.shared["wg_path"] = j.path()
    run.shared["wg_stage"] = to_value


# ============================================================================================
# (e) a council member finds the group on the status board and looks at the coverage view
# ============================================================================================
def journey_e(j: Journey):
    run = j.run
    with j.step("sign in as another council member"):
        j.sign_in(MEMBER2)
    with j.step("open the status board"):
        j.nav("/board")
        j.expect_h1(JA["board_title"])
        total = int(j.find("main .board-total").text.strip())
        cards = j.finds("main .board li.card")
        j.check(total >= 1 and len(cards) == total, f"board total {total} but {len(cards)} cards")
        j.shot("board")
        j.axe("board")
    with j.step("find the working group on the board"):
        title = run.shared.get("wg_title")
        links = [a for a in j.finds("main .board li.card h3 a") if title is None or a.text.strip() == title]
        j.check(links, f"working group {title!r} is not on the board")
        link = links[0]
        title = link.text.strip()
        if run.shared.get("wg_stage"):
            column = link.find_element(By.XPATH, "./ancestor::section[contains(@class,'board-column')]")
            j.check(f"board-{run.shared['wg_stage']}" in column.get_attribute("class"),
                    f"the group is in column {column.get_attribute('class')!r}, expected board-{run.shared['wg_stage']}")
        j.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        j.shot("board-card")
        j.click_and_load(link, "opening the group from the board")
        j.expect_h1(title)
        j.check(not j.finds("#stage-to"), "a member who is not staff may change the stage")
        j.shot("group-page")
    with j.step("look at the coverage view"):
        j.nav("/coverage")
        j.expect_h1(JA["coverage_title"])
        j.check(j.finds("main .chart-box svg"), "the coverage heat map is missing")
        rows = j.finds("main table.coverage-table tbody tr")
        j.check(len(rows) >= 2, f"the coverage table has {len(rows)} rows")
        totals = j.find("main table.coverage-table tr.totals")
        j.check(JA["total"] in totals.text, "the totals row is missing")
        j.shot("coverage")
        j.axe("coverage")


# ============================================================================================
# (f) the language switch: English, kept on the next page, and back to Japanese
# ============================================================================================
def journey_f(j: Journey):
    def button():
        return j.find("header form.lang-switch button[type=submit]")

    with j.step("the home page is Japanese by default"):
        j.get("/")
        j.check(j.lang() == "ja", f"html lang {j.lang()!r}")
        j.check(j.find("header nav a[href='/']").text.strip() == JA["nav_home"], "navigation is not Japanese")
        j.check(button().text.strip() == "English", f"the switch says {button().text!r}")
        j.shot("home-ja")
        j.axe("home (ja)")
    with j.step("press the language button: English"):
        j.click_and_load(button(), "switching to English")
        j.check(j.path() == "/", f"the switch went to {j.path()}, not back to /")
        j.check(j.lang() == "en", f"html lang {j.lang()!r} after switching")
        j.check(j.find("header nav a[href='/']").text.strip() == EN["nav_home"], "navigation is not English")
        j.check(button().text.strip() == "日本語", f"the switch now says {button().text!r}")
        cookies = {c["name"]: c["value"] for c in j.d.get_cookies()}
        j.check("en" in cookies.values(), f"no cookie remembers English: {cookies}")
        j.shot("home-en")
        j.axe("home (en)")
    with j.step("the next page stays English"):
        j.nav("/members")
        j.check(j.lang() == "en", f"html lang {j.lang()!r} on /members")
        j.check(j.find("header nav a[href='/members']").text.strip() == EN["nav_members"], "navigation is not English")
        j.shot("members-en")
        j.axe("members (en)")
        j.get("/login")
        j.expect_h1(EN["auth_login_title"])
    with j.step("switch back to Japanese"):
        j.click_and_load(button(), "switching to Japanese")
        j.check(j.path() == "/login", f"the switch went to {j.path()}, not back to /login")
        j.check(j.lang() == "ja", f"html lang {j.lang()!r}")
        j.expect_h1(JA["auth_login_title"])
        j.get("/members")
        j.check(j.lang() == "ja", "Japanese was not remembered on the next page")
        j.shot("members-ja")


# ============================================================================================
# (g) accessibility sweep: every page no journey above visits, as the role that sees it
# ============================================================================================
ADMIN = "admin@demo.tsunagu.example"

# (role, page key, path or "first <css>" = the first link of that kind on the previous page)
SWEEP = [
    (None, "not found", "/no-such-page"),
    (None, "needs", "/needs"),
    (None, "need detail", "first main a[href^='/needs/']"),
    (None, "members (ja)", "/members"),
    (None, "member detail", "first main a[href^='/members/']"),
    (MEMBER, "portal", "/portal"),
    (MEMBER, "profile", "/portal/profile"),
    (MEMBER, "events", "/events"),
    (MEMBER, "event detail", "first main a[href^='/events/'][href*='-']"),
    (MEMBER, "event calendar", "/events/calendar"),
    (MEMBER, "theme calls", "/theme-calls"),
    (MEMBER, "theme call (member)", "first main a[href^='/theme-calls/']"),
    (STAFF, "dashboard", "/dashboard"),
    (STAFF, "review queue", "/review"),
    (STAFF, "matching rounds", "/staff/matching"),
    (STAFF, "board", "/board"),
    (STAFF, "working group", "first main a[href^='/working-groups/']"),
    (STAFF, "coverage", "/coverage"),
    (STAFF, "outbox", "/staff/outbox"),
    (ADMIN, "admin users", "/admin/users"),
    (ADMIN, "audit log", "/admin/audit"),
]


def journey_g(j: Journey):
    role = "unset"
    for who, key, where in SWEEP:
        if who != role:
            j.d.delete_all_cookies()
            if who:
                with j.step(f"sign in as {who}"):
                    j.sign_in(who)
            role = who
        with j.step(f"{key}: axe-core"):
            if where.startswith("first "):
                links = j.finds(where[len("first "):])
                j.check(links, f"no link {where[6:]!r} on {j.path()} to reach the {key} page")
                j.click_and_load(links[0], f"the first link to a {key} page")
            else:
                j.get(where)
            j.check(j.lang() in ("ja", "en"), f"{key}: html lang is {j.lang()!r}")
            j.check(j.finds("main h1"), f"{key}: no main heading")
            j.shot(key.replace(" ", "-").replace("(", "").replace(")", ""))
            j.axe(key)


# ============================================================================================
# (h) the member reads the notifications that staff's decisions (journeys b and d) left for them
# ============================================================================================
def journey_h(j: Journey):
    with j.step("sign in as the member: the header counts unread notifications in words"):
        j.sign_in(MEMBER)
        badges = j.finds("header nav a[href='/notifications'] .unread-badge")
        if not badges:
            # Journeys b/d did not run (--only): a stage change of the member's own group makes one.
            j.fail("no unread notifications for the member: run journeys b or d first")
        j.check(JA["notify_unread_count"].split("{")[0].strip() in badges[0].text, f"badge says {badges[0].text!r}")
    with j.step("open the notifications page"):
        j.nav("/notifications")
        j.expect_h1(JA["notify_title"])
        unread = j.finds("main li.notification-unread")
        j.check(unread, "no unread notification is highlighted")
        j.check(JA["notify_unread_label"] in unread[0].text, "an unread notification does not say so in words")
        j.shot("notifications")
        j.axe("notifications")
    with j.step("mark one read, then all"):
        before = len(unread)
        j.click_and_load(unread[0].find_element(By.CSS_SELECTOR, "form button[type=submit]"), "marking one read")
        after = len(j.finds("main li.notification-unread"))
        j.check(after == before - 1, f"{after} unread after marking one of {before}")
        if after:
            j.click_and_load(j.find("main form[action='/notifications/read-all'] button"), "marking all read")
        j.check(not j.finds("main li.notification-unread"), "unread notifications remain")
        j.check(not j.finds("header .unread-badge"), "the header still counts unread notifications")
        j.shot("all-read")
    with j.step("choose the daily digest for e-mail"):
        j.find("#mode-daily_digest").click()
        j.click_and_load(j.find("main form[action='/notifications/preferences'] button[type=submit]"), "saving")
        j.check(j.find("#mode-daily_digest").is_selected(), "the digest choice was not kept")
        j.check(JA["notify_settings_saved"] in j.find("main").text, "no confirmation that the choice was saved")


# ============================================================================================
# (i) staff import regional needs from a Shift_JIS CSV (what Japanese Excel saves)
# ============================================================================================
def journey_i(j: Journey):
    title = f"ブラウザから取り込んだニーズ{int(time.time())}"
    header = ",".join(JA[k] for k in ["need_title", "ward", "domain", "need_severity", "need_wanted", "status",
                                       "need_source", "tags", "description"])
    csv_file = j.run.out / "import-needs-sjis.csv"
    csv_file.write_bytes(f"{header}\r\n{title},高津区 橘地区,日常の暮らしの支え,3,1,受付中,区役所,買い物,①坂が多い\r\n"
                         .encode("cp932"))
    with j.step("sign in as staff and open the import page"):
        j.sign_in(STAFF)
        j.nav("/staff/imports")
        j.expect_h1(JA["import_title"])
        j.axe("imports")
    with j.step("upload the file"):
        j.find("main input[name=kind][value=needs]").click()
        j.find("main input#file").send_keys(str(csv_file.resolve()))
        j.click_and_load(j.find("main form.import-form button[type=submit]"), "uploading")
        j.check(re.match(rf"/staff/imports/{UUID}$", j.path()), f"after uploading: {j.path()}")
    with j.step("the preview says Shift_JIS and shows the row"):
        j.expect_h1(JA["import_preview_title"])
        encoding = j.find("#encoding").text.strip()
        j.check(encoding == "Shift_JIS", f"the detected encoding shown is {encoding!r}")
        j.check(title in j.find("main").text, "the uploaded row is not in the preview")
        j.shot("import-preview")
        j.axe("import preview")
    with j.step("confirm"):
        j.click_and_load(j.find("main form.confirm-form button[type=submit]"), "confirming")
        j.visible("#import-result", "the import result")
        j.shot("import-done")
    with j.step("the need is in the list"):
        j.get("/needs?q=" + title)
        j.check(title in j.find("main").text, "the imported need is not in the needs list")


JOURNEYS = [
    ("a", "company submits a proposal, fixes a validation error", journey_a),
    ("b", "staff review and accept the proposal", journey_b),
    ("c", "staff run a matching round and accept a pair", journey_c),
    ("d", "staff form a working group and move its stage", journey_d),
    ("e", "council member finds it on the board and in coverage", journey_e),
    ("f", "language switch", journey_f),
    ("g", "accessibility sweep of every other page", journey_g),
    ("h", "member reads and clears notifications, chooses the digest", journey_h),
    ("i", "staff import needs from a Shift_JIS CSV", journey_i),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--out", default="test-output/browser")
    parser.add_argument("--only", default="", help="journey letters to run, e.g. 'af' (default: all)")
    parser.add_argument("--wait", type=float, default=15.0, help="seconds an explicit wait may take (default 15)")
    parser.add_argument("--axe-warn-only", action="store_true", help="report serious/critical axe findings without failing")
    args = parser.parse_args()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    if AXE is None:
        print("axe-core is not installed: the accessibility checks cannot run "
              "(python3 -m pip install --no-deps axe-playwright-python==0.1.8)", file=sys.stderr)
        return 1
    run = Run(args.base_url, out, args.wait, not args.axe_warn_only)

    failures = []
    for letter, title, fn in JOURNEYS:
        if args.only and letter not in args.only:
            continue
        started = time.monotonic()
        try:
            j = Journey(run, letter, title)
        except WebDriverException as e:
            print(f"journey {letter}: FAILED — could not start Chromium: {e.msg}")
            failures.append(letter)
            continue
        try:
            fn(j)
            if j.a11y_failures and run.axe_fail:
                failures.append(letter)
                print(f"journey {letter}: FAILED — accessibility: axe-core found critical/serious violations: "
                      + "; ".join(j.a11y_failures) + f" (every step itself passed: {j.steps} steps, {j.shots} screenshots)")
                continue
            print(f"journey {letter}: ok ({j.steps} steps, {j.shots} screenshots) — {title} [{time.monotonic() - started:.1f}s]")
        except (StepFailed, WebDriverException, AssertionError) as e:
            failures.append(letter)
            message = e.msg if isinstance(e, WebDriverException) else str(e)
            try:
                j.shot("FAILED")
            except WebDriverException:
                pass
            print(f"journey {letter}: FAILED at step {j.steps} '{j.current}' — {message}"
                  f" (url {j.d.current_url if j.driver else '?'}; screenshot {out}/{letter}{j.shots}-FAILED.png)")
            if isinstance(e, WebDriverException):
                traceback.print_exc()
        finally:
            j.close()

    if run.axe_summary:
        print(f"axe-core: {len(run.axe_summary)} finding(s) on {len(run.axe_checked)} page(s):")
        for line in run.axe_summary:
            print("  " + line)
    else:
        print(f"axe-core: no violations on {len(run.axe_checked)} page(s)")
    print(f"axe-core: {run.axe_rules_passed} rule checks passed on {len(run.axe_checked)} page(s)")
    if failures:
        print(f"browser journeys FAILED: {', '.join(failures)}")
        return 1
    print(f"browser journeys: all passed; screenshots in {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
