# fabric plan for stamp reference: 9 operation(s), in dependency order.
# Written for VMM 2012 R2 (provider vmm_version: 2012r2).
# Review, then run in a PowerShell session with the VMM console module:
# (a replaced object is deleted, then created again: it gets a new ID)
#   delete  logical_switch.fabric  (replace: minimum_bandwidth_mode cannot change in place)
#   update  network_site.management-copenhagen
#             ~ subnets["10.100.2.0/24"].vlan: 102 → 202
#   update  network_site.management-oslo
#             ~ subnets["10.100.0.0/24"].vlan: 100 → 200
#   update  network_site.management-stockholm
#             ~ subnets["10.100.1.0/24"].vlan: 101 → 201
#   update  port_classification.vm-roles
#             ~ description: "Default class for Windows Azure Pack VM roles" → "Gold class for Windows Azure Pack VM roles"
#   update  cloud.iaas-copenhagen
#             ~ capacity.vm_count: 100 → 150
#   update  cloud.iaas-oslo
#             ~ capacity.vm_count: 100 → 150
#   update  cloud.iaas-stockholm
#             ~ capacity.vm_count: 100 → 150
#   create  logical_switch.fabric  (replace: minimum_bandwidth_mode cannot change in place)
#             ~ minimum_bandwidth_mode: "weight" → "absolute"
$ErrorActionPreference = 'Stop'
$ids = @{}
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

Write-Host ('update ' + 'network_site.management-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq '7ca8d606-77c7-5440-9140-a2a2af6543a0' })
    if ($obj.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + '7ca8d606-77c7-5440-9140-a2a2af6543a0' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $current = @($obj.HostGroups)
    $want = @(@('4e462120-afbd-5052-8945-4595e6ba8e36'))
    $have = @($current | Where-Object { $_ } | ForEach-Object { [string]$_.ID })
    $hostGroupAdd = @($want | Where-Object { $have -notcontains $_ })
    $hostGroupRemove = @($have | Where-Object { $want -notcontains $_ })
    $addGroups = @(foreach ($lookupId in @($hostGroupAdd)) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $removeGroups = @(foreach ($lookupId in @($hostGroupRemove)) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.100.2.0/24' -VLanID 202 -ErrorAction Stop))
    $params = @{ LogicalNetworkDefinition = $obj; Name = 'Management Copenhagen'; SubnetVLan = $subnetVlans }
    if ($addGroups.Count) { $params.AddVMHostGroup = $addGroups }
    if ($removeGroups.Count) { $params.RemoveVMHostGroup = $removeGroups }
    Set-SCLogicalNetworkDefinition @params -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.management-copenhagen' + ': ' + $r.error) }

Write-Host ('update ' + 'network_site.management-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq '85e7b802-5fe0-57a2-89eb-b07f897de9fc' })
    if ($obj.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + '85e7b802-5fe0-57a2-89eb-b07f897de9fc' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $current = @($obj.HostGroups)
    $want = @(@('315994f7-92d8-508e-a7e6-d0bca82a9d0d'))
    $have = @($current | Where-Object { $_ } | ForEach-Object { [string]$_.ID })
    $hostGroupAdd = @($want | Where-Object { $have -notcontains $_ })
    $hostGroupRemove = @($have | Where-Object { $want -notcontains $_ })
    $addGroups = @(foreach ($lookupId in @($hostGroupAdd)) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $removeGroups = @(foreach ($lookupId in @($hostGroupRemove)) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.100.0.0/24' -VLanID 200 -ErrorAction Stop))
    $params = @{ LogicalNetworkDefinition = $obj; Name = 'Management Oslo'; SubnetVLan = $subnetVlans }
    if ($addGroups.Count) { $params.AddVMHostGroup = $addGroups }
    if ($removeGroups.Count) { $params.RemoveVMHostGroup = $removeGroups }
    Set-SCLogicalNetworkDefinition @params -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.management-oslo' + ': ' + $r.error) }

Write-Host ('update ' + 'network_site.management-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq 'cee0de52-68aa-55e6-a030-c57e329324f4' })
    if ($obj.Count -ne 1) { throw ('no single ' + 'network_site' + ' with ID ' + 'cee0de52-68aa-55e6-a030-c57e329324f4' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $current = @($obj.HostGroups)
    $want = @(@('0f3d5c93-5b44-5b8a-aed7-fb85d40dae2d'))
    $have = @($current | Where-Object { $_ } | ForEach-Object { [string]$_.ID })
    $hostGroupAdd = @($want | Where-Object { $have -notcontains $_ })
    $hostGroupRemove = @($have | Where-Object { $want -notcontains $_ })
    $addGroups = @(foreach ($lookupId in @($hostGroupAdd)) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $removeGroups = @(foreach ($lookupId in @($hostGroupRemove)) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.100.1.0/24' -VLanID 201 -ErrorAction Stop))
    $params = @{ LogicalNetworkDefinition = $obj; Name = 'Management Stockholm'; SubnetVLan = $subnetVlans }
    if ($addGroups.Count) { $params.AddVMHostGroup = $addGroups }
    if ($removeGroups.Count) { $params.RemoveVMHostGroup = $removeGroups }
    Set-SCLogicalNetworkDefinition @params -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('network_site.management-stockholm' + ': ' + $r.error) }

Write-Host ('update ' + 'port_classification.vm-roles')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCPortClassification -ID 'aef999a0-f326-5ca2-8a82-ac97b854316a' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + 'aef999a0-f326-5ca2-8a82-ac97b854316a' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    Set-SCPortClassification -PortClassification $obj -Name 'VM Roles' -Description 'Gold class for Windows Azure Pack VM roles [fabric stamp=reference]' -ErrorAction Stop | Out-Null
    if ($null -eq $obj) { throw 'the script ended without the object it works on' }
    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('port_classification.vm-roles' + ': ' + $r.error) }

Write-Host ('update ' + 'cloud.iaas-copenhagen')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCCloud -ID '69392826-2c3d-55cd-babc-aa69b70494a7' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'cloud' + ' with ID ' + '69392826-2c3d-55cd-babc-aa69b70494a7' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $current = @($obj.HostGroup)
    $want = @(@('536e0b7d-02f7-59f1-82fa-7a98276d042d'))
    $have = @($current | Where-Object { $_ } | ForEach-Object { [string]$_.ID })
    $hostGroupAdd = @($want | Where-Object { $have -notcontains $_ })
    $hostGroupRemove = @($have | Where-Object { $want -notcontains $_ })
    $current = @($obj.LogicalNetworks)
    $want = @(@('760edcb3-6246-59f9-a27d-54ce18d5eea2', 'b2e325be-6842-5d95-84ee-c2cb7fb9fe34'))
    $have = @($current | Where-Object { $_ } | ForEach-Object { [string]$_.ID })
    $networkAdd = @($want | Where-Object { $have -notcontains $_ })
    $networkRemove = @($have | Where-Object { $want -notcontains $_ })
    $current = @($obj.PortClassifications)
    $want = @(@('aef999a0-f326-5ca2-8a82-ac97b854316a'))
    $have = @($current | Where-Object { $_ } | ForEach-Object { [string]$_.ID })
    $classAdd = @($want | Where-Object { $have -notcontains $_ })
    $classRemove = @($have | Where-Object { $want -notcontains $_ })
    $addGroups = @(foreach ($lookupId in @($hostGroupAdd)) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $removeGroups = @(foreach ($lookupId in @($hostGroupRemove)) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $addNetworks = @(foreach ($lookupId in @($networkAdd)) { $found = @(Get-SCLogicalNetwork -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $removeNetworks = @(foreach ($lookupId in @($networkRemove)) { $found = @(Get-SCLogicalNetwork -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $addClasses = @(foreach ($lookupId in @($classAdd)) { $found = @(Get-SCPortClassification -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $removeClasses = @(foreach ($lookupId in @($classRemove)) { $found = @(Get-SCPortClassification -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $addResources = @($addNetworks) + @($addClasses)
    $removeResources = @($removeNetworks) + @($removeClasses)
    $params = @{ Cloud = $obj; Name = 'IaaS Copenhagen'; Description = 'Tenant cloud for Copenhagen [fabric stamp=reference]'; DisasterRecoverySupported = $true }
    if ($addGroups.Count) { $params.AddVMHostGroup = $addGroups }
    if ($removeGroups.Count) { $params.RemoveVMHostGroup = $removeGroups }
    if ($addResources.Count) { $params.AddCloudResource = $addResources }
    if ($removeResources.Count) { $params.RemoveCloudResource = $removeResources }
    Set-SCCloud @params -ErrorAction Stop | Out-Null
    $capacity = @(Get-SCCloudCapacity -Cloud $obj -ErrorAction Stop)
    if ($capacity.Count -ne 1) { throw ('expected one capacity of the cloud, found ' + $capacity.Count) }
    Set-SCCloudCapacity -CloudCapacity $capacity[0] -VMCount 150 -UseVMCountMaximum $false -CPUCount 400 -UseCPUCountMaximum $false -MemoryMB 1048576 -UseMemoryMBMaximum $false -UseStorageGBMaximum $true -UseCustomQuotaCountMaximum $true -ErrorAction Stop | Out-Null
    $wantedProperties = @(@('cbb2632c-510e-589a-af16-a30947d783f4'))
    Get-SCCustomProperty -ErrorAction Stop | Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' } | Where-Object { $wantedProperties -notcontains [string]$_.ID } | ForEach-Object {
        $value = Get-SCCustomPropertyValue -CustomProperty $_ -InputObject $obj -ErrorAction Stop
        if ($value) { Remove-SCCustomPropertyValue -CustomPropertyValue $value -Confirm:$false -ErrorAction Stop | Out-Null }
    }
    $property = @(Get-SCCustomProperty -ID 'cbb2632c-510e-589a-af16-a30947d783f4' -ErrorAction Stop)
    if ($property.Count -ne 1) { throw ('no single ' + 'custom_property' + ' with ID ' + 'cbb2632c-510e-589a-af16-a30947d783f4' + ' (found ' + $property.Count + ')') }
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

Write-Host ('update ' + 'cloud.iaas-oslo')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCCloud -ID 'fb20494c-2329-56bf-8bfa-e4ab7a7c1ad1' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'cloud' + ' with ID ' + 'fb20494c-2329-56bf-8bfa-e4ab7a7c1ad1' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $current = @($obj.HostGroup)
    $want = @(@('a5e664a7-8523-5353-bfaf-25b3edb3cc90'))
    $have = @($current | Where-Object { $_ } | ForEach-Object { [string]$_.ID })
    $hostGroupAdd = @($want | Where-Object { $have -notcontains $_ })
    $hostGroupRemove = @($have | Where-Object { $want -notcontains $_ })
    $current = @($obj.LogicalNetworks)
    $want = @(@('760edcb3-6246-59f9-a27d-54ce18d5eea2', 'b2e325be-6842-5d95-84ee-c2cb7fb9fe34'))
    $have = @($current | Where-Object { $_ } | ForEach-Object { [string]$_.ID })
    $networkAdd = @($want | Where-Object { $have -notcontains $_ })
    $networkRemove = @($have | Where-Object { $want -notcontains $_ })
    $current = @($obj.PortClassifications)
    $want = @(@('aef999a0-f326-5ca2-8a82-ac97b854316a'))
    $have = @($current | Where-Object { $_ } | ForEach-Object { [string]$_.ID })
    $classAdd = @($want | Where-Object { $have -notcontains $_ })
    $classRemove = @($have | Where-Object { $want -notcontains $_ })
    $addGroups = @(foreach ($lookupId in @($hostGroupAdd)) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $removeGroups = @(foreach ($lookupId in @($hostGroupRemove)) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $addNetworks = @(foreach ($lookupId in @($networkAdd)) { $found = @(Get-SCLogicalNetwork -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $removeNetworks = @(foreach ($lookupId in @($networkRemove)) { $found = @(Get-SCLogicalNetwork -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $addClasses = @(foreach ($lookupId in @($classAdd)) { $found = @(Get-SCPortClassification -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $removeClasses = @(foreach ($lookupId in @($classRemove)) { $found = @(Get-SCPortClassification -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $addResources = @($addNetworks) + @($addClasses)
    $removeResources = @($removeNetworks) + @($removeClasses)
    $params = @{ Cloud = $obj; Name = 'IaaS Oslo'; Description = 'Tenant cloud for Oslo [fabric stamp=reference]'; DisasterRecoverySupported = $true }
    if ($addGroups.Count) { $params.AddVMHostGroup = $addGroups }
    if ($removeGroups.Count) { $params.RemoveVMHostGroup = $removeGroups }
    if ($addResources.Count) { $params.AddCloudResource = $addResources }
    if ($removeResources.Count) { $params.RemoveCloudResource = $removeResources }
    Set-SCCloud @params -ErrorAction Stop | Out-Null
    $capacity = @(Get-SCCloudCapacity -Cloud $obj -ErrorAction Stop)
    if ($capacity.Count -ne 1) { throw ('expected one capacity of the cloud, found ' + $capacity.Count) }
    Set-SCCloudCapacity -CloudCapacity $capacity[0] -VMCount 150 -UseVMCountMaximum $false -CPUCount 400 -UseCPUCountMaximum $false -MemoryMB 1048576 -UseMemoryMBMaximum $false -UseStorageGBMaximum $true -UseCustomQuotaCountMaximum $true -ErrorAction Stop | Out-Null
    $wantedProperties = @(@('cbb2632c-510e-589a-af16-a30947d783f4'))
    Get-SCCustomProperty -ErrorAction Stop | Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' } | Where-Object { $wantedProperties -notcontains [string]$_.ID } | ForEach-Object {
        $value = Get-SCCustomPropertyValue -CustomProperty $_ -InputObject $obj -ErrorAction Stop
        if ($value) { Remove-SCCustomPropertyValue -CustomPropertyValue $value -Confirm:$false -ErrorAction Stop | Out-Null }
    }
    $property = @(Get-SCCustomProperty -ID 'cbb2632c-510e-589a-af16-a30947d783f4' -ErrorAction Stop)
    if ($property.Count -ne 1) { throw ('no single ' + 'custom_property' + ' with ID ' + 'cbb2632c-510e-589a-af16-a30947d783f4' + ' (found ' + $property.Count + ')') }
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

Write-Host ('update ' + 'cloud.iaas-stockholm')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = @(Get-SCCloud -ID '7c96eab6-bb82-5891-ba5c-a233863c1d23' -ErrorAction Stop)
    if ($obj.Count -ne 1) { throw ('no single ' + 'cloud' + ' with ID ' + '7c96eab6-bb82-5891-ba5c-a233863c1d23' + ' (found ' + $obj.Count + ')') }
    $obj = $obj[0]
    $current = @($obj.HostGroup)
    $want = @(@('dd015cfe-98ce-550f-9ede-c0635ca26f65'))
    $have = @($current | Where-Object { $_ } | ForEach-Object { [string]$_.ID })
    $hostGroupAdd = @($want | Where-Object { $have -notcontains $_ })
    $hostGroupRemove = @($have | Where-Object { $want -notcontains $_ })
    $current = @($obj.LogicalNetworks)
    $want = @(@('760edcb3-6246-59f9-a27d-54ce18d5eea2', 'b2e325be-6842-5d95-84ee-c2cb7fb9fe34'))
    $have = @($current | Where-Object { $_ } | ForEach-Object { [string]$_.ID })
    $networkAdd = @($want | Where-Object { $have -notcontains $_ })
    $networkRemove = @($have | Where-Object { $want -notcontains $_ })
    $current = @($obj.PortClassifications)
    $want = @(@('aef999a0-f326-5ca2-8a82-ac97b854316a'))
    $have = @($current | Where-Object { $_ } | ForEach-Object { [string]$_.ID })
    $classAdd = @($want | Where-Object { $have -notcontains $_ })
    $classRemove = @($have | Where-Object { $want -notcontains $_ })
    $addGroups = @(foreach ($lookupId in @($hostGroupAdd)) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $removeGroups = @(foreach ($lookupId in @($hostGroupRemove)) { $found = @(Get-SCVMHostGroup -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'host_group' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $addNetworks = @(foreach ($lookupId in @($networkAdd)) { $found = @(Get-SCLogicalNetwork -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $removeNetworks = @(foreach ($lookupId in @($networkRemove)) { $found = @(Get-SCLogicalNetwork -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'logical_network' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $addClasses = @(foreach ($lookupId in @($classAdd)) { $found = @(Get-SCPortClassification -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $removeClasses = @(foreach ($lookupId in @($classRemove)) { $found = @(Get-SCPortClassification -ID $lookupId -ErrorAction Stop); if ($found.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + $lookupId + ' (found ' + $found.Count + ')') }; $found[0] })
    $addResources = @($addNetworks) + @($addClasses)
    $removeResources = @($removeNetworks) + @($removeClasses)
    $params = @{ Cloud = $obj; Name = 'IaaS Stockholm'; Description = 'Tenant cloud for Stockholm [fabric stamp=reference]'; DisasterRecoverySupported = $true }
    if ($addGroups.Count) { $params.AddVMHostGroup = $addGroups }
    if ($removeGroups.Count) { $params.RemoveVMHostGroup = $removeGroups }
    if ($addResources.Count) { $params.AddCloudResource = $addResources }
    if ($removeResources.Count) { $params.RemoveCloudResource = $removeResources }
    Set-SCCloud @params -ErrorAction Stop | Out-Null
    $capacity = @(Get-SCCloudCapacity -Cloud $obj -ErrorAction Stop)
    if ($capacity.Count -ne 1) { throw ('expected one capacity of the cloud, found ' + $capacity.Count) }
    Set-SCCloudCapacity -CloudCapacity $capacity[0] -VMCount 150 -UseVMCountMaximum $false -CPUCount 400 -UseCPUCountMaximum $false -MemoryMB 1048576 -UseMemoryMBMaximum $false -UseStorageGBMaximum $true -UseCustomQuotaCountMaximum $true -ErrorAction Stop | Out-Null
    $wantedProperties = @(@('cbb2632c-510e-589a-af16-a30947d783f4'))
    Get-SCCustomProperty -ErrorAction Stop | Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' } | Where-Object { $wantedProperties -notcontains [string]$_.ID } | ForEach-Object {
        $value = Get-SCCustomPropertyValue -CustomProperty $_ -InputObject $obj -ErrorAction Stop
        if ($value) { Remove-SCCustomPropertyValue -CustomPropertyValue $value -Confirm:$false -ErrorAction Stop | Out-Null }
    }
    $property = @(Get-SCCustomProperty -ID 'cbb2632c-510e-589a-af16-a30947d783f4' -ErrorAction Stop)
    if ($property.Count -ne 1) { throw ('no single ' + 'custom_property' + ' with ID ' + 'cbb2632c-510e-589a-af16-a30947d783f4' + ' (found ' + $property.Count + ')') }
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

Write-Host ('create ' + 'logical_switch.fabric')
$r = (& {
$ErrorActionPreference = 'Stop'
try {
    Import-Module VirtualMachineManager
    $obj = New-SCLogicalSwitch -Name 'Fabric Switch' -Description 'The global logical switch [fabric stamp=reference]' -SwitchUplinkMode 'Team' -MinimumBandwidthMode 'Absolute' -EnableSriov $false -ErrorAction Stop
    if ($null -eq $obj) { throw ('New-SCLogicalSwitch' + ' returned no object') }
    $uplink = @(Get-SCNativeUplinkPortProfile -ID '5622ef1c-60d1-5465-9248-df64a5c30d26' -ErrorAction Stop)
    if ($uplink.Count -ne 1) { throw ('no single ' + 'uplink_port_profile' + ' with ID ' + '5622ef1c-60d1-5465-9248-df64a5c30d26' + ' (found ' + $uplink.Count + ')') }
    $uplink = $uplink[0]
    if (-not @(Get-SCUplinkPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { [string]$_.NativeUplinkPortProfile.ID -eq [string]$uplink.ID }).Count) {
        New-SCUplinkPortProfileSet -Name ($obj.Name + '_' + $uplink.Name) -LogicalSwitch $obj -NativeUplinkPortProfile $uplink -ErrorAction Stop | Out-Null
    }
    $wantedUplinks = @(@('5622ef1c-60d1-5465-9248-df64a5c30d26'))
    Get-SCUplinkPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { $wantedUplinks -notcontains [string]$_.NativeUplinkPortProfile.ID } | ForEach-Object { Remove-SCUplinkPortProfileSet -UplinkPortProfileSet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    $wantedClasses = @(@('f9361cbe-8bfc-5078-8547-723503a53590', '257cd705-ed5d-54ec-92d3-b0b1f6e71120', 'aef999a0-f326-5ca2-8a82-ac97b854316a'))
    Get-SCVirtualNetworkAdapterPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { $wantedClasses -notcontains [string]$_.PortClassification.ID } | ForEach-Object { Remove-SCVirtualNetworkAdapterPortProfileSet -VirtualNetworkAdapterPortProfileSet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    $class = @(Get-SCPortClassification -ID 'f9361cbe-8bfc-5078-8547-723503a53590' -ErrorAction Stop)
    if ($class.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + 'f9361cbe-8bfc-5078-8547-723503a53590' + ' (found ' + $class.Count + ')') }
    $class = $class[0]
    $vnic = @(Get-SCVirtualNetworkAdapterNativePortProfile -ID 'f32ee8a6-c4f1-50f9-8678-8e887c28bfa0' -ErrorAction Stop)
    if ($vnic.Count -ne 1) { throw ('no single ' + 'virtual_port_profile' + ' with ID ' + 'f32ee8a6-c4f1-50f9-8678-8e887c28bfa0' + ' (found ' + $vnic.Count + ')') }
    $vnic = $vnic[0]
    $set = @(Get-SCVirtualNetworkAdapterPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { [string]$_.PortClassification.ID -eq [string]$class.ID })
    if ($set.Count -gt 1) { throw ('the switch has ' + $set.Count + ' virtual ports for classification ' + $class.Name) }
    if ($set.Count) {
        Set-SCVirtualNetworkAdapterPortProfileSet -VirtualNetworkAdapterPortProfileSet $set[0] -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $false -ErrorAction Stop | Out-Null
    } else {
        New-SCVirtualNetworkAdapterPortProfileSet -Name ($obj.Name + '_' + $class.Name) -LogicalSwitch $obj -PortClassification $class -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $false -ErrorAction Stop | Out-Null
    }
    $class = @(Get-SCPortClassification -ID '257cd705-ed5d-54ec-92d3-b0b1f6e71120' -ErrorAction Stop)
    if ($class.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + '257cd705-ed5d-54ec-92d3-b0b1f6e71120' + ' (found ' + $class.Count + ')') }
    $class = $class[0]
    $vnic = @(Get-SCVirtualNetworkAdapterNativePortProfile -ID '73c1ed6c-baa0-50ea-a152-50ff6b155ce6' -ErrorAction Stop)
    if ($vnic.Count -ne 1) { throw ('no single ' + 'virtual_port_profile' + ' with ID ' + '73c1ed6c-baa0-50ea-a152-50ff6b155ce6' + ' (found ' + $vnic.Count + ')') }
    $vnic = $vnic[0]
    $set = @(Get-SCVirtualNetworkAdapterPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { [string]$_.PortClassification.ID -eq [string]$class.ID })
    if ($set.Count -gt 1) { throw ('the switch has ' + $set.Count + ' virtual ports for classification ' + $class.Name) }
    if ($set.Count) {
        Set-SCVirtualNetworkAdapterPortProfileSet -VirtualNetworkAdapterPortProfileSet $set[0] -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $false -ErrorAction Stop | Out-Null
    } else {
        New-SCVirtualNetworkAdapterPortProfileSet -Name ($obj.Name + '_' + $class.Name) -LogicalSwitch $obj -PortClassification $class -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $false -ErrorAction Stop | Out-Null
    }
    $class = @(Get-SCPortClassification -ID 'aef999a0-f326-5ca2-8a82-ac97b854316a' -ErrorAction Stop)
    if ($class.Count -ne 1) { throw ('no single ' + 'port_classification' + ' with ID ' + 'aef999a0-f326-5ca2-8a82-ac97b854316a' + ' (found ' + $class.Count + ')') }
    $class = $class[0]
    $vnic = @(Get-SCVirtualNetworkAdapterNativePortProfile -ID '7df4d285-a897-5dcb-a1ed-e7abfe7cbfdc' -ErrorAction Stop)
    if ($vnic.Count -ne 1) { throw ('no single ' + 'virtual_port_profile' + ' with ID ' + '7df4d285-a897-5dcb-a1ed-e7abfe7cbfdc' + ' (found ' + $vnic.Count + ')') }
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
