# fabric: Hyper-V Replica for the VMs of stamp reference on primary host OSL-HV01.
# Enables replication of each VM with its policy's settings and starts the initial copy; a VM that
# replicates already is left as it is. Run on the VMM server (Hyper-V module, rights on the host).
#   OSLO-APP01 -> STO-DR01 (policy Hyper-V Replica 5 min)
param(
    [Parameter(Mandatory = $true)][string]$CertificateThumbprint
)
$ErrorActionPreference = 'Stop'
Import-Module Hyper-V

# OSLO-APP01: policy Hyper-V Replica 5 min
if ($null -eq (Get-VMReplication -VMName 'OSLO-APP01' -ComputerName 'OSL-HV01' -ErrorAction SilentlyContinue)) {
    Enable-VMReplication -VMName 'OSLO-APP01' -ComputerName 'OSL-HV01' -ReplicaServerName 'STO-DR01' -ReplicaServerPort 8084 -AuthenticationType 'Certificate' -CertificateThumbprint $CertificateThumbprint -CompressionEnabled $false -ReplicationFrequencySec 300 -RecoveryHistory 24 -VSSSnapshotFrequencyHour 4
    Start-VMInitialReplication -VMName 'OSLO-APP01' -ComputerName 'OSL-HV01'
}

