# fabric: prepare_replica_network of recovery plan management-stamp (stamp reference).
# Before the VMs start: on each replica's active host (the cluster owner node, not the Replica
# Broker), every keep_ip adapter on its switch and access VLAN, its failover TCP/IP cleared so
# the guest keeps its static address. Any failure throws, which stops a planned or test failover.
# Run by the recovery plan on the VMM server: it prints nothing (a script that writes to the
# host or to STDERR fails its step), it logs to a file beside itself.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$log = Join-Path $PSScriptRoot 'Prepare-ReplicaNetwork-management-stamp.log'
function Write-FabricLog([string]$Text) { Add-Content -Path $log -Value ((Get-Date -Format 'o') + ' ' + $Text) }

$targets = @(
    @{ Vm = 'SQLWAP01'; Slot = 0; Switch = 'Fabric Switch'; Vlan = 150 },
    @{ Vm = 'SPF01'; Slot = 0; Switch = 'Fabric Switch'; Vlan = 150 },
    @{ Vm = 'SMA01'; Slot = 0; Switch = 'Fabric Switch'; Vlan = 150 },
    @{ Vm = 'WAPADM01'; Slot = 0; Switch = 'Fabric Switch'; Vlan = 150 },
    @{ Vm = 'WAPTEN01'; Slot = 0; Switch = 'Fabric Switch'; Vlan = 150 }
)

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

try {
    Import-Module virtualmachinemanager
    Import-Module Hyper-V
    Write-FabricLog ('start: ' + $targets.Count + ' adapters')
    foreach ($t in $targets) {
        $copy = Get-FabricCopy $t.Vm $true
        $node = Get-FabricActiveHost $copy
        $nic = Get-FabricAdapter $copy $node $t.Slot
        $onSwitch = $nic.SwitchName
        if ($null -ne $t.Switch -and $onSwitch -ne $t.Switch) {
            Connect-VMNetworkAdapter -VMNetworkAdapter $nic -SwitchName $t.Switch
            $onSwitch = $t.Switch
        }
        Set-VMNetworkAdapterVlan -VMNetworkAdapter $nic -Access -VlanId $t.Vlan
        # splatted: the grammar fabric's tests parse with reads no digit in a parameter name
        $clear = @{ ClearFailoverIPv4Settings = $true }
        Set-VMNetworkAdapterFailoverConfiguration -VMNetworkAdapter $nic @clear
        Write-FabricLog ($t.Vm + ' adapter ' + $t.Slot + ': ' + $node + ' switch ' + $onSwitch + ' VLAN ' + $t.Vlan + ' ok')
    }
    Write-FabricLog 'done'
} catch {
    Write-FabricLog ('FAILED: ' + $_)
    throw
}
