"""`fabric scvmm selftest`: the script that confirms on a lab VMM what fabric could not confirm
from the cmdlet reference or public code (docs/scvmm-lab-checklist.md lists the same points as
one-line commands).

The script (`templates/selftest.ps1.j2`) is self-contained and bounded: it needs no fabric, state
or credentials, creates a fixed set of objects under a scratch host group it creates itself,
reads each back, compares, removes all of them newest first (in `finally`, also after a failure)
and prints one row per check of `CHECKS`, then one JSON line (`ok`, `results`).
"""

from __future__ import annotations

from dataclasses import dataclass

from fabric_scvmm.scripts import render_named, target
from fabric_scvmm.versions import DEFAULT_VERSION

# A subnet and VLAN for the scratch site: RFC 2544's benchmarking range, unlikely to be in use;
# the script names them at its top for the admin to change.
SUBNET = "198.18.250.0/24"
VLAN = 3999
# The scratch MAC pool's range: VMM refuses a pool that overlaps another, and every VMM has its
# "Default MAC address pool" (00:1D:D8:B7:1C:00-00:1D:D8:F4:1F:FF, fabric.model.builtins), so the
# range is outside it: locally administered (02-…), unicast, 16 addresses.
MAC_START = "02-FA-B0-00-00-00"
MAC_END = "02-FA-B0-00-00-0F"


@dataclass(frozen=True)
class Check:
    """One row of the table: the audit finding it settles and what it asks."""

    id: str
    question: str
    verdict: str  # "pass/FAIL": fabric depends on the answer; "info": fabric is safe either way


CHECKS: tuple[Check, ...] = (
    Check("D11", "a MAC pool's host groups are its property HostGroup", "pass/FAIL"),
    Check("D15", "a MAC range given with dashes reads back as the same address", "pass/FAIL"),
    Check("D12", "a cloud's DR flag is its property DisasterRecoverySupported", "pass/FAIL"),
    Check("D4", "Get-SCLogicalNetworkDefinition -ReturnAllTypes finds every site the default finds", "pass/FAIL"),
    Check("D5", "New-SCLogicalNetworkDefinition takes -SubnetVLan @()", "info"),
    Check("D6", "Set-SCStaticIPAddressPool -IPAddressReservedSet '' clears the set", "info"),
    Check("D13", "a VM subnet's site is its property LogicalNetworkDefinition", "pass/FAIL"),
    Check("D1", "what Set-SCVMNetwork returns", "info"),
    Check("D14", "a virtual port's default flag is its property IsDefaultPortProfileSet", "pass/FAIL"),
    Check("D7", "Get-SCPortClassification -ID of another kind's ID: nothing or an error", "info"),
    Check("D8", "Get-SCVirtualNetworkAdapter -ID of a missing adapter: nothing or an error", "info"),
)


def selftest_script(vmm_version: str = DEFAULT_VERSION, vmm_server: str | None = None) -> str:
    """The self-test script for `vmm_version` (connecting to `vmm_server` first, if given)."""
    return render_named(
        "selftest.ps1.j2",
        checks=list(CHECKS),
        subnet=SUBNET,
        vlan=VLAN,
        mac_start=MAC_START,
        mac_end=MAC_END,
        **target(vmm_version, vmm_server),
    )
