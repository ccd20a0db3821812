"""The binding checker itself (binding/checker.py) on small hand-written scripts, and the signature
table it reads (fabric_scvmm/signatures/). Scripts shaped like the unfixed templates must fail
(audit W1–W3, V1), their fixed forms pass."""

from __future__ import annotations

import json

import pytest
from binding import checker
from fabric_scvmm.signatures import HERE, Cmdlet, Parameter, ParameterSet, Table, load
from fabric_scvmm.versions import VERSIONS

NEWER = [v for v in VERSIONS if v != "2012r2"]


def _problems(script: str, version: str = "2016") -> list[str]:
    return [str(p) for p in checker.check(script, version).problems]


def _binds(script: str, version: str = "2016") -> None:
    assert _problems(script, version) == []


def _fails(script: str, expected: str, version: str = "2016") -> list[str]:
    found = _problems(script, version)
    assert found, f"expected a failure ({expected}) on {version}"
    assert any(expected in p for p in found), found
    return found


# --- the audit's findings, as the unfixed templates rendered them -----------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_w1_get_mac_pool_by_id_fails_on_every_version(version: str) -> None:
    unfixed = "$obj = Get-SCMACAddressPool -ID '6d1b5b8a-0000-4000-8000-000000000001' -ErrorAction Stop\n"
    (problem,) = checker.check(unfixed, version).problems
    assert (problem.line, problem.command, problem.reason) == (1, "Get-SCMACAddressPool", "no parameter -ID")
    fixed = "$obj = @(Get-SCMACAddressPool -ErrorAction Stop | Where-Object { [string]$_.ID -eq 'x' })\n"
    _binds(fixed, version)


def test_w2_add_and_remove_member_in_one_call_fails() -> None:
    unfixed = """\
    $extra = @{}
    if ($add.Count) { $extra.AddMember = $add }
    if ($remove.Count) { $extra.RemoveMember = $remove }
    $obj = Set-SCCustomProperty -CustomProperty $obj -Name 'Tier' -Description '' @extra -ErrorAction Stop
"""
    (problem,) = _fails(unfixed, "no parameter set takes")
    assert problem.startswith("line 4: Set-SCCustomProperty:")
    assert (
        "AddMembers lacks -RemoveMember" in problem
        and "when the splatted hashtable holds AddMember, RemoveMember" in problem
    )
    _fails("Set-SCCustomProperty -CustomProperty $p -AddMember 'VM' -RemoveMember 'Cloud'", "no parameter set takes")
    fixed = """\
    Set-SCCustomProperty -CustomProperty $obj -Name 'Tier' -Description '' -ErrorAction Stop | Out-Null
    if ($add.Count) { Set-SCCustomProperty -CustomProperty $obj -AddMember $add -ErrorAction Stop | Out-Null }
    if ($remove.Count) { Set-SCCustomProperty -CustomProperty $obj -RemoveMember $remove -ErrorAction Stop | Out-Null }
"""
    _binds(fixed)
    sets = {b.call.line: b.sets for b in checker.check(fixed, "2016").bindings if b.call.name == "Set-SCCustomProperty"}
    assert sets == {1: {"__AllParameterSets"}, 2: {"AddMembers"}, 3: {"RemoveMembers"}}


def test_w2_keys_from_exclusive_branches_are_never_splatted_together() -> None:
    script = """\
    $extra = @{}
    if ($add.Count) { $extra.AddMember = $add } else { $extra['RemoveMember'] = $remove }
    Set-SCCustomProperty -CustomProperty $obj @extra
"""
    _binds(script)


def test_w3_a_vm_subnet_without_a_subnet_vlan_fails() -> None:
    unfixed = """\
    $params = @{ Name = 'web'; VMNetwork = $obj }
    New-SCVMSubnet @params -ErrorAction Stop | Out-Null
"""
    _fails(
        unfixed, "line 2: New-SCVMSubnet: missing mandatory -SubnetVLan (parameter set WindowsNetworkVirtualization)"
    )
    conditional = """\
    $params = @{ Name = 'web'; VMNetwork = $obj }
    if ($subnet) { $params.SubnetVLan = $subnetVlan }
    New-SCVMSubnet @params
"""
    _fails(conditional, "when the splatted hashtable holds none of its conditional keys")
    hnv = "New-SCVMSubnet -Name 'web' -VMNetwork $obj -SubnetVLan (New-SCSubnetVLan -Subnet '10.0.0.0/24' -VLanID 0)"
    vlan = hnv + " -LogicalNetworkDefinition $site"
    _binds(hnv)
    _binds(vlan)
    sets = [b.sets for b in checker.check(vlan, "2016").bindings if b.call.name == "New-SCVMSubnet"]
    assert sets == [{"Vlan"}]


def test_v1_enable_vrss_fails_on_2012r2_only() -> None:
    script = (
        "New-SCVirtualNetworkAdapterNativePortProfile -Name 'Gold' -EnableVmq $true -EnableVrss $true -ErrorAction Stop"
    )
    _fails(script, "New-SCVirtualNetworkAdapterNativePortProfile: no parameter -EnableVrss", "2012r2")
    _fails(
        script.replace("New-", "Set-").replace("-Name", "-VirtualNetworkAdapterNativePortProfile $p -Name"),
        "-EnableVrss",
        "2012r2",
    )
    for version in NEWER:
        _binds(script, version)


def test_v3_a_site_by_id_fails_on_2012r2_only() -> None:
    script = "Get-SCLogicalNetworkDefinition -ID 'x' -ReturnAllTypes -ErrorAction Stop"
    _fails(script, "no parameter -ID", "2012r2")
    _binds(script, "2016")


# --- enumerations, ShouldProcess, unknown commands, ambiguous sets ---------------------------------


def test_a_literal_outside_the_accepted_values_fails() -> None:
    _fails(
        "New-SCLogicalSwitch -Name 's' -SwitchUplinkMode 'Teamed'", "-SwitchUplinkMode 'Teamed': not an accepted value"
    )
    _fails("New-SCLogicalSwitch -Name 's' -SwitchUplinkMode 'EmbeddedTeam'", "(NoTeam, Team)", "2012r2")
    _binds("New-SCLogicalSwitch -Name 's' -SwitchUplinkMode 'EmbeddedTeam'")
    _binds("New-SCLogicalSwitch -Name 's' -SwitchUplinkMode team")  # a bare word, any case
    _fails("New-SCCustomProperty -Name 'p' -AddMember @('VM', 'Clouds')", "-AddMember 'Clouds'")
    _fails("New-SCCustomProperty -Name 'p' -AddMember 'VM', 'Hosts'", "-AddMember 'Hosts'")
    _binds("New-SCCustomProperty -Name 'p' -AddMember @('VM', 'Cloud')")
    _binds("New-SCCustomProperty -Name 'p' -AddMember $members")  # a value known only at run time
    _fails("Get-SCCloud -ErrorAction 'Halt'", "-ErrorAction 'Halt'")
    splat = "$s = @{ VirtualNetworkAdapter = $nic; IPv4AddressType = 'Statik' }\nSet-SCVirtualNetworkAdapter @s"
    _fails(splat, "line 2: Set-SCVirtualNetworkAdapter: -IPv4AddressType 'Statik'")


def test_confirm_only_where_the_cmdlet_supports_should_process() -> None:
    _fails("Set-SCCloud -Cloud $c -Name 'x' -Confirm:$false", "-Confirm: the cmdlet does not support ShouldProcess")
    _fails("Set-SCVMNetwork -VMNetwork $n -WhatIf", "does not support ShouldProcess")
    _binds("Remove-SCCloud -Cloud $c -Confirm:$false -ErrorAction Stop | Out-Null")
    _binds("Remove-SCCustomPropertyValue -CustomPropertyValue $v -Confirm:$false")


def test_a_command_named_through_a_call_operator_is_checked() -> None:
    _fails("& Get-SCCloud -Bogus 1", "line 1: Get-SCCloud: no parameter -Bogus")
    _fails(". Get-SCCloud -Bogus 1", "line 1: Get-SCCloud: no parameter -Bogus")
    _fails("& 'Get-SCCloud' -Confirm:$false", "Get-SCCloud: -Confirm: the cmdlet does not support ShouldProcess")
    _fails("& Get-SCMacPool", "Get-SCMacPool: unknown command")
    _binds("& Get-SCCloud -Name 'a'")
    _binds("$r = (& { Get-SCCloud -ID 'x' }) | ConvertTo-Json")  # a script block: its own calls are checked
    _binds("$f = 'Get-SCCloud'; & $f -Anything")  # a name known only at run time


def test_an_unknown_command_fails_and_a_script_function_does_not() -> None:
    _fails("Get-SCMacPool -Name 'x'", "line 1: Get-SCMacPool: unknown command")
    _fails("$x = @(Get-Item 'C:\\x')", "Get-Item: unknown command")
    _binds("function Ids($items) { @($items) }\n$a = Ids $cloud.HostGroup")
    _binds("Get-SCCloud | Where-Object { $_.Name -eq 'a' } | ForEach-Object { $_.ID } | Select-Object -First 1")
    _binds("[pscustomobject]@{ ok = $true } | ConvertTo-Json -Compress")


def test_an_ambiguous_parameter_set_fails() -> None:
    # FromValues needs -CloudCapacity, JobGroupParamSet -JobGroup; the cmdlet has no default set
    _fails(
        "Set-SCCloudCapacity -UseVMCountMaximum $true", "parameter set cannot be resolved: FromValues, JobGroupParamSet"
    )
    _binds("Set-SCCloudCapacity -JobGroup $g -UseVMCountMaximum $true")
    _binds("Set-SCCloudCapacity -CloudCapacity $c -UseVMCountMaximum $true")


# --- how names, values and arguments are bound ----------------------------------------------------


def test_names_resolve_case_insensitively_by_alias_and_by_unambiguous_prefix() -> None:
    _binds("get-scvmhostgroup -id 'x' -ea stop")
    _binds("Get-SCVMHostGroup -ParentVMHostGroup $p")  # an alias of -ParentHostGroup
    _binds("New-SCCloud -VMHostGroup $g -Name 'c' -Desc 'd' -Disaster $true")
    _fails("New-SCCloud -VMHostGroup $g -Name 'c' -D 'd'", "-D is ambiguous: it could be")
    _fails("Get-SCCloud -Name 'a' -Error Stop", "-Error is ambiguous")


def test_values_after_a_colon_switches_and_missing_arguments() -> None:
    _binds("New-SCVMHostGroup -Name:'IaaS' -ParentHostGroup:$p -InheritNetworkSettings:$false")
    _binds("Get-SCIPAddress -Assigned -ErrorAction Stop")
    _fails("Get-SCIPAddress -Assigned 'x'", "positional argument")  # a switch takes no value: 'x' is positional
    _fails("Get-SCCloud -Name", "-Name needs an argument")
    _fails("Get-SCCloud -Name 'a' -name 'b'", "-Name is given 2 times")
    _fails("$p = @{ Name = 'a' }\nGet-SCCloud @p -Name 'b'", "-Name is given 2 times")
    _fails("Get-SCCloud @nothing", "@nothing: no hashtable is assigned")


def test_positional_arguments_and_pipeline_input() -> None:
    _binds("Get-SCCloud 'Oslo'")  # -Name at position 0
    _fails("Get-SCCloud 'Oslo' 'Stockholm'", "no parameter set takes the positional argument")
    _binds(
        "Get-SCVMSubnet -VMNetwork $n -ErrorAction Stop | Remove-SCVMSubnet -Confirm:$false"
    )  # -VMSubnet from the pipe
    _fails("Remove-SCVMSubnet -Confirm:$false", "missing mandatory -VMSubnet")
    _fails("$x | Out-Null -InputObject $y", "takes no pipeline input here")


def test_hashtable_keys_added_every_way_are_splatted() -> None:
    script = """\
    $params = [ordered]@{ 'Name' = 'p'; Subnet = '10.0.0.0/24' }
    $params['IPAddressRangeStart'] = '10.0.0.10'
    $params.Add('IPAddressRangeEnd', '10.0.0.20')
    $params += @{ VMSubnet = $vmSubnet }
    New-SCStaticIPAddressPool @params
"""
    _binds(script)
    (binding,) = [b for b in checker.check(script, "2016").bindings if b.call.name == "New-SCStaticIPAddressPool"]
    assert binding.sets == {"ByVMSubnet"}
    assert {"Name", "Subnet", "IPAddressRangeStart", "IPAddressRangeEnd", "VMSubnet"} <= binding.parameters
    reassigned = script.replace(
        "    New-SCStaticIPAddressPool", "    $params = @{ Name = 'p' }\n    New-SCStaticIPAddressPool"
    )
    _fails(reassigned, "parameter set cannot be resolved")  # a new hashtable replaces the old one


def test_a_script_that_does_not_parse_fails() -> None:
    _fails("Get-SCCloud -ID ('x'", "does not parse")
    _fails("Set-SCVirtualNetworkAdapter -VirtualNetworkAdapter $n -IPv4Addresses @('10.0.0.5')", "does not parse")


def test_problems_name_the_script_line() -> None:
    script = "Import-Module VirtualMachineManager\n\n$x = @(\n    Get-SCMACAddressPool -ID 'x' -ErrorAction Stop)\n"
    (problem,) = checker.check(script, "2016").problems
    assert (problem.line, problem.command) == (4, "Get-SCMACAddressPool")


# --- PowerShell's rules on a made-up cmdlet ---------------------------------------------------------


def _table(*cmdlets: Cmdlet) -> Table:
    shell = load("2016")
    return Table(
        "test", "test", {c.name.casefold(): c for c in cmdlets}, shell.common, shell.should_process, {}, frozenset()
    )


def _cmdlet(name: str, default: str | None, sets: dict[str, tuple[set[str], set[str]]], **extra: Parameter) -> Cmdlet:
    names = {p for m, o in sets.values() for p in m | o}
    params = {p: extra.get(p, Parameter(p, "String")) for p in names}
    pipeline = {p: "ByValue" for p in names if p == "InputObject"}
    built = {
        s: ParameterSet(
            s, frozenset(m), frozenset(o), {p: 0 for p in m | o if p in ("Property", "FilterScript")}, pipeline
        )
        for s, (m, o) in sets.items()
    }
    return Cmdlet(name, "test", default, False, params, built)


def _check(script: str, table: Table) -> list[str]:
    return [p.reason for p in checker.check_tree(checker.parse(script), table).problems]


def test_of_several_sets_the_default_wins_else_the_one_with_every_mandatory_parameter() -> None:
    with_default = _cmdlet("Test-Default", "A", {"A": ({"Shared"}, set()), "B": ({"Shared"}, {"Extra"})})
    no_default = _cmdlet("Test-Mandatory", None, {"P": (set(), {"Shared"}), "Q": ({"Q"}, {"Shared"})})
    neither = _cmdlet("Test-Neither", None, {"X": ({"X"}, {"Shared"}), "Y": ({"Y"}, {"Shared"})})
    table = _table(with_default, no_default, neither)
    result = checker.check_tree(checker.parse("Test-Default -Shared 1\nTest-Mandatory -Shared 1"), table)
    assert [b.sets for b in result.bindings] == [{"A"}, {"P"}] and not result.problems
    (reason,) = _check("Test-Neither -Shared 1", table)
    assert reason.startswith("parameter set cannot be resolved: X, Y fit, Test-Neither has no default set")
    assert _check("Test-Neither -Shared 1 -Y 2", table) == []


def test_a_script_block_goes_to_a_script_block_parameter_by_position() -> None:
    block = Parameter("FilterScript", "ScriptBlock")
    where = _cmdlet(
        "Test-Where", "Equal", {"Equal": ({"Property"}, set()), "Block": ({"FilterScript"}, set())}, FilterScript=block
    )
    table = _table(where)
    result = checker.check_tree(checker.parse("Test-Where { $_.x }\nTest-Where 'Name'"), table)
    assert [b.sets for b in result.bindings] == [{"Block"}, {"Equal"}] and not result.problems


def test_an_exact_name_or_alias_beats_a_prefix() -> None:
    cmdlet = _cmdlet(
        "Test-Names", "S", {"S": (set(), {"Name", "NameSpace"})}, Name=Parameter("Name", "String", aliases=("N",))
    )
    table = _table(cmdlet)
    assert _check("Test-Names -Name a -NameS b -n c", table) == ["-Name is given 2 times"]
    assert _check("Test-Names -Nam a", table) == ["-Nam is ambiguous: it could be -Name, -NameSpace"]


# --- the signature table ---------------------------------------------------------------------------


def test_the_table_knows_every_supported_version() -> None:
    versions = json.loads((HERE / "versions.json").read_text(encoding="utf-8"))["versions"]
    assert set(versions) == set(VERSIONS)
    for version in VERSIONS:
        table = load(version)
        assert len(table.vmm) == 74, version  # every cmdlet the templates call (shared/reference, the audit)
        assert table.cmdlet("Where-Object") is not None and table.cmdlet("get-sccloud") is not None
    with pytest.raises(ValueError, match="unknown VMM version"):
        load("2008")


def test_every_set_is_consistent() -> None:
    for version in VERSIONS:
        for cmdlet in load(version).cmdlets.values():
            assert cmdlet.default_set is None or cmdlet.default_set in cmdlet.sets, cmdlet.name
            for s in cmdlet.sets.values():
                assert s.parameters <= set(cmdlet.parameters), (cmdlet.name, s.name)
                assert set(s.positions) <= s.parameters and set(s.pipeline) <= s.parameters, (cmdlet.name, s.name)
                assert not s.mandatory & s.optional, (cmdlet.name, s.name)


def test_what_differs_between_versions() -> None:
    old, new = load("2012r2"), load("2016")
    for name in ("New-SCVirtualNetworkAdapterNativePortProfile", "Set-SCVirtualNetworkAdapterNativePortProfile"):
        assert old.cmdlet(name).parameter("EnableVrss") is None  # type: ignore[union-attr]
        assert new.cmdlet(name).parameter("enablevrss") is not None  # type: ignore[union-attr]
    assert "ById" not in old.cmdlet("Get-SCLogicalNetworkDefinition").sets  # type: ignore[union-attr]
    switch = old.cmdlet("New-SCLogicalSwitch").parameter("SwitchUplinkMode")  # type: ignore[union-attr]
    assert switch is not None and switch.values == ("NoTeam", "Team")
    # nothing is known to differ after 2016 (no 2022 or 2025 pages were found): one table for all four
    assert len({checker.digest(v) for v in NEWER}) == 1
