"""The `unmanaged:` section of `fabric.yaml`: what each rule names must make sense, pure.

Unknown kinds and keys are refused while loading (the section is a model with one field per
kind, so the loader's "did you mean" names the kind meant). Here: a rule must say something;
`under` only for kinds that sit in host groups; every host group it names is declared in code.
"""

from __future__ import annotations

from typing import Protocol

from fabric.model.stamp import PLACED_KINDS, Fabric, Finding, SourceRef

_EMPTY = "write `all`, or a mapping with names and/or under"


class RuleContext(Protocol):
    """What this rule needs of `fabric.validate.rules`' context."""

    fabric: Fabric
    known: set[str]
    findings: list[Finding]

    def meant(self, target: str, kind: str) -> str:
        """`; did you mean …?` for a reference to nothing of `kind`, or ''."""
        ...


def unmanaged_entries(ctx: RuleContext) -> None:
    """Findings for the `unmanaged:` rules, located in `fabric.yaml`."""
    config = ctx.fabric.config.unmanaged
    declared = ctx.fabric.resources

    def finding(path: tuple[str | int, ...], message: str, at_key: bool = False) -> None:
        ctx.findings.append(Finding(SourceRef(ctx.fabric.config_file, ("unmanaged", *path)), message, at_key))

    for kind in type(config).model_fields:
        rule = getattr(config, kind)
        if rule is None:
            if kind in config.model_fields_set:  # `cloud:` with nothing after it
                finding((kind,), f"unmanaged.{kind} is empty: {_EMPTY}", at_key=True)
            continue
        if not rule.names and not rule.under:
            finding((kind,), f"unmanaged.{kind} expects nothing: {_EMPTY}", at_key=True)
        if rule.under and kind not in PLACED_KINDS:
            message = f"unmanaged.{kind}.under: a {kind} sits in no host group, so under never matches it; use names"
            finding((kind, "under"), message, at_key=True)
            continue
        for i, target in enumerate(rule.under):
            if not target.startswith("host_group."):
                problem = f"expected a host_group address, got {target!r}"
            elif target not in declared and target not in ctx.known:
                problem = f"{target!r} is not declared in code"
            else:
                continue
            finding((kind, "under", i), f"unmanaged.{kind}.under: {problem}{ctx.meant(target, 'host_group')}")
