"""fabric.yaml's `provider:` block, checked against the settings each provider declares."""

from __future__ import annotations

import subprocess
import sys
from typing import ClassVar

import pytest
from pydantic import BaseModel, ConfigDict

from fabric.load.provider_settings import looks_secret, provider_findings
from fabric.model.stamp import ProviderConfig
from fabric.providers.lab.settings import LabSettings
from fabric.providers.registry import settings_models


class _Plugin(BaseModel):
    """A plug-in that declares a token setting and takes any other key too."""

    model_config = ConfigDict(extra="allow")
    token: str | None = None
    endpoint: str = "https://example"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    UNKNOWN_HINT: ClassVar[str] = "see the plug-in's manual"
    endpoint: str


def _problems(model: type[BaseModel] | None, **settings: object) -> list[tuple[tuple[str | int, ...], str, bool]]:
    config = ProviderConfig.model_validate({"type": "thing", **settings})
    return [(f.source.path, f.message, f.at_key) for f in provider_findings("fabric.yaml", config, model)]


@pytest.mark.parametrize(
    ("key", "secret"),
    [
        ("password", True),
        ("Password", True),
        ("api_key", True),
        ("apiKey", True),
        ("clientSecret", True),
        ("client-secret", True),
        ("sas_token", True),
        ("private_key", True),
        ("passphrase", True),
        ("credentials", True),
        ("key", True),
        ("server", False),
        ("auth", False),
        ("keytab_path", False),
        ("key_file", False),
        ("inventory", False),
        ("monkey", False),
        ("password_env", True),  # it looks like one: its value must name a variable (see below)
    ],
)
def test_secret_looking_names(key: str, secret: bool) -> None:
    assert looks_secret(key) is secret


def test_an_inline_secret_is_refused_without_echoing_it_and_a_reference_is_accepted() -> None:
    problems = _problems(_Plugin, token="hunter2hunter2", nested={"auth": {"clientSecret": "abc"}, "ok": 1})
    assert [(path, at_key) for path, _, at_key in problems] == [
        (("provider", "token"), False),
        (("provider", "nested", "auth", "clientSecret"), False),
    ]
    assert all("looks like a secret" in m and "${env:NAME}" in m and "hunter2" not in m for _, m, _ in problems)
    assert _problems(_Plugin, token="${env:THING_TOKEN}", nested={"clientSecret": "${env:X}"}) == []
    assert _problems(_Plugin, token=None) == []


def test_a_secret_in_a_list_and_without_a_model() -> None:
    problems = _problems(None, tokens=["${env:A}", "plain-text-token"], endpoint="https://x")
    assert [path for path, _, _ in problems] == [("provider", "tokens", 1)]


def test_a_variable_name_setting_takes_a_name_not_the_secret() -> None:
    assert _problems(None, password_env="MY_PASSWORD") == []
    [(path, message, _)] = _problems(None, password_env="Hunter2!")
    assert path == ("provider", "password_env") and "names an environment variable" in message


def test_unknown_settings_with_did_you_mean_and_the_providers_hint() -> None:
    problems = _problems(_Strict, endpont="x", password="p4ssw0rd!")
    unknown = "provider thing: unknown setting(s)"
    assert problems == [
        (("provider", "endpont"), f"{unknown} endpont; did you mean 'endpoint'? (known: endpoint, type)", True),
        (("provider", "password"), f"{unknown} password (known: endpoint, type); see the plug-in's manual", True),
        (("provider",), "provider thing: missing setting 'endpoint'", True),
    ]


def test_wrong_values_name_the_setting() -> None:
    assert _problems(LabSettings, path=["a", "b"]) == [
        (("provider", "path"), "provider thing: path: Input should be a valid string (got ['a', 'b'])", False)
    ]
    assert [m for _, m, _ in _problems(LabSettings, path="  ")] == [
        "provider thing: path: the lab's path must name a file, not be empty (got '  ')"
    ]
    assert [m for _, m, _ in _problems(LabSettings, path="lab/")] == [
        "provider thing: path: the lab's path must name a file, not a directory (got 'lab/')"
    ]
    assert _problems(LabSettings, path="/tmp/lab.db") == []


def test_the_registry_declares_every_providers_settings_and_loads_plug_ins_only_when_asked() -> None:
    models = settings_models()
    assert models["lab"] is LabSettings
    assert "scvmm" in models and "vmware" not in models
    with pytest.raises(KeyError):
        models["vmware"]
    script = (
        "import sys; from fabric.providers.registry import settings_models; m = settings_models(); "
        "assert 'scvmm' in m and m['lab'] is not None; print('fabric_scvmm' in sys.modules); "
        "print(sorted(m['scvmm'].model_fields))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "False"  # looking up the lab (and asking which exist) imported no plug-in
    assert "server" in out[1] and "password_env" in out[1]
