# fabric plan for stamp reference: 9 operation(s), in dependency order.
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
    $obj = Get-SCLogicalSwitch -ID 'bf2c1d8f-0f7e-5f69-951a-24f73b517d52' -ErrorAction Stop
    Get-SCVirtualNetworkAdapterPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | ForEach-Object { Remove-SCVirtualNetworkAdapterPortProfileSet -VirtualNetworkAdapterPortProfileSet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    Get-SCUplinkPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | ForEach-Object { Remove-SCUplinkPortProfileSet -UplinkPortProfileSet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    Remove-SCLogicalSwitch -LogicalSwitch $obj -Confirm:$false -ErrorAction Stop | Out-Null
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
    $obj = Get-SCLogicalNetworkDefinition -ID '7ca8d606-77c7-5440-9140-a2a2af6543a0' -ErrorAction Stop
    $current = $obj.HostGroups
    $want = @(@('4e462120-afbd-5052-8945-4595e6ba8e36'))
    $have = @($current | ForEach-Object { [string]$_.ID })
    $hostGroupAdd = @($want | Where-Object { $have -notcontains $_ })
    $hostGroupRemove = @($have | Where-Object { $want -notcontains $_ })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.100.2.0/24' -VLanID 202 -ErrorAction Stop))
    $params = @{ LogicalNetworkDefinition = $obj; Name = 'Management Copenhagen'; SubnetVLan = $subnetVlans }
    if ($hostGroupAdd.Count) { $params.AddVMHostGroup = @($hostGroupAdd | ForEach-Object { Get-SCVMHostGroup -ID $_ -ErrorAction Stop }) }
    if ($hostGroupRemove.Count) { $params.RemoveVMHostGroup = @($hostGroupRemove | ForEach-Object { Get-SCVMHostGroup -ID $_ -ErrorAction Stop }) }
    $obj = Set-SCLogicalNetworkDefinition @params -ErrorAction Stop
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
    $obj = Get-SCLogicalNetworkDefinition -ID '85e7b802-5fe0-57a2-89eb-b07f897de9fc' -ErrorAction Stop
    $current = $obj.HostGroups
    $want = @(@('315994f7-92d8-508e-a7e6-d0bca82a9d0d'))
    $have = @($current | ForEach-Object { [string]$_.ID })
    $hostGroupAdd = @($want | Where-Object { $have -notcontains $_ })
    $hostGroupRemove = @($have | Where-Object { $want -notcontains $_ })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.100.0.0/24' -VLanID 200 -ErrorAction Stop))
    $params = @{ LogicalNetworkDefinition = $obj; Name = 'Management Oslo'; SubnetVLan = $subnetVlans }
    if ($hostGroupAdd.Count) { $params.AddVMHostGroup = @($hostGroupAdd | ForEach-Object { Get-SCVMHostGroup -ID $_ -ErrorAction Stop }) }
    if ($hostGroupRemove.Count) { $params.RemoveVMHostGroup = @($hostGroupRemove | ForEach-Object { Get-SCVMHostGroup -ID $_ -ErrorAction Stop }) }
    $obj = Set-SCLogicalNetworkDefinition @params -ErrorAction Stop
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
    $obj = Get-SCLogicalNetworkDefinition -ID 'cee0de52-68aa-55e6-a030-c57e329324f4' -ErrorAction Stop
    $current = $obj.HostGroups
    $want = @(@('0f3d5c93-5b44-5b8a-aed7-fb85d40dae2d'))
    $have = @($current | ForEach-Object { [string]$_.ID })
    $hostGroupAdd = @($want | Where-Object { $have -notcontains $_ })
    $hostGroupRemove = @($have | Where-Object { $want -notcontains $_ })
    $subnetVlans = @((New-SCSubnetVLan -Subnet '10.100.1.0/24' -VLanID 201 -ErrorAction Stop))
    $params = @{ LogicalNetworkDefinition = $obj; Name = 'Management Stockholm'; SubnetVLan = $subnetVlans }
    if ($hostGroupAdd.Count) { $params.AddVMHostGroup = @($hostGroupAdd | ForEach-Object { Get-SCVMHostGroup -ID $_ -ErrorAction Stop }) }
    if ($hostGroupRemove.Count) { $params.RemoveVMHostGroup = @($hostGroupRemove | ForEach-Object { Get-SCVMHostGroup -ID $_ -ErrorAction Stop }) }
    $obj = Set-SCLogicalNetworkDefinition @params -ErrorAction Stop
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
    $obj = Get-SCPortClassification -ID 'aef999a0-f326-5ca2-8a82-ac97b854316a' -ErrorAction Stop
    $obj = Set-SCPortClassification -PortClassification $obj -Name 'VM Roles' -Description 'Gold class for Windows Azure Pack VM roles [fabric stamp=reference]' -ErrorAction Stop
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
    $obj = Get-SCCloud -ID '69392826-2c3d-55cd-babc-aa69b70494a7' -ErrorAction Stop
    $current = $obj.HostGroup
    $want = @(@('536e0b7d-02f7-59f1-82fa-7a98276d042d'))
    $have = @($current | ForEach-Object { [string]$_.ID })
    $hostGroupAdd = @($want | Where-Object { $have -notcontains $_ })
    $hostGroupRemove = @($have | Where-Object { $want -notcontains $_ })
    $current = @($obj.LogicalNetworks) + @($obj.PortClassifications)
    $want = @(@('760edcb3-6246-59f9-a27d-54ce18d5eea2', 'aef999a0-f326-5ca2-8a82-ac97b854316a'))
    $have = @($current | ForEach-Object { [string]$_.ID })
    $resourceAdd = @($want | Where-Object { $have -notcontains $_ })
    $resourceRemove = @($have | Where-Object { $want -notcontains $_ })
    $add = @($hostGroupAdd | ForEach-Object { Get-SCVMHostGroup -ID $_ -ErrorAction Stop })
    $remove = @($hostGroupRemove | ForEach-Object { Get-SCVMHostGroup -ID $_ -ErrorAction Stop })
    $addResources = @($resourceAdd | ForEach-Object { $id = $_; (Get-SCLogicalNetwork -ID $id -ErrorAction Stop), (Get-SCPortClassification -ID $id -ErrorAction Stop) | Where-Object { $_ } })
    $removeResources = @($resourceRemove | ForEach-Object { $id = $_; (Get-SCLogicalNetwork -ID $id -ErrorAction Stop), (Get-SCPortClassification -ID $id -ErrorAction Stop) | Where-Object { $_ } })
    $params = @{ Cloud = $obj; Name = 'IaaS Copenhagen'; Description = 'Tenant cloud for Copenhagen [fabric stamp=reference]'; DisasterRecoverySupported = $false }
    if ($add.Count) { $params.AddVMHostGroup = $add }
    if ($remove.Count) { $params.RemoveVMHostGroup = $remove }
    if ($addResources.Count) { $params.AddCloudResource = $addResources }
    if ($removeResources.Count) { $params.RemoveCloudResource = $removeResources }
    $obj = Set-SCCloud @params -ErrorAction Stop
    Set-SCCloudCapacity -CloudCapacity (Get-SCCloudCapacity -Cloud $obj -ErrorAction Stop) -VMCount 150 -UseVMCountMaximum $false -CPUCount 400 -UseCPUCountMaximum $false -MemoryMB 1048576 -UseMemoryMBMaximum $false -UseStorageGBMaximum $true -UseCustomQuotaCountMaximum $true -ErrorAction Stop | Out-Null
    $wantedProperties = @(@('cbb2632c-510e-589a-af16-a30947d783f4'))
    Get-SCCustomProperty -ErrorAction Stop | Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' } | Where-Object { $wantedProperties -notcontains [string]$_.ID } | ForEach-Object {
        $value = Get-SCCustomPropertyValue -CustomProperty $_ -InputObject $obj -ErrorAction Stop
        if ($value) { Remove-SCCustomPropertyValue -CustomPropertyValue $value -ErrorAction Stop | Out-Null }
    }
    Set-SCCustomPropertyValue -CustomProperty (Get-SCCustomProperty -ID 'cbb2632c-510e-589a-af16-a30947d783f4' -ErrorAction Stop) -InputObject $obj -Value 'true' -ErrorAction Stop | Out-Null
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
    $obj = Get-SCCloud -ID 'fb20494c-2329-56bf-8bfa-e4ab7a7c1ad1' -ErrorAction Stop
    $current = $obj.HostGroup
    $want = @(@('a5e664a7-8523-5353-bfaf-25b3edb3cc90'))
    $have = @($current | ForEach-Object { [string]$_.ID })
    $hostGroupAdd = @($want | Where-Object { $have -notcontains $_ })
    $hostGroupRemove = @($have | Where-Object { $want -notcontains $_ })
    $current = @($obj.LogicalNetworks) + @($obj.PortClassifications)
    $want = @(@('760edcb3-6246-59f9-a27d-54ce18d5eea2', 'aef999a0-f326-5ca2-8a82-ac97b854316a'))
    $have = @($current | ForEach-Object { [string]$_.ID })
    $resourceAdd = @($want | Where-Object { $have -notcontains $_ })
    $resourceRemove = @($have | Where-Object { $want -notcontains $_ })
    $add = @($hostGroupAdd | ForEach-Object { Get-SCVMHostGroup -ID $_ -ErrorAction Stop })
    $remove = @($hostGroupRemove | ForEach-Object { Get-SCVMHostGroup -ID $_ -ErrorAction Stop })
    $addResources = @($resourceAdd | ForEach-Object { $id = $_; (Get-SCLogicalNetwork -ID $id -ErrorAction Stop), (Get-SCPortClassification -ID $id -ErrorAction Stop) | Where-Object { $_ } })
    $removeResources = @($resourceRemove | ForEach-Object { $id = $_; (Get-SCLogicalNetwork -ID $id -ErrorAction Stop), (Get-SCPortClassification -ID $id -ErrorAction Stop) | Where-Object { $_ } })
    $params = @{ Cloud = $obj; Name = 'IaaS Oslo'; Description = 'Tenant cloud for Oslo [fabric stamp=reference]'; DisasterRecoverySupported = $false }
    if ($add.Count) { $params.AddVMHostGroup = $add }
    if ($remove.Count) { $params.RemoveVMHostGroup = $remove }
    if ($addResources.Count) { $params.AddCloudResource = $addResources }
    if ($removeResources.Count) { $params.RemoveCloudResource = $removeResources }
    $obj = Set-SCCloud @params -ErrorAction Stop
    Set-SCCloudCapacity -CloudCapacity (Get-SCCloudCapacity -Cloud $obj -ErrorAction Stop) -VMCount 150 -UseVMCountMaximum $false -CPUCount 400 -UseCPUCountMaximum $false -MemoryMB 1048576 -UseMemoryMBMaximum $false -UseStorageGBMaximum $true -UseCustomQuotaCountMaximum $true -ErrorAction Stop | Out-Null
    $wantedProperties = @(@('cbb2632c-510e-589a-af16-a30947d783f4'))
    Get-SCCustomProperty -ErrorAction Stop | Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' } | Where-Object { $wantedProperties -notcontains [string]$_.ID } | ForEach-Object {
        $value = Get-SCCustomPropertyValue -CustomProperty $_ -InputObject $obj -ErrorAction Stop
        if ($value) { Remove-SCCustomPropertyValue -CustomPropertyValue $value -ErrorAction Stop | Out-Null }
    }
    Set-SCCustomPropertyValue -CustomProperty (Get-SCCustomProperty -ID 'cbb2632c-510e-589a-af16-a30947d783f4' -ErrorAction Stop) -InputObject $obj -Value 'true' -ErrorAction Stop | Out-Null
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
    $obj = Get-SCCloud -ID '7c96eab6-bb82-5891-ba5c-a233863c1d23' -ErrorAction Stop
    $current = $obj.HostGroup
    $want = @(@('dd015cfe-98ce-550f-9ede-c0635ca26f65'))
    $have = @($current | ForEach-Object { [string]$_.ID })
    $hostGroupAdd = @($want | Where-Object { $have -notcontains $_ })
    $hostGroupRemove = @($have | Where-Object { $want -notcontains $_ })
    $current = @($obj.LogicalNetworks) + @($obj.PortClassifications)
    $want = @(@('760edcb3-6246-59f9-a27d-54ce18d5eea2', 'aef999a0-f326-5ca2-8a82-ac97b854316a'))
    $have = @($current | ForEach-Object { [string]$_.ID })
    $resourceAdd = @($want | Where-Object { $have -notcontains $_ })
    $resourceRemove = @($have | Where-Object { $want -notcontains $_ })
    $add = @($hostGroupAdd | ForEach-Object { Get-SCVMHostGroup -ID $_ -ErrorAction Stop })
    $remove = @($hostGroupRemove | ForEach-Object { Get-SCVMHostGroup -ID $_ -ErrorAction Stop })
    $addResources = @($resourceAdd | ForEach-Object { $id = $_; (Get-SCLogicalNetwork -ID $id -ErrorAction Stop), (Get-SCPortClassification -ID $id -ErrorAction Stop) | Where-Object { $_ } })
    $removeResources = @($resourceRemove | ForEach-Object { $id = $_; (Get-SCLogicalNetwork -ID $id -ErrorAction Stop), (Get-SCPortClassification -ID $id -ErrorAction Stop) | Where-Object { $_ } })
    $params = @{ Cloud = $obj; Name = 'IaaS Stockholm'; Description = 'Tenant cloud for Stockholm [fabric stamp=reference]'; DisasterRecoverySupported = $false }
    if ($add.Count) { $params.AddVMHostGroup = $add }
    if ($remove.Count) { $params.RemoveVMHostGroup = $remove }
    if ($addResources.Count) { $params.AddCloudResource = $addResources }
    if ($removeResources.Count) { $params.RemoveCloudResource = $removeResources }
    $obj = Set-SCCloud @params -ErrorAction Stop
    Set-SCCloudCapacity -CloudCapacity (Get-SCCloudCapacity -Cloud $obj -ErrorAction Stop) -VMCount 150 -UseVMCountMaximum $false -CPUCount 400 -UseCPUCountMaximum $false -MemoryMB 1048576 -UseMemoryMBMaximum $false -UseStorageGBMaximum $true -UseCustomQuotaCountMaximum $true -ErrorAction Stop | Out-Null
    $wantedProperties = @(@('cbb2632c-510e-589a-af16-a30947d783f4'))
    Get-SCCustomProperty -ErrorAction Stop | Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' } | Where-Object { $wantedProperties -notcontains [string]$_.ID } | ForEach-Object {
        $value = Get-SCCustomPropertyValue -CustomProperty $_ -InputObject $obj -ErrorAction Stop
        if ($value) { Remove-SCCustomPropertyValue -CustomPropertyValue $value -ErrorAction Stop | Out-Null }
    }
    Set-SCCustomPropertyValue -CustomProperty (Get-SCCustomProperty -ID 'cbb2632c-510e-589a-af16-a30947d783f4' -ErrorAction Stop) -InputObject $obj -Value 'true' -ErrorAction Stop | Out-Null
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
    $profile = Get-SCNativeUplinkPortProfile -ID '5622ef1c-60d1-5465-9248-df64a5c30d26' -ErrorAction Stop
    if (-not (Get-SCUplinkPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { [string]$_.NativeUplinkPortProfile.ID -eq '5622ef1c-60d1-5465-9248-df64a5c30d26' })) {
        New-SCUplinkPortProfileSet -Name ($obj.Name + '_' + $profile.Name) -LogicalSwitch $obj -NativeUplinkPortProfile $profile -ErrorAction Stop | Out-Null
    }
    $wantedUplinks = @(@('5622ef1c-60d1-5465-9248-df64a5c30d26'))
    Get-SCUplinkPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { $wantedUplinks -notcontains [string]$_.NativeUplinkPortProfile.ID } | ForEach-Object { Remove-SCUplinkPortProfileSet -UplinkPortProfileSet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    $wantedClasses = @(@('f9361cbe-8bfc-5078-8547-723503a53590', '257cd705-ed5d-54ec-92d3-b0b1f6e71120', 'aef999a0-f326-5ca2-8a82-ac97b854316a'))
    Get-SCVirtualNetworkAdapterPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { $wantedClasses -notcontains [string]$_.PortClassification.ID } | ForEach-Object { Remove-SCVirtualNetworkAdapterPortProfileSet -VirtualNetworkAdapterPortProfileSet $_ -Confirm:$false -ErrorAction Stop | Out-Null }
    $class = Get-SCPortClassification -ID 'f9361cbe-8bfc-5078-8547-723503a53590' -ErrorAction Stop
    $vnic = Get-SCVirtualNetworkAdapterNativePortProfile -ID 'f32ee8a6-c4f1-50f9-8678-8e887c28bfa0' -ErrorAction Stop
    $set = Get-SCVirtualNetworkAdapterPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { [string]$_.PortClassification.ID -eq 'f9361cbe-8bfc-5078-8547-723503a53590' }
    if ($set) {
        Set-SCVirtualNetworkAdapterPortProfileSet -VirtualNetworkAdapterPortProfileSet $set -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $false -ErrorAction Stop | Out-Null
    } else {
        New-SCVirtualNetworkAdapterPortProfileSet -Name ($obj.Name + '_' + $class.Name) -LogicalSwitch $obj -PortClassification $class -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $false -ErrorAction Stop | Out-Null
    }
    $class = Get-SCPortClassification -ID '257cd705-ed5d-54ec-92d3-b0b1f6e71120' -ErrorAction Stop
    $vnic = Get-SCVirtualNetworkAdapterNativePortProfile -ID '73c1ed6c-baa0-50ea-a152-50ff6b155ce6' -ErrorAction Stop
    $set = Get-SCVirtualNetworkAdapterPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { [string]$_.PortClassification.ID -eq '257cd705-ed5d-54ec-92d3-b0b1f6e71120' }
    if ($set) {
        Set-SCVirtualNetworkAdapterPortProfileSet -VirtualNetworkAdapterPortProfileSet $set -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $false -ErrorAction Stop | Out-Null
    } else {
        New-SCVirtualNetworkAdapterPortProfileSet -Name ($obj.Name + '_' + $class.Name) -LogicalSwitch $obj -PortClassification $class -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $false -ErrorAction Stop | Out-Null
    }
    $class = Get-SCPortClassification -ID 'aef999a0-f326-5ca2-8a82-ac97b854316a' -ErrorAction Stop
    $vnic = Get-SCVirtualNetworkAdapterNativePortProfile -ID '7df4d285-a897-5dcb-a1ed-e7abfe7cbfdc' -ErrorAction Stop
    $set = Get-SCVirtualNetworkAdapterPortProfileSet -LogicalSwitch $obj -ErrorAction Stop | Where-Object { [string]$_.PortClassification.ID -eq 'aef999a0-f326-5ca2-8a82-ac97b854316a' }
    if ($set) {
        Set-SCVirtualNetworkAdapterPortProfileSet -VirtualNetworkAdapterPortProfileSet $set -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $true -ErrorAction Stop | Out-Null
    } else {
        New-SCVirtualNetworkAdapterPortProfileSet -Name ($obj.Name + '_' + $class.Name) -LogicalSwitch $obj -PortClassification $class -VirtualNetworkAdapterNativePortProfile $vnic -IsDefaultPortProfileSet $true -ErrorAction Stop | Out-Null
    }

    [pscustomobject]@{ ok = $true; id = [string]$obj.ID; name = [string]$obj.Name; address = [string]$obj.Address } | ConvertTo-Json -Compress
}
catch {
    [pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = [string]$_.CategoryInfo.Category } | ConvertTo-Json -Compress
}
}) | ConvertFrom-Json
if (-not $r.ok) { throw ('logical_switch.fabric' + ': ' + $r.error) }
$ids['logical_switch.fabric'] = $r.id
