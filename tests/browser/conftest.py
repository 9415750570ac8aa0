"""Fixtures of the browser tests: the example ``--framework`` names with the demo app
beside it, and a Chromium to open it in.

The example is started once, with ``WEBSITE_DOMAIN`` naming the demo app's server (its
own free port), and every test shares it; each test gets a new browser context (no
cookies, no storage), as a new visitor would. ``nox -s browser`` runs one such pytest
per framework, side by side (``tests.harness.side_by_side``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    expect,
    sync_playwright,
)

from devcore.testing import running_devcore
from tests.browser.chromium import FLAGS, chromium_executable
from tests.browser.demo_app import DemoApp, Steps, slug
from tests.harness.examples import ROOT, free_port, running_example
from tests.harness.outbox import Outbox
from tests.harness.website import TokenTransfer, config_script, serving_website

FAILURES = ROOT / "build" / "browser-failures"
"""Where a failing step leaves its screenshot."""

SMS_COOLDOWN_SECONDS = 10
"""The examples' default, set here because a test waits on it: below the 15 seconds the
prebuilt UI waits before it offers to resend, so only asking again at once meets it."""

VIEWPORT: ViewportSize = {"width": 540, "height": 720}
"""Wide enough for the prebuilt UI's desktop layout, and not much wider (the docs show
the screenshots)."""

ACTION_TIMEOUT_MS = 8_000
"""How long a click, a fill or an expectation waits: every step here is a local round trip
or two, so anything longer is a failure, not a slow machine."""
expect.set_options(timeout=ACTION_TIMEOUT_MS)


@dataclass(frozen=True)
class Site:
    """An example and the demo app that talks to it."""

    framework: str
    api_url: str
    """The example's ``API_DOMAIN``, as the page calls it."""
    url: str
    """The demo app's ``WEBSITE_DOMAIN``."""
    outbox: Outbox


@pytest.fixture(scope="session")
def framework(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--framework"))


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    executable = chromium_executable()
    if executable is None:
        pytest.fail(
            "no Chromium found (apt-get install chromium, or set CHROMIUM): "
            "the browser tests cannot run",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=executable, args=list(FLAGS))
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def core_uri() -> Iterator[str]:
    if uri := os.environ.get("SUPERTOKENS_CONNECTION_URI"):
        yield uri
        return
    with running_devcore(in_process=False, bcrypt_log_rounds=4) as devcore:
        yield devcore.uri


@pytest.fixture(scope="session")
def site(
    framework: str, core_uri: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    outbox = Outbox(tmp_path_factory.mktemp(f"sms-{framework}") / "outbox.jsonl")
    website_port = free_port()
    env = {
        "WEBSITE_DOMAIN": f"http://localhost:{website_port}",
        "SMS_COOLDOWN_SECONDS": str(SMS_COOLDOWN_SECONDS),
    }
    with (
        running_example(
            framework,
            core_uri=core_uri,
            outbox=outbox.path,
            api_key=os.environ.get("SUPERTOKENS_API_KEY"),
            extra_env=env,
        ) as example,
        serving_website(example.api_domain, port=website_port) as website,
    ):
        yield Site(framework, example.api_domain, website.url, outbox)


@pytest.fixture
def context(chromium: Browser) -> Iterator[BrowserContext]:
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def steps(request: pytest.FixtureRequest) -> Steps:
    failures = FAILURES / slug(
        f"{request.node.name}-{request.config.getoption('--framework')}"
    )
    shutil.rmtree(failures, ignore_errors=True)  # an earlier run's
    return Steps(failures, record_into=request.config.getoption("--record-screenshots"))


def open_app(
    site: Site, context: BrowserContext, steps: Steps, transfer: TokenTransfer
) -> DemoApp:
    """A visitor on the demo app, whose session travels as ``transfer`` says.

    The site's server gives every page cookie mode; header mode is the same page with
    the other ``/config.js``, which this visitor's browser is answered instead.
    """
    page: Page = context.new_page()
    if transfer != "cookie":
        script = config_script(site.api_url, transfer)
        page.route(
            f"{site.url}/config.js",
            lambda route: route.fulfill(body=script, content_type="text/javascript"),
        )
    steps.page = page
    return DemoApp(page, site.url, site.outbox, steps)


@pytest.fixture
def visitor(site: Site, context: BrowserContext, steps: Steps) -> DemoApp:
    """A visitor in cookie mode (the tests of both modes use ``open_app``)."""
    return open_app(site, context, steps, "cookie")
