# fabric: Hyper-V Replica for the VMs of stamp reference on primary host STO-HV01.
# Enables replication of each VM with its policy's settings and starts the initial copy; a VM that
# replicates already is left as it is. Run on the VMM server (Hyper-V module, rights on the host).
#   STOCKHOLM-APP01 -> COP-DR01 (policy Hyper-V Replica 5 min)
param(
    [Parameter(Mandatory = $true)][string]$CertificateThumbprint
)
$ErrorActionPreference = 'Stop'
Import-Module Hyper-V

# STOCKHOLM-APP01: policy Hyper-V Replica 5 min
if ($null -eq (Get-VMReplication -VMName 'STOCKHOLM-APP01' -ComputerName 'STO-HV01' -ErrorAction SilentlyContinue)) {
    Enable-VMReplication -VMName 'STOCKHOLM-APP01' -ComputerName 'STO-HV01' -ReplicaServerName 'COP-DR01' -ReplicaServerPort 8084 -AuthenticationType 'Certificate' -CertificateThumbprint $CertificateThumbprint -CompressionEnabled $false -ReplicationFrequencySec 300 -RecoveryHistory 24 -VSSSnapshotFrequencyHour 4
    Start-VMInitialReplication -VMName 'STOCKHOLM-APP01' -ComputerName 'STO-HV01'
}

