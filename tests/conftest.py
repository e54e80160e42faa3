"""Shared fixtures: real builds of real sites into temporary folders (helpers: support.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import REPO, build_site


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data and content, built once per test session."""
    output = tmp_path_factory.mktemp("site") / "output"
    build_site(output)
    return output


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data folder to write test projects into."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled data folder."""
    path = tmp_path / "data"
    shutil.copytree(REPO / "data", path)
    return path
