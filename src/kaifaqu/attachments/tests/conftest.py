from typing import Any

import pytest

from kaifaqu.attachments.registry import ATTACHABLE


@pytest.fixture
def attachable_enterprises(monkeypatch: Any) -> None:
    """Enterprises carry attachments in these tests (no module registers a model yet)."""
    from kaifaqu.enterprises.models import Enterprise

    monkeypatch.setitem(ATTACHABLE, "enterprises.enterprise", Enterprise)


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
