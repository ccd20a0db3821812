"""`fabric init` templates: scaffold a stamp directory from a packaged template.

Templates are rendered at init time with `[[ … ]]` delimiters in a sandboxed jinja2
environment with strict undefined, so the stamp's own `{{ … }}` expressions pass through.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment

from fabric.errors import FabricError

TEMPLATES = Path(__file__).parent / "templates" / "init"
_ENV = SandboxedEnvironment(
    undefined=jinja2.StrictUndefined,
    variable_start_string="[[",
    variable_end_string="]]",
    block_start_string="[%",
    block_end_string="%]",
    keep_trailing_newline=True,
    trim_blocks=True,  # a `[% for %]` line leaves no blank line behind
    lstrip_blocks=True,
)


def templates() -> list[str]:
    """Names of the packaged templates."""
    return sorted(p.name for p in TEMPLATES.iterdir() if (p / "defaults.yaml").exists())


def _coerce(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, list):
        items = [item.strip() for item in raw.split(",") if item.strip()]
        if not items:
            raise FabricError(f"--var {name}: give at least one value (comma-separated)")
        return items
    if isinstance(default, bool):
        return raw.lower() in ("1", "true", "yes")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise FabricError(f"--var {name}: {raw!r} is not a whole number") from None
    return raw


def variables(template: str, assignments: list[str]) -> dict[str, Any]:
    """The template's defaults overridden by `NAME=VALUE` assignments (lists comma-separated)."""
    if template not in templates():
        raise FabricError(f"unknown template {template!r} (available: {', '.join(templates())})")
    defaults = yaml.safe_load((TEMPLATES / template / "defaults.yaml").read_text()) or {}
    values = dict(defaults)
    for assignment in assignments:
        name, sep, raw = assignment.partition("=")
        if not sep:
            raise FabricError(f"--var {assignment!r} is not NAME=VALUE")
        if name not in defaults:
            raise FabricError(f"--var {name}: template {template!r} has no such variable (has: {', '.join(defaults)})")
        values[name] = _coerce(name, raw, defaults[name])
    return values


def schema_dir(target: Path) -> str:
    """Relative path from `target` to the nearest `schemas/` above it (else `schemas`)."""
    for folder in [target.resolve(), *target.resolve().parents]:
        if (folder / "schemas" / "resources.schema.json").exists():
            return os.path.relpath(folder / "schemas", target.resolve())
    return "schemas"


def ensure_schemas(target: Path) -> str:
    """The `$schema` directory for a new stamp in `target`, writing `target/schemas/` if none is above."""
    schemas = schema_dir(target)
    if schemas == "schemas":
        from fabric.load.schema import render_schemas

        (target / "schemas").mkdir(parents=True, exist_ok=True)
        for name, text in render_schemas().items():
            (target / "schemas" / name).write_text(text)
    return schemas


def scaffold(target: Path, template: str, assignments: list[str], *, force: bool = False) -> list[Path]:
    """Write the rendered template into `target`; refuse a non-empty directory unless forced."""
    values = variables(template, assignments)
    if target.exists() and any(target.iterdir()) and not force:
        raise FabricError(f"{target} exists and is not empty (use --force to overwrite)")
    target.mkdir(parents=True, exist_ok=True)
    schemas = ensure_schemas(target)
    context = {**values, "schema_dir": schemas}
    if values.get("stamp") == template and target.name:
        context["stamp"] = re.sub(r"[^A-Za-z0-9_.-]+", "-", target.name).strip("-.") or template
    written = []
    root = TEMPLATES / template
    for source in sorted(p for p in root.rglob("*") if p.is_file() and p.name != "defaults.yaml"):
        relative = source.relative_to(root)
        path = target / (str(relative).removesuffix(".j2"))
        path.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix != ".j2":  # a file the stamp names (a library script): copied as it is
            path.write_bytes(source.read_bytes())
            written.append(path)
            continue
        try:
            text = _ENV.from_string(source.read_text()).render(context)
        except Exception as exc:  # any failure of a packaged template is reported, not a traceback
            raise FabricError(f"template {template}/{relative}: {exc}") from None
        path.write_text(text)
        written.append(path)
    return written
