"""What `fabric validate` refuses for the scvmm provider, beyond the core rules (which hold for any VMM).

`ScvmmSettings.resource_findings` runs these with the stamp's `vmm_version` (the hook
`fabric.load.provider_settings.ResourceChecks`), so each problem is reported at its line in the
resource files before anything is planned, instead of failing at parameter binding on the server:

- what the target version lacks (`fabric_scvmm.versions.FEATURES`): `enable_vrss: true` and
  `uplink_mode: embedded_team` before VMM 2016 (audit V1, V2);
- a network site without subnets: `-SubnetVLan` of `New-`/`Set-SCLogicalNetworkDefinition` is
  mandatory, and whether VMM takes an empty list is unverified (audit D5; docs/design.md);
- a VLAN VM subnet naming no `network_site` whose subnet/VLAN pair several sites hold: the
  script passes `New-SCVMSubnet` the one site holding the pair (audit D2), so it must be unique;
- a disaster-recovery kind (replication policy, pairing, …): those are carried out by a DR
  backend (ASR or Hyper-V Replica), whose rendering is not built yet; only the lab runs them.

The templates refuse the same things when rendering (`refuse`), for callers that skip validation.
"""

from __future__ import annotations

from collections.abc import Iterator

from fabric.model.ipmath import network
from fabric.model.resources import LogicalSwitch, NetworkSite, Resource, VirtualPortProfile, VmNetwork
from fabric.model.slots import site_vlans
from fabric.model.stamp import Fabric, Finding, SourceRef
from fabric_scvmm.versions import FEATURES, LABELS, features

CHECKLIST = "docs/scvmm-lab-checklist.md"
Problem = tuple[str, tuple[str | int, ...], str]


def _needs(feature: str, what: str, version: str) -> str:
    since = next(f for f in FEATURES if f.name == feature).since
    return (
        f"{what} needs {LABELS[since]} or later, and the stamp targets {LABELS[version]} "
        f"(provider.vmm_version: {version}); set vmm_version if the server is newer"
    )


def _version_problems(address: str, resource: Resource, has: dict[str, bool], version: str) -> Iterator[Problem]:
    if isinstance(resource, VirtualPortProfile) and resource.enable_vrss and not has["vrss"]:
        yield address, ("enable_vrss",), _needs("vrss", "enable_vrss (-EnableVrss)", version)
    if isinstance(resource, LogicalSwitch) and resource.uplink_mode == "embedded_team" and not has["embedded_team"]:
        what = "uplink_mode embedded_team (Switch Embedded Teaming)"
        yield address, ("uplink_mode",), _needs("embedded_team", what, version)


def problems(fabric: Fabric, version: str) -> Iterator[Problem]:
    """(address, path inside it, message) for everything above, in file order."""
    has = features(version)
    held = None
    for address, resource in fabric.resources.items():
        if resource.DOMAIN != "vmm":
            continue  # carried out by the DR backend's rendered scripts, never planned here (engine.managed)
        yield from _version_problems(address, resource, has, version)
        if isinstance(resource, NetworkSite) and not resource.subnets:
            yield (
                address,
                ("subnets",),
                (
                    "on VMM a network site needs at least one subnet: New-SCLogicalNetworkDefinition's -SubnetVLan "
                    f"is mandatory and an empty list is unverified (see {CHECKLIST})"
                ),
            )
        if isinstance(resource, VmNetwork) and resource.isolation == "vlan":
            for i, sub in enumerate(resource.subnets):
                if sub.subnet is None or sub.network_site is not None:
                    continue
                held = site_vlans(fabric.resources) if held is None else held
                sites = held.get((resource.logical_network, str(network(sub.subnet)), sub.vlan), [])
                if len(sites) > 1:
                    yield (
                        address,
                        ("subnets", i),
                        (
                            f"subnet {sub.subnet} with VLAN {sub.vlan} is held by {', '.join(sites)}: name the "
                            "network_site (New-SCVMSubnet takes the one site of a VLAN VM subnet)"
                        ),
                    )


def resource_findings(fabric: Fabric, version: str) -> list[Finding]:
    """The problems as located findings (see `fabric.validate.rules._Ctx.error`)."""
    out = []
    for address, path, message in problems(fabric, version):
        src = fabric.sources[address]
        out.append(Finding(SourceRef(src.file, (*src.path, *path)), message, False, address))
    return out
