"""The VMM versions the scvmm provider can target, and what each one can do.

`provider: {type: scvmm, vmm_version: …}` names the target (see `settings.ScvmmSettings`).
Templates render only parameters the target has (`features`), and validation refuses what it
cannot do (`fabric_scvmm.checks`). What differs comes from the shared signature table
(`@2012R2` sets) and the audit (docs: scvmm-audit.md V1–V3); nothing is known to differ past
2016 (no 2022 or 2025 cmdlet pages were found), so 2016 to 2025 render the same scripts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

VmmVersion = Literal["2012r2", "2016", "2019", "2022", "2025"]
VERSIONS: tuple[VmmVersion, ...] = get_args(VmmVersion)
# The oldest: what it renders binds on every version, and what needs a newer VMM is refused
# until the stamp says it has one (an early validation error instead of a failed apply).
DEFAULT_VERSION: VmmVersion = "2012r2"
LABELS: dict[str, str] = {
    "2012r2": "VMM 2012 R2",
    "2016": "VMM 2016",
    "2019": "VMM 2019",
    "2022": "VMM 2022",
    "2025": "VMM 2025",
}


@dataclass(frozen=True)
class Feature:
    """Something only some versions have: the first version with it, and where that is written."""

    name: str
    since: VmmVersion
    what: str
    source: str


FEATURES: tuple[Feature, ...] = (
    Feature(
        "vrss",
        "2016",
        "-EnableVrss on New-/Set-SCVirtualNetworkAdapterNativePortProfile",
        "audit V1: absent from the 2012 SP1 New- and 2012 R2 Set- pages, present in 2016 and 2019 "
        "(signature table Set-SCVirtualNetworkAdapterNativePortProfile Default@2012R2)",
    ),
    Feature(
        "embedded_team",
        "2016",
        "-SwitchUplinkMode EmbeddedTeam (Switch Embedded Teaming) on New-/Set-SCLogicalSwitch",
        "audit V2: 2012 SP1 Set-SCLogicalSwitch lists NoTeam|Team; SET shipped with Windows Server 2016",
    ),
    Feature(
        "site_by_id",
        "2016",
        "Get-SCLogicalNetworkDefinition -ID (the ById parameter set)",
        "audit V3: the 2012 SP1 and 2012 R2 pages list only the All, ByCloud and ByHostGroup sets "
        "(signature table All@2012R2…); 2012 R2 scripts filter the list by ID instead",
    ),
)


# Not a feature: -DisasterRecoverySupported of New-/Set-SCCloud is absent from 2012 SP1 but present
# from 2012 R2 (audit V4), the oldest version fabric targets.

_ORDER: dict[str, int] = {v: i for i, v in enumerate(VERSIONS)}


def at_least(version: str, since: str) -> bool:
    """True if `version` is `since` or newer."""
    return _ORDER[version] >= _ORDER[since]


def features(version: str) -> dict[str, bool]:
    """Feature name → whether `version` has it (what templates see as `features`)."""
    if version not in VERSIONS:
        raise ValueError(f"unknown VMM version {version!r} (known: {', '.join(VERSIONS)})")
    return {f.name: at_least(version, f.since) for f in FEATURES}


def normalise(value: object) -> object:
    """`2016` (a YAML integer), `"2012 R2"` and `"2012R2"` as the version names; anything else as given."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip().lower().replace(" ", "").replace("-", "")
    return value
