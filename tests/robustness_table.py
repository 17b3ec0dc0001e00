"""A pytest plugin that turns the fault and bad-input tests into the README's robustness table.

Tests mark themselves with `@pytest.mark.robustness("what was tried", "what is expected")`
(parametrized cases add their own marks through `pytest.param(..., marks=...)`). When a run has
executed every such test, the table of what was tried and what happened is written into the
README between its two marker lines; a partial run leaves the committed table alone.
`scripts/robustness-table` runs just these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
START = "<!-- robustness table: written by the test suite, do not edit -->"
END = "<!-- end of robustness table -->"
HEADER = """| test | fault or input | expected | result |
|---|---|---|---|
"""

_cases: dict[str, tuple[str, str]] = {}  # nodeid -> (tried, expected), for every collected case
_results: dict[str, str] = {}  # nodeid -> "passed" / "failed" / "skipped: why"


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "robustness(tried, expected): a fault or bad input in the README's table")


# Error-path tables written before this plugin: their parameters say what was tried.
_ERROR_TABLES = ("test_cli_errors.py",)


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect: a filtered run is not complete
def pytest_collection_modifyitems(session, config, items) -> None:
    for item in items:
        mark = item.get_closest_marker("robustness")
        if mark is not None:
            _cases[item.nodeid] = (mark.args[0], mark.args[1])
        elif item.path.name in _ERROR_TABLES and item.name != "test_help_is_fast_and_light":
            _cases[item.nodeid] = _from_parameters(item)


def _from_parameters(item) -> tuple[str, str]:
    params = getattr(item, "callspec", None) and item.callspec.params
    if params and "args" in params:
        args = " ".join(a.replace("{d}/", "").rsplit("/", 1)[-1] for a in params["args"])
        return f"`rehearse {args}`", f"exit {params['code']}, one line: " + "; ".join(params["fragments"])
    doc = (item.function.__doc__ or item.name.removeprefix("test_").replace("_", " ")).strip()
    return doc.splitlines()[0], "exit 4, one line"


def pytest_runtest_logreport(report) -> None:
    if report.nodeid not in _cases:
        return
    if report.when == "call" or report.outcome != "passed":
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else "skipped"
            _results[report.nodeid] = f"skipped: {reason.removeprefix('Skipped: ')}"
        elif report.nodeid not in _results or report.failed:
            _results[report.nodeid] = report.outcome


def all_cases() -> dict[str, tuple[str, str]]:
    return dict(_cases)


def _complete() -> bool:
    """Every case ran, and every file with cases was part of the run."""
    tests = README.parent / "tests"
    files = {p.name for p in tests.glob("test_*.py")
             if p.name in _ERROR_TABLES or "mark.robustness" in p.read_text(encoding="utf-8")}
    ran = {nodeid.split("::")[0].rsplit("/", 1)[-1] for nodeid in _cases}
    return bool(_cases) and set(_results) == set(_cases) and files <= ran


def pytest_sessionfinish(session, exitstatus) -> None:
    if session.config.getoption("collectonly") or not _complete():
        return
    rows = []
    for nodeid in sorted(_cases, key=lambda n: (n.split("::")[0], n)):
        tried, expected = _cases[nodeid]
        result = "✓ as expected" if _results[nodeid] == "passed" else _results[nodeid]
        rows.append(f"| `{_short(nodeid)}` | {_cell(tried)} | {_cell(expected)} | {_cell(result)} |")
    passed = sum(r == "passed" for r in _results.values())
    summary = f"\n{passed} of {len(rows)} as expected on the last full run.\n"
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    table = "\n".join(rows)
    README.write_text(f"{before}{START}\n{HEADER}{table}\n{summary}{END}{after}", encoding="utf-8")


def table_text() -> str:
    """The table as the README holds it now."""
    return README.read_text(encoding="utf-8").split(START, 1)[1].split(END, 1)[0]


def _short(nodeid: str) -> str:
    return nodeid.removeprefix("tests/")


def _cell(text: str) -> str:
    return " ".join(str(text).replace("|", "\\|").split())


@pytest.fixture
def robustness_cases() -> dict[str, tuple[str, str]]:
    return all_cases()
