# fabric: reprotect recovery plan management-stamp of stamp reference over Hyper-V Replica.
# After an unplanned failover committed (unplanned.ps1 -Commit): each VM, now running at the
# recovery site, replicates back to the primary site (a planned failover reverses it itself).
# Run on the VMM server (Hyper-V module, rights on the hosts); a failure stops here.
param()
$ErrorActionPreference = 'Stop'
Import-Module Hyper-V

Set-VMReplication -Reverse -VMName 'SQLWAP01' -ComputerName 'STO-DR02'
Set-VMReplication -Reverse -VMName 'SPF01' -ComputerName 'STO-DR01'
Set-VMReplication -Reverse -VMName 'SMA01' -ComputerName 'STO-DR02'
Set-VMReplication -Reverse -VMName 'WAPADM01' -ComputerName 'STO-DR01'
Set-VMReplication -Reverse -VMName 'WAPTEN01' -ComputerName 'STO-DR02'
