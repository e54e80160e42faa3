"""Self-evaluation results (绩效自评) beside the targets: values, model, checks, status,
statistics. Declared in fields.py (`selfeval:`), documented in docs/results.md."""
