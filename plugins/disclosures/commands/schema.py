"""`disclosures schema`: print or (--write) regenerate what is generated from fields.py: the JSON
Schema, docs/data-format.md and the web editor's admin/config.yml."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cms import CONFIG_PATH, config_text
from ..schema import DOC_PATH, SCHEMA_PATH, json_schema_text, reference_page


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("schema", help="生成 JSON Schema 与格式说明 / write the schema")
    parser.add_argument(
        "--write",
        action="store_true",
        help=f"write {SCHEMA_PATH}, {DOC_PATH} and {CONFIG_PATH} (else print the schema)",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the committed files are out of date"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    outputs = {
        Path(SCHEMA_PATH): json_schema_text(),
        Path(DOC_PATH): reference_page(),
        Path(CONFIG_PATH): config_text(),
    }
    if args.check:
        stale = [
            str(p)
            for p, text in outputs.items()
            if not p.exists() or p.read_text(encoding="utf-8") != text
        ]
        for path in stale:
            print(
                f"{path}: 已过期，请运行 make schema / out of date, run `make schema`",
                file=sys.stderr,
            )
        return 1 if stale else 0
    if args.write:
        for path, text in outputs.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return 0
    sys.stdout.write(outputs[Path(SCHEMA_PATH)])
    return 0
