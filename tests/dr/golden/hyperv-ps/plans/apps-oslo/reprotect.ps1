# fabric: reprotect recovery plan apps-oslo of stamp reference over Hyper-V Replica.
# After a planned or unplanned failover committed (planned.ps1 or unplanned.ps1 -Commit): each VM,
# now running at the recovery site, replicates back to the primary site; failback.ps1 needs it.
# Run on the VMM server (Hyper-V module, rights on the hosts); a failure stops here.
param()
$ErrorActionPreference = 'Stop'
Import-Module Hyper-V

Set-VMReplication -Reverse -VMName 'OSLO-APP01' -ComputerName 'STO-DR01'
