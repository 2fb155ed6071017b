"""Shared paths for the engine's tests.

The golden inputs and published results live in ``fixtures/`` (their provenance and licence are in
``fixtures/README.md``), so the suite passes on a clone with nothing beside it. ``SHARED_GOLDEN`` is
the team's reference copy, beside the repository where it exists; only the test that checks our
copies against it reads it.
"""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_GOLDEN = Path(__file__).resolve().parents[5] / "shared" / "domain" / "golden"
