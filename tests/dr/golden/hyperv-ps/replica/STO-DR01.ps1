# fabric: failover TCP/IP of the replicas of stamp reference on replica host STO-DR01.
# Cleared where the guest keeps its static address (keep_ip), gets DHCP, or gets a new address
# from the mapped network's pool at failover (mapped: the plan script injects it); set for
# failover_ip. A keep_ip adapter is also put on its switch and VLAN. Run on the VMM server.
# (The IPv4 settings are splatted: the PowerShell grammar fabric's tests parse with reads no digit
# in a parameter name.)
param()
$ErrorActionPreference = 'Stop'
Import-Module virtualmachinemanager
Import-Module Hyper-V

function Get-FabricCopy([string]$Name, [bool]$Replica) {
    # VMM's record of a VM copy: the replica (IsRecoveryVM) or the primary
    $found = @(Get-SCVirtualMachine -Name $Name | Where-Object { [bool]$_.IsRecoveryVM -eq $Replica })
    if ($found.Count -ne 1) { throw ('VM ' + $Name + ': ' + $found.Count + ' copies in VMM (IsRecoveryVM ' + $Replica + ')') }
    return $found[0]
}

function Get-FabricActiveHost($Copy) {
    # the node that runs the VM: on a cluster the owner of its role, never the Replica Broker's name
    if ($Copy.IsHighlyAvailable) {
        Import-Module FailoverClusters
        return (Get-ClusterGroup -Cluster $Copy.VMHost.HostCluster.Name -VMId $Copy.VMId).OwnerNode.Name
    }
    return $Copy.VMHost.Name
}

function Get-FabricAdapter($Copy, [string]$ComputerName, [int]$Slot) {
    # the Hyper-V adapter in VMM's slot, found by MAC address (Hyper-V's order is not VMM's); a
    # replica that never ran may show no MAC on either side (dynamic MACs): then by position, as
    # the facts export pairs them
    $all = @(Get-SCVirtualNetworkAdapter -VM $Copy)
    $vmm = @($all | Where-Object { $_.SlotID -eq $Slot })
    if ($vmm.Count -ne 1) { throw ($Copy.Name + ': no adapter in slot ' + $Slot) }
    $mac = $vmm[0].MACAddress -replace '[^0-9A-Fa-f]', ''
    $hyperv = @(Get-VMNetworkAdapter -VMName ([WildcardPattern]::Escape($Copy.Name)) -ComputerName $ComputerName)
    $nic = @($hyperv | Where-Object { $_.MacAddress -eq $mac })
    $noMac = -not @($hyperv | Where-Object { $_.MacAddress -notmatch '^0*$' })
    if ($nic.Count -ne 1 -and $noMac -and $mac -match '^0*$' -and $hyperv.Count -eq $all.Count) {
        $slots = @($all | ForEach-Object { [int]$_.SlotID })
        [array]::Sort($slots)
        $nic = @($hyperv[[array]::IndexOf($slots, $Slot)])
    }
    if ($nic.Count -ne 1) { throw ($Copy.Name + ' on ' + $ComputerName + ': no adapter with MAC ' + $mac) }
    return $nic[0]
}

# SPF01
$copy = Get-FabricCopy 'SPF01' $true
$nic = Get-FabricAdapter $copy 'STO-DR01' 0
if ($nic.SwitchName -ne 'Fabric Switch') { Connect-VMNetworkAdapter -VMNetworkAdapter $nic -SwitchName 'Fabric Switch' }
Set-VMNetworkAdapterVlan -VMNetworkAdapter $nic -Access -VlanId 150
# keep_ip: cleared
$setting = @{ ClearFailoverIPv4Settings = $true }
Set-VMNetworkAdapterFailoverConfiguration -VMNetworkAdapter $nic @setting

# WAPADM01
$copy = Get-FabricCopy 'WAPADM01' $true
$nic = Get-FabricAdapter $copy 'STO-DR01' 0
if ($nic.SwitchName -ne 'Fabric Switch') { Connect-VMNetworkAdapter -VMNetworkAdapter $nic -SwitchName 'Fabric Switch' }
Set-VMNetworkAdapterVlan -VMNetworkAdapter $nic -Access -VlanId 150
# keep_ip: cleared
$setting = @{ ClearFailoverIPv4Settings = $true }
Set-VMNetworkAdapterFailoverConfiguration -VMNetworkAdapter $nic @setting

# OSLO-APP01
$copy = Get-FabricCopy 'OSLO-APP01' $true
$nic = Get-FabricAdapter $copy 'STO-DR01' 0
# mapped: cleared
$setting = @{ ClearFailoverIPv4Settings = $true }
Set-VMNetworkAdapterFailoverConfiguration -VMNetworkAdapter $nic @setting

