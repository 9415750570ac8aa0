"""The demo app as a person uses it: what they click and type, and what they then see.

Selectors are those of SuperTokens' prebuilt UI (its inputs' names, its error box) and
of the app's own home page; Playwright's CSS selectors see into the UI's shadow DOM.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.harness.accounts import Account
from tests.harness.outbox import Outbox

SMS_TIMEOUT_S = 5.0


@dataclass
class Steps:
    """Names the steps of a test: a failing step leaves a screenshot of the page (its path
    is added to the error), and with ``record_into`` set the steps that name a
    screenshot save it there (the docs' pictures)."""

    failures: Path
    record_into: Path | None = None
    page: Page | None = None

    @contextlib.contextmanager
    def step(self, title: str, *, screenshot: str | None = None) -> Iterator[None]:
        try:
            yield
        except Exception as error:
            kept = self._keep(self.failures / f"{slug(title)}.png", whole_page=True)
            error.add_note(f"step {title!r} failed; the page then: {kept}")
            raise
        if screenshot is not None and self.record_into is not None:
            self._keep(self.record_into / f"{screenshot}.png", whole_page=False)

    def _keep(self, path: Path, *, whole_page: bool) -> Path | str:
        """A screenshot of the whole page, or of just the app (what the docs show)."""
        if self.page is None:
            return "(no page yet)"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if whole_page:
                self.page.screenshot(path=path, full_page=True, animations="disabled")
            else:
                self.page.locator("#root").screenshot(path=path, animations="disabled")
        except Exception as error:  # the page may be what failed
            return f"(no screenshot: {error})"
        return path


def slug(text: str) -> str:
    """``text`` as a file name."""
    return re.sub(r"[^\w.-]+", "-", text).strip("-")


@dataclass
class DemoApp:
    page: Page
    url: str
    outbox: Outbox
    steps: Steps
    codes_seen: dict[str, int] = field(default_factory=dict)

    # -- the first factor (/auth) ------------------------------------------------------

    def sign_up(self, account: Account) -> None:
        self.fill_sign_up(account)
        self.submit()

    def sign_in(self, account: Account) -> None:
        if self.page.url != f"{self.url}/auth":  # after signing out the app is there
            self.page.goto(f"{self.url}/auth")
        self._fill_credentials(account)
        self.submit()

    def fill_sign_up(self, account: Account) -> None:
        self.page.goto(f"{self.url}/auth?show=signup")
        self._fill_credentials(account)

    def _fill_credentials(self, account: Account) -> None:
        self.page.fill("input[name=email]", account.email)
        self.page.fill("input[name=password]", account.password)

    def submit(self) -> None:
        self.page.click("button[type=submit]")

    # -- the second factor (/second-factor) --------------------------------------------

    @property
    def phone_input(self) -> Locator:
        return self.page.locator("input[type=tel]")

    @property
    def code_input(self) -> Locator:
        return self.page.locator("input[name=userInputCode]")

    @property
    def error(self) -> Locator:
        """The prebuilt UI's error box, where the backend's refusals show."""
        return self.page.locator("[data-supertokens~=generalError]")

    @property
    def code_screen_title(self) -> Locator:
        return self.page.locator("[data-supertokens~=headerSubtitle]")

    def expect_second_factor_page(self) -> None:
        expect(self.page).to_have_url(f"{self.url}/second-factor")

    def enter_phone(self, phone: str) -> None:
        self.phone_input.fill(phone)
        self.submit()

    def change_phone(self) -> None:
        self.page.get_by_text("Change phone number").click()

    def enter_code(self, code: str) -> None:
        self.code_input.fill(code)
        self.submit()

    def code_sent_to(self, phone: str) -> str:
        """The code of the newest SMS to ``phone``, which must be one not seen before."""
        seen = self.codes_seen.get(phone, 0)
        deadline = time.monotonic() + SMS_TIMEOUT_S
        while len(sent := self.outbox.sent_to(phone)) <= seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"no new SMS to {phone} (had {seen})")
            time.sleep(0.05)
        self.codes_seen[phone] = len(sent)
        return str(sent[-1]["userInputCode"])

    def sms_count(self, phone: str) -> int:
        return len(self.outbox.sent_to(phone))

    # -- the protected page (/) ----------------------------------------------------------

    def expect_home_page(self) -> None:
        expect(self.page).to_have_url(f"{self.url}/")
        expect(self.page.locator("h1")).to_have_text("Both factors done")

    @property
    def shown_user_id(self) -> str:
        return self.page.locator("#user-id").inner_text()

    @property
    def shown_phone(self) -> Locator:
        return self.page.locator("#phone-number")

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        expect(self.page).to_have_url(f"{self.url}/auth")
