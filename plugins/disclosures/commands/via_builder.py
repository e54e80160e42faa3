"""The client side of the long-lived builder (builder.py): `disclosures build --builder
SOCKET` sends its build there when a builder answers, and builds in its own process when
none does. A module of its own: build.py uses it, and builder.py uses build.py."""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from pathlib import Path

from .. import cache

# What a request may set for its build: the settings' and the deploy hooks' variables.
ENV_PREFIXES = ("DISCLOSURES_",)
ENV_NAMES = ("SITEURL", "SOURCE_DATE_EPOCH", "TZ", "LC_ALL")
BUILD_ARGS = ("settings", "output", "content", "data", "previous", "preview")


def request_names(env) -> set[str]:
    """The variables a build request carries (and a builder replaces for its build)."""
    return {n for n in env if n.startswith(ENV_PREFIXES) or n in ENV_NAMES}


def ask(path: Path, request: dict) -> dict | None:
    """The builder's answer, or None when no builder answers on `path`."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(str(path))
            client.sendall(json.dumps(request, ensure_ascii=False).encode() + b"\n")
            line = client.makefile("rb").readline()
    except OSError:
        return None
    try:
        return json.loads(line)
    except ValueError:
        return None


def request_build(path: Path, args: argparse.Namespace) -> int | None:
    """`disclosures build --builder PATH`: the build's exit status from the builder, or None
    (build here instead) when none is running or it runs other code than this command."""
    values = {
        name: str(v) if isinstance(v := getattr(args, name, None), Path) else v
        for name in BUILD_ARGS
    }
    values["output"] = str(args.output.absolute())
    if values.get("previous"):
        values["previous"] = str(Path(values["previous"]).absolute())
    request = {
        "op": "build",
        "cwd": str(Path.cwd()),
        "args": values,
        "env": {n: os.environ[n] for n in request_names(os.environ)},
        "trail": bool(getattr(args, "trail", False)),
        "code": cache.code_version(),
    }
    answer = ask(path, request)
    if answer is not None and answer.get("status") is None:
        sys.stderr.write(answer.get("log") or "")
        answer = None
    if answer is None:
        print(
            f"长驻生成进程未运行，在本进程生成 / no builder on {path}: building here",
            file=sys.stderr,
        )
        return None
    if answer.get("trailing"):  # first: the build's summary stays the last line
        parts = ", ".join(sorted(answer["trailing"]))
        print(f"builder: pages first; trailing: {parts}", file=sys.stderr)
    sys.stderr.write(answer.get("log") or "")
    return int(answer.get("status", 1))
