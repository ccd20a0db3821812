# fabric: the disaster-recovery facts of stamp reference for `fabric dr simulate` and `fabric dr check`:
# the Hyper-V hosts the protected VMs run on, each VM's primary and replica copy with its adapters,
# its replication, and the addresses every static IP pool has granted. It reads VMM and Hyper-V and
# changes nothing. Run it on the VMM server in Windows PowerShell 5.1 (the VMM console and the
# Hyper-V module installed), as a VMM administrator with Hyper-V rights on the hosts:
#   .\dr-facts.ps1 > dr-facts.json
# It prints one JSON document (format fabric-dr-facts 1) and nothing else; any error stops it.
# The protected VMs of the stamp (a VM VMM does not know is left out: the simulation says so):
#   COPENHAGEN-APP01
#   OSLO-APP01
#   SMA01
#   SPF01
#   SQLWAP01
#   STOCKHOLM-APP01
#   WAPADM01
#   WAPTEN01
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module virtualmachinemanager
Import-Module Hyper-V

$names = @('COPENHAGEN-APP01', 'OSLO-APP01', 'SMA01', 'SPF01', 'SQLWAP01', 'STOCKHOLM-APP01', 'WAPADM01', 'WAPTEN01')

function Get-FabricProperty($Object, [string]$Name, [string]$What) {
    # a property fabric has not confirmed on every version: missing is an error that names it,
    # never a value read as empty
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { throw ('fabric dr facts: ' + $What + ' has no property ' + $Name + ' on this VMM or Hyper-V version') }
    return $property.Value
}

function Get-FabricMac([string]$Text) {
    # 12 hex digits, upper case: VMM writes 00:15:5D:0A:0B:0C, Hyper-V 00155D0A0B0C
    return ($Text -replace '[^0-9A-Fa-f]', '').ToUpperInvariant()
}

function Get-FabricPrefix([string]$Mask) {
    # a dotted IPv4 mask as its prefix length (255.255.255.0 is 24); $null for none
    if (-not $Mask) { return $null }
    $bits = 0
    foreach ($byte in [System.Net.IPAddress]::Parse($Mask).GetAddressBytes()) {
        $bits += ([Convert]::ToString([int]$byte, 2) -replace '0', '').Length
    }
    return $bits
}

function Get-FabricFailover($Adapter) {
    # Hyper-V's failover TCP/IP of a replicating VM's adapter: no setting, or one without IPv4, is
    # disabled; an IPv4 setting without an address is enabled_empty (the guest gets APIPA)
    $settings = @(Get-VMNetworkAdapterFailoverConfiguration -VMNetworkAdapter $Adapter)
    if ($settings.Count -eq 0) { return 'disabled' }
    $setting = $settings[0]
    $address = [string](Get-FabricProperty $setting 'IPv4Address' 'a failover TCP/IP setting')
    if ($address) {
        $gateway = [string](Get-FabricProperty $setting 'IPv4DefaultGateway' 'a failover TCP/IP setting')
        if (-not $gateway) { $gateway = $null }
        $prefix = Get-FabricPrefix ([string](Get-FabricProperty $setting 'IPv4SubnetMask' 'a failover TCP/IP setting'))
        return [ordered]@{ address = $address; prefix = $prefix; gateway = $gateway }
    }
    $protocol = [string](Get-FabricProperty $setting 'ProtocolIFType' 'a failover TCP/IP setting')
    if (@('IPv4', 'IPv4v6') -contains $protocol) { return 'enabled_empty' }
    return 'disabled'
}

function Get-FabricCopies([string]$Name, [bool]$Replica) {
    # VMM's copies of a VM: its replica (IsRecoveryVM), or its primary (any other copy)
    return @(Get-SCVirtualMachine -Name $Name | Where-Object {
        $_.Name -eq $Name -and [bool](Get-FabricProperty $_ 'IsRecoveryVM' ('VM ' + $Name)) -eq $Replica
    })
}

function Get-FabricHostName($Copy) {
    # the host VMM runs the copy on (on a cluster the owner node, never the Replica Broker's name)
    $vmHost = Get-FabricProperty $Copy 'VMHost' ('VM ' + $Copy.Name)
    if ($null -eq $vmHost) { throw ('fabric dr facts: VMM has no host for VM ' + $Copy.Name) }
    return [string]$vmHost.Name
}

function Get-FabricHost($Copy) {
    # a host: its name, its host group's path below the root (All Hosts\Oslo\IaaS is Oslo/IaaS) and
    # its virtual switches
    $vmHost = Get-FabricProperty $Copy 'VMHost' ('VM ' + $Copy.Name)
    $name = [string]$vmHost.Name
    $group = Get-FabricProperty $vmHost 'VMHostGroup' ('host ' + $name)
    $path = [string](Get-FabricProperty $group 'Path' ('the host group of ' + $name))
    $below = @($path -split '\\' | Select-Object -Skip 1)
    $switches = [System.Collections.ArrayList]::new()
    foreach ($vmSwitch in @(Get-VMSwitch -ComputerName $name)) {
        $switchName = [string]$vmSwitch.Name
        if ($switchName -and -not $switches.Contains($switchName)) { [void]$switches.Add($switchName) }
    }
    return [ordered]@{ name = $name; host_group = ($below -join '/'); switches = $switches }
}

function Get-FabricAdapters($Copy, [string]$HostName) {
    # the copy's adapters in VMM's slot order; each matched to its Hyper-V adapter by MAC address
    # (Hyper-V lists them in an order of its own), for the switch, VLAN and failover TCP/IP
    $adapters = [System.Collections.ArrayList]::new()
    $vnics = @(Get-SCVirtualNetworkAdapter -VM $Copy)
    $hyperv = @(Get-VMNetworkAdapter -VMName ([WildcardPattern]::Escape($Copy.Name)) -ComputerName $HostName)
    # a replica that never ran may show no MAC on either side (dynamic MACs): then by position
    $noMac = -not @($hyperv | Where-Object { (Get-FabricMac ([string]$_.MacAddress)) -notmatch '^0*$' })
    $slots = @($vnics | ForEach-Object { [int](Get-FabricProperty $_ 'SlotId' ('an adapter of VM ' + $Copy.Name)) })
    [array]::Sort($slots)
    foreach ($slot in $slots) {
        $same = @($vnics | Where-Object { [int]$_.SlotId -eq $slot })
        if ($same.Count -ne 1) { throw ('fabric dr facts: VM ' + $Copy.Name + ' has ' + $same.Count + ' adapters in slot ' + $slot) }
        $vnic = $same[0]
        $mac = Get-FabricMac ([string](Get-FabricProperty $vnic 'MACAddress' ('an adapter of VM ' + $Copy.Name)))
        $match = @($hyperv | Where-Object { (Get-FabricMac ([string]$_.MacAddress)) -eq $mac })
        if ($match.Count -ne 1 -and $noMac -and $mac -match '^0*$' -and $hyperv.Count -eq $vnics.Count) {
            $match = @($hyperv[[array]::IndexOf($slots, $slot)])
            $mac = $null
        }
        if ($match.Count -ne 1) {
            throw ('fabric dr facts: VM ' + $Copy.Name + ' on ' + $HostName + ': ' + $match.Count + ' Hyper-V adapters have the MAC address ' + $mac + ' of its adapter in slot ' + $slot)
        }
        $nic = $match[0]
        $switchName = [string](Get-FabricProperty $nic 'SwitchName' ('a Hyper-V adapter of VM ' + $Copy.Name))
        if (-not $switchName) { $switchName = $null }
        $vlanSetting = @(Get-VMNetworkAdapterVlan -VMNetworkAdapter $nic)[0]
        $mode = [string](Get-FabricProperty $vlanSetting 'OperationMode' ('the VLAN setting of VM ' + $Copy.Name))
        $vlan = 0
        if ($mode -eq 'Access') { $vlan = [int](Get-FabricProperty $vlanSetting 'AccessVlanId' ('the VLAN setting of VM ' + $Copy.Name)) }
        $network = Get-FabricProperty $vnic 'VMNetwork' ('an adapter of VM ' + $Copy.Name)
        $networkName = $null
        if ($null -ne $network) { $networkName = [string]$network.Name }
        $ips = @(Get-FabricProperty $vnic 'IPv4Addresses' ('an adapter of VM ' + $Copy.Name) | Where-Object { $_ })
        $ip = $null
        if ($ips.Count -gt 0) { $ip = [string]$ips[0] }
        $static = [string](Get-FabricProperty $vnic 'IPv4AddressType' ('an adapter of VM ' + $Copy.Name)) -eq 'Static'
        [void]$adapters.Add([ordered]@{
            slot = $slot; mac = $mac; switch = $switchName; vlan = $vlan; vlan_mode = $mode; vm_network = $networkName
            ip = $ip; static = $static; failover_ipv4 = (Get-FabricFailover $nic)
        })
    }
    return $adapters  # unrolled: the caller collects the adapters with @()
}

$hosts = [ordered]@{}
$vms = [System.Collections.ArrayList]::new()
$replication = [ordered]@{}
foreach ($name in $names) {
    $primaries = @(Get-FabricCopies $name $false)
    $replicas = @(Get-FabricCopies $name $true)
    if ($primaries.Count -gt 1) { throw ('fabric dr facts: VMM has ' + $primaries.Count + ' VMs named ' + $name + ' that are not replicas') }
    if ($replicas.Count -gt 1) { throw ('fabric dr facts: VMM has ' + $replicas.Count + ' replicas of VM ' + $name) }
    if ($primaries.Count -eq 0) { continue }
    $copies = @(@{ Role = 'primary'; Vm = $primaries[0] })
    if ($replicas.Count -eq 1) { $copies += @{ Role = 'replica'; Vm = $replicas[0] } }
    foreach ($copy in $copies) {
        $hostName = Get-FabricHostName $copy.Vm
        if (-not $hosts.Contains($hostName)) { $hosts[$hostName] = Get-FabricHost $copy.Vm }
        $adapters = @(Get-FabricAdapters $copy.Vm $hostName)
        [void]$vms.Add([ordered]@{ name = [string]$copy.Vm.Name; role = $copy.Role; host = $hostName; adapters = $adapters })
    }
    if ($replicas.Count -eq 1) {
        $primaryHost = Get-FabricHostName $primaries[0]
        try {
            $relations = @(Get-VMReplication -VMName ([WildcardPattern]::Escape($primaries[0].Name)) -ComputerName $primaryHost | Where-Object { [string]$_.Mode -eq 'Primary' })
        } catch {
            throw ('fabric dr facts: VM ' + $name + ': Get-VMReplication on ' + $primaryHost + ' failed: ' + $_.Exception.Message)
        }
        if ($relations.Count -eq 1) {
            $replication[[string]$primaries[0].Name] = [ordered]@{
                state = [string](Get-FabricProperty $relations[0] 'State' ('the replication of VM ' + $name))
                health = [string](Get-FabricProperty $relations[0] 'Health' ('the replication of VM ' + $name))
                replica_host = (Get-FabricHostName $replicas[0])
            }
        }
    }
}

# every address each pool has allocated, assigned to an adapter or not (a reservation too): none is
# given again
$grants = [System.Collections.ArrayList]::new()
foreach ($pool in @(Get-SCStaticIPAddressPool)) {
    foreach ($granted in @(Get-SCIPAddress -StaticIPAddressPool $pool)) {
        [void]$grants.Add(@([string]$pool.ID, [string]$granted.Address))
    }
}

$document = [ordered]@{
    format = 'fabric-dr-facts'
    format_version = 1
    stamp = 'reference'
    exported_at = [datetime]::UtcNow.ToString('o')
    source = [string]$env:COMPUTERNAME  # the VMM server it ran on
    hosts = @($hosts.Values)
    vms = $vms
    replication = $replication
    grants = $grants
}
ConvertTo-Json -InputObject $document -Depth 8 -Compress
