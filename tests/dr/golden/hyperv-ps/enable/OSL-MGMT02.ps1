# fabric: Hyper-V Replica for the VMs of stamp reference on primary host OSL-MGMT02.
# Enables replication of each VM with its policy's settings and starts the initial copy; a VM that
# replicates already is left as it is. Run on the VMM server (Hyper-V module, rights on the host).
#   SPF01 -> STO-DR01 (policy Hyper-V Replica 5 min)
#   WAPADM01 -> STO-DR01 (policy Hyper-V Replica 5 min)
param(
    [Parameter(Mandatory = $true)][string]$CertificateThumbprint
)
$ErrorActionPreference = 'Stop'
Import-Module Hyper-V

# SPF01: policy Hyper-V Replica 5 min
if ($null -eq (Get-VMReplication -VMName 'SPF01' -ComputerName 'OSL-MGMT02' -ErrorAction SilentlyContinue)) {
    Enable-VMReplication -VMName 'SPF01' -ComputerName 'OSL-MGMT02' -ReplicaServerName 'STO-DR01' -ReplicaServerPort 8084 -AuthenticationType 'Certificate' -CertificateThumbprint $CertificateThumbprint -CompressionEnabled $false -ReplicationFrequencySec 300 -RecoveryHistory 24 -VSSSnapshotFrequencyHour 4
    Start-VMInitialReplication -VMName 'SPF01' -ComputerName 'OSL-MGMT02'
}

# WAPADM01: policy Hyper-V Replica 5 min
if ($null -eq (Get-VMReplication -VMName 'WAPADM01' -ComputerName 'OSL-MGMT02' -ErrorAction SilentlyContinue)) {
    Enable-VMReplication -VMName 'WAPADM01' -ComputerName 'OSL-MGMT02' -ReplicaServerName 'STO-DR01' -ReplicaServerPort 8084 -AuthenticationType 'Certificate' -CertificateThumbprint $CertificateThumbprint -CompressionEnabled $false -ReplicationFrequencySec 300 -RecoveryHistory 24 -VSSSnapshotFrequencyHour 4
    Start-VMInitialReplication -VMName 'WAPADM01' -ComputerName 'OSL-MGMT02'
}

