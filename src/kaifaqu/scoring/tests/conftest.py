"""Shared paths and builders for the engine's tests."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
# /work/shared locally; ../shared beside the repository in the CI clone
SHARED = Path(__file__).resolve().parents[4] / ".." / "shared"
GOLDEN = SHARED / "domain" / "golden"


@pytest.fixture
def golden() -> Path:
    if not GOLDEN.is_dir():
        pytest.fail(f"the golden files are missing: {GOLDEN.resolve()}")
    return GOLDEN
