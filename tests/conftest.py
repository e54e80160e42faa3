"""Shared fixtures: real builds of real sites into temporary folders (helpers: support.py)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import CHROMIUM, CHROMIUM_ARGS, REPO, build_site


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


# One Playwright instance per test process: the sync API cannot nest, so every test that
# drives Chromium (search, browser/) shares this one.
@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make browser-deps` "
            "(or `apt-get install chromium`). Browser tests are never skipped."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - requirements.txt pins it
        pytest.fail(f"playwright is not installed ({error}): run `make setup`.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _quiet_handler(directory: Path) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
            pass

    return functools.partial(Handler, directory=str(directory))  # type: ignore[return-value]


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site over HTTP (file:// would hide path and MIME problems)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _quiet_handler(site))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
