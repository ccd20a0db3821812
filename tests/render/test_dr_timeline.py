"""`fabric dr simulate --format html`, looked at in headless Chromium: a bar per step that runs, in
time order from left to right, as long as its estimate; manual steps and failures in their own
colours; a VM that comes up wrong marked in the table. No script in the page."""

from __future__ import annotations

import shutil
from pathlib import Path

from browser import Box, look, needs_chromium
from conftest import Cli

from fabric.render.simulation import COLOURS


def _inside(box: Box) -> list[tuple[int, int]]:
    return [(int(box.left + box.width / 2), int(box.top + box.height / 2))]


@needs_chromium
def test_the_timeline_draws_each_step_where_and_as_long_as_it_runs(cli: Cli, applied: Path, tmp_path: Path) -> None:
    stamp = tmp_path / "reference"
    shutil.copytree(applied, stamp)
    assert cli("lab", "vm", stamp, "WAPTEN01", "--replica", "adapters.0.failover_ipv4=enabled_empty").code == 0
    dr = stamp / "dr.yaml"
    prepare = "        - {name: prepare-replica-network, builtin: prepare_replica_network}\n"
    text = dr.read_text()
    assert prepare in text
    dr.write_text(text.replace(prepare, "").replace("    shutdown:\n      pre:\n", ""))
    result = cli("dr", "simulate", stamp, "management-stamp", "--type", "planned", "--format", "html")
    assert result.code == 2
    assert "<script" not in result.out
    page = tmp_path / "timeline.html"
    page.write_text(result.out, encoding="utf-8")
    found = look(
        page,
        {
            "bars": "tr[data-status] .bar",
            "runs": 'tr[data-status="run"], tr[data-status="paused"], tr[data-status="failed"]',
            "manual": 'tr[data-status="paused"] .bar',
            "boots": 'tr[data-kind="boot"][data-step="database"] .bar',
            "bad": "tr.bad",
            "lanes": "td.lane",
        },
        tmp_path,
    )
    bars, runs = found.boxes["bars"], found.boxes["runs"]
    assert len(bars) == len(runs) >= 8 and all(b.rendered for b in bars)
    lefts = [b.left for b in bars]
    assert lefts == sorted(lefts), "steps run one after the other, left to right"
    lane = found.boxes["lanes"][0]
    assert all(lane.left <= b.left and b.left + b.width <= lane.left + lane.width + 1 for b in bars)
    (manual,) = found.boxes["manual"]
    (boot,) = found.boxes["boots"]
    # the manual SQL step is estimated at 10 min, a boot at 3 min: their bars say so
    assert abs(manual.width / boot.width - 10 / 3) < 0.15
    assert found.shows(_inside(manual), COLOURS["manual"])
    assert found.shows(_inside(boot), COLOURS["boot"])
    (bad,) = found.boxes["bad"]
    assert "WAPTEN01" in bad.text and "169.254.x.x" in bad.text
