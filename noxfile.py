"""Every way to run this project: ``nox`` runs the tests on all three frameworks, lint,
typecheck; ``nox -s demo`` walks the guide's flow once and leaves the servers up.

Dependencies come from pyproject.toml, pinned by constraints.txt (``nox -s lock``
rewrites it), so two runs install the same thing.
"""

from __future__ import annotations

import nox

nox.needs_version = ">=2024.3.2"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "unit", "lint", "typecheck"]

FRAMEWORKS = ["fastapi", "flask", "django"]
CONSTRAINTS = ("-c", "constraints.txt")


def install(session: nox.Session, *extras: str) -> None:
    session.install("-e", f".[{','.join(extras)}]", *CONSTRAINTS)


@nox.session
@nox.parametrize("framework", FRAMEWORKS)
def tests(session: nox.Session, framework: str) -> None:
    """The behavioural suite against one example over HTTP (devcore unless
    SUPERTOKENS_CONNECTION_URI names a real core)."""
    install(session, framework, "test")
    session.run("pytest", "tests/behaviour", f"--framework={framework}", *session.posargs)


@nox.session
def unit(session: nox.Session) -> None:
    """devcore's own tests (through the SDK) and the unit tests of core/."""
    install(session, "fastapi", "test")
    session.run("pytest", "tests/devcore", "tests/unit", *session.posargs)


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
    then keep both up for curl until Ctrl-C."""
    framework = session.posargs[0] if session.posargs else "fastapi"
    if framework not in FRAMEWORKS:
        session.error(f"unknown framework {framework!r}: choose one of {', '.join(FRAMEWORKS)}")
    install(session, framework)
    session.run("python", "-m", "tests.harness.demo", framework)


@nox.session(default=False, venv_backend="uv")
def lock(session: nox.Session) -> None:
    """Re-pin constraints.txt from pyproject.toml (run after changing a dependency)."""
    session.run(
        "uv", "pip", "compile", "pyproject.toml", "--all-extras", "--universal",
        "--python-version", "3.11", "--quiet", "-o", "constraints.txt",
    )  # fmt: skip
