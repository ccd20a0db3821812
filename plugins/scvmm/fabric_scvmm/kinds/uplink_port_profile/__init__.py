"""The uplink_port_profile kind in the scvmm provider: its inventory parser and the VMM properties its read uses.

Read with Get-SCNativeUplinkPortProfile; fields: LogicalNetworkDefinitionIDs, LBFOTeamMode,
LBFOLoadBalancingAlgorithm, EnableNetworkVirtualization.

Its scripts are beside this module: create, update, delete and read (`.ps1.j2`).
"""

from __future__ import annotations

from typing import Any

from fabric_scvmm.reading import BALANCE, TEAM, X_UPLINK, Property, Raw, base, common, ids, many, text

PROPERTIES: tuple[Property, ...] = (
    *common("uplink_port_profile", "NativeUplinkPortProfile"),
    *many(
        "uplink_port_profile",
        "NativeUplinkPortProfile",
        X_UPLINK,
        ("LogicalNetworkDefinitions", "LogicalNetworkDefinitionIDs"),
        ("LBFOTeamMode", "LBFOTeamMode"),
        ("LBFOLoadBalancingAlgorithm", "LBFOLoadBalancingAlgorithm"),
        ("EnableNetworkVirtualization", "EnableNetworkVirtualization"),
    ),
)


def parse(raw: Raw) -> dict[str, Any]:
    """The uplink port profile's attributes from its read (fields: see the module docstring)."""
    return {
        **base(raw),
        "network_sites": ids(raw, "LogicalNetworkDefinitionIDs"),
        "team_mode": TEAM.get(text(raw, "LBFOTeamMode"), text(raw, "LBFOTeamMode").lower()),
        "load_balancing": BALANCE.get(text(raw, "LBFOLoadBalancingAlgorithm"), "host_default"),
        "network_virtualization": bool(raw.get("EnableNetworkVirtualization")),
    }
