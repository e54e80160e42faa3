"""Import published 项目支出绩效目标表 (PDF text or flattened web tables) as draft YAML files.

The pipeline, one module per step:
- `extract`: bytes of a file → text (UTF-8 text, or PDF through pdfplumber), refusing bad input;
- `detect`: text → one chunk per project table, each with its family of form;
- `shanghai` / `national`: a chunk → a `Draft` (data in the format of `fields.py`, plus
  whatever text could not be placed);
- `draft`: a `Draft` → YAML text in the style of the hand-made files;
- `command`: the `disclosures import` subcommand, writing each file atomically.
"""
