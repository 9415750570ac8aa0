"""Render docs/hardening-report.md from the suite's runs on the three frameworks.

    python -m tests.behaviour.hardening_report [--check]

Each ``pytest tests/behaviour --framework=X`` writes ``build/hardening/X.json`` (see
``hardening_cases``); this turns the three files into one table: each class of attack
and bad input, and for each framework the cases tried and passed. ``--check`` fails if
a framework's run is missing, or any case failed or was skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.harness.examples import EXAMPLES, ROOT

RESULTS = ROOT / "build" / "hardening"
REPORT = ROOT / "docs" / "hardening-report.md"
FRAMEWORKS = list(EXAMPLES)
TITLES = {"fastapi": "FastAPI", "flask": "Flask", "django": "Django"}

CLASSES: dict[tuple[str, str], str] = {
    (
        "Attack",
        "Phone swap",
    ): "Guide step 4: a code for a phone other than the enrolled one: "
    "asked for directly, in another format, via resend, or via another flow's device id",
    (
        "Attack",
        "Another user's OTP flow",
    ): "User A's flow ids and code, offered from user "
    "B's session, alone or inside B's own flow",
    (
        "Attack",
        "OTP guessing",
    ): "Wrong codes until the flow is dead (a resend gives no new "
    "tries), then the right code",
    ("Attack", "Replay of a consumed code"): "A used code again: same session, another "
    "session with the password, or in a later sign-in",
    ("Attack", "Expired code"): "The right code after its lifetime (devcore's clock)",
    (
        "Attack",
        "Forged access token",
    ): "A token claiming `2fa-completed: true`: payload "
    "edited, `alg: none`, another key (same or own kid), HS256 with the public key; "
    "cookie and header transfer",
    (
        "Attack",
        "Refresh-token reuse",
    ): "A refresh token replayed after rotation: the session is revoked",
    (
        "Attack",
        "Passwordless without a first factor",
    ): "The OTP APIs with no session, every "
    "FDI version and path, or a signed-out session's token",
    (
        "Attack",
        "Password reset past the second factor",
    ): "A password reset by the emailed "
    "link, then sign-in with it: still held at the second factor, codes only to the "
    "enrolled phone",
    (
        "Attack",
        "Reset link reused or made up",
    ): "A reset token used again, superseded by a "
    "newer one, expired (devcore's clock), or invented: refused, the password unchanged",
    (
        "Attack",
        "Account enumeration by password reset",
    ): "A reset link for an unknown email: "
    "the same `OK` as for a known one, and nothing sent",
    (
        "Attack",
        "Third-party sign-in",
    ): "A code the provider never issued, used twice, issued "
    "for another redirect URI or another sign-in's PKCE verifier; tokens of another app of the "
    "same provider; ID tokens forged, expired, unsigned or from another issuer",
    (
        "Attack",
        "Early or parallel enrolment",
    ): "A code for another phone asked for before the owner enrolled and entered "
    "after, from another session or the owner's own second one; or two codes for two "
    "phones entered at the same moment (20 rounds): one phone ends enrolled, the other "
    "session holds no claim, the link is never overwritten",
    (
        "Attack",
        "Session kept after a password reset",
    ): "A session opened with the old password, before or after enrolment: ended by "
    "the reset, it can ask for no code and refresh no more",
    (
        "Clients",
        "Cookie client without st-auth-mode",
    ): "A plain HTTP client with a cookie jar that says `st-auth-mode` once, at "
    "sign-up: entering the code keeps its cookies, refresh and the protected route work",
    (
        "SMS pumping",
        "Cooldown between sends",
    ): "A second send within the cooldown, by create or resend",
    (
        "SMS pumping",
        "Cap per phone per hour",
    ): "Many accounts asking for codes on one phone",
    (
        "SMS pumping",
        "Cap per user per hour",
    ): "One account asking for codes on many phones",
    (
        "SMS pumping",
        "Throttled answers keep the FDI shape",
    ): "`GENERAL_ERROR` with a message and the wait",
    (
        "SMS pumping",
        "New accounts from one client",
    ): "Account after account signed up from one client address, each asking for codes "
    "to fresh phones; `X-Forwarded-For` forged, malformed, or with an entry of the "
    "client's own before the proxy's",
    (
        "SMS pumping",
        "New accounts from many addresses",
    ): "New accounts from many client addresses, each within its own caps: the whole "
    "app's hourly budget",
    (
        "Email pumping",
        "Cooldown between reset emails",
    ): "A second reset link for one address "
    "within the cooldown, typed alike or in another case or with spaces",
    (
        "Email pumping",
        "Cap per address per hour",
    ): "Reset links for one address asked for by "
    "new clients, each waiting out the cooldown",
    (
        "Email pumping",
        "Known and unknown addresses alike",
    ): "An address with an account and "
    "one without: throttled after as many requests, with the same answer, and no email",
    ("Email pumping", "Throttled answers keep the FDI shape"): "`GENERAL_ERROR` with a "
    "message and the wait",
    ("Bad input", "Malformed JSON"): "Broken, empty, deeply nested, or random bytes",
    (
        "Bad input",
        "Wrong content type",
    ): "A well-formed body not sent as `application/json`",
    ("Bad input", "Not a JSON object"): "Arrays, strings, numbers, booleans, `null`",
    ("Bad input", "Missing fields"): "Each required field left out",
    (
        "Bad input",
        "Wrong-typed fields",
    ): "Numbers, `null`, arrays or objects where the FDI "
    "has strings, arrays or booleans",
    (
        "Bad input",
        "Empty strings",
    ): "Empty emails, passwords, phones, ids, codes and reset tokens",
    (
        "Bad input",
        "Oversized body (1 MB)",
    ): "1 MB declared (413) or streamed without a length (411) on every endpoint",
    (
        "Bad input",
        "Invalid phone numbers",
    ): "Too short, too long, no country, letters, NUL, 5000 digits",
    ("Bad input", "Unicode edge cases"): "Lone surrogates, right-to-left overrides, "
    "homoglyphs, emoji, zero-width and fullwidth characters, UTF-16, invalid UTF-8",
    (
        "Bad input",
        "Malformed tokens",
    ): "Garbage access and refresh tokens, as header or cookie",
    (
        "Bad input",
        "APIs this app does not offer",
    ): "The OAuth2-provider APIs the SDK mounts by "
    "itself and the 'does this phone exist' APIs: not there (404/405), never a 500",
    (
        "Bad input",
        "Unknown tenant",
    ): "A tenant id the app does not have in the path of every tenant API: 404 JSON",
    (
        "Bad input",
        "Malformed fdi-version header",
    ): "`abc`, empty, `1.`, `.1`, `1..2`, `1.a`, `1.18,abc`, `1.18;2`: 400 JSON",
    (
        "Bad input",
        "Account linking asked of a first factor",
    ): "`shouldTryLinkingWithSessionUser: true` on sign-up and sign-in, with and "
    "without a session: 400 JSON (the app links no accounts)",
    (
        "Bad input",
        "Length declared and streamed at once",
    ): "`Content-Length: 10` with 5 MiB sent chunked: refused, 400 JSON",
    (
        "Clients",
        "A code typed as a person types it",
    ): "The right code with spaces around or inside it, or in full-width digits: "
    "accepted at once",
    (
        "Clients",
        "An MFA-aware frontend's linking flag",
    ): "`shouldTryLinkingWithSessionUser: true` on send, resend and consume: the "
    "session's own second factor completes",
    (
        "Bad input",
        "Fuzzed from the FDI spec",
    ): "Requests schemathesis makes from the Frontend Driver Interface's OpenAPI spec "
    "to every API offered, for the default tenant and made-up ones, with a session and "
    "without: no 5xx, no answer that is not JSON, no stack trace, no `status` the spec "
    "does not list",
    (
        "Attack",
        "Enrolling at once on two hosts",
    ): "One account, two sessions on two app processes sharing the core and Redis, "
    "a code for a phone of each entered at the same moment, five times: one phone "
    "enrolled each time, the other refused",
    (
        "Attack",
        "SMS pumping across hosts",
    ): "Codes to one phone asked for at once through two app processes that share "
    "only the core and Redis (REDIS_URL): no more sent between them than the limit",
    (
        "Load",
        "50 users at once, one process",
    ): "The whole flow, all at once: each ends with "
    "exactly its own claim, phone and metadata",
    (
        "Faults",
        "Core stops mid-flow",
    ): "Every API that needs the core answers 503 JSON; the "
    "flow completes once it is back",
    (
        "Faults",
        "Core restart with a database",
    ): "Users, sessions, metadata and codes survive",
    (
        "Faults",
        "Core answers 500",
    ): "A core that answers 500 to sign-up, sign-in, create code, consume and "
    "refresh: 503 JSON on every framework, never an HTML page or a stack trace",
    (
        "Faults",
        "Send limits' Redis down",
    ): "Redis stopped while two hosts use it: every code asked for is a 503 JSON and "
    "nothing is sent; once it is back, codes go out again",
    (
        "Faults",
        "Identity provider unreachable",
    ): "The login methods and the authorisation URL "
    "before the provider ever answered: 503 JSON",
    (
        "Faults",
        "State file deleted",
    ): "`STATE_DB` deleted while the app runs: made again, codes sent and entered",
    (
        "Faults",
        "State file unusable",
    ): "`STATE_DB` unusable: create, resend and enter code answer 503 JSON and send "
    "nothing; once repaired, the flow goes on",
}
"""The classes in the order the report lists them, with what each one tries."""


@dataclass
class Cell:
    tried: int = 0
    passed: int = 0
    skipped: int = 0
    hows: set[str] = field(default_factory=set)

    def text(self) -> str:
        if self.tried == 0 and self.skipped == 0:
            return "not run"
        text = f"{self.passed}/{self.tried}"
        if self.skipped:
            text += f" ({self.skipped} skipped)"
        return text if self.passed == self.tried else f"**{text}**"


def load(results: Path) -> dict[str, dict[str, Any]]:
    runs = {}
    for framework in FRAMEWORKS:
        path = results / f"{framework}.json"
        if path.exists():
            runs[framework] = json.loads(path.read_text())
    return runs


def cells(runs: dict[str, dict[str, Any]]) -> dict[tuple[str, str], dict[str, Cell]]:
    table: dict[tuple[str, str], dict[str, Cell]] = {key: {} for key in CLASSES}
    for framework, run in runs.items():
        for tally in run["classes"]:
            row = table.setdefault((tally["group"], tally["name"]), {})
            cell = row.setdefault(framework, Cell())
            cell.tried += tally["tried"]
            cell.passed += tally["passed"]
            cell.skipped += tally["skipped"]
            cell.hows.add(tally["how"])
    return table


def render(runs: dict[str, dict[str, Any]]) -> str:
    table = cells(runs)
    header = [
        "Group",
        "Class",
        "What is tried",
        "How",
        *(TITLES[f] for f in FRAMEWORKS),
    ]
    lines = [
        "<!-- Generated by `python -m tests.behaviour.hardening_report` from the runs of",
        "     `pytest tests/behaviour --framework=...`; do not edit by hand. -->",
        "",
        "Cases tried and passed by the behavioural suite (`tests/behaviour`) against each",
        "example over HTTP, as *passed/tried*. A case is one request, or one scenario, an",
        "attacker or a broken client could send; the hand-written cases are listed in the",
        "tests, the generated ones come from hypothesis (derandomized, so every run sends",
        "the same). Every bad-input case must get a clear 4xx or an FDI error status, never",
        "a 5xx or a dropped connection, and change nothing. Sign-out, refresh and the",
        "protected route read no body: sent a bad one, they answer as they would without it.",
        "",
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
    ]
    totals = {framework: Cell() for framework in FRAMEWORKS}
    for (group, name), row in table.items():
        hows = sorted(set().union(*(cell.hows for cell in row.values())) or {"-"})
        what = CLASSES.get((group, name), "")
        values = []
        for framework in FRAMEWORKS:
            cell = row.get(framework, Cell())
            values.append(cell.text() if framework in runs else "not run")
            totals[framework].tried += cell.tried
            totals[framework].passed += cell.passed
            totals[framework].skipped += cell.skipped
        lines.append(
            f"| {group} | {name} | {what} | {' + '.join(hows)} | {' | '.join(values)} |"
        )
    lines.append(
        "| **All** | | | | "
        + " | ".join(totals[f].text() if f in runs else "not run" for f in FRAMEWORKS)
        + " |"
    )
    lines += ["", "The runs this table was made from:", ""]
    for framework in FRAMEWORKS:
        run = runs.get(framework)
        if run is None:
            lines.append(f"- {TITLES[framework]}: no run recorded")
            continue
        tests = run["tests"]
        xfailed = f", {tests['xfailed']} xfailed" if tests.get("xfailed") else ""
        lines.append(
            f"- {TITLES[framework]}: against {run['core']}, {tests['passed']} tests passed, "
            f"{tests['failed']} failed, {tests['skipped']} skipped{xfailed}"
        )
    return "\n".join(lines) + "\n"


def problems(runs: dict[str, dict[str, Any]]) -> list[str]:
    found = [f"no run recorded for {f}" for f in FRAMEWORKS if f not in runs]
    for (group, name), row in cells(runs).items():
        for framework, cell in row.items():
            if cell.passed != cell.tried or cell.skipped:
                found.append(f"{framework}: {group} / {name}: {cell.text()}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="fail unless every case passed"
    )
    args = parser.parse_args()
    runs = load(RESULTS)
    REPORT.write_text(render(runs))
    print(f"wrote {REPORT.relative_to(ROOT)}")
    if args.check and (found := problems(runs)):
        sys.exit("not every hardening case passed:\n  " + "\n  ".join(found))


if __name__ == "__main__":
    main()
