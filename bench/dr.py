"""Benchmark the disaster-recovery kinds: a stamp with N protected VMs planned like today's kinds.

Usage (from the repository root; `make bench` runs it after bench/run.py):

    python bench/dr.py [--vms 1000] [--out docs/benchmarks-dr.md] [--repeat 3]

The stamp: three locations, each with an IaaS cloud paired to the next location's DR cloud, a
network mapping per pairing, N protected VMs spread over the pairings (each with a mapped
adapter), recovery plans of 100 VMs in 5 boot groups with a manual and a built-in action, and
the lab seeded with a host per cloud and the N VMs. Phases (median of --repeat runs, each a
separate `python -m fabric` process): validate, plan from empty, apply (-p 8), no-op plan. The
figure to compare is µs per resource, start-up included, against the 1k row of
docs/benchmarks.md (today's kinds).
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


def run(args: list[str], work: Path, expect: set[int]) -> float:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "fabric", *args], cwd=REPO, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in expect:
        raise SystemExit(f"fabric {' '.join(args)} exited {done.returncode}:\n{done.stderr.decode()[-2000:]}")
    return wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks-dr.md")
    opts = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        stamp = Path(tmp) / "stamp"
        count = write_stamp(stamp, opts.vms)
        run(["version"], Path(tmp), {0})  # warm the bytecode cache
        times: dict[str, list[float]] = {"validate": [], "plan (from empty)": [], "apply (-p 8)": [], "no-op plan": []}
        for r in range(opts.repeat):
            work = Path(tmp) / f"w{r}"
            times["validate"].append(run(["validate", str(stamp)], Path(tmp), {0}))
            times["plan (from empty)"].append(run(["plan", str(stamp), "--state-dir", str(work)], Path(tmp), {0}))
            apply = ["apply", str(stamp), "--state-dir", str(work), "--auto-approve", "--parallelism", "8", "--compact"]
            times["apply (-p 8)"].append(run(apply, Path(tmp), {0}))
            noop = ["plan", str(stamp), "--state-dir", str(work), "--detailed-exitcode"]
            times["no-op plan"].append(run(noop, Path(tmp), {0}))
        for phase, walls in times.items():
            wall = statistics.median(walls)
            rows.append(f"| {phase} | {count:,} | {wall:.2f} | {wall / count * 1e6:,.0f} |")
    text = "\n".join(
        [
            "# Benchmark: the disaster-recovery kinds",
            "",
            f"`python bench/dr.py --vms {opts.vms}` ({time.strftime('%Y-%m-%d')}, median of {opts.repeat}; see the",
            "module docstring for the stamp). µs/resource includes start-up, as in docs/benchmarks.md; compare",
            "with its 1k row (today's kinds).",
            "",
            "| phase | resources | wall s | µs/resource |",
            "|---|---|---|---|",
            *rows,
            "",
        ]
    )
    opts.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
