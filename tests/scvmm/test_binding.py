"""The binding check (issue 11): every command call of every script the scvmm provider can render
binds to a parameter set of each supported VMM version, by the signature table in
`fabric_scvmm/signatures/` (how the calls are bound: `binding/checker.py`; which scripts:
`binding/generate.py`). Each run writes the failures to /tmp/binding-report.txt (`binding/report.py`).
"""

from __future__ import annotations

import pytest
from binding import generate, report
from fabric_scvmm.scripts import OPERATIONS
from fabric_scvmm.signatures import load
from fabric_scvmm.versions import VERSIONS

from fabric.model.resources import VMM_KINDS as KINDS


@pytest.fixture(scope="module")
def generated() -> generate.Generated:
    return generate.generate()


@pytest.fixture(scope="module")
def found(generated: generate.Generated) -> dict[str, report.VersionResult]:
    out = report.results(generated)
    report.write(generated, out)
    return out


@pytest.mark.parametrize("version", VERSIONS)
def test_every_rendered_command_binds(version: str, found: dict[str, report.VersionResult]) -> None:
    failures = found[version].failures
    shown = "\n".join(str(f) for f in failures[:30])
    more = f"\n… and {len(failures) - 30} more" if len(failures) > 30 else ""
    where = report.default_path()
    assert not failures, (
        f"{len(failures)} call(s) do not bind on {load(version).label} (all in {where}):\n{shown}{more}"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_every_kind_and_operation_is_rendered(version: str, generated: generate.Generated) -> None:
    names = [s.name for s in generated.rendered[version].scripts]
    for kind in KINDS:
        for op in OPERATIONS:
            assert any(n.startswith(f"{kind}/{op}") for n in names), (kind, op)
        assert any(n.startswith(f"plan {kind} ") for n in names), kind  # create, update, replace, two-step
    assert {"read", "read [vmm_server]", "selftest"} <= set(names)
    assert sum(n.startswith("golden/") for n in names) == len(list(generate.GOLDEN.glob("*.ps1")))


@pytest.mark.parametrize("version", VERSIONS)
def test_every_vmm_cmdlet_of_the_table_is_called(version: str, found: dict[str, report.VersionResult]) -> None:
    # the table and the templates stay in step: a cmdlet no script calls is a coverage gap or a stale entry
    assert found[version].vmm_uncalled == []


def test_the_renders_reach_every_piece_of_template_output(generated: generate.Generated) -> None:
    missed = [f"{s.template}:{s.line} {' '.join(s.commands)}" for s in generated.coverage.missed()]
    assert not missed, "no generated script reaches these template lines:\n" + "\n".join(missed)
    assert len(generated.coverage.call_sites) > 50


def test_the_renders_take_every_branch_both_ways(generated: generate.Generated) -> None:
    # a `for` that never ran with no items is left out: most loop over constants or non-empty lists
    missed = [f"{b.template}:{b.line} {why}" for b, why in generated.coverage.missed_outcomes() if why != "never empty"]
    assert not missed, "no generated script takes these template branches:\n" + "\n".join(missed)


def test_the_samples_hold_every_attribute_of_every_kind() -> None:
    # a new attribute must get a sample value (binding/generate.py SAMPLES), or its template branches go unchecked
    assert generate.unsampled_fields() == {}
    assert {s.kind for s in generate.SAMPLES} == set(KINDS)
