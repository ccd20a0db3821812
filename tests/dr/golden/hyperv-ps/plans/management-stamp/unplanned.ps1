# fabric: recovery plan management-stamp of stamp reference: unplanned failover over Hyper-V Replica.
# The steps `fabric dr simulate` shows for it, in the same order:
#   0m00s  shutdown/prepare-replica-network  [run]
#   1m00s  shutdown: shut down the primaries  [skipped]
#   1m00s  failover: prepare the disks of 5 VMs in parallel  [run]
#   3m00s  database/sql-ag-primary-at-dr  [paused]
#   13m00s  database: start 1 VM  [run]
#   16m00s  vmm-spf: start 2 VMs in parallel  [run]
#   19m00s  wap-api: start 1 VM  [run]
#   22m00s  wap-portals: start 1 VM  [run]
#   25m00s  wap-portals/smoke-test  [run]
# Run on the VMM server (virtualmachinemanager and Hyper-V modules, Hyper-V rights on the hosts);
# IPv4 parameters are splatted (the grammar fabric's tests parse with reads no digit in a name).
# An unplanned failover records a failed step and goes on.
param(
    [Parameter(Mandatory = $true)][string]$LibraryRoot,
    [switch]$Commit
)
$ErrorActionPreference = 'Stop'
Import-Module virtualmachinemanager
Import-Module Hyper-V
$ContinueOnFailure = $true
$Failures = 0

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

function Write-FabricStep([string]$Text) { Write-Output ((Get-Date -Format 'o') + ' ' + $Text) }

function Invoke-FabricStep([string]$Name, [scriptblock]$Body) {
    # a step, or one VM's part of it: a failure stops a test or planned run; an unplanned one
    # records it and goes on (with the next VM); an operator's abort always stops
    Write-FabricStep ('start ' + $Name)
    try {
        & $Body
        Write-FabricStep ('done ' + $Name)
    } catch {
        Write-FabricStep ('failed ' + $Name + ': ' + $_)
        if (-not $ContinueOnFailure -or $_.Exception -is [System.OperationCanceledException]) { throw }
        $script:Failures += 1
    }
}

function Wait-FabricOperator([string]$Name, [string]$Instructions) {
    Write-FabricStep ('manual ' + $Name + ': ' + $Instructions)
    while ($true) {
        $answer = Read-Host 'Type done when it is done, or abort'
        if ($answer -eq 'done') { return }
        if ($answer -eq 'abort') { throw [System.OperationCanceledException]::new('aborted at ' + $Name) }
    }
}

function ConvertTo-FabricMask([int]$Prefix) {
    $bits = ('1' * $Prefix).PadRight(32, '0')
    $octets = foreach ($i in @(0, 1, 2, 3)) { [Convert]::ToInt32($bits.Substring($i * 8, 8), 2) }
    return $octets -join '.'
}

function Wait-FabricHeartbeat([string]$Name, [string]$ComputerName, [int]$Seconds) {
    $deadline = (Get-Date).AddSeconds($Seconds)
    while ((Get-VM -Name ([WildcardPattern]::Escape($Name)) -ComputerName $ComputerName).Heartbeat -notlike 'Ok*') {
        if ((Get-Date) -gt $deadline) { throw ($Name + ' has no heartbeat after ' + $Seconds + ' s') }
        Start-Sleep -Seconds 5
    }
}

# --- shutdown/prepare-replica-network
Invoke-FabricStep 'shutdown/prepare-replica-network' { & (Join-Path $LibraryRoot 'RPScripts\fabric\Prepare-ReplicaNetwork-management-stamp.ps1') }

# --- shutdown: shut down the primaries
# skipped: unplanned: the primary site is assumed lost

# --- failover: prepare the disks of 5 VMs in parallel
Invoke-FabricStep 'failover: prepare the disks of 5 VMs in parallel' {
    Invoke-FabricStep 'failover: prepare the disks of 5 VMs in parallel / SQLWAP01' {
        Start-VMFailover -VMName 'SQLWAP01' -ComputerName 'STO-DR02'
    }
    Invoke-FabricStep 'failover: prepare the disks of 5 VMs in parallel / SPF01' {
        Start-VMFailover -VMName 'SPF01' -ComputerName 'STO-DR01'
    }
    Invoke-FabricStep 'failover: prepare the disks of 5 VMs in parallel / SMA01' {
        Start-VMFailover -VMName 'SMA01' -ComputerName 'STO-DR02'
    }
    Invoke-FabricStep 'failover: prepare the disks of 5 VMs in parallel / WAPADM01' {
        Start-VMFailover -VMName 'WAPADM01' -ComputerName 'STO-DR01'
    }
    Invoke-FabricStep 'failover: prepare the disks of 5 VMs in parallel / WAPTEN01' {
        Start-VMFailover -VMName 'WAPTEN01' -ComputerName 'STO-DR02'
    }
}

# --- database/sql-ag-primary-at-dr
Invoke-FabricStep 'database/sql-ag-primary-at-dr' { Wait-FabricOperator 'database/sql-ag-primary-at-dr' 'Fail the System Center SQL availability group over to the DR-site replica (SQL02) and check that VMM01 runs in Stockholm; then resume.' }

# --- database: start 1 VM
Invoke-FabricStep 'database: start 1 VM' {
    Invoke-FabricStep 'start SQLWAP01' {
        # SQLWAP01 adapter 0: kept (stretched VLAN) -> 10.100.50.21
        Start-VM -Name 'SQLWAP01' -ComputerName 'STO-DR02'
    }
    Invoke-FabricStep 'heartbeat of SQLWAP01' { Wait-FabricHeartbeat 'SQLWAP01' 'STO-DR02' 360 }
}

# --- vmm-spf: start 2 VMs in parallel
Invoke-FabricStep 'vmm-spf: start 2 VMs in parallel' {
    Invoke-FabricStep 'start SPF01' {
        # SPF01 adapter 0: kept (stretched VLAN) -> 10.100.50.22
        Start-VM -Name 'SPF01' -ComputerName 'STO-DR01'
    }
    Invoke-FabricStep 'start SMA01' {
        # SMA01 adapter 0: kept (stretched VLAN) -> 10.100.50.23
        Start-VM -Name 'SMA01' -ComputerName 'STO-DR02'
    }
    Invoke-FabricStep 'heartbeat of SPF01' { Wait-FabricHeartbeat 'SPF01' 'STO-DR01' 360 }
    Invoke-FabricStep 'heartbeat of SMA01' { Wait-FabricHeartbeat 'SMA01' 'STO-DR02' 360 }
}

# --- wap-api: start 1 VM
Invoke-FabricStep 'wap-api: start 1 VM' {
    Invoke-FabricStep 'start WAPADM01' {
        # WAPADM01 adapter 0: kept (stretched VLAN) -> 10.100.50.24
        Start-VM -Name 'WAPADM01' -ComputerName 'STO-DR01'
    }
    Invoke-FabricStep 'heartbeat of WAPADM01' { Wait-FabricHeartbeat 'WAPADM01' 'STO-DR01' 360 }
}

# --- wap-portals: start 1 VM
Invoke-FabricStep 'wap-portals: start 1 VM' {
    Invoke-FabricStep 'start WAPTEN01' {
        # WAPTEN01 adapter 0: kept (stretched VLAN) -> 10.100.50.25
        Start-VM -Name 'WAPTEN01' -ComputerName 'STO-DR02'
    }
    Invoke-FabricStep 'heartbeat of WAPTEN01' { Wait-FabricHeartbeat 'WAPTEN01' 'STO-DR02' 360 }
}

# --- wap-portals/smoke-test
Invoke-FabricStep 'wap-portals/smoke-test' { & (Join-Path $LibraryRoot 'RPScripts\fabric\Test-WapPortal.ps1') }

# --- commit (with -Commit, once the VMs are checked): the recovery points are deleted; reprotect.ps1 then
# replicates them back (failback.ps1 needs that)
if ($Commit) {
    Invoke-FabricStep 'commit SQLWAP01' { Complete-VMFailover -VMName 'SQLWAP01' -ComputerName 'STO-DR02' }
    Invoke-FabricStep 'commit SPF01' { Complete-VMFailover -VMName 'SPF01' -ComputerName 'STO-DR01' }
    Invoke-FabricStep 'commit SMA01' { Complete-VMFailover -VMName 'SMA01' -ComputerName 'STO-DR02' }
    Invoke-FabricStep 'commit WAPADM01' { Complete-VMFailover -VMName 'WAPADM01' -ComputerName 'STO-DR01' }
    Invoke-FabricStep 'commit WAPTEN01' { Complete-VMFailover -VMName 'WAPTEN01' -ComputerName 'STO-DR02' }
}
if ($Failures -gt 0) { throw ('' + $Failures + ' steps failed: see above') }
Write-FabricStep 'the plan ran to its end'
