"""The floor: parse every YAML file with libyaml and render every project page with Jinja2
alone (markdown-it for the narrative, as our site does), no Pelican, no validation.

    python bench/floor.py DATA OUTPUT
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup


def main(data: Path, output: Path) -> int:
    md = MarkdownIt("commonmark", {"html": False})
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "floor"), autoescape=True
    )
    env.filters["markdown"] = lambda text: Markup(md.render(text or ""))
    template = env.get_template("project.html")
    count = 0
    for path in sorted(data.rglob("*.yaml")):
        project = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        target = output / path.relative_to(data).with_suffix("") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.render(p=project), encoding="utf-8")
        count += 1
    print(f"floor: {count} pages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), Path(sys.argv[2])))
