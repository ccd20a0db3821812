"""Benchmark the disaster-recovery kinds: a stamp with N protected VMs planned like today's kinds.

Usage (from the repository root; `make bench` runs it after bench/run.py):

    python bench/dr.py [--vms 1000,10000] [--out docs/benchmarks-dr.md] [--repeat N]

The stamp: three locations, each with an IaaS cloud paired to the next location's DR cloud, a
network mapping per pairing, N protected VMs spread over the pairings (each with a mapped
adapter), recovery plans of 100 VMs in 5 boot groups with a manual and a built-in action, and
the lab seeded with a host per cloud and the N VMs. Phases (median of --repeat runs, each a
separate `python -m fabric` process): validate, plan from empty (a new lab, and one already
seeded), apply (-p 8), no-op plan. bench/run.py's stamp of today's kinds is generated at the
same resource count and measured in the same run: the figure to compare is µs per resource,
start-up included, side by side.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
LOCATIONS = ("Oslo", "Stockholm", "Copenhagen")


def write_stamp(root: Path, vms: int) -> int:
    """The stamp and its lab seed in `root`; returns its resource count."""
    root.mkdir(parents=True)
    n = len(LOCATIONS)
    nxt = {loc: LOCATIONS[(i + 1) % n] for i, loc in enumerate(LOCATIONS)}
    res: dict[str, dict[str, object]] = {k: {} for k in ("host_group", "cloud", "logical_network", "network_site")}
    res["host_group"] = {loc: {"children": {"IaaS": {}, "DR": {}}} for loc in LOCATIONS}
    res["logical_network"] = {"tenants": {"name": "Tenants", "isolation": "vlan"}}
    res["network_site"] = {
        f"t-{i}": {
            "name": f"Tenants {loc}",
            "logical_network": "logical_network.tenants",
            "host_groups": [f"host_group.{loc}"],
            "subnets": [{"subnet": f"10.{i}.0.0/16", "vlan": 100 + i}],
        }
        for i, loc in enumerate(LOCATIONS)
    }
    res["ip_pool"] = {
        f"t-{i}": {
            "name": f"Tenants {loc} pool",
            "network_site": f"network_site.t-{i}",
            "subnet": f"10.{i}.0.0/16",
            "range_start": f"10.{i}.0.10",
            "range_end": f"10.{i}.255.250",
        }
        for i, loc in enumerate(LOCATIONS)
    }
    res["vm_network"] = {
        f"t-{i}": {
            "name": f"Tenants {loc}",
            "logical_network": "logical_network.tenants",
            "isolation": "vlan",
            "subnets": [
                {"name": "t", "subnet": f"10.{i}.0.0/16", "vlan": 100 + i, "network_site": f"network_site.t-{i}"}
            ],
        }
        for i, loc in enumerate(LOCATIONS)
    }
    for loc in LOCATIONS:
        for side in ("IaaS", "DR"):
            res["cloud"][f"{side.lower()}-{loc.lower()}"] = {
                "name": f"{side} {loc}",
                "host_groups": [f"host_group.{loc}/{side}"],
                "logical_networks": ["logical_network.tenants"],
                "disaster_recovery_supported": True,
            }
    res["replication_policy"] = {"five": {"name": "Five minutes", "recovery_points": 4}}
    res["cloud_pairing"] = {
        loc.lower(): {
            "name": f"{loc} to {nxt[loc]}",
            "primary_cloud": f"cloud.iaas-{loc.lower()}",
            "recovery_cloud": f"cloud.dr-{nxt[loc].lower()}",
            "policy": "replication_policy.five",
        }
        for loc in LOCATIONS
    }
    index = {loc: i for i, loc in enumerate(LOCATIONS)}
    res["network_mapping"] = {
        loc.lower(): {
            "name": f"Tenants {loc}",
            "primary_vm_network": f"vm_network.t-{index[loc]}",
            "recovery_vm_network": f"vm_network.t-{index[nxt[loc]]}",
            "pairings": [f"cloud_pairing.{loc.lower()}"],
        }
        for loc in LOCATIONS
    }
    seed: dict[str, dict[str, object]] = {"hosts": {}, "vms": {}}
    for loc in LOCATIONS:
        for side in ("IaaS", "DR"):
            seed["hosts"][f"{loc}-{side}"] = {"host_group": f"{loc}/{side}", "switches": ["S"]}
    protected: dict[str, object] = {}
    for v in range(vms):
        loc = LOCATIONS[v % n]
        name = f"VM{v:06d}"
        adapter = {"switch": "S", "vlan": 100 + index[loc], "vm_network": f"Tenants {loc}"}
        seed["vms"][name] = {"host": f"{loc}-IaaS", "adapters": [adapter]}
        protected[f"vm{v}"] = {
            "vm": name,
            "pairing": f"cloud_pairing.{loc.lower()}",
            "adapters": [{"adapter": 0, "vm_network": f"vm_network.t-{index[loc]}"}],
        }
    res["protected_vm"] = protected
    keys = list(protected)
    plans: dict[str, object] = {}
    for p in range(0, len(keys), 100):
        chunk = keys[p : p + 100]
        groups = [{"name": f"g{g}", "vms": [f"protected_vm.{k}" for k in chunk[g::5]]} for g in range(5) if chunk[g::5]]
        groups[0]["pre"] = [
            {"name": "confirm", "manual": {"instructions": "Confirm."}, "failover_types": ["planned", "unplanned"]}
        ]
        plans[f"rp{p // 100}"] = {
            "name": f"rp-{p // 100:03d}",
            "groups": groups,
            "shutdown": {"pre": [{"name": "prepare", "builtin": "prepare_replica_network"}]},
        }
    res["recovery_plan"] = plans
    (root / "fabric.yaml").write_text(
        yaml.safe_dump({"stamp": "dr-bench", "provider": {"type": "lab", "seed": "lab/seed.yaml"}})
    )
    (root / "lab").mkdir()
    (root / "lab" / "seed.yaml").write_text(yaml.safe_dump(seed))
    (root / "resources.yaml").write_text(yaml.safe_dump(res, sort_keys=False))
    return sum(len(v) for k, v in res.items() if k != "host_group") + 3 * len(LOCATIONS)


def run(args: list[str], work: Path, expect: set[int], stdout: Path | None = None) -> float:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "fabric", *args], cwd=REPO, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in expect:
        raise SystemExit(f"fabric {' '.join(args)} exited {done.returncode}:\n{done.stderr.decode()[-2000:]}")
    if stdout is not None:
        stdout.write_bytes(done.stdout)
    return wall


PHASES = ("validate", "plan (from empty)", "plan (from empty, lab seeded)", "apply (-p 8)", "no-op plan")


def measure(stamp: Path, tmp: Path, repeat: int, seed: Path | None) -> dict[str, float]:
    """Median wall seconds per phase; "lab seeded" is the plan with the lab already holding the VMs
    (as a real VMM does: the seed is the lab's fixture, not desired state)."""
    times: dict[str, list[float]] = {p: [] for p in PHASES}
    for r in range(repeat):
        work, seeded = tmp / f"{stamp.name}-w{r}", tmp / f"{stamp.name}-s{r}"
        times["validate"].append(run(["validate", str(stamp)], tmp, {0}))
        times["plan (from empty)"].append(run(["plan", str(stamp), "--state-dir", str(work)], tmp, {0}))
        if seed is not None:
            run(["lab", "seed", str(stamp), str(seed), "--state-dir", str(seeded)], tmp, {0})
            times["plan (from empty, lab seeded)"].append(
                run(["plan", str(stamp), "--state-dir", str(seeded)], tmp, {0})
            )
        apply = ["apply", str(stamp), "--state-dir", str(work), "--auto-approve", "--parallelism", "8", "--compact"]
        times["apply (-p 8)"].append(run(apply, tmp, {0}))
        times["no-op plan"].append(run(["plan", str(stamp), "--state-dir", str(work), "--detailed-exitcode"], tmp, {0}))
        if seed is not None:  # the rehearsal: one plan of 100 VMs, then every plan in every type
            simulate = ["dr", "simulate", str(stamp), "rp0", "--type", "planned", "--state-dir", str(work)]
            times.setdefault("dr simulate (100 VMs)", []).append(run(simulate, tmp, {0, 2}))
            check = ["dr", "check", str(stamp), "--state-dir", str(work)]
            times.setdefault("dr check (every plan × 3 types)", []).append(run(check, tmp, {0}))
            facts = tmp / f"facts-{r}.json"
            saved = run(["dr", "facts", str(stamp), "--state-dir", str(work)], tmp, {0}, facts)
            times.setdefault("dr facts (save every VM's facts)", []).append(saved)
            offline = [*simulate, "--facts", str(facts)]
            times.setdefault("dr simulate --facts (100 VMs, saved facts)", []).append(run(offline, tmp, {0, 2}))
            scripts = ["dr", "render", str(stamp), "--format", "hyperv-ps", "--plan", "rp0"]
            scripts += ["--out", str(tmp / f"hv-{r}"), "--state-dir", str(work)]
            times.setdefault("dr render hyperv-ps (one plan, 4 types)", []).append(run(scripts, tmp, {0}))
            arm = ["dr", "render", str(stamp), "--format", "arm"]
            times.setdefault("dr render arm (every plan)", []).append(run(arm, tmp, {0}))
    return {p: statistics.median(t) for p, t in times.items() if t}


def side_by_side(vms: int, repeat: int, tmp: Path) -> list[str]:
    """The table for one size: the DR stamp and today's kinds at the same resource count, one run."""
    sys.path.insert(0, str(REPO / "bench"))
    import stampgen  # bench/run.py's stamp of today's kinds

    dr_count = write_stamp(tmp / "dr", vms)
    vmm = stampgen.generate(tmp / "vmm", dr_count)
    run(["version"], tmp, {0})  # warm the bytecode cache
    dr = measure(tmp / "dr", tmp, repeat, tmp / "dr" / "lab" / "seed.yaml")
    today = measure(tmp / "vmm", tmp, repeat, None)
    rows = [
        f"## {vms:,} protected VMs: {dr_count:,} DR resources, beside {vmm.resources:,} of today's kinds "
        f"(median of {repeat})",
        "",
        "| phase | DR wall s | DR µs/resource | today's kinds wall s | µs/resource | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for phase in PHASES:
        ours = dr[phase] / dr_count * 1e6
        base_phase = "plan (from empty)" if phase == "plan (from empty, lab seeded)" else phase
        theirs = today[base_phase] / vmm.resources * 1e6
        cells = [phase, f"{dr[phase]:.2f}", f"{ours:,.0f}", f"{today[base_phase]:.2f}", f"{theirs:,.0f}"]
        rows.append("| " + " | ".join(cells) + f" | {ours / theirs:.2f}× |")
    rows += ["", "| DR command | wall s |", "|---|---:|"]
    rows += [f"| {phase} | {dr[phase]:.2f} |" for phase in dr if phase.startswith("dr ")]
    return [*rows, ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", default="1000,10000", help="comma-separated sizes")
    parser.add_argument("--repeat", type=int, default=0, help="runs per phase (default: 3 up to 1k, else 1)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks-dr.md")
    opts = parser.parse_args()
    sizes = [int(v) for v in str(opts.vms).split(",")]
    started = time.time()
    text = [
        "# Benchmark: the disaster-recovery kinds",
        "",
        f"Generated by `python bench/dr.py --vms {opts.vms}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        "every figure is measured, in one run, so both columns share the machine's state. See the module",
        "docstring for the DR stamp; today's kinds are bench/run.py's stamp generated at the same resource",
        "count. µs/resource includes start-up, as in docs/benchmarks.md.",
        "",
        "*plan (from empty, lab seeded)* plans against a lab that already holds the VMs, as a real VMM does",
        "(the seed is the lab's fixture, not desired state): it is the cost of planning the DR kinds, and its",
        "comparison is today's plan from empty. *plan (from empty)* also creates the lab and loads its seed;",
        "`validate` also checks the seed file. Applying protects each VM in the lab (the VM looked up, the",
        "runtime rules, replica placement, a replica and a replication row), more than storing an object.",
        "",
    ]
    for vms in sizes:
        with tempfile.TemporaryDirectory() as tmp_name:
            text += side_by_side(vms, opts.repeat or (3 if vms <= 1000 else 1), Path(tmp_name))
    text.append(f"The whole run took {(time.time() - started) / 60:.1f} min.")
    opts.out.write_text("\n".join(text) + "\n")
    print("\n".join(text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
