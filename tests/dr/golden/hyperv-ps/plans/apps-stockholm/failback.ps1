# fabric: recovery plan apps-stockholm of stamp reference: failback (planned, from the recovery site) over Hyper-V Replica.
# The steps `fabric dr simulate` shows for it, in the same order:
#   0m00s  shutdown: shut down 1 VM at the recovery site  [run]
#   1m00s  failover: copy the last changes (planned: no data lost)  [run]
#   6m00s  failover: prepare the disks of 1 VM  [run]
#   8m00s  apps: start 1 VM  [run]
# Run on the VMM server (virtualmachinemanager and Hyper-V modules, Hyper-V rights on the hosts);
# IPv4 parameters are splatted (the grammar fabric's tests parse with reads no digit in a name).
# A failed step stops the failover: what follows does not run.
param(
    [Parameter(Mandatory = $true)][string]$LibraryRoot
)
$ErrorActionPreference = 'Stop'
Import-Module virtualmachinemanager
Import-Module Hyper-V
$ContinueOnFailure = $false
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

# --- shutdown: shut down 1 VM at the recovery site
Invoke-FabricStep 'shutdown: shut down 1 VM at the recovery site' {
    Invoke-FabricStep 'shutdown: shut down 1 VM at the recovery site / STOCKHOLM-APP01' {
        Stop-VM -Name 'STOCKHOLM-APP01' -ComputerName 'COP-DR01' -Force
    }
}

# --- failover: copy the last changes (planned: no data lost)
Invoke-FabricStep 'failover: copy the last changes (planned: no data lost)' {
    Invoke-FabricStep 'failover: copy the last changes (planned: no data lost) / STOCKHOLM-APP01' {
        Start-VMFailover -Prepare -VMName 'STOCKHOLM-APP01' -ComputerName 'COP-DR01'
    }
}

# --- failover: prepare the disks of 1 VM
Invoke-FabricStep 'failover: prepare the disks of 1 VM' {
    Invoke-FabricStep 'failover: prepare the disks of 1 VM / STOCKHOLM-APP01' {
        Start-VMFailover -VMName 'STOCKHOLM-APP01' -ComputerName 'STO-HV01'
        Set-VMReplication -Reverse -VMName 'STOCKHOLM-APP01' -ComputerName 'STO-HV01'
    }
}

# --- apps: start 1 VM
Invoke-FabricStep 'apps: start 1 VM' {
    Invoke-FabricStep 'start STOCKHOLM-APP01' {
        $copy = Get-FabricCopy 'STOCKHOLM-APP01' $false
        # STOCKHOLM-APP01 adapter 0: original address (failback) -> 10.200.1.50
        # back home: the guest is given its primary address again (it holds the recovery one)
        $vnic = Get-SCVirtualNetworkAdapter -VM $copy | Where-Object { $_.SlotID -eq 0 }
        $granted = @(Get-SCIPAddress -GrantToObjectID $vnic.ID)
        if ($granted.Count -eq 0) { throw ('STOCKHOLM-APP01' + ': the primary adapter holds no address from its pool') }
        $pool = $granted[0].AllocatingAddressPool
        $nic = Get-FabricAdapter $copy 'STO-HV01' 0
        $mask = ConvertTo-FabricMask ([int]($pool.Subnet -split '/')[1])
        $setting = @{ IPv4Address = $granted[0].Address; IPv4SubnetMask = $mask; IPv4DefaultGateway = $pool.DefaultGateways[0].IPAddress }
        $dns = @($pool.DNSServers)
        if ($dns.Count -gt 0) { $setting['IPv4PreferredDNSServer'] = [string]$dns[0] }
        if ($dns.Count -gt 1) { $setting['IPv4AlternateDNSServer'] = [string]$dns[1] }
        Set-VMNetworkAdapterFailoverConfiguration -VMNetworkAdapter $nic @setting
        $replica = Get-FabricCopy 'STOCKHOLM-APP01' $true
        $recovery = Get-SCVirtualNetworkAdapter -VM $replica | Where-Object { $_.SlotID -eq 0 }
        foreach ($held in @(Get-SCIPAddress -GrantToObjectID $recovery.ID)) { Revoke-SCIPAddress -AllocatedIPAddress $held | Out-Null }
        Start-VM -Name 'STOCKHOLM-APP01' -ComputerName 'STO-HV01'
    }
    Invoke-FabricStep 'heartbeat of STOCKHOLM-APP01' { Wait-FabricHeartbeat 'STOCKHOLM-APP01' 'STO-HV01' 240 }
}

if ($Failures -gt 0) { throw ('' + $Failures + ' steps failed: see above') }
Write-FabricStep 'the plan ran to its end'
