# fabric: Hyper-V Replica for the VMs of stamp reference on primary host OSL-MGMT01.
# Enables replication of each VM with its policy's settings and starts the initial copy; a VM that
# replicates already is left as it is. Run on the VMM server (Hyper-V module, rights on the host).
#   SQLWAP01 -> STO-DR02 (policy Hyper-V Replica 5 min)
#   SMA01 -> STO-DR02 (policy Hyper-V Replica 5 min)
#   WAPTEN01 -> STO-DR02 (policy Hyper-V Replica 5 min)
param(
    [Parameter(Mandatory = $true)][string]$CertificateThumbprint
)
$ErrorActionPreference = 'Stop'
Import-Module Hyper-V

# SQLWAP01: policy Hyper-V Replica 5 min
if ($null -eq (Get-VMReplication -VMName 'SQLWAP01' -ComputerName 'OSL-MGMT01' -ErrorAction SilentlyContinue)) {
    Enable-VMReplication -VMName 'SQLWAP01' -ComputerName 'OSL-MGMT01' -ReplicaServerName 'STO-DR02' -ReplicaServerPort 8084 -AuthenticationType 'Certificate' -CertificateThumbprint $CertificateThumbprint -CompressionEnabled $false -ReplicationFrequencySec 300 -RecoveryHistory 24 -VSSSnapshotFrequencyHour 4
    Start-VMInitialReplication -VMName 'SQLWAP01' -ComputerName 'OSL-MGMT01'
}

# SMA01: policy Hyper-V Replica 5 min
if ($null -eq (Get-VMReplication -VMName 'SMA01' -ComputerName 'OSL-MGMT01' -ErrorAction SilentlyContinue)) {
    Enable-VMReplication -VMName 'SMA01' -ComputerName 'OSL-MGMT01' -ReplicaServerName 'STO-DR02' -ReplicaServerPort 8084 -AuthenticationType 'Certificate' -CertificateThumbprint $CertificateThumbprint -CompressionEnabled $false -ReplicationFrequencySec 300 -RecoveryHistory 24 -VSSSnapshotFrequencyHour 4
    Start-VMInitialReplication -VMName 'SMA01' -ComputerName 'OSL-MGMT01'
}

# WAPTEN01: policy Hyper-V Replica 5 min
if ($null -eq (Get-VMReplication -VMName 'WAPTEN01' -ComputerName 'OSL-MGMT01' -ErrorAction SilentlyContinue)) {
    Enable-VMReplication -VMName 'WAPTEN01' -ComputerName 'OSL-MGMT01' -ReplicaServerName 'STO-DR02' -ReplicaServerPort 8084 -AuthenticationType 'Certificate' -CertificateThumbprint $CertificateThumbprint -CompressionEnabled $false -ReplicationFrequencySec 300 -RecoveryHistory 24 -VSSSnapshotFrequencyHour 4
    Start-VMInitialReplication -VMName 'WAPTEN01' -ComputerName 'OSL-MGMT01'
}

