# fabric plan for stamp reference: 55 operation(s), in dependency order.
# Written for VMM 2012 R2 (provider vmm_version: 2012r2).
# Review, then run in a PowerShell session with the VMM console module:
#   delete  cloud.dr-copenhagen
#   delete  cloud.dr-oslo
#   delete  cloud.dr-stockholm
#   delete  cloud.iaas-copenhagen
#   delete  cloud.iaas-oslo
#   delete  cloud.iaas-stockholm
#   delete  cloud.management
#   delete  custom_property.CreateHighlyAvailableVMRoles
#   delete  host_group.Copenhagen/DR
#   delete  host_group.Copenhagen/Edge
#   delete  host_group.Copenhagen/Fabric Management
#   delete  host_group.Copenhagen/IaaS
#   delete  host_group.Oslo/DR
#   delete  host_group.Oslo/Edge
#   delete  host_group.Oslo/IaaS
#   delete  host_group.Stockholm/Edge
#   delete  host_group.Stockholm/Fabric Management
#   delete  host_group.Stockholm/IaaS
#   delete  ip_grant.sma01
#   delete  ip_grant.spf01
#   delete  ip_grant.sqlwap01
#   delete  ip_grant.wapadm01
#   delete  ip_grant.wapten01
#   delete  ip_pool.management-copenhagen
#   delete  ip_pool.management-oslo
#   delete  ip_pool.management-stockholm
#   delete  ip_pool.management-stretched
#   delete  ip_pool.tenants-copenhagen
#   delete  ip_pool.tenants-oslo
#   delete  ip_pool.tenants-stockholm
#   delete  logical_switch.fabric
#   delete  network_site.management-copenhagen
#   delete  network_site.management-stockholm
#   delete  port_classification.vm-roles
#   delete  uplink_port_profile.uplink-oslo
#   delete  network_site.dr-test
#   delete  network_site.management-oslo
#   delete  network_site.management-stretched
#   delete  host_group.Oslo/Fabric Management
#   delete  host_group.Stockholm/DR
#   delete  virtual_port_profile.vm-roles
#   delete  vm_network.dr-test
#   delete  logical_network.dr-test
#   delete  vm_network.management
#   delete  logical_network.management
#   delete  vm_network.tenants-copenhagen
#   delete  network_site.tenants-copenhagen
#   delete  host_group.Copenhagen
#   delete  vm_network.tenants-oslo
#   delete  network_site.tenants-oslo
#   delete  host_group.Oslo
#   delete  vm_network.tenants-stockholm
#   delete  network_site.tenants-stockholm
#   delete  host_group.Stockholm
#   delete  logical_network.tenants
$ErrorActionPreference = 'Stop'
$ids = @{}
Write-Host ('delete ' + 'cloud.dr-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCCloud -ID 'f40c4bdb-0dd4-50c6-a9fc-bbbe313e08b2' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'cloud' + ' with ID ' + 'f40c4bdb-0dd4-50c6-a9fc-bbbe313e08b2' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCCloud -Cloud $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.dr-copenhagen' + ': ' + $r.error) }

Write-Host ('delete ' + 'cloud.dr-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCCloud -ID '8157140b-92b0-5ddd-bece-fa70b646b6f7' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'cloud' + ' with ID ' + '8157140b-92b0-5ddd-bece-fa70b646b6f7' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCCloud -Cloud $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.dr-oslo' + ': ' + $r.error) }

Write-Host ('delete ' + 'cloud.dr-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCCloud -ID '9f7f4907-3041-5ef3-8477-91dc2b4aa541' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'cloud' + ' with ID ' + '9f7f4907-3041-5ef3-8477-91dc2b4aa541' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCCloud -Cloud $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.dr-stockholm' + ': ' + $r.error) }

Write-Host ('delete ' + 'cloud.iaas-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCCloud -ID '69392826-2c3d-55cd-babc-aa69b70494a7' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'cloud' + ' with ID ' + '69392826-2c3d-55cd-babc-aa69b70494a7' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCCloud -Cloud $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.iaas-copenhagen' + ': ' + $r.error) }

Write-Host ('delete ' + 'cloud.iaas-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCCloud -ID 'fb20494c-2329-56bf-8bfa-e4ab7a7c1ad1' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'cloud' + ' with ID ' + 'fb20494c-2329-56bf-8bfa-e4ab7a7c1ad1' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCCloud -Cloud $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.iaas-oslo' + ': ' + $r.error) }

Write-Host ('delete ' + 'cloud.iaas-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCCloud -ID '7c96eab6-bb82-5891-ba5c-a233863c1d23' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'cloud' + ' with ID ' + '7c96eab6-bb82-5891-ba5c-a233863c1d23' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCCloud -Cloud $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.iaas-stockholm' + ': ' + $r.error) }

Write-Host ('delete ' + 'cloud.management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCCloud -ID '927f4a45-816c-53f6-83ab-5efdda5f9af7' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'cloud' + ' with ID ' + '927f4a45-816c-53f6-83ab-5efdda5f9af7' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCCloud -Cloud $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.management' + ': ' + $r.error) }

Write-Host ('delete ' + 'custom_property.CreateHighlyAvailableVMRoles')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCCustomProperty -ID 'cbb2632c-510e-589a-af16-a30947d783f4' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'custom_property' + ' with ID ' + 'cbb2632c-510e-589a-af16-a30947d783f4' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCCustomProperty -CustomProperty $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('custom_property.CreateHighlyAvailableVMRoles' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Copenhagen/DR')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID '54a1b0f1-a8d6-595a-957f-6c89f4c40aa0' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + '54a1b0f1-a8d6-595a-957f-6c89f4c40aa0' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Copenhagen/DR' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Copenhagen/Edge')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID '0ef9b42d-9c54-566b-a57d-8c3f461fb566' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + '0ef9b42d-9c54-566b-a57d-8c3f461fb566' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Copenhagen/Edge' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Copenhagen/Fabric Management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID '10699e27-30a6-5ed5-bf9c-53f26a712b8d' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + '10699e27-30a6-5ed5-bf9c-53f26a712b8d' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Copenhagen/Fabric Management' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Copenhagen/IaaS')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID '536e0b7d-02f7-59f1-82fa-7a98276d042d' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + '536e0b7d-02f7-59f1-82fa-7a98276d042d' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Copenhagen/IaaS' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Oslo/DR')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID 'b85324c5-ff84-5352-bf5c-17bf48843642' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + 'b85324c5-ff84-5352-bf5c-17bf48843642' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Oslo/DR' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Oslo/Edge')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID 'f985e9cb-b4da-5d56-af33-2c7b868b2d0b' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + 'f985e9cb-b4da-5d56-af33-2c7b868b2d0b' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Oslo/Edge' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Oslo/IaaS')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID 'a5e664a7-8523-5353-bfaf-25b3edb3cc90' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + 'a5e664a7-8523-5353-bfaf-25b3edb3cc90' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Oslo/IaaS' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Stockholm/Edge')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID 'c06c78d9-2bee-5a5d-a9d7-75d59a816075' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + 'c06c78d9-2bee-5a5d-a9d7-75d59a816075' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Stockholm/Edge' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Stockholm/Fabric Management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID '3c8e8372-5c66-5468-9c02-431a1ce0aa32' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + '3c8e8372-5c66-5468-9c02-431a1ce0aa32' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Stockholm/Fabric Management' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Stockholm/IaaS')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID 'dd015cfe-98ce-550f-9ede-c0635ca26f65' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + 'dd015cfe-98ce-550f-9ede-c0635ca26f65' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Stockholm/IaaS' + ': ' + $r.error) }

Write-Host ('delete ' + 'ip_grant.sma01')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCIPAddress -ID 'a96aad07-516d-5215-93b2-4bd63b078a9b' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'ip_grant' + ' with ID ' + 'a96aad07-516d-5215-93b2-4bd63b078a9b' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $nic = $null
    if ($obj.AssignedToID) {
        try { $nic = Get-SCVirtualNetworkAdapter -ID $obj.AssignedToID -ErrorAction Stop } catch { $nic = $null }
    }
    Revoke-SCIPAddress -AllocatedIPAddress $obj -ErrorAction Stop | Out-Null
    if ($nic) {
        $dynamic = @{ VirtualNetworkAdapter = $nic; IPv4AddressType = 'Dynamic' }
        Set-SCVirtualNetworkAdapter @dynamic -ErrorAction Stop | Out-Null
    }
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_grant.sma01' + ': ' + $r.error) }

Write-Host ('delete ' + 'ip_grant.spf01')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCIPAddress -ID '08455f63-68cc-5040-b473-ae4d3c93895d' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'ip_grant' + ' with ID ' + '08455f63-68cc-5040-b473-ae4d3c93895d' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $nic = $null
    if ($obj.AssignedToID) {
        try { $nic = Get-SCVirtualNetworkAdapter -ID $obj.AssignedToID -ErrorAction Stop } catch { $nic = $null }
    }
    Revoke-SCIPAddress -AllocatedIPAddress $obj -ErrorAction Stop | Out-Null
    if ($nic) {
        $dynamic = @{ VirtualNetworkAdapter = $nic; IPv4AddressType = 'Dynamic' }
        Set-SCVirtualNetworkAdapter @dynamic -ErrorAction Stop | Out-Null
    }
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_grant.spf01' + ': ' + $r.error) }

Write-Host ('delete ' + 'ip_grant.sqlwap01')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCIPAddress -ID '117ba159-a757-5475-bfb8-63f981820087' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'ip_grant' + ' with ID ' + '117ba159-a757-5475-bfb8-63f981820087' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $nic = $null
    if ($obj.AssignedToID) {
        try { $nic = Get-SCVirtualNetworkAdapter -ID $obj.AssignedToID -ErrorAction Stop } catch { $nic = $null }
    }
    Revoke-SCIPAddress -AllocatedIPAddress $obj -ErrorAction Stop | Out-Null
    if ($nic) {
        $dynamic = @{ VirtualNetworkAdapter = $nic; IPv4AddressType = 'Dynamic' }
        Set-SCVirtualNetworkAdapter @dynamic -ErrorAction Stop | Out-Null
    }
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_grant.sqlwap01' + ': ' + $r.error) }

Write-Host ('delete ' + 'ip_grant.wapadm01')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCIPAddress -ID 'b8593a19-0882-5953-9c95-254130a9fbbc' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'ip_grant' + ' with ID ' + 'b8593a19-0882-5953-9c95-254130a9fbbc' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $nic = $null
    if ($obj.AssignedToID) {
        try { $nic = Get-SCVirtualNetworkAdapter -ID $obj.AssignedToID -ErrorAction Stop } catch { $nic = $null }
    }
    Revoke-SCIPAddress -AllocatedIPAddress $obj -ErrorAction Stop | Out-Null
    if ($nic) {
        $dynamic = @{ VirtualNetworkAdapter = $nic; IPv4AddressType = 'Dynamic' }
        Set-SCVirtualNetworkAdapter @dynamic -ErrorAction Stop | Out-Null
    }
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_grant.wapadm01' + ': ' + $r.error) }

Write-Host ('delete ' + 'ip_grant.wapten01')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCIPAddress -ID '781d6137-3088-5aac-8330-9526a3a8c6e1' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'ip_grant' + ' with ID ' + '781d6137-3088-5aac-8330-9526a3a8c6e1' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $nic = $null
    if ($obj.AssignedToID) {
        try { $nic = Get-SCVirtualNetworkAdapter -ID $obj.AssignedToID -ErrorAction Stop } catch { $nic = $null }
    }
    Revoke-SCIPAddress -AllocatedIPAddress $obj -ErrorAction Stop | Out-Null
    if ($nic) {
        $dynamic = @{ VirtualNetworkAdapter = $nic; IPv4AddressType = 'Dynamic' }
        Set-SCVirtualNetworkAdapter @dynamic -ErrorAction Stop | Out-Null
    }
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_grant.wapten01' + ': ' + $r.error) }

Write-Host ('delete ' + 'ip_pool.management-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCStaticIPAddressPool -ID 'bc74473f-3e11-5b88-a64d-24ce29e1d85b' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'ip_pool' + ' with ID ' + 'bc74473f-3e11-5b88-a64d-24ce29e1d85b' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $granted = @(Get-SCIPAddress -StaticIPAddressPool $obj -Assigned -ErrorAction Stop)
    if ($granted.Count -gt 0) { throw "the pool has $($granted.Count) granted address(es); revoke them first" }
    Remove-SCStaticIPAddressPool -StaticIPAddressPool $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.management-copenhagen' + ': ' + $r.error) }

Write-Host ('delete ' + 'ip_pool.management-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCStaticIPAddressPool -ID '90486585-6903-56f1-b888-db056c6f7c06' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'ip_pool' + ' with ID ' + '90486585-6903-56f1-b888-db056c6f7c06' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $granted = @(Get-SCIPAddress -StaticIPAddressPool $obj -Assigned -ErrorAction Stop)
    if ($granted.Count -gt 0) { throw "the pool has $($granted.Count) granted address(es); revoke them first" }
    Remove-SCStaticIPAddressPool -StaticIPAddressPool $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.management-oslo' + ': ' + $r.error) }

Write-Host ('delete ' + 'ip_pool.management-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCStaticIPAddressPool -ID 'a8d2f338-decc-5dea-8313-7d8d2aa90768' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'ip_pool' + ' with ID ' + 'a8d2f338-decc-5dea-8313-7d8d2aa90768' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $granted = @(Get-SCIPAddress -StaticIPAddressPool $obj -Assigned -ErrorAction Stop)
    if ($granted.Count -gt 0) { throw "the pool has $($granted.Count) granted address(es); revoke them first" }
    Remove-SCStaticIPAddressPool -StaticIPAddressPool $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.management-stockholm' + ': ' + $r.error) }

Write-Host ('delete ' + 'ip_pool.management-stretched')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCStaticIPAddressPool -ID 'bda6d890-e7d0-5eb6-ad2d-39cfcaad1d29' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'ip_pool' + ' with ID ' + 'bda6d890-e7d0-5eb6-ad2d-39cfcaad1d29' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $granted = @(Get-SCIPAddress -StaticIPAddressPool $obj -Assigned -ErrorAction Stop)
    if ($granted.Count -gt 0) { throw "the pool has $($granted.Count) granted address(es); revoke them first" }
    Remove-SCStaticIPAddressPool -StaticIPAddressPool $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.management-stretched' + ': ' + $r.error) }

Write-Host ('delete ' + 'ip_pool.tenants-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCStaticIPAddressPool -ID '1c2b6212-454c-5ca2-ab81-a61dee576855' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'ip_pool' + ' with ID ' + '1c2b6212-454c-5ca2-ab81-a61dee576855' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $granted = @(Get-SCIPAddress -StaticIPAddressPool $obj -Assigned -ErrorAction Stop)
    if ($granted.Count -gt 0) { throw "the pool has $($granted.Count) granted address(es); revoke them first" }
    Remove-SCStaticIPAddressPool -StaticIPAddressPool $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.tenants-copenhagen' + ': ' + $r.error) }

Write-Host ('delete ' + 'ip_pool.tenants-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCStaticIPAddressPool -ID '62ff6546-6236-52b7-a275-57e3699a4e82' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'ip_pool' + ' with ID ' + '62ff6546-6236-52b7-a275-57e3699a4e82' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $granted = @(Get-SCIPAddress -StaticIPAddressPool $obj -Assigned -ErrorAction Stop)
    if ($granted.Count -gt 0) { throw "the pool has $($granted.Count) granted address(es); revoke them first" }
    Remove-SCStaticIPAddressPool -StaticIPAddressPool $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.tenants-oslo' + ': ' + $r.error) }

Write-Host ('delete ' + 'ip_pool.tenants-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCStaticIPAddressPool -ID '6f56d5d2-575e-5812-85d5-6d1fb3347253' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'ip_pool' + ' with ID ' + '6f56d5d2-575e-5812-85d5-6d1fb3347253' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $granted = @(Get-SCIPAddress -StaticIPAddressPool $obj -Assigned -ErrorAction Stop)
    if ($granted.Count -gt 0) { throw "the pool has $($granted.Count) granted address(es); revoke them first" }
    Remove-SCStaticIPAddressPool -StaticIPAddressPool $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.tenants-stockholm' + ': ' + $r.error) }

Write-Host ('delete ' + 'logical_switch.fabric')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalSwitch -ID 'bf2c1d8f-0f7e-5f69-951a-24f73b517d52' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'logical_switch' + ' with ID ' + 'bf2c1d8f-0f7e-5f69-951a-24f73b517d52' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Get-SCVirtualNetworkAdapterPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | ForEach-Object { Remove-SCVirtualNetworkAdapterPortProfileSet -VirtualNetworkAdapterPortProfileSet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    Get-SCUplinkPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | ForEach-Object { Remove-SCUplinkPortProfileSet -UplinkPortProfileSet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    Remove-SCLogicalSwitch -LogicalSwitch $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('logical_switch.fabric' + ': ' + $r.error) }

Write-Host ('delete ' + 'network_site.management-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq '7ca8d606-77c7-5440-9140-a2a2af6543a0' })
    if ($obj.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + '7ca8d606-77c7-5440-9140-a2a2af6543a0' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCLogicalNetworkDefinition -LogicalNetworkDefinition $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.management-copenhagen' + ': ' + $r.error) }

Write-Host ('delete ' + 'network_site.management-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq 'cee0de52-68aa-55e6-a030-c57e329324f4' })
    if ($obj.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + 'cee0de52-68aa-55e6-a030-c57e329324f4' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCLogicalNetworkDefinition -LogicalNetworkDefinition $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.management-stockholm' + ': ' + $r.error) }

Write-Host ('delete ' + 'port_classification.vm-roles')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCPortClassification -ID 'aef999a0-f326-5ca2-8a82-ac97b854316a' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + 'aef999a0-f326-5ca2-8a82-ac97b854316a' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCPortClassification -PortClassification $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('port_classification.vm-roles' + ': ' + $r.error) }

Write-Host ('delete ' + 'uplink_port_profile.uplink-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCNativeUplinkPortProfile -ID '5622ef1c-60d1-5465-9248-df64a5c30d26' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'uplink_port_profile' + ' with ID ' + '5622ef1c-60d1-5465-9248-df64a5c30d26' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCNativeUplinkPortProfile -NativeUplinkPortProfile $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('uplink_port_profile.uplink-oslo' + ': ' + $r.error) }

Write-Host ('delete ' + 'network_site.dr-test')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq '491ee06b-e6a7-512f-b63b-cbf95eca6725' })
    if ($obj.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + '491ee06b-e6a7-512f-b63b-cbf95eca6725' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCLogicalNetworkDefinition -LogicalNetworkDefinition $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.dr-test' + ': ' + $r.error) }

Write-Host ('delete ' + 'network_site.management-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq '85e7b802-5fe0-57a2-89eb-b07f897de9fc' })
    if ($obj.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + '85e7b802-5fe0-57a2-89eb-b07f897de9fc' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCLogicalNetworkDefinition -LogicalNetworkDefinition $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.management-oslo' + ': ' + $r.error) }

Write-Host ('delete ' + 'network_site.management-stretched')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq '5ad122ec-774a-515a-943c-ff41bd977bc7' })
    if ($obj.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + '5ad122ec-774a-515a-943c-ff41bd977bc7' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCLogicalNetworkDefinition -LogicalNetworkDefinition $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.management-stretched' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Oslo/Fabric Management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID '9d0c3411-91ff-5957-9f50-8031cc3672e9' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + '9d0c3411-91ff-5957-9f50-8031cc3672e9' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Oslo/Fabric Management' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Stockholm/DR')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID '0a1de175-9fcf-59f7-adfb-2e1bfb356b4a' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + '0a1de175-9fcf-59f7-adfb-2e1bfb356b4a' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Stockholm/DR' + ': ' + $r.error) }

Write-Host ('delete ' + 'virtual_port_profile.vm-roles')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVirtualNetworkAdapterNativePortProfile -ID '7df4d285-a897-5dcb-a1ed-e7abfe7cbfdc' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'virtual_port_profile' + ' with ID ' + '7df4d285-a897-5dcb-a1ed-e7abfe7cbfdc' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVirtualNetworkAdapterNativePortProfile -VirtualNetworkAdapterNativePortProfile $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('virtual_port_profile.vm-roles' + ': ' + $r.error) }

Write-Host ('delete ' + 'vm_network.dr-test')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMNetwork -ID '1fff539d-bf1b-56cc-9048-95d450cd6958' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'vm_network' + ' with ID ' + '1fff539d-bf1b-56cc-9048-95d450cd6958' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    @(if ($null -eq $obj) { throw 'no VM network to list the VM subnets of' } else { Get-SCVMSubnet -VMNetwork $obj -ErrorAction Stop }) | ForEach-Object { Remove-SCVMSubnet -VMSubnet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    Remove-SCVMNetwork -VMNetwork $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('vm_network.dr-test' + ': ' + $r.error) }

Write-Host ('delete ' + 'logical_network.dr-test')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetwork -ID '95dcfb7d-465f-5c7d-b655-fe022523d888' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + '95dcfb7d-465f-5c7d-b655-fe022523d888' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCLogicalNetwork -LogicalNetwork $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('logical_network.dr-test' + ': ' + $r.error) }

Write-Host ('delete ' + 'vm_network.management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMNetwork -ID '0bb848b6-4a3a-51ce-9675-2e46741320dc' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'vm_network' + ' with ID ' + '0bb848b6-4a3a-51ce-9675-2e46741320dc' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    @(if ($null -eq $obj) { throw 'no VM network to list the VM subnets of' } else { Get-SCVMSubnet -VMNetwork $obj -ErrorAction Stop }) | ForEach-Object { Remove-SCVMSubnet -VMSubnet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    Remove-SCVMNetwork -VMNetwork $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('vm_network.management' + ': ' + $r.error) }

Write-Host ('delete ' + 'logical_network.management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetwork -ID '760edcb3-6246-59f9-a27d-54ce18d5eea2' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + '760edcb3-6246-59f9-a27d-54ce18d5eea2' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCLogicalNetwork -LogicalNetwork $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('logical_network.management' + ': ' + $r.error) }

Write-Host ('delete ' + 'vm_network.tenants-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMNetwork -ID 'cb0950e5-9954-5215-b61e-386b5b7f7bb2' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'vm_network' + ' with ID ' + 'cb0950e5-9954-5215-b61e-386b5b7f7bb2' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    @(if ($null -eq $obj) { throw 'no VM network to list the VM subnets of' } else { Get-SCVMSubnet -VMNetwork $obj -ErrorAction Stop }) | ForEach-Object { Remove-SCVMSubnet -VMSubnet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    Remove-SCVMNetwork -VMNetwork $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('vm_network.tenants-copenhagen' + ': ' + $r.error) }

Write-Host ('delete ' + 'network_site.tenants-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq 'fd3615ee-4d56-5b17-8131-dd3b86a6cc75' })
    if ($obj.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + 'fd3615ee-4d56-5b17-8131-dd3b86a6cc75' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCLogicalNetworkDefinition -LogicalNetworkDefinition $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.tenants-copenhagen' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID '4e462120-afbd-5052-8945-4595e6ba8e36' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + '4e462120-afbd-5052-8945-4595e6ba8e36' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Copenhagen' + ': ' + $r.error) }

Write-Host ('delete ' + 'vm_network.tenants-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMNetwork -ID '33586a5e-932b-5634-b11f-2d90ddc6384f' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'vm_network' + ' with ID ' + '33586a5e-932b-5634-b11f-2d90ddc6384f' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    @(if ($null -eq $obj) { throw 'no VM network to list the VM subnets of' } else { Get-SCVMSubnet -VMNetwork $obj -ErrorAction Stop }) | ForEach-Object { Remove-SCVMSubnet -VMSubnet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    Remove-SCVMNetwork -VMNetwork $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('vm_network.tenants-oslo' + ': ' + $r.error) }

Write-Host ('delete ' + 'network_site.tenants-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq 'a940dcb5-be28-568b-88c3-d2d1d2be1739' })
    if ($obj.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + 'a940dcb5-be28-568b-88c3-d2d1d2be1739' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCLogicalNetworkDefinition -LogicalNetworkDefinition $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.tenants-oslo' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID '315994f7-92d8-508e-a7e6-d0bca82a9d0d' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + '315994f7-92d8-508e-a7e6-d0bca82a9d0d' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Oslo' + ': ' + $r.error) }

Write-Host ('delete ' + 'vm_network.tenants-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMNetwork -ID 'ce4eea5b-ddff-567e-8541-104a187f8059' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'vm_network' + ' with ID ' + 'ce4eea5b-ddff-567e-8541-104a187f8059' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    @(if ($null -eq $obj) { throw 'no VM network to list the VM subnets of' } else { Get-SCVMSubnet -VMNetwork $obj -ErrorAction Stop }) | ForEach-Object { Remove-SCVMSubnet -VMSubnet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    Remove-SCVMNetwork -VMNetwork $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('vm_network.tenants-stockholm' + ': ' + $r.error) }

Write-Host ('delete ' + 'network_site.tenants-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq '710118e0-2d7c-510a-adff-994dbd7ac5d3' })
    if ($obj.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + '710118e0-2d7c-510a-adff-994dbd7ac5d3' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCLogicalNetworkDefinition -LogicalNetworkDefinition $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.tenants-stockholm' + ': ' + $r.error) }

Write-Host ('delete ' + 'host_group.Stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCVMHostGroup -ID '0f3d5c93-5b44-5b8a-aed7-fb85d40dae2d' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + '0f3d5c93-5b44-5b8a-aed7-fb85d40dae2d' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCVMHostGroup -VMHostGroup $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Stockholm' + ': ' + $r.error) }

Write-Host ('delete ' + 'logical_network.tenants')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetwork -ID 'b2e325be-6842-5d95-84ee-c2cb7fb9fe34' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + 'b2e325be-6842-5d95-84ee-c2cb7fb9fe34' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Remove-SCLogicalNetwork -LogicalNetwork $obj -Confirm:$false -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('logical_network.tenants' + ': ' + $r.error) }
