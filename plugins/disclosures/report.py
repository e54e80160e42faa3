"""What one build reports to whoever runs it: progress callbacks and counts.

`disclosures build` makes one `BuildReport` per build and hands it to Pelican in the
DISCLOSURES_REPORT setting; the generator, the cache and the writer fill it in. Plain
`pelican` runs have none. Keeping this per build, never in module globals, means two builds
in one process (tests, the live-reload server) cannot see each other's numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class CacheStats:
    hits: int = 0  # projects read from the content-hash cache
    parsed: int = 0  # projects parsed from YAML
    workers: int = 1  # processes that parsed them
    kept: int = 0  # of the hits, kept in a long-lived builder's memory (not even read)


@dataclass
class BuildReport:
    on_load: Callable[[int, int], None] | None = None  # (files done, files in all)
    on_write: Callable[[int], None] | None = None  # (files written or linked so far)
    cache: CacheStats = field(default_factory=CacheStats)
    written: int = 0  # new or changed output files
    linked: int = 0  # unchanged output files, linked from the previous output
    reused: int = 0  # pages among the unchanged outputs (not rendered)
    rendered_aside: int = 0  # outputs made by other processes (parallel.py)
    # Outputs published as the live site's while they trail the pages, by part (status.py).
    trailing: dict[str, int] = field(default_factory=dict)
    made_pages: int = 0  # outputs of the pages part made, not linked (status.json aside)
    # The new site's manifest (publish.Live), saved once the site is live.
    live: Any = None
    manifest_cache: Path | None = None

    def file_done(self, linked: bool) -> None:
        if linked:
            self.linked += 1
        else:
            self.written += 1
        if self.on_write is not None:
            self.on_write(self.written + self.linked)
