"""The scvmm provider's settings: what `provider:` in fabric.yaml may hold besides `type: scvmm`.

`fabric validate` checks the block against `ScvmmSettings` (the registry finds it as
`SETTINGS_MODEL` beside the factory, in `fabric_scvmm.provider`), so a wrong setting is
reported at its line. `check_settings` repeats the check when the provider opens, for
settings that come from a saved plan rather than from fabric.yaml. `vmm_version` is the target
VMM (`fabric_scvmm.versions`): scripts render only what it has, and validation refuses what it
cannot do (`resource_findings`, which `fabric validate` calls beside the settings check).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError, field_validator

from fabric.errors import ProviderError
from fabric.model.stamp import Fabric, Finding
from fabric_scvmm.versions import DEFAULT_VERSION, VmmVersion, normalise

HostName = Annotated[str, Field(min_length=1, max_length=253, pattern=r"^[A-Za-z0-9._:%\[\]-]+$")]
EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
_CREDENTIALS = "credentials never go in fabric.yaml, use FABRIC_SCVMM_USERNAME and FABRIC_SCVMM_PASSWORD"


class ScvmmSettings(BaseModel):
    """`provider: {type: scvmm, server: …}`; credentials come from the environment, never from here."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    UNKNOWN_HINT: ClassVar[str] = _CREDENTIALS  # added to the message for an unknown setting

    server: HostName | None = Field(default=None, description="The VMM management server (WinRM listener).")
    port: Annotated[StrictInt, Field(ge=1, le=65535)] = Field(default=5986, description="The WinRM port.")
    ssl: StrictBool = Field(default=True, description="HTTPS (the default) or plain HTTP.")
    cert_validation: StrictBool = Field(default=True, description="Validate the server's certificate.")
    auth: Literal["negotiate", "ntlm", "kerberos", "credssp"] = "negotiate"
    username_env: EnvName = Field(default="FABRIC_SCVMM_USERNAME", description="The variable holding the user.")
    password_env: EnvName = Field(default="FABRIC_SCVMM_PASSWORD", description="The variable holding the password.")
    vmm_server: HostName | None = Field(default=None, description="Scripts run Get-SCVMMServer -ComputerName first.")
    inventory: Annotated[str, Field(min_length=1)] | None = Field(
        default=None, description="A saved inventory to plan against instead of reading the server."
    )
    script_only: StrictBool = Field(default=False, description="Only write scripts (no connection).")
    vmm_version: VmmVersion = Field(
        default=DEFAULT_VERSION,
        description="The target VMM: 2012r2, 2016, 2019, 2022 or 2025 (default 2012r2, the oldest).",
    )

    @field_validator("vmm_version", mode="before")
    @classmethod
    def _version(cls, value: Any) -> Any:
        return normalise(value)  # `vmm_version: 2016` is a YAML integer; `2012 R2` is how people write it

    def resource_findings(self, fabric: Fabric) -> list[Finding]:
        """What this target cannot do (`fabric_scvmm.checks`); `fabric validate` calls it through
        `fabric.load.provider_settings.ResourceChecks`."""
        from fabric_scvmm.checks import resource_findings

        return resource_findings(fabric, self.vmm_version)


SETTINGS = frozenset({"type", *ScvmmSettings.model_fields})


def check_settings(settings: Mapping[str, Any]) -> ScvmmSettings:
    """The settings as a model; ProviderError naming what is wrong (never echoing a value)."""
    unknown = sorted(set(settings) - SETTINGS)
    if unknown:  # settings are copied into plan files: refuse anything that could be a secret
        raise ProviderError(
            f"provider scvmm: unknown setting(s) {', '.join(unknown)} (known: {', '.join(sorted(SETTINGS))}); "
            + _CREDENTIALS
        )
    try:
        return ScvmmSettings.model_validate({k: v for k, v in settings.items() if k != "type"})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ProviderError(f"provider scvmm: {problems}") from None
