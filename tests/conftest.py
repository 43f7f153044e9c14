"""Shared test helpers: the golden-file switch and paths."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = ROOT / "examples" / "ntnu-2024.yaml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files under tests/ from the current output.",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with a golden file, or rewrite it under --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(path: Path, actual: str) -> None:
        if update or not path.exists():
            if not update:
                pytest.fail(f"golden file {path} is missing; run pytest --update-golden")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, (
            f"output differs from {path}; run pytest --update-golden if intended"
        )

    return check


@pytest.fixture(autouse=True)
def _messages_in_nb(monkeypatch: pytest.MonkeyPatch):
    """Each test starts with messages in nb and no EHNREPORT_LANG from the caller's shell."""
    from ehnreport import messages

    monkeypatch.delenv(messages.ENV, raising=False)
    messages.choose(messages.DEFAULT)
    yield
    messages.choose(messages.DEFAULT)
