"""The `disclosures` command: validate data, build the site (and, from other modules, import
tables and scaffold new files). Each subcommand lives in a module listed in COMMAND_MODULES."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES: tuple[str, ...] = (
    "disclosures.commands.validate",
    "disclosures.commands.build",
    "disclosures.commands.serve",
    "disclosures.commands.builder",
    "disclosures.commands.schema",
    "disclosures.importer.command",
    "disclosures.scaffold",
)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="disclosures",
        description="项目支出绩效目标表：检查数据、生成网站 / performance-target disclosures: "
        "validate data, build the site",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
