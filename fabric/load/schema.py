"""JSON Schema for `fabric.yaml` and resource files, generated from the models.

Editors use these through the `# yaml-language-server: $schema=` line. Values that are
not strings in the model also accept a jinja2 template string (`"{{ var.x }}"`).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from fabric.model.resources import KINDS
from fabric.model.stamp import StampConfig

TEMPLATE = {"type": "string", "pattern": r"\{\{|\{%", "description": "A jinja2 template."}
FILES = ("fabric.schema.json", "resources.schema.json")


def _allow_templates(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _allow_templates(v) for k, v in node.items()}
        if node.get("type") in ("integer", "boolean", "number", "array") or "enum" in node:
            typed = {k: v for k, v in node.items() if k not in ("title", "description", "default")}
            rest = {k: v for k, v in node.items() if k in ("title", "description", "default")}
            return {**rest, "anyOf": [typed, TEMPLATE]}
        return node
    if isinstance(node, list):
        return [_allow_templates(v) for v in node]
    return node


def _kind_schema(kind: str, defs: dict[str, Any]) -> dict[str, Any]:
    schema = copy.deepcopy(KINDS[kind].model_json_schema(ref_template="#/$defs/{model}"))
    defs.update(schema.pop("$defs", {}))
    props = schema["properties"]
    schema["required"] = [r for r in schema.get("required", []) if r != "name"]
    props["for_each"] = {"description": "Repeat this resource: a list, a mapping, or a template yielding one."}
    if kind == "host_group":
        props.pop("parent", None)
        props["children"] = {
            "type": "object",
            "description": "Child host groups by name.",
            "additionalProperties": {"$ref": "#/$defs/host_group"},
        }
    return schema


def resources_schema() -> dict[str, Any]:
    """Schema of a resource file: kind → key → attributes."""
    defs: dict[str, Any] = {}
    for kind in KINDS:
        defs[kind] = _kind_schema(kind, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "fabric resource file",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            k: {"type": ["object", "null"], "additionalProperties": {"$ref": f"#/$defs/{k}"}} for k in KINDS
        },
        "$defs": _allow_templates(defs),
    }


def stamp_schema() -> dict[str, Any]:
    """Schema of `fabric.yaml`."""
    schema = StampConfig.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "fabric.yaml", **schema}


def render_schemas() -> dict[str, str]:
    """File name → JSON text, exactly as written to `schemas/`."""
    docs = {"fabric.schema.json": stamp_schema(), "resources.schema.json": resources_schema()}
    return {name: json.dumps(doc, indent=2, sort_keys=True) + "\n" for name, doc in docs.items()}
