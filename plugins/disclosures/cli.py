"""The `disclosures` command: validate data, build the site (and, from other modules, import
tables and scaffold new files). Each subcommand lives in a module listed in COMMAND_MODULES."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Command name → the module that adds it (in the order `--help` lists them).
COMMANDS: dict[str, str] = {
    "validate": "disclosures.commands.validate",
    "build": "disclosures.commands.build",
    "serve": "disclosures.commands.serve",
    "builder": "disclosures.commands.builder",
    "schema": "disclosures.commands.schema",
    "import": "disclosures.importer.command",
    "new": "disclosures.scaffold",
}
COMMAND_MODULES: tuple[str, ...] = tuple(COMMANDS.values())


def make_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; with `only` (a command's name), just that command's module is
    imported: `disclosures build` with nothing changed stops before the others load."""
    parser = argparse.ArgumentParser(
        prog="disclosures",
        description="项目支出绩效目标表：检查数据、生成网站 / performance-target disclosures: "
        "validate data, build the site",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in [COMMANDS[only]] if only in COMMANDS else COMMAND_MODULES:
        importlib.import_module(name).add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    only = argv[0] if argv and argv[0] in COMMANDS else None
    args = make_parser(only).parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
