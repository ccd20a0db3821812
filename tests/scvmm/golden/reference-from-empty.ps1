# fabric plan for stamp reference: 59 operation(s), in dependency order.
# Written for VMM 2012 R2 (provider vmm_version: 2012r2).
# Review, then run in a PowerShell session with the VMM console module:
#   create  custom_property.CreateHighlyAvailableVMRoles
#   create  host_group.Copenhagen
#   create  host_group.Copenhagen/DR
#   create  host_group.Copenhagen/Edge
#   create  host_group.Copenhagen/Fabric Management
#   create  host_group.Copenhagen/IaaS
#   create  host_group.Oslo
#   create  host_group.Oslo/DR
#   create  host_group.Oslo/Edge
#   create  host_group.Oslo/Fabric Management
#   create  host_group.Oslo/IaaS
#   create  host_group.Stockholm
#   create  host_group.Stockholm/DR
#   create  host_group.Stockholm/Edge
#   create  host_group.Stockholm/Fabric Management
#   create  host_group.Stockholm/IaaS
#   create  logical_network.dr-test
#   create  logical_network.management
#   create  cloud.management
#   create  logical_network.tenants
#   create  cloud.dr-copenhagen
#   create  cloud.dr-oslo
#   create  cloud.dr-stockholm
#   create  network_site.dr-test
#   create  network_site.management-copenhagen
#   create  ip_pool.management-copenhagen
#   create  network_site.management-oslo
#   create  ip_pool.management-oslo
#   create  network_site.management-stockholm
#   create  ip_pool.management-stockholm
#   create  network_site.management-stretched
#   create  ip_pool.management-stretched
#   create  ip_grant.sma01
#   create  ip_grant.spf01
#   create  ip_grant.sqlwap01
#   create  ip_grant.wapadm01
#   create  ip_grant.wapten01
#   create  network_site.tenants-copenhagen
#   create  ip_pool.tenants-copenhagen
#   create  network_site.tenants-oslo
#   create  ip_pool.tenants-oslo
#   create  network_site.tenants-stockholm
#   create  ip_pool.tenants-stockholm
#   update  port_classification.host-management
#             ~ description: "Classification used for host management vNICs" → ""
#   create  port_classification.live-migration
#   create  port_classification.vm-roles
#   create  cloud.iaas-copenhagen
#   create  cloud.iaas-oslo
#   create  cloud.iaas-stockholm
#   create  uplink_port_profile.uplink-oslo
#   create  virtual_port_profile.host-management
#   create  virtual_port_profile.live-migration
#   create  virtual_port_profile.vm-roles
#   create  logical_switch.fabric
#   create  vm_network.dr-test
#   create  vm_network.management
#   create  vm_network.tenants-copenhagen
#   create  vm_network.tenants-oslo
#   create  vm_network.tenants-stockholm
$ErrorActionPreference = 'Stop'
$ids = @{}
Write-Host ('create ' + 'custom_property.CreateHighlyAvailableVMRoles')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = New-SCCustomProperty -Name 'CreateHighlyAvailableVMRoles' -Description 'Deploy Windows Azure Pack VM roles as highly available VMs [fabric stamp=reference]' -AddMember @('Cloud') -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('custom_property.CreateHighlyAvailableVMRoles' + ': ' + $r.error) }
$ids['custom_property.CreateHighlyAvailableVMRoles'] = $r.id

Write-Host ('create ' + 'host_group.Copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ErrorAction Stop | Where-Object { -not $_.ParentHostGroup })
    if ($parent.Count -ne 1) { throw ('expected one root host group (All Hosts), found ' + $parent.Count) }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'Copenhagen' -ParentHostGroup $parent -Description 'Location Copenhagen [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Copenhagen' + ': ' + $r.error) }
$ids['host_group.Copenhagen'] = $r.id

Write-Host ('create ' + 'host_group.Copenhagen/DR')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ID $ids['host_group.Copenhagen'] -ErrorAction Stop)
    if ($parent.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $ids['host_group.Copenhagen'] + ' (found ' + $parent.Count + ')') }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'DR' -ParentHostGroup $parent -Description 'Recovery target for another location''s IaaS cloud [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Copenhagen/DR' + ': ' + $r.error) }
$ids['host_group.Copenhagen/DR'] = $r.id

Write-Host ('create ' + 'host_group.Copenhagen/Edge')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ID $ids['host_group.Copenhagen'] -ErrorAction Stop)
    if ($parent.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $ids['host_group.Copenhagen'] + ' (found ' + $parent.Count + ')') }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'Edge' -ParentHostGroup $parent -Description 'Network virtualization gateway hosts [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Copenhagen/Edge' + ': ' + $r.error) }
$ids['host_group.Copenhagen/Edge'] = $r.id

Write-Host ('create ' + 'host_group.Copenhagen/Fabric Management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ID $ids['host_group.Copenhagen'] -ErrorAction Stop)
    if ($parent.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $ids['host_group.Copenhagen'] + ' (found ' + $parent.Count + ')') }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'Fabric Management' -ParentHostGroup $parent -Description 'The management stamp [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Copenhagen/Fabric Management' + ': ' + $r.error) }
$ids['host_group.Copenhagen/Fabric Management'] = $r.id

Write-Host ('create ' + 'host_group.Copenhagen/IaaS')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ID $ids['host_group.Copenhagen'] -ErrorAction Stop)
    if ($parent.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $ids['host_group.Copenhagen'] + ' (found ' + $parent.Count + ')') }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'IaaS' -ParentHostGroup $parent -Description 'Tenant workloads [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Copenhagen/IaaS' + ': ' + $r.error) }
$ids['host_group.Copenhagen/IaaS'] = $r.id

Write-Host ('create ' + 'host_group.Oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ErrorAction Stop | Where-Object { -not $_.ParentHostGroup })
    if ($parent.Count -ne 1) { throw ('expected one root host group (All Hosts), found ' + $parent.Count) }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'Oslo' -ParentHostGroup $parent -Description 'Location Oslo [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Oslo' + ': ' + $r.error) }
$ids['host_group.Oslo'] = $r.id

Write-Host ('create ' + 'host_group.Oslo/DR')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ID $ids['host_group.Oslo'] -ErrorAction Stop)
    if ($parent.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $ids['host_group.Oslo'] + ' (found ' + $parent.Count + ')') }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'DR' -ParentHostGroup $parent -Description 'Recovery target for another location''s IaaS cloud [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Oslo/DR' + ': ' + $r.error) }
$ids['host_group.Oslo/DR'] = $r.id

Write-Host ('create ' + 'host_group.Oslo/Edge')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ID $ids['host_group.Oslo'] -ErrorAction Stop)
    if ($parent.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $ids['host_group.Oslo'] + ' (found ' + $parent.Count + ')') }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'Edge' -ParentHostGroup $parent -Description 'Network virtualization gateway hosts [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Oslo/Edge' + ': ' + $r.error) }
$ids['host_group.Oslo/Edge'] = $r.id

Write-Host ('create ' + 'host_group.Oslo/Fabric Management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ID $ids['host_group.Oslo'] -ErrorAction Stop)
    if ($parent.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $ids['host_group.Oslo'] + ' (found ' + $parent.Count + ')') }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'Fabric Management' -ParentHostGroup $parent -Description 'The management stamp [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Oslo/Fabric Management' + ': ' + $r.error) }
$ids['host_group.Oslo/Fabric Management'] = $r.id

Write-Host ('create ' + 'host_group.Oslo/IaaS')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ID $ids['host_group.Oslo'] -ErrorAction Stop)
    if ($parent.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $ids['host_group.Oslo'] + ' (found ' + $parent.Count + ')') }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'IaaS' -ParentHostGroup $parent -Description 'Tenant workloads [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Oslo/IaaS' + ': ' + $r.error) }
$ids['host_group.Oslo/IaaS'] = $r.id

Write-Host ('create ' + 'host_group.Stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ErrorAction Stop | Where-Object { -not $_.ParentHostGroup })
    if ($parent.Count -ne 1) { throw ('expected one root host group (All Hosts), found ' + $parent.Count) }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'Stockholm' -ParentHostGroup $parent -Description 'Location Stockholm [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Stockholm' + ': ' + $r.error) }
$ids['host_group.Stockholm'] = $r.id

Write-Host ('create ' + 'host_group.Stockholm/DR')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ID $ids['host_group.Stockholm'] -ErrorAction Stop)
    if ($parent.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $ids['host_group.Stockholm'] + ' (found ' + $parent.Count + ')') }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'DR' -ParentHostGroup $parent -Description 'Recovery target for another location''s IaaS cloud [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Stockholm/DR' + ': ' + $r.error) }
$ids['host_group.Stockholm/DR'] = $r.id

Write-Host ('create ' + 'host_group.Stockholm/Edge')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ID $ids['host_group.Stockholm'] -ErrorAction Stop)
    if ($parent.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $ids['host_group.Stockholm'] + ' (found ' + $parent.Count + ')') }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'Edge' -ParentHostGroup $parent -Description 'Network virtualization gateway hosts [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Stockholm/Edge' + ': ' + $r.error) }
$ids['host_group.Stockholm/Edge'] = $r.id

Write-Host ('create ' + 'host_group.Stockholm/Fabric Management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ID $ids['host_group.Stockholm'] -ErrorAction Stop)
    if ($parent.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $ids['host_group.Stockholm'] + ' (found ' + $parent.Count + ')') }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'Fabric Management' -ParentHostGroup $parent -Description 'The management stamp [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Stockholm/Fabric Management' + ': ' + $r.error) }
$ids['host_group.Stockholm/Fabric Management'] = $r.id

Write-Host ('create ' + 'host_group.Stockholm/IaaS')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $parent = @(Get-SCVMHostGroup -ID $ids['host_group.Stockholm'] -ErrorAction Stop)
    if ($parent.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $ids['host_group.Stockholm'] + ' (found ' + $parent.Count + ')') }
    $parent = $parent[0]
    $obj = New-SCVMHostGroup -Name 'IaaS' -ParentHostGroup $parent -Description 'Tenant workloads [fabric stamp=reference]' -InheritNetworkSettings $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('host_group.Stockholm/IaaS' + ': ' + $r.error) }
$ids['host_group.Stockholm/IaaS'] = $r.id

Write-Host ('create ' + 'logical_network.dr-test')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = New-SCLogicalNetwork -Name 'DR Test' -Description 'Provider network for the isolated test failovers of the management stamp [fabric stamp=reference]' -EnableNetworkVirtualization $true -UseGRE $true -IsPVLAN $false -LogicalNetworkDefinitionIsolation $false -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('logical_network.dr-test' + ': ' + $r.error) }
$ids['logical_network.dr-test'] = $r.id

Write-Host ('create ' + 'logical_network.management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = New-SCLogicalNetwork -Name 'Management' -Description 'Host and fabric management [fabric stamp=reference]' -EnableNetworkVirtualization $false -UseGRE $false -IsPVLAN $false -LogicalNetworkDefinitionIsolation $false -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('logical_network.management' + ': ' + $r.error) }
$ids['logical_network.management'] = $r.id

Write-Host ('create ' + 'cloud.management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $jobGroup = [guid]::NewGuid()
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Oslo/Fabric Management']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $networks = @(foreach ($lookupId in @(@($ids['logical_network.management']))) { $found = @(Get-SCLogicalNetwork -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $classes = @()
    Set-SCCloudCapacity -JobGroup $jobGroup -UseVMCountMaximum $true -UseCPUCountMaximum $true -UseMemoryMBMaximum $true -UseStorageGBMaximum $true -UseCustomQuotaCountMaximum $true -ErrorAction Stop | Out-Null
    Set-SCCloud -JobGroup $jobGroup -AddCloudResource (@($networks) + @($classes)) -ErrorAction Stop | Out-Null
    $obj = New-SCCloud -JobGroup $jobGroup -Name 'Fabric Management Oslo' -Description 'The management stamp''s VMs [fabric stamp=reference]' -VMHostGroup $hostGroups -DisasterRecoverySupported $true -ErrorAction Stop
    if ($null -eq $obj) { throw ('New-SCCloud' + ' returned no object') }
    $wantedProperties = @(@())
    Get-SCCustomProperty -ErrorAction Stop | Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' } | Where-Object { $wantedProperties -notcontains [string]$_.ID } | ForEach-Object {
        $value = Get-SCCustomPropertyValue -CustomProperty $_ -InputObject $obj -ErrorAction Stop
        if ($value) { Remove-SCCustomPropertyValue -CustomPropertyValue $value -Confirm:$false -ErrorAction Stop | Out-Null }
    }
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.management' + ': ' + $r.error) }
$ids['cloud.management'] = $r.id

Write-Host ('create ' + 'logical_network.tenants')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = New-SCLogicalNetwork -Name 'Tenants' -Description 'A tenant VLAN per location [fabric stamp=reference]' -EnableNetworkVirtualization $false -UseGRE $false -IsPVLAN $false -LogicalNetworkDefinitionIsolation $true -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('logical_network.tenants' + ': ' + $r.error) }
$ids['logical_network.tenants'] = $r.id

Write-Host ('create ' + 'cloud.dr-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $jobGroup = [guid]::NewGuid()
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Copenhagen/DR']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $networks = @(foreach ($lookupId in @(@($ids['logical_network.management'], $ids['logical_network.tenants']))) { $found = @(Get-SCLogicalNetwork -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $classes = @()
    Set-SCCloudCapacity -JobGroup $jobGroup -UseVMCountMaximum $true -UseCPUCountMaximum $true -UseMemoryMBMaximum $true -UseStorageGBMaximum $true -UseCustomQuotaCountMaximum $true -ErrorAction Stop | Out-Null
    Set-SCCloud -JobGroup $jobGroup -AddCloudResource (@($networks) + @($classes)) -ErrorAction Stop | Out-Null
    $obj = New-SCCloud -JobGroup $jobGroup -Name 'DR Copenhagen' -Description 'Recovery cloud at Copenhagen [fabric stamp=reference]' -VMHostGroup $hostGroups -DisasterRecoverySupported $true -ErrorAction Stop
    if ($null -eq $obj) { throw ('New-SCCloud' + ' returned no object') }
    $wantedProperties = @(@())
    Get-SCCustomProperty -ErrorAction Stop | Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' } | Where-Object { $wantedProperties -notcontains [string]$_.ID } | ForEach-Object {
        $value = Get-SCCustomPropertyValue -CustomProperty $_ -InputObject $obj -ErrorAction Stop
        if ($value) { Remove-SCCustomPropertyValue -CustomPropertyValue $value -Confirm:$false -ErrorAction Stop | Out-Null }
    }
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.dr-copenhagen' + ': ' + $r.error) }
$ids['cloud.dr-copenhagen'] = $r.id

Write-Host ('create ' + 'cloud.dr-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $jobGroup = [guid]::NewGuid()
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Oslo/DR']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $networks = @(foreach ($lookupId in @(@($ids['logical_network.management'], $ids['logical_network.tenants']))) { $found = @(Get-SCLogicalNetwork -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $classes = @()
    Set-SCCloudCapacity -JobGroup $jobGroup -UseVMCountMaximum $true -UseCPUCountMaximum $true -UseMemoryMBMaximum $true -UseStorageGBMaximum $true -UseCustomQuotaCountMaximum $true -ErrorAction Stop | Out-Null
    Set-SCCloud -JobGroup $jobGroup -AddCloudResource (@($networks) + @($classes)) -ErrorAction Stop | Out-Null
    $obj = New-SCCloud -JobGroup $jobGroup -Name 'DR Oslo' -Description 'Recovery cloud at Oslo [fabric stamp=reference]' -VMHostGroup $hostGroups -DisasterRecoverySupported $true -ErrorAction Stop
    if ($null -eq $obj) { throw ('New-SCCloud' + ' returned no object') }
    $wantedProperties = @(@())
    Get-SCCustomProperty -ErrorAction Stop | Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' } | Where-Object { $wantedProperties -notcontains [string]$_.ID } | ForEach-Object {
        $value = Get-SCCustomPropertyValue -CustomProperty $_ -InputObject $obj -ErrorAction Stop
        if ($value) { Remove-SCCustomPropertyValue -CustomPropertyValue $value -Confirm:$false -ErrorAction Stop | Out-Null }
    }
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.dr-oslo' + ': ' + $r.error) }
$ids['cloud.dr-oslo'] = $r.id

Write-Host ('create ' + 'cloud.dr-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $jobGroup = [guid]::NewGuid()
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Stockholm/DR']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $networks = @(foreach ($lookupId in @(@($ids['logical_network.dr-test'], $ids['logical_network.management'], $ids['logical_network.tenants']))) { $found = @(Get-SCLogicalNetwork -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $classes = @()
    Set-SCCloudCapacity -JobGroup $jobGroup -UseVMCountMaximum $true -UseCPUCountMaximum $true -UseMemoryMBMaximum $true -UseStorageGBMaximum $true -UseCustomQuotaCountMaximum $true -ErrorAction Stop | Out-Null
    Set-SCCloud -JobGroup $jobGroup -AddCloudResource (@($networks) + @($classes)) -ErrorAction Stop | Out-Null
    $obj = New-SCCloud -JobGroup $jobGroup -Name 'DR Stockholm' -Description 'Recovery cloud at Stockholm [fabric stamp=reference]' -VMHostGroup $hostGroups -DisasterRecoverySupported $true -ErrorAction Stop
    if ($null -eq $obj) { throw ('New-SCCloud' + ' returned no object') }
    $wantedProperties = @(@())
    Get-SCCustomProperty -ErrorAction Stop | Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' } | Where-Object { $wantedProperties -notcontains [string]$_.ID } | ForEach-Object {
        $value = Get-SCCustomPropertyValue -CustomProperty $_ -InputObject $obj -ErrorAction Stop
        if ($value) { Remove-SCCustomPropertyValue -CustomPropertyValue $value -Confirm:$false -ErrorAction Stop | Out-Null }
    }
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.dr-stockholm' + ': ' + $r.error) }
$ids['cloud.dr-stockholm'] = $r.id

Write-Host ('create ' + 'network_site.dr-test')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $logicalNetwork = @(Get-SCLogicalNetwork -ID $ids['logical_network.dr-test'] -ErrorAction Stop)
    if ($logicalNetwork.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $ids['logical_network.dr-test'] + ' (found ' + $logicalNetwork.Count + ')') }
    $logicalNetwork = $logicalNetwork[0]
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Stockholm/DR']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.250.0.0/24' -VLanID 950 -ErrorAction Stop))
    $obj = New-SCLogicalNetworkDefinition -Name 'DR Test provider' -LogicalNetwork $logicalNetwork -VMHostGroup $hostGroups -SubnetVLan $subnetVlans -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.dr-test' + ': ' + $r.error) }
$ids['network_site.dr-test'] = $r.id

Write-Host ('create ' + 'network_site.management-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $logicalNetwork = @(Get-SCLogicalNetwork -ID $ids['logical_network.management'] -ErrorAction Stop)
    if ($logicalNetwork.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $ids['logical_network.management'] + ' (found ' + $logicalNetwork.Count + ')') }
    $logicalNetwork = $logicalNetwork[0]
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Copenhagen']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.100.2.0/24' -VLanID 102 -ErrorAction Stop))
    $obj = New-SCLogicalNetworkDefinition -Name 'Management Copenhagen' -LogicalNetwork $logicalNetwork -VMHostGroup $hostGroups -SubnetVLan $subnetVlans -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.management-copenhagen' + ': ' + $r.error) }
$ids['network_site.management-copenhagen'] = $r.id

Write-Host ('create ' + 'ip_pool.management-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $site = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq $ids['network_site.management-copenhagen'] })
    if ($site.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + $ids['network_site.management-copenhagen'] + ' (found ' + $site.Count + ')') }
    $site = $site[0]
    $params = @{
        Name = 'Management Copenhagen pool'; Description = '[fabric stamp=reference]'; Subnet = '10.100.2.0/24'
        IPAddressRangeStart = '10.100.2.10'; IPAddressRangeEnd = '10.100.2.250'
        DNSServer = @(@('10.100.0.5', '10.100.0.6')); DNSSuffix = 'fabric.local'; DNSSearchSuffix = @(@())
    }
    $params.DefaultGateway = @((New-SCDefaultGateway -IPAddress '10.100.2.1' -Automatic -ErrorAction Stop))
    $params.IPAddressReservedSet = '10.100.2.10-10.100.2.19'
    $params.LogicalNetworkDefinition = $site
    $obj = New-SCStaticIPAddressPool @params -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.management-copenhagen' + ': ' + $r.error) }
$ids['ip_pool.management-copenhagen'] = $r.id

Write-Host ('create ' + 'network_site.management-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $logicalNetwork = @(Get-SCLogicalNetwork -ID $ids['logical_network.management'] -ErrorAction Stop)
    if ($logicalNetwork.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $ids['logical_network.management'] + ' (found ' + $logicalNetwork.Count + ')') }
    $logicalNetwork = $logicalNetwork[0]
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Oslo']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.100.0.0/24' -VLanID 100 -ErrorAction Stop))
    $obj = New-SCLogicalNetworkDefinition -Name 'Management Oslo' -LogicalNetwork $logicalNetwork -VMHostGroup $hostGroups -SubnetVLan $subnetVlans -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.management-oslo' + ': ' + $r.error) }
$ids['network_site.management-oslo'] = $r.id

Write-Host ('create ' + 'ip_pool.management-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $site = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq $ids['network_site.management-oslo'] })
    if ($site.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + $ids['network_site.management-oslo'] + ' (found ' + $site.Count + ')') }
    $site = $site[0]
    $params = @{
        Name = 'Management Oslo pool'; Description = '[fabric stamp=reference]'; Subnet = '10.100.0.0/24'
        IPAddressRangeStart = '10.100.0.10'; IPAddressRangeEnd = '10.100.0.250'
        DNSServer = @(@('10.100.0.5', '10.100.0.6')); DNSSuffix = 'fabric.local'; DNSSearchSuffix = @(@())
    }
    $params.DefaultGateway = @((New-SCDefaultGateway -IPAddress '10.100.0.1' -Automatic -ErrorAction Stop))
    $params.IPAddressReservedSet = '10.100.0.10-10.100.0.19'
    $params.LogicalNetworkDefinition = $site
    $obj = New-SCStaticIPAddressPool @params -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.management-oslo' + ': ' + $r.error) }
$ids['ip_pool.management-oslo'] = $r.id

Write-Host ('create ' + 'network_site.management-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $logicalNetwork = @(Get-SCLogicalNetwork -ID $ids['logical_network.management'] -ErrorAction Stop)
    if ($logicalNetwork.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $ids['logical_network.management'] + ' (found ' + $logicalNetwork.Count + ')') }
    $logicalNetwork = $logicalNetwork[0]
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Stockholm']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.100.1.0/24' -VLanID 101 -ErrorAction Stop))
    $obj = New-SCLogicalNetworkDefinition -Name 'Management Stockholm' -LogicalNetwork $logicalNetwork -VMHostGroup $hostGroups -SubnetVLan $subnetVlans -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.management-stockholm' + ': ' + $r.error) }
$ids['network_site.management-stockholm'] = $r.id

Write-Host ('create ' + 'ip_pool.management-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $site = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq $ids['network_site.management-stockholm'] })
    if ($site.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + $ids['network_site.management-stockholm'] + ' (found ' + $site.Count + ')') }
    $site = $site[0]
    $params = @{
        Name = 'Management Stockholm pool'; Description = '[fabric stamp=reference]'; Subnet = '10.100.1.0/24'
        IPAddressRangeStart = '10.100.1.10'; IPAddressRangeEnd = '10.100.1.250'
        DNSServer = @(@('10.100.0.5', '10.100.0.6')); DNSSuffix = 'fabric.local'; DNSSearchSuffix = @(@())
    }
    $params.DefaultGateway = @((New-SCDefaultGateway -IPAddress '10.100.1.1' -Automatic -ErrorAction Stop))
    $params.IPAddressReservedSet = '10.100.1.10-10.100.1.19'
    $params.LogicalNetworkDefinition = $site
    $obj = New-SCStaticIPAddressPool @params -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.management-stockholm' + ': ' + $r.error) }
$ids['ip_pool.management-stockholm'] = $r.id

Write-Host ('create ' + 'network_site.management-stretched')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $logicalNetwork = @(Get-SCLogicalNetwork -ID $ids['logical_network.management'] -ErrorAction Stop)
    if ($logicalNetwork.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $ids['logical_network.management'] + ' (found ' + $logicalNetwork.Count + ')') }
    $logicalNetwork = $logicalNetwork[0]
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Oslo/Fabric Management'], $ids['host_group.Stockholm/DR']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.100.50.0/24' -VLanID 150 -ErrorAction Stop))
    $obj = New-SCLogicalNetworkDefinition -Name 'Management stretched' -LogicalNetwork $logicalNetwork -VMHostGroup $hostGroups -SubnetVLan $subnetVlans -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.management-stretched' + ': ' + $r.error) }
$ids['network_site.management-stretched'] = $r.id

Write-Host ('create ' + 'ip_pool.management-stretched')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $site = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq $ids['network_site.management-stretched'] })
    if ($site.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + $ids['network_site.management-stretched'] + ' (found ' + $site.Count + ')') }
    $site = $site[0]
    $params = @{
        Name = 'Management stretched pool'; Description = '[fabric stamp=reference]'; Subnet = '10.100.50.0/24'
        IPAddressRangeStart = '10.100.50.10'; IPAddressRangeEnd = '10.100.50.99'
        DNSServer = @(@('10.100.0.5', '10.100.0.6')); DNSSuffix = 'fabric.local'; DNSSearchSuffix = @(@())
    }
    $params.DefaultGateway = @((New-SCDefaultGateway -IPAddress '10.100.50.1' -Automatic -ErrorAction Stop))
    $params.LogicalNetworkDefinition = $site
    $obj = New-SCStaticIPAddressPool @params -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.management-stretched' + ': ' + $r.error) }
$ids['ip_pool.management-stretched'] = $r.id

Write-Host ('create ' + 'ip_grant.sma01')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $vms = @(Get-SCVirtualMachine -Name 'SMA01' -ErrorAction Stop | Where-Object { -not $_.IsRecoveryVM })
    if ($vms.Count -ne 1) { throw ('expected one VM named ' + 'SMA01' + ' (not a replica), found ' + $vms.Count) }
    $nic = @($vms[0].VirtualNetworkAdapters | Where-Object { [int]$_.SlotId -eq 0 })
    if ($nic.Count -ne 1) { throw ('VM ' + 'SMA01' + ' has no network adapter in slot ' + 0) }
    $nic = $nic[0]
    $pool = @(Get-SCStaticIPAddressPool -ID $ids['ip_pool.management-stretched'] -ErrorAction Stop)
    if ($pool.Count -ne 1) { throw ('no single ' + 'ip_pool' + ' with ID ' + $ids['ip_pool.management-stretched'] + ' (found ' + $pool.Count + ')') }
    $pool = $pool[0]
    $obj = Grant-SCIPAddress -GrantToObjectType 'VirtualNetworkAdapter' -GrantToObjectID $nic.ID -StaticIPAddressPool $pool -Description 'sma01' -IPAddress '10.100.50.23' -ErrorAction Stop
    if ($null -eq $obj) { throw ('Grant-SCIPAddress' + ' returned no object') }
    $static = @{ VirtualNetworkAdapter = $nic; IPv4AddressType = 'Static'; IPv4Addresses = @([string]$obj.Address) }
    Set-SCVirtualNetworkAdapter @static -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_grant.sma01' + ': ' + $r.error) }
$ids['ip_grant.sma01'] = $r.id

Write-Host ('create ' + 'ip_grant.spf01')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $vms = @(Get-SCVirtualMachine -Name 'SPF01' -ErrorAction Stop | Where-Object { -not $_.IsRecoveryVM })
    if ($vms.Count -ne 1) { throw ('expected one VM named ' + 'SPF01' + ' (not a replica), found ' + $vms.Count) }
    $nic = @($vms[0].VirtualNetworkAdapters | Where-Object { [int]$_.SlotId -eq 0 })
    if ($nic.Count -ne 1) { throw ('VM ' + 'SPF01' + ' has no network adapter in slot ' + 0) }
    $nic = $nic[0]
    $pool = @(Get-SCStaticIPAddressPool -ID $ids['ip_pool.management-stretched'] -ErrorAction Stop)
    if ($pool.Count -ne 1) { throw ('no single ' + 'ip_pool' + ' with ID ' + $ids['ip_pool.management-stretched'] + ' (found ' + $pool.Count + ')') }
    $pool = $pool[0]
    $obj = Grant-SCIPAddress -GrantToObjectType 'VirtualNetworkAdapter' -GrantToObjectID $nic.ID -StaticIPAddressPool $pool -Description 'spf01' -IPAddress '10.100.50.22' -ErrorAction Stop
    if ($null -eq $obj) { throw ('Grant-SCIPAddress' + ' returned no object') }
    $static = @{ VirtualNetworkAdapter = $nic; IPv4AddressType = 'Static'; IPv4Addresses = @([string]$obj.Address) }
    Set-SCVirtualNetworkAdapter @static -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_grant.spf01' + ': ' + $r.error) }
$ids['ip_grant.spf01'] = $r.id

Write-Host ('create ' + 'ip_grant.sqlwap01')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $vms = @(Get-SCVirtualMachine -Name 'SQLWAP01' -ErrorAction Stop | Where-Object { -not $_.IsRecoveryVM })
    if ($vms.Count -ne 1) { throw ('expected one VM named ' + 'SQLWAP01' + ' (not a replica), found ' + $vms.Count) }
    $nic = @($vms[0].VirtualNetworkAdapters | Where-Object { [int]$_.SlotId -eq 0 })
    if ($nic.Count -ne 1) { throw ('VM ' + 'SQLWAP01' + ' has no network adapter in slot ' + 0) }
    $nic = $nic[0]
    $pool = @(Get-SCStaticIPAddressPool -ID $ids['ip_pool.management-stretched'] -ErrorAction Stop)
    if ($pool.Count -ne 1) { throw ('no single ' + 'ip_pool' + ' with ID ' + $ids['ip_pool.management-stretched'] + ' (found ' + $pool.Count + ')') }
    $pool = $pool[0]
    $obj = Grant-SCIPAddress -GrantToObjectType 'VirtualNetworkAdapter' -GrantToObjectID $nic.ID -StaticIPAddressPool $pool -Description 'sqlwap01' -IPAddress '10.100.50.21' -ErrorAction Stop
    if ($null -eq $obj) { throw ('Grant-SCIPAddress' + ' returned no object') }
    $static = @{ VirtualNetworkAdapter = $nic; IPv4AddressType = 'Static'; IPv4Addresses = @([string]$obj.Address) }
    Set-SCVirtualNetworkAdapter @static -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_grant.sqlwap01' + ': ' + $r.error) }
$ids['ip_grant.sqlwap01'] = $r.id

Write-Host ('create ' + 'ip_grant.wapadm01')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $vms = @(Get-SCVirtualMachine -Name 'WAPADM01' -ErrorAction Stop | Where-Object { -not $_.IsRecoveryVM })
    if ($vms.Count -ne 1) { throw ('expected one VM named ' + 'WAPADM01' + ' (not a replica), found ' + $vms.Count) }
    $nic = @($vms[0].VirtualNetworkAdapters | Where-Object { [int]$_.SlotId -eq 0 })
    if ($nic.Count -ne 1) { throw ('VM ' + 'WAPADM01' + ' has no network adapter in slot ' + 0) }
    $nic = $nic[0]
    $pool = @(Get-SCStaticIPAddressPool -ID $ids['ip_pool.management-stretched'] -ErrorAction Stop)
    if ($pool.Count -ne 1) { throw ('no single ' + 'ip_pool' + ' with ID ' + $ids['ip_pool.management-stretched'] + ' (found ' + $pool.Count + ')') }
    $pool = $pool[0]
    $obj = Grant-SCIPAddress -GrantToObjectType 'VirtualNetworkAdapter' -GrantToObjectID $nic.ID -StaticIPAddressPool $pool -Description 'wapadm01' -IPAddress '10.100.50.24' -ErrorAction Stop
    if ($null -eq $obj) { throw ('Grant-SCIPAddress' + ' returned no object') }
    $static = @{ VirtualNetworkAdapter = $nic; IPv4AddressType = 'Static'; IPv4Addresses = @([string]$obj.Address) }
    Set-SCVirtualNetworkAdapter @static -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_grant.wapadm01' + ': ' + $r.error) }
$ids['ip_grant.wapadm01'] = $r.id

Write-Host ('create ' + 'ip_grant.wapten01')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $vms = @(Get-SCVirtualMachine -Name 'WAPTEN01' -ErrorAction Stop | Where-Object { -not $_.IsRecoveryVM })
    if ($vms.Count -ne 1) { throw ('expected one VM named ' + 'WAPTEN01' + ' (not a replica), found ' + $vms.Count) }
    $nic = @($vms[0].VirtualNetworkAdapters | Where-Object { [int]$_.SlotId -eq 0 })
    if ($nic.Count -ne 1) { throw ('VM ' + 'WAPTEN01' + ' has no network adapter in slot ' + 0) }
    $nic = $nic[0]
    $pool = @(Get-SCStaticIPAddressPool -ID $ids['ip_pool.management-stretched'] -ErrorAction Stop)
    if ($pool.Count -ne 1) { throw ('no single ' + 'ip_pool' + ' with ID ' + $ids['ip_pool.management-stretched'] + ' (found ' + $pool.Count + ')') }
    $pool = $pool[0]
    $obj = Grant-SCIPAddress -GrantToObjectType 'VirtualNetworkAdapter' -GrantToObjectID $nic.ID -StaticIPAddressPool $pool -Description 'wapten01' -IPAddress '10.100.50.25' -ErrorAction Stop
    if ($null -eq $obj) { throw ('Grant-SCIPAddress' + ' returned no object') }
    $static = @{ VirtualNetworkAdapter = $nic; IPv4AddressType = 'Static'; IPv4Addresses = @([string]$obj.Address) }
    Set-SCVirtualNetworkAdapter @static -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_grant.wapten01' + ': ' + $r.error) }
$ids['ip_grant.wapten01'] = $r.id

Write-Host ('create ' + 'network_site.tenants-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $logicalNetwork = @(Get-SCLogicalNetwork -ID $ids['logical_network.tenants'] -ErrorAction Stop)
    if ($logicalNetwork.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $ids['logical_network.tenants'] + ' (found ' + $logicalNetwork.Count + ')') }
    $logicalNetwork = $logicalNetwork[0]
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Copenhagen']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.200.2.0/24' -VLanID 202 -ErrorAction Stop))
    $obj = New-SCLogicalNetworkDefinition -Name 'Tenants Copenhagen' -LogicalNetwork $logicalNetwork -VMHostGroup $hostGroups -SubnetVLan $subnetVlans -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.tenants-copenhagen' + ': ' + $r.error) }
$ids['network_site.tenants-copenhagen'] = $r.id

Write-Host ('create ' + 'ip_pool.tenants-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $site = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq $ids['network_site.tenants-copenhagen'] })
    if ($site.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + $ids['network_site.tenants-copenhagen'] + ' (found ' + $site.Count + ')') }
    $site = $site[0]
    $params = @{
        Name = 'Tenants Copenhagen pool'; Description = '[fabric stamp=reference]'; Subnet = '10.200.2.0/24'
        IPAddressRangeStart = '10.200.2.10'; IPAddressRangeEnd = '10.200.2.250'
        DNSServer = @(@()); DNSSuffix = ''; DNSSearchSuffix = @(@())
    }
    $params.DefaultGateway = @((New-SCDefaultGateway -IPAddress '10.200.2.1' -Automatic -ErrorAction Stop))
    $params.LogicalNetworkDefinition = $site
    $obj = New-SCStaticIPAddressPool @params -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.tenants-copenhagen' + ': ' + $r.error) }
$ids['ip_pool.tenants-copenhagen'] = $r.id

Write-Host ('create ' + 'network_site.tenants-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $logicalNetwork = @(Get-SCLogicalNetwork -ID $ids['logical_network.tenants'] -ErrorAction Stop)
    if ($logicalNetwork.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $ids['logical_network.tenants'] + ' (found ' + $logicalNetwork.Count + ')') }
    $logicalNetwork = $logicalNetwork[0]
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Oslo']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.200.0.0/24' -VLanID 200 -ErrorAction Stop))
    $obj = New-SCLogicalNetworkDefinition -Name 'Tenants Oslo' -LogicalNetwork $logicalNetwork -VMHostGroup $hostGroups -SubnetVLan $subnetVlans -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.tenants-oslo' + ': ' + $r.error) }
$ids['network_site.tenants-oslo'] = $r.id

Write-Host ('create ' + 'ip_pool.tenants-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $site = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq $ids['network_site.tenants-oslo'] })
    if ($site.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + $ids['network_site.tenants-oslo'] + ' (found ' + $site.Count + ')') }
    $site = $site[0]
    $params = @{
        Name = 'Tenants Oslo pool'; Description = '[fabric stamp=reference]'; Subnet = '10.200.0.0/24'
        IPAddressRangeStart = '10.200.0.10'; IPAddressRangeEnd = '10.200.0.250'
        DNSServer = @(@()); DNSSuffix = ''; DNSSearchSuffix = @(@())
    }
    $params.DefaultGateway = @((New-SCDefaultGateway -IPAddress '10.200.0.1' -Automatic -ErrorAction Stop))
    $params.LogicalNetworkDefinition = $site
    $obj = New-SCStaticIPAddressPool @params -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.tenants-oslo' + ': ' + $r.error) }
$ids['ip_pool.tenants-oslo'] = $r.id

Write-Host ('create ' + 'network_site.tenants-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $logicalNetwork = @(Get-SCLogicalNetwork -ID $ids['logical_network.tenants'] -ErrorAction Stop)
    if ($logicalNetwork.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $ids['logical_network.tenants'] + ' (found ' + $logicalNetwork.Count + ')') }
    $logicalNetwork = $logicalNetwork[0]
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Stockholm']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.200.1.0/24' -VLanID 201 -ErrorAction Stop))
    $obj = New-SCLogicalNetworkDefinition -Name 'Tenants Stockholm' -LogicalNetwork $logicalNetwork -VMHostGroup $hostGroups -SubnetVLan $subnetVlans -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.tenants-stockholm' + ': ' + $r.error) }
$ids['network_site.tenants-stockholm'] = $r.id

Write-Host ('create ' + 'ip_pool.tenants-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $site = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq $ids['network_site.tenants-stockholm'] })
    if ($site.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + $ids['network_site.tenants-stockholm'] + ' (found ' + $site.Count + ')') }
    $site = $site[0]
    $params = @{
        Name = 'Tenants Stockholm pool'; Description = '[fabric stamp=reference]'; Subnet = '10.200.1.0/24'
        IPAddressRangeStart = '10.200.1.10'; IPAddressRangeEnd = '10.200.1.250'
        DNSServer = @(@()); DNSSuffix = ''; DNSSearchSuffix = @(@())
    }
    $params.DefaultGateway = @((New-SCDefaultGateway -IPAddress '10.200.1.1' -Automatic -ErrorAction Stop))
    $params.LogicalNetworkDefinition = $site
    $obj = New-SCStaticIPAddressPool @params -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('ip_pool.tenants-stockholm' + ': ' + $r.error) }
$ids['ip_pool.tenants-stockholm'] = $r.id

Write-Host ('update ' + 'port_classification.host-management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCPortClassification -ID '8f1e0b5a-2c44-4c5e-9d1e-77aa00000001' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + '8f1e0b5a-2c44-4c5e-9d1e-77aa00000001' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Set-SCPortClassification -PortClassification $obj -Name 'Host management' -Description '[fabric stamp=reference]' -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('port_classification.host-management' + ': ' + $r.error) }

Write-Host ('create ' + 'port_classification.live-migration')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = New-SCPortClassification -Name 'Live migration workload' -Description '[fabric stamp=reference]' -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('port_classification.live-migration' + ': ' + $r.error) }
$ids['port_classification.live-migration'] = $r.id

Write-Host ('create ' + 'port_classification.vm-roles')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = New-SCPortClassification -Name 'VM Roles' -Description 'Default class for Windows Azure Pack VM roles [fabric stamp=reference]' -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('port_classification.vm-roles' + ': ' + $r.error) }
$ids['port_classification.vm-roles'] = $r.id

Write-Host ('create ' + 'cloud.iaas-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $jobGroup = [guid]::NewGuid()
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Copenhagen/IaaS']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $networks = @(foreach ($lookupId in @(@($ids['logical_network.management'], $ids['logical_network.tenants']))) { $found = @(Get-SCLogicalNetwork -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $classes = @(foreach ($lookupId in @(@($ids['port_classification.vm-roles']))) { $found = @(Get-SCPortClassification -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    Set-SCCloudCapacity -JobGroup $jobGroup -VMCount 100 -UseVMCountMaximum $false -CPUCount 400 -UseCPUCountMaximum $false -MemoryMB 1048576 -UseMemoryMBMaximum $false -UseStorageGBMaximum $true -UseCustomQuotaCountMaximum $true -ErrorAction Stop | Out-Null
    Set-SCCloud -JobGroup $jobGroup -AddCloudResource (@($networks) + @($classes)) -ErrorAction Stop | Out-Null
    $obj = New-SCCloud -JobGroup $jobGroup -Name 'IaaS Copenhagen' -Description 'Tenant cloud for Copenhagen [fabric stamp=reference]' -VMHostGroup $hostGroups -DisasterRecoverySupported $true -ErrorAction Stop
    if ($null -eq $obj) { throw ('New-SCCloud' + ' returned no object') }
    $wantedProperties = @(@($ids['custom_property.CreateHighlyAvailableVMRoles']))
    Get-SCCustomProperty -ErrorAction Stop | Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' } | Where-Object { $wantedProperties -notcontains [string]$_.ID } | ForEach-Object {
        $value = Get-SCCustomPropertyValue -CustomProperty $_ -InputObject $obj -ErrorAction Stop
        if ($value) { Remove-SCCustomPropertyValue -CustomPropertyValue $value -Confirm:$false -ErrorAction Stop | Out-Null }
    }
    $property = @(Get-SCCustomProperty -ID $ids['custom_property.CreateHighlyAvailableVMRoles'] -ErrorAction Stop)
    if ($property.Count -ne 1) { throw ('no single ' + 'custom_property' + ' with ID ' + $ids['custom_property.CreateHighlyAvailableVMRoles'] + ' (found ' + $property.Count + ')') }
    $property = $property[0]
    Set-SCCustomPropertyValue -CustomProperty $property -InputObject $obj -Value 'true' -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.iaas-copenhagen' + ': ' + $r.error) }
$ids['cloud.iaas-copenhagen'] = $r.id

Write-Host ('create ' + 'cloud.iaas-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $jobGroup = [guid]::NewGuid()
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Oslo/IaaS']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $networks = @(foreach ($lookupId in @(@($ids['logical_network.management'], $ids['logical_network.tenants']))) { $found = @(Get-SCLogicalNetwork -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $classes = @(foreach ($lookupId in @(@($ids['port_classification.vm-roles']))) { $found = @(Get-SCPortClassification -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    Set-SCCloudCapacity -JobGroup $jobGroup -VMCount 100 -UseVMCountMaximum $false -CPUCount 400 -UseCPUCountMaximum $false -MemoryMB 1048576 -UseMemoryMBMaximum $false -UseStorageGBMaximum $true -UseCustomQuotaCountMaximum $true -ErrorAction Stop | Out-Null
    Set-SCCloud -JobGroup $jobGroup -AddCloudResource (@($networks) + @($classes)) -ErrorAction Stop | Out-Null
    $obj = New-SCCloud -JobGroup $jobGroup -Name 'IaaS Oslo' -Description 'Tenant cloud for Oslo [fabric stamp=reference]' -VMHostGroup $hostGroups -DisasterRecoverySupported $true -ErrorAction Stop
    if ($null -eq $obj) { throw ('New-SCCloud' + ' returned no object') }
    $wantedProperties = @(@($ids['custom_property.CreateHighlyAvailableVMRoles']))
    Get-SCCustomProperty -ErrorAction Stop | Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' } | Where-Object { $wantedProperties -notcontains [string]$_.ID } | ForEach-Object {
        $value = Get-SCCustomPropertyValue -CustomProperty $_ -InputObject $obj -ErrorAction Stop
        if ($value) { Remove-SCCustomPropertyValue -CustomPropertyValue $value -Confirm:$false -ErrorAction Stop | Out-Null }
    }
    $property = @(Get-SCCustomProperty -ID $ids['custom_property.CreateHighlyAvailableVMRoles'] -ErrorAction Stop)
    if ($property.Count -ne 1) { throw ('no single ' + 'custom_property' + ' with ID ' + $ids['custom_property.CreateHighlyAvailableVMRoles'] + ' (found ' + $property.Count + ')') }
    $property = $property[0]
    Set-SCCustomPropertyValue -CustomProperty $property -InputObject $obj -Value 'true' -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.iaas-oslo' + ': ' + $r.error) }
$ids['cloud.iaas-oslo'] = $r.id

Write-Host ('create ' + 'cloud.iaas-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $jobGroup = [guid]::NewGuid()
    $hostGroups = @(foreach ($lookupId in @(@($ids['host_group.Stockholm/IaaS']))) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $networks = @(foreach ($lookupId in @(@($ids['logical_network.management'], $ids['logical_network.tenants']))) { $found = @(Get-SCLogicalNetwork -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $classes = @(foreach ($lookupId in @(@($ids['port_classification.vm-roles']))) { $found = @(Get-SCPortClassification -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    Set-SCCloudCapacity -JobGroup $jobGroup -VMCount 100 -UseVMCountMaximum $false -CPUCount 400 -UseCPUCountMaximum $false -MemoryMB 1048576 -UseMemoryMBMaximum $false -UseStorageGBMaximum $true -UseCustomQuotaCountMaximum $true -ErrorAction Stop | Out-Null
    Set-SCCloud -JobGroup $jobGroup -AddCloudResource (@($networks) + @($classes)) -ErrorAction Stop | Out-Null
    $obj = New-SCCloud -JobGroup $jobGroup -Name 'IaaS Stockholm' -Description 'Tenant cloud for Stockholm [fabric stamp=reference]' -VMHostGroup $hostGroups -DisasterRecoverySupported $true -ErrorAction Stop
    if ($null -eq $obj) { throw ('New-SCCloud' + ' returned no object') }
    $wantedProperties = @(@($ids['custom_property.CreateHighlyAvailableVMRoles']))
    Get-SCCustomProperty -ErrorAction Stop | Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' } | Where-Object { $wantedProperties -notcontains [string]$_.ID } | ForEach-Object {
        $value = Get-SCCustomPropertyValue -CustomProperty $_ -InputObject $obj -ErrorAction Stop
        if ($value) { Remove-SCCustomPropertyValue -CustomPropertyValue $value -Confirm:$false -ErrorAction Stop | Out-Null }
    }
    $property = @(Get-SCCustomProperty -ID $ids['custom_property.CreateHighlyAvailableVMRoles'] -ErrorAction Stop)
    if ($property.Count -ne 1) { throw ('no single ' + 'custom_property' + ' with ID ' + $ids['custom_property.CreateHighlyAvailableVMRoles'] + ' (found ' + $property.Count + ')') }
    $property = $property[0]
    Set-SCCustomPropertyValue -CustomProperty $property -InputObject $obj -Value 'true' -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('cloud.iaas-stockholm' + ': ' + $r.error) }
$ids['cloud.iaas-stockholm'] = $r.id

Write-Host ('create ' + 'uplink_port_profile.uplink-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $sites = @(foreach ($lookupId in @(@($ids['network_site.dr-test'], $ids['network_site.management-oslo'], $ids['network_site.management-stretched']))) { $found = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq $lookupId }); if ($found.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $obj = New-SCNativeUplinkPortProfile -Name 'Uplink Oslo' -Description 'Native uplink for the main location [fabric stamp=reference]' -LogicalNetworkDefinition $sites -LBFOTeamMode 'SwitchIndependent' -LBFOLoadBalancingAlgorithm 'Dynamic' -EnableNetworkVirtualization $false -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('uplink_port_profile.uplink-oslo' + ': ' + $r.error) }
$ids['uplink_port_profile.uplink-oslo'] = $r.id

Write-Host ('create ' + 'virtual_port_profile.host-management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = New-SCVirtualNetworkAdapterNativePortProfile -Name 'Host management' -Description '[fabric stamp=reference]' -EnableVmq $true -EnableIPsecOffload $true -EnableIov $false -AllowMacAddressSpoofing $false -EnableDhcpGuard $false -EnableRouterGuard $false -AllowTeaming $false -AllowIeeePriorityTagging $false -MinimumBandwidthWeight 10 -MaximumBandwidth 0 -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('virtual_port_profile.host-management' + ': ' + $r.error) }
$ids['virtual_port_profile.host-management'] = $r.id

Write-Host ('create ' + 'virtual_port_profile.live-migration')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = New-SCVirtualNetworkAdapterNativePortProfile -Name 'Live migration workload' -Description '[fabric stamp=reference]' -EnableVmq $true -EnableIPsecOffload $true -EnableIov $false -AllowMacAddressSpoofing $false -EnableDhcpGuard $false -EnableRouterGuard $false -AllowTeaming $false -AllowIeeePriorityTagging $false -MinimumBandwidthWeight 40 -MaximumBandwidth 0 -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('virtual_port_profile.live-migration' + ': ' + $r.error) }
$ids['virtual_port_profile.live-migration'] = $r.id

Write-Host ('create ' + 'virtual_port_profile.vm-roles')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = New-SCVirtualNetworkAdapterNativePortProfile -Name 'VM Roles' -Description '[fabric stamp=reference]' -EnableVmq $true -EnableIPsecOffload $true -EnableIov $false -AllowMacAddressSpoofing $false -EnableDhcpGuard $true -EnableRouterGuard $true -AllowTeaming $false -AllowIeeePriorityTagging $false -MinimumBandwidthWeight 1 -MaximumBandwidth 0 -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('virtual_port_profile.vm-roles' + ': ' + $r.error) }
$ids['virtual_port_profile.vm-roles'] = $r.id

Write-Host ('create ' + 'logical_switch.fabric')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = New-SCLogicalSwitch -Name 'Fabric Switch' -Description 'The global logical switch [fabric stamp=reference]' -SwitchUplinkMode 'Team' -MinimumBandwidthMode 'Weight' -EnableSriov $false -ErrorAction Stop
    if ($null -eq $obj) { throw ('New-SCLogicalSwitch' + ' returned no object') }
    $uplink = @(Get-SCNativeUplinkPortProfile -ID $ids['uplink_port_profile.uplink-oslo'] -ErrorAction Stop)
    if ($uplink.Count -ne 1) { throw ('no single ' + 'uplink_port_profile' + ' with ID ' + $ids['uplink_port_profile.uplink-oslo'] + ' (found ' + $uplink.Count + ')') }
    $uplink = $uplink[0]
    if (-not @(Get-SCUplinkPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { [string]$_.NativeUplinkPortProfile.ID -eq [string]$uplink.ID }).Count) {
        New-SCUplinkPortProfileSet -Name ($obj.Name + '_' + $uplink.Name) -LogicalSwitch $obj -NativeUplinkPortProfile $uplink -ErrorAction Stop | Out-Null
    }
    $wantedUplinks = @(@($ids['uplink_port_profile.uplink-oslo']))
    Get-SCUplinkPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { $wantedUplinks -notcontains [string]$_.NativeUplinkPortProfile.ID } | ForEach-Object { Remove-SCUplinkPortProfileSet -UplinkPortProfileSet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    $wantedClasses = @(@('8f1e0b5a-2c44-4c5e-9d1e-77aa00000001', $ids['port_classification.live-migration'], $ids['port_classification.vm-roles']))
    Get-SCVirtualNetworkAdapterPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { $wantedClasses -notcontains [string]$_.PortClassification.ID } | ForEach-Object { Remove-SCVirtualNetworkAdapterPortProfileSet -VirtualNetworkAdapterPortProfileSet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    $class = @(Get-SCPortClassification -ID '8f1e0b5a-2c44-4c5e-9d1e-77aa00000001' -ErrorAction Stop)
    if ($class.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + '8f1e0b5a-2c44-4c5e-9d1e-77aa00000001' + ' (found ' + $class.Count + ')') }
    $class = $class[0]
    $vnic = @(Get-SCVirtualNetworkAdapterNativePortProfile -ID $ids['virtual_port_profile.host-management'] -ErrorAction Stop)
    if ($vnic.Count -ne 1) { throw ('no single ' + 'virtual_port_profile' + ' with ID ' + $ids['virtual_port_profile.host-management'] + ' (found ' + $vnic.Count + ')') }
    $vnic = $vnic[0]
    $set = @(Get-SCVirtualNetworkAdapterPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { [string]$_.PortClassification.ID -eq [string]$class.ID })
    if ($set.Count -gt 1) { throw ('the switch has ' + $set.Count + ' virtual ports for classification ' + $class.Name) }
    if ($set.Count) {
        Set-SCVirtualNetworkAdapterPortProfileSet -VirtualNetworkAdapterPortProfileSet $set[0] -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $false -ErrorAction Stop | Out-Null
    } else {
        New-SCVirtualNetworkAdapterPortProfileSet -Name ($obj.Name + '_' + $class.Name) -LogicalSwitch $obj -PortClassification $class -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $false -ErrorAction Stop | Out-Null
    }
    $class = @(Get-SCPortClassification -ID $ids['port_classification.live-migration'] -ErrorAction Stop)
    if ($class.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + $ids['port_classification.live-migration'] + ' (found ' + $class.Count + ')') }
    $class = $class[0]
    $vnic = @(Get-SCVirtualNetworkAdapterNativePortProfile -ID $ids['virtual_port_profile.live-migration'] -ErrorAction Stop)
    if ($vnic.Count -ne 1) { throw ('no single ' + 'virtual_port_profile' + ' with ID ' + $ids['virtual_port_profile.live-migration'] + ' (found ' + $vnic.Count + ')') }
    $vnic = $vnic[0]
    $set = @(Get-SCVirtualNetworkAdapterPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { [string]$_.PortClassification.ID -eq [string]$class.ID })
    if ($set.Count -gt 1) { throw ('the switch has ' + $set.Count + ' virtual ports for classification ' + $class.Name) }
    if ($set.Count) {
        Set-SCVirtualNetworkAdapterPortProfileSet -VirtualNetworkAdapterPortProfileSet $set[0] -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $false -ErrorAction Stop | Out-Null
    } else {
        New-SCVirtualNetworkAdapterPortProfileSet -Name ($obj.Name + '_' + $class.Name) -LogicalSwitch $obj -PortClassification $class -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $false -ErrorAction Stop | Out-Null
    }
    $class = @(Get-SCPortClassification -ID $ids['port_classification.vm-roles'] -ErrorAction Stop)
    if ($class.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + $ids['port_classification.vm-roles'] + ' (found ' + $class.Count + ')') }
    $class = $class[0]
    $vnic = @(Get-SCVirtualNetworkAdapterNativePortProfile -ID $ids['virtual_port_profile.vm-roles'] -ErrorAction Stop)
    if ($vnic.Count -ne 1) { throw ('no single ' + 'virtual_port_profile' + ' with ID ' + $ids['virtual_port_profile.vm-roles'] + ' (found ' + $vnic.Count + ')') }
    $vnic = $vnic[0]
    $set = @(Get-SCVirtualNetworkAdapterPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { [string]$_.PortClassification.ID -eq [string]$class.ID })
    if ($set.Count -gt 1) { throw ('the switch has ' + $set.Count + ' virtual ports for classification ' + $class.Name) }
    if ($set.Count) {
        Set-SCVirtualNetworkAdapterPortProfileSet -VirtualNetworkAdapterPortProfileSet $set[0] -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $true -ErrorAction Stop | Out-Null
    } else {
        New-SCVirtualNetworkAdapterPortProfileSet -Name ($obj.Name + '_' + $class.Name) -LogicalSwitch $obj -PortClassification $class -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $true -ErrorAction Stop | Out-Null
    }
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('logical_switch.fabric' + ': ' + $r.error) }
$ids['logical_switch.fabric'] = $r.id

Write-Host ('create ' + 'vm_network.dr-test')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $logicalNetwork = @(Get-SCLogicalNetwork -ID $ids['logical_network.dr-test'] -ErrorAction Stop)
    if ($logicalNetwork.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $ids['logical_network.dr-test'] + ' (found ' + $logicalNetwork.Count + ')') }
    $logicalNetwork = $logicalNetwork[0]

    $obj = New-SCVMNetwork -Name 'DR Test' -Description '[fabric stamp=reference]' -LogicalNetwork $logicalNetwork -IsolationType 'WindowsNetworkVirtualization' -CAIPAddressPoolType 'IPV4' -PAIPAddressPoolType 'IPV4' -ErrorAction Stop
    if ($null -eq $obj) { throw ('New-SCVMNetwork' + ' returned no object') }
    New-SCVMSubnet -Name 'management-test' -VMNetwork $obj -SubnetVLan (New-SCSubnetVLan -Subnet '10.100.50.0/24' -VLanID 0 -ErrorAction Stop) -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('vm_network.dr-test' + ': ' + $r.error) }
$ids['vm_network.dr-test'] = $r.id

Write-Host ('create ' + 'vm_network.management')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $logicalNetwork = @(Get-SCLogicalNetwork -ID $ids['logical_network.management'] -ErrorAction Stop)
    if ($logicalNetwork.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $ids['logical_network.management'] + ' (found ' + $logicalNetwork.Count + ')') }
    $logicalNetwork = $logicalNetwork[0]
    $obj = New-SCVMNetwork -Name 'Management' -Description '[fabric stamp=reference]' -LogicalNetwork $logicalNetwork -IsolationType 'NoIsolation' -ErrorAction Stop
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('vm_network.management' + ': ' + $r.error) }
$ids['vm_network.management'] = $r.id

Write-Host ('create ' + 'vm_network.tenants-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $logicalNetwork = @(Get-SCLogicalNetwork -ID $ids['logical_network.tenants'] -ErrorAction Stop)
    if ($logicalNetwork.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $ids['logical_network.tenants'] + ' (found ' + $logicalNetwork.Count + ')') }
    $logicalNetwork = $logicalNetwork[0]
    $site1 = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq $ids['network_site.tenants-copenhagen'] })
    if ($site1.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + $ids['network_site.tenants-copenhagen'] + ' (found ' + $site1.Count + ')') }
    $site1 = $site1[0]

    $obj = New-SCVMNetwork -Name 'Tenants Copenhagen' -Description '[fabric stamp=reference]' -LogicalNetwork $logicalNetwork -IsolationType 'VLANNetwork' -ErrorAction Stop
    if ($null -eq $obj) { throw ('New-SCVMNetwork' + ' returned no object') }
    New-SCVMSubnet -Name 'tenants' -VMNetwork $obj -SubnetVLan (New-SCSubnetVLan -Subnet '10.200.2.0/24' -VLanID 202 -ErrorAction Stop) -LogicalNetworkDefinition $site1 -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('vm_network.tenants-copenhagen' + ': ' + $r.error) }
$ids['vm_network.tenants-copenhagen'] = $r.id

Write-Host ('create ' + 'vm_network.tenants-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $logicalNetwork = @(Get-SCLogicalNetwork -ID $ids['logical_network.tenants'] -ErrorAction Stop)
    if ($logicalNetwork.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $ids['logical_network.tenants'] + ' (found ' + $logicalNetwork.Count + ')') }
    $logicalNetwork = $logicalNetwork[0]
    $site1 = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq $ids['network_site.tenants-oslo'] })
    if ($site1.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + $ids['network_site.tenants-oslo'] + ' (found ' + $site1.Count + ')') }
    $site1 = $site1[0]

    $obj = New-SCVMNetwork -Name 'Tenants Oslo' -Description '[fabric stamp=reference]' -LogicalNetwork $logicalNetwork -IsolationType 'VLANNetwork' -ErrorAction Stop
    if ($null -eq $obj) { throw ('New-SCVMNetwork' + ' returned no object') }
    New-SCVMSubnet -Name 'tenants' -VMNetwork $obj -SubnetVLan (New-SCSubnetVLan -Subnet '10.200.0.0/24' -VLanID 200 -ErrorAction Stop) -LogicalNetworkDefinition $site1 -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('vm_network.tenants-oslo' + ': ' + $r.error) }
$ids['vm_network.tenants-oslo'] = $r.id

Write-Host ('create ' + 'vm_network.tenants-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $logicalNetwork = @(Get-SCLogicalNetwork -ID $ids['logical_network.tenants'] -ErrorAction Stop)
    if ($logicalNetwork.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $ids['logical_network.tenants'] + ' (found ' + $logicalNetwork.Count + ')') }
    $logicalNetwork = $logicalNetwork[0]
    $site1 = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq $ids['network_site.tenants-stockholm'] })
    if ($site1.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + $ids['network_site.tenants-stockholm'] + ' (found ' + $site1.Count + ')') }
    $site1 = $site1[0]

    $obj = New-SCVMNetwork -Name 'Tenants Stockholm' -Description '[fabric stamp=reference]' -LogicalNetwork $logicalNetwork -IsolationType 'VLANNetwork' -ErrorAction Stop
    if ($null -eq $obj) { throw ('New-SCVMNetwork' + ' returned no object') }
    New-SCVMSubnet -Name 'tenants' -VMNetwork $obj -SubnetVLan (New-SCSubnetVLan -Subnet '10.200.1.0/24' -VLanID 201 -ErrorAction Stop) -LogicalNetworkDefinition $site1 -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('vm_network.tenants-stockholm' + ': ' + $r.error) }
$ids['vm_network.tenants-stockholm'] = $r.id
