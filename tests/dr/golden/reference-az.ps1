# fabric: the disaster-recovery design of stamp reference for an existing Site Recovery vault.
# It creates what the vault lacks, in dependency order, and changes nothing that exists but the
# recovery plans, which it writes whole and reads back. Review, then run with the Az modules:
#   ./dr.ps1 -VaultName NAME -ResourceGroupName GROUP -FabricName VMM-SERVER
#   policy          Hyper-V Replica 5 min
#   cloud pairing   IaaS Oslo to DR Stockholm
#   cloud pairing   IaaS Stockholm to DR Copenhagen
#   cloud pairing   IaaS Copenhagen to DR Oslo
#   cloud pairing   Fabric Management Oslo to DR Stockholm
#   network mapping Tenants Oslo to Stockholm
#   network mapping Tenants Stockholm to Copenhagen
#   network mapping Tenants Copenhagen to Oslo
#   protect         SQLWAP01
#   protect         SPF01
#   protect         SMA01
#   protect         WAPADM01
#   protect         WAPTEN01
#   protect         OSLO-APP01
#   protect         STOCKHOLM-APP01
#   protect         COPENHAGEN-APP01
#   recovery plan   management-stamp
#   recovery plan   apps-oslo
#   recovery plan   apps-stockholm
#   recovery plan   apps-copenhagen
# The recovery plans run these scripts from the VMM library share; place them there first:
#   \RPScripts\fabric\Test-WapPortal.ps1  (scripts/Test-WapPortal.ps1)
#   \RPScripts\fabric\Prepare-ReplicaNetwork-management-stamp.ps1  (fabric's prepare_replica_network: fabric dr render --format hyperv-ps writes it under library/)
param(
    [Parameter(Mandatory = $true)][string]$VaultName,
    [Parameter(Mandatory = $true)][string]$ResourceGroupName,
    [Parameter(Mandatory = $true)][string]$FabricName
)
$ErrorActionPreference = 'Stop'
Import-Module Az.RecoveryServices

function Wait-FabricAsrJob($job) {
    while ($job.State -eq 'NotStarted' -or $job.State -eq 'InProgress') {
        Start-Sleep -Seconds 15
        $job = Get-AzRecoveryServicesAsrJob -Job $job
    }
    if ($job.State -ne 'Succeeded') { throw ('Site Recovery job ' + $job.Name + ' ended ' + $job.State) }
}

$vault = Get-AzRecoveryServicesVault -Name $VaultName -ResourceGroupName $ResourceGroupName
Set-AzRecoveryServicesAsrVaultContext -Vault $vault | Out-Null
$fabric = Get-AzRecoveryServicesAsrFabric -FriendlyName $FabricName

# policy Hyper-V Replica 5 min
$policy0 = Get-AzRecoveryServicesAsrPolicy -Name 'Hyper-V Replica 5 min' -ErrorAction SilentlyContinue
if ($null -eq $policy0) {
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrPolicy -VmmToVmm -Name 'Hyper-V Replica 5 min' -ReplicationProvider 'HyperVReplica2012R2' -ReplicationFrequencyInSeconds '300' -NumberOfRecoveryPointsToRetain 24 -ApplicationConsistentSnapshotFrequencyInHours 4 -Authentication 'Certificate' -ReplicationPort 8084 -ReplicationMethod 'Online' -Compression 'Disable' -ReplicaDeletion 'NotRequired')
    $policy0 = Get-AzRecoveryServicesAsrPolicy -Name 'Hyper-V Replica 5 min'
}

$container0 = Get-AzRecoveryServicesAsrProtectionContainer -Fabric $fabric -FriendlyName 'DR Copenhagen'
$container1 = Get-AzRecoveryServicesAsrProtectionContainer -Fabric $fabric -FriendlyName 'DR Oslo'
$container2 = Get-AzRecoveryServicesAsrProtectionContainer -Fabric $fabric -FriendlyName 'DR Stockholm'
$container3 = Get-AzRecoveryServicesAsrProtectionContainer -Fabric $fabric -FriendlyName 'IaaS Copenhagen'
$container4 = Get-AzRecoveryServicesAsrProtectionContainer -Fabric $fabric -FriendlyName 'IaaS Oslo'
$container5 = Get-AzRecoveryServicesAsrProtectionContainer -Fabric $fabric -FriendlyName 'IaaS Stockholm'
$container6 = Get-AzRecoveryServicesAsrProtectionContainer -Fabric $fabric -FriendlyName 'Fabric Management Oslo'

# cloud pairing IaaS Oslo to DR Stockholm
$pairing0 = Get-AzRecoveryServicesAsrProtectionContainerMapping -ProtectionContainer $container4 -Name 'IaaS Oslo to DR Stockholm' -ErrorAction SilentlyContinue
if ($null -eq $pairing0) {
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrProtectionContainerMapping -Name 'IaaS Oslo to DR Stockholm' -Policy $policy0 -PrimaryProtectionContainer $container4 -RecoveryProtectionContainer $container2)
    $pairing0 = Get-AzRecoveryServicesAsrProtectionContainerMapping -ProtectionContainer $container4 -Name 'IaaS Oslo to DR Stockholm'
}

# cloud pairing IaaS Stockholm to DR Copenhagen
$pairing1 = Get-AzRecoveryServicesAsrProtectionContainerMapping -ProtectionContainer $container5 -Name 'IaaS Stockholm to DR Copenhagen' -ErrorAction SilentlyContinue
if ($null -eq $pairing1) {
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrProtectionContainerMapping -Name 'IaaS Stockholm to DR Copenhagen' -Policy $policy0 -PrimaryProtectionContainer $container5 -RecoveryProtectionContainer $container0)
    $pairing1 = Get-AzRecoveryServicesAsrProtectionContainerMapping -ProtectionContainer $container5 -Name 'IaaS Stockholm to DR Copenhagen'
}

# cloud pairing IaaS Copenhagen to DR Oslo
$pairing2 = Get-AzRecoveryServicesAsrProtectionContainerMapping -ProtectionContainer $container3 -Name 'IaaS Copenhagen to DR Oslo' -ErrorAction SilentlyContinue
if ($null -eq $pairing2) {
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrProtectionContainerMapping -Name 'IaaS Copenhagen to DR Oslo' -Policy $policy0 -PrimaryProtectionContainer $container3 -RecoveryProtectionContainer $container1)
    $pairing2 = Get-AzRecoveryServicesAsrProtectionContainerMapping -ProtectionContainer $container3 -Name 'IaaS Copenhagen to DR Oslo'
}

# cloud pairing Fabric Management Oslo to DR Stockholm
$pairing3 = Get-AzRecoveryServicesAsrProtectionContainerMapping -ProtectionContainer $container6 -Name 'Fabric Management Oslo to DR Stockholm' -ErrorAction SilentlyContinue
if ($null -eq $pairing3) {
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrProtectionContainerMapping -Name 'Fabric Management Oslo to DR Stockholm' -Policy $policy0 -PrimaryProtectionContainer $container6 -RecoveryProtectionContainer $container2)
    $pairing3 = Get-AzRecoveryServicesAsrProtectionContainerMapping -ProtectionContainer $container6 -Name 'Fabric Management Oslo to DR Stockholm'
}

$network0 = Get-AzRecoveryServicesAsrNetwork -Fabric $fabric -FriendlyName 'Tenants Copenhagen'
$network1 = Get-AzRecoveryServicesAsrNetwork -Fabric $fabric -FriendlyName 'Tenants Oslo'
$network2 = Get-AzRecoveryServicesAsrNetwork -Fabric $fabric -FriendlyName 'Tenants Stockholm'

# network mapping Tenants Oslo to Stockholm
if ($null -eq (Get-AzRecoveryServicesAsrNetworkMapping -Network $network1 -Name 'Tenants Oslo to Stockholm' -ErrorAction SilentlyContinue)) {
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrNetworkMapping -Name 'Tenants Oslo to Stockholm' -PrimaryNetwork $network1 -RecoveryNetwork $network2)
}

# network mapping Tenants Stockholm to Copenhagen
if ($null -eq (Get-AzRecoveryServicesAsrNetworkMapping -Network $network2 -Name 'Tenants Stockholm to Copenhagen' -ErrorAction SilentlyContinue)) {
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrNetworkMapping -Name 'Tenants Stockholm to Copenhagen' -PrimaryNetwork $network2 -RecoveryNetwork $network0)
}

# network mapping Tenants Copenhagen to Oslo
if ($null -eq (Get-AzRecoveryServicesAsrNetworkMapping -Network $network0 -Name 'Tenants Copenhagen to Oslo' -ErrorAction SilentlyContinue)) {
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrNetworkMapping -Name 'Tenants Copenhagen to Oslo' -PrimaryNetwork $network0 -RecoveryNetwork $network1)
}

# protect SQLWAP01
$item0 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container6 -FriendlyName 'SQLWAP01' -ErrorAction SilentlyContinue
if ($null -eq $item0) {
    $protectable = Get-AzRecoveryServicesAsrProtectableItem -ProtectionContainer $container6 -FriendlyName 'SQLWAP01'
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrReplicationProtectedItem -VmmToVmm -ProtectableItem $protectable -Name 'SQLWAP01' -ProtectionContainerMapping $pairing3)
    $item0 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container6 -FriendlyName 'SQLWAP01'
}

# protect SPF01
$item1 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container6 -FriendlyName 'SPF01' -ErrorAction SilentlyContinue
if ($null -eq $item1) {
    $protectable = Get-AzRecoveryServicesAsrProtectableItem -ProtectionContainer $container6 -FriendlyName 'SPF01'
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrReplicationProtectedItem -VmmToVmm -ProtectableItem $protectable -Name 'SPF01' -ProtectionContainerMapping $pairing3)
    $item1 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container6 -FriendlyName 'SPF01'
}

# protect SMA01
$item2 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container6 -FriendlyName 'SMA01' -ErrorAction SilentlyContinue
if ($null -eq $item2) {
    $protectable = Get-AzRecoveryServicesAsrProtectableItem -ProtectionContainer $container6 -FriendlyName 'SMA01'
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrReplicationProtectedItem -VmmToVmm -ProtectableItem $protectable -Name 'SMA01' -ProtectionContainerMapping $pairing3)
    $item2 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container6 -FriendlyName 'SMA01'
}

# protect WAPADM01
$item3 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container6 -FriendlyName 'WAPADM01' -ErrorAction SilentlyContinue
if ($null -eq $item3) {
    $protectable = Get-AzRecoveryServicesAsrProtectableItem -ProtectionContainer $container6 -FriendlyName 'WAPADM01'
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrReplicationProtectedItem -VmmToVmm -ProtectableItem $protectable -Name 'WAPADM01' -ProtectionContainerMapping $pairing3)
    $item3 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container6 -FriendlyName 'WAPADM01'
}

# protect WAPTEN01
$item4 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container6 -FriendlyName 'WAPTEN01' -ErrorAction SilentlyContinue
if ($null -eq $item4) {
    $protectable = Get-AzRecoveryServicesAsrProtectableItem -ProtectionContainer $container6 -FriendlyName 'WAPTEN01'
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrReplicationProtectedItem -VmmToVmm -ProtectableItem $protectable -Name 'WAPTEN01' -ProtectionContainerMapping $pairing3)
    $item4 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container6 -FriendlyName 'WAPTEN01'
}

# protect OSLO-APP01
$item5 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container4 -FriendlyName 'OSLO-APP01' -ErrorAction SilentlyContinue
if ($null -eq $item5) {
    $protectable = Get-AzRecoveryServicesAsrProtectableItem -ProtectionContainer $container4 -FriendlyName 'OSLO-APP01'
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrReplicationProtectedItem -VmmToVmm -ProtectableItem $protectable -Name 'OSLO-APP01' -ProtectionContainerMapping $pairing0)
    $item5 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container4 -FriendlyName 'OSLO-APP01'
}

# protect STOCKHOLM-APP01
$item6 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container5 -FriendlyName 'STOCKHOLM-APP01' -ErrorAction SilentlyContinue
if ($null -eq $item6) {
    $protectable = Get-AzRecoveryServicesAsrProtectableItem -ProtectionContainer $container5 -FriendlyName 'STOCKHOLM-APP01'
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrReplicationProtectedItem -VmmToVmm -ProtectableItem $protectable -Name 'STOCKHOLM-APP01' -ProtectionContainerMapping $pairing1)
    $item6 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container5 -FriendlyName 'STOCKHOLM-APP01'
}

# protect COPENHAGEN-APP01
$item7 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container3 -FriendlyName 'COPENHAGEN-APP01' -ErrorAction SilentlyContinue
if ($null -eq $item7) {
    $protectable = Get-AzRecoveryServicesAsrProtectableItem -ProtectionContainer $container3 -FriendlyName 'COPENHAGEN-APP01'
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrReplicationProtectedItem -VmmToVmm -ProtectableItem $protectable -Name 'COPENHAGEN-APP01' -ProtectionContainerMapping $pairing2)
    $item7 = Get-AzRecoveryServicesAsrReplicationProtectedItem -ProtectionContainer $container3 -FriendlyName 'COPENHAGEN-APP01'
}

# recovery plan management-stamp: written whole, then read back
$json = @'
{
  "name": "management-stamp",
  "properties": {
    "friendlyName": "management-stamp",
    "primaryFabricId": "<vault>/replicationFabrics/<VMM server>",
    "recoveryFabricId": "<vault>/replicationFabrics/<VMM server>",
    "failoverDeploymentModel": "NotApplicable",
    "groups": [
      {
        "groupType": "Shutdown",
        "replicationProtectedItems": [],
        "startGroupActions": [
          {
            "actionName": "prepare-replica-network",
            "failoverTypes": [
              "PlannedFailover",
              "TestFailover",
              "UnplannedFailover"
            ],
            "failoverDirections": [
              "PrimaryToRecovery"
            ],
            "customDetails": {
              "instanceType": "ScriptActionDetails",
              "path": "\\RPScripts\\fabric\\Prepare-ReplicaNetwork-management-stamp.ps1",
              "fabricLocation": "Recovery",
              "timeout": "PT600S"
            }
          }
        ],
        "endGroupActions": []
      },
      {
        "groupType": "Failover",
        "replicationProtectedItems": [],
        "startGroupActions": [],
        "endGroupActions": []
      },
      {
        "groupType": "Boot",
        "replicationProtectedItems": [
          {
            "id": "<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of Fabric Management Oslo>/replicationProtectedItems/SQLWAP01",
            "virtualMachineId": "<vmId of SQLWAP01>"
          }
        ],
        "startGroupActions": [
          {
            "actionName": "sql-ag-primary-at-dr",
            "failoverTypes": [
              "PlannedFailover",
              "UnplannedFailover"
            ],
            "failoverDirections": [
              "PrimaryToRecovery"
            ],
            "customDetails": {
              "instanceType": "ManualActionDetails",
              "description": "Fail the System Center SQL availability group over to the DR-site replica (SQL02) and check that VMM01 runs in Stockholm; then resume."
            }
          }
        ],
        "endGroupActions": []
      },
      {
        "groupType": "Boot",
        "replicationProtectedItems": [
          {
            "id": "<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of Fabric Management Oslo>/replicationProtectedItems/SPF01",
            "virtualMachineId": "<vmId of SPF01>"
          },
          {
            "id": "<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of Fabric Management Oslo>/replicationProtectedItems/SMA01",
            "virtualMachineId": "<vmId of SMA01>"
          }
        ],
        "startGroupActions": [],
        "endGroupActions": []
      },
      {
        "groupType": "Boot",
        "replicationProtectedItems": [
          {
            "id": "<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of Fabric Management Oslo>/replicationProtectedItems/WAPADM01",
            "virtualMachineId": "<vmId of WAPADM01>"
          }
        ],
        "startGroupActions": [],
        "endGroupActions": []
      },
      {
        "groupType": "Boot",
        "replicationProtectedItems": [
          {
            "id": "<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of Fabric Management Oslo>/replicationProtectedItems/WAPTEN01",
            "virtualMachineId": "<vmId of WAPTEN01>"
          }
        ],
        "startGroupActions": [],
        "endGroupActions": [
          {
            "actionName": "smoke-test",
            "failoverTypes": [
              "PlannedFailover",
              "TestFailover",
              "UnplannedFailover"
            ],
            "failoverDirections": [
              "PrimaryToRecovery"
            ],
            "customDetails": {
              "instanceType": "ScriptActionDetails",
              "path": "\\RPScripts\\fabric\\Test-WapPortal.ps1",
              "fabricLocation": "Recovery",
              "timeout": "PT300S"
            }
          }
        ]
      }
    ]
  }
}
'@
$json = $json.Replace('<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of Fabric Management Oslo>/replicationProtectedItems/SQLWAP01', [string]$item0.ID)
$json = $json.Replace('<vmId of SQLWAP01>', [string]$item0.ProviderSpecificDetails.VmId)
$json = $json.Replace('<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of Fabric Management Oslo>/replicationProtectedItems/SPF01', [string]$item1.ID)
$json = $json.Replace('<vmId of SPF01>', [string]$item1.ProviderSpecificDetails.VmId)
$json = $json.Replace('<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of Fabric Management Oslo>/replicationProtectedItems/SMA01', [string]$item2.ID)
$json = $json.Replace('<vmId of SMA01>', [string]$item2.ProviderSpecificDetails.VmId)
$json = $json.Replace('<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of Fabric Management Oslo>/replicationProtectedItems/WAPADM01', [string]$item3.ID)
$json = $json.Replace('<vmId of WAPADM01>', [string]$item3.ProviderSpecificDetails.VmId)
$json = $json.Replace('<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of Fabric Management Oslo>/replicationProtectedItems/WAPTEN01', [string]$item4.ID)
$json = $json.Replace('<vmId of WAPTEN01>', [string]$item4.ProviderSpecificDetails.VmId)
$json = $json.Replace('<vault>/replicationFabrics/<VMM server>', [string]$fabric.ID)
$path = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'fabric-plan0.json')
[System.IO.File]::WriteAllText($path, $json)
if ($null -eq (Get-AzRecoveryServicesAsrRecoveryPlan -Name 'management-stamp' -ErrorAction SilentlyContinue)) {
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrRecoveryPlan -Path $path)
} else {
    Wait-FabricAsrJob (Update-AzRecoveryServicesAsrRecoveryPlan -Path $path)
}
$back = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'fabric-plan0-read.json')
Get-AzRecoveryServicesAsrRecoveryPlan -Name 'management-stamp' -Path $back | Out-Null
$read = [System.IO.File]::ReadAllText($back) | ConvertFrom-Json
foreach ($group in $read.properties.groups) {
    foreach ($action in @($group.startGroupActions) + @($group.endGroupActions)) {
        if ($null -ne $action -and @($action.failoverTypes).Count -eq 0) {
            throw ('management-stamp' + ': action ' + $action.actionName + ' lost its failover types')
        }
    }
}

# recovery plan apps-oslo: written whole, then read back
$json = @'
{
  "name": "apps-oslo",
  "properties": {
    "friendlyName": "apps-oslo",
    "primaryFabricId": "<vault>/replicationFabrics/<VMM server>",
    "recoveryFabricId": "<vault>/replicationFabrics/<VMM server>",
    "failoverDeploymentModel": "NotApplicable",
    "groups": [
      {
        "groupType": "Shutdown",
        "replicationProtectedItems": [],
        "startGroupActions": [],
        "endGroupActions": []
      },
      {
        "groupType": "Failover",
        "replicationProtectedItems": [],
        "startGroupActions": [],
        "endGroupActions": []
      },
      {
        "groupType": "Boot",
        "replicationProtectedItems": [
          {
            "id": "<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of IaaS Oslo>/replicationProtectedItems/OSLO-APP01",
            "virtualMachineId": "<vmId of OSLO-APP01>"
          }
        ],
        "startGroupActions": [],
        "endGroupActions": []
      }
    ]
  }
}
'@
$json = $json.Replace('<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of IaaS Oslo>/replicationProtectedItems/OSLO-APP01', [string]$item5.ID)
$json = $json.Replace('<vmId of OSLO-APP01>', [string]$item5.ProviderSpecificDetails.VmId)
$json = $json.Replace('<vault>/replicationFabrics/<VMM server>', [string]$fabric.ID)
$path = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'fabric-plan1.json')
[System.IO.File]::WriteAllText($path, $json)
if ($null -eq (Get-AzRecoveryServicesAsrRecoveryPlan -Name 'apps-oslo' -ErrorAction SilentlyContinue)) {
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrRecoveryPlan -Path $path)
} else {
    Wait-FabricAsrJob (Update-AzRecoveryServicesAsrRecoveryPlan -Path $path)
}
$back = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'fabric-plan1-read.json')
Get-AzRecoveryServicesAsrRecoveryPlan -Name 'apps-oslo' -Path $back | Out-Null
$read = [System.IO.File]::ReadAllText($back) | ConvertFrom-Json
foreach ($group in $read.properties.groups) {
    foreach ($action in @($group.startGroupActions) + @($group.endGroupActions)) {
        if ($null -ne $action -and @($action.failoverTypes).Count -eq 0) {
            throw ('apps-oslo' + ': action ' + $action.actionName + ' lost its failover types')
        }
    }
}

# recovery plan apps-stockholm: written whole, then read back
$json = @'
{
  "name": "apps-stockholm",
  "properties": {
    "friendlyName": "apps-stockholm",
    "primaryFabricId": "<vault>/replicationFabrics/<VMM server>",
    "recoveryFabricId": "<vault>/replicationFabrics/<VMM server>",
    "failoverDeploymentModel": "NotApplicable",
    "groups": [
      {
        "groupType": "Shutdown",
        "replicationProtectedItems": [],
        "startGroupActions": [],
        "endGroupActions": []
      },
      {
        "groupType": "Failover",
        "replicationProtectedItems": [],
        "startGroupActions": [],
        "endGroupActions": []
      },
      {
        "groupType": "Boot",
        "replicationProtectedItems": [
          {
            "id": "<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of IaaS Stockholm>/replicationProtectedItems/STOCKHOLM-APP01",
            "virtualMachineId": "<vmId of STOCKHOLM-APP01>"
          }
        ],
        "startGroupActions": [],
        "endGroupActions": []
      }
    ]
  }
}
'@
$json = $json.Replace('<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of IaaS Stockholm>/replicationProtectedItems/STOCKHOLM-APP01', [string]$item6.ID)
$json = $json.Replace('<vmId of STOCKHOLM-APP01>', [string]$item6.ProviderSpecificDetails.VmId)
$json = $json.Replace('<vault>/replicationFabrics/<VMM server>', [string]$fabric.ID)
$path = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'fabric-plan2.json')
[System.IO.File]::WriteAllText($path, $json)
if ($null -eq (Get-AzRecoveryServicesAsrRecoveryPlan -Name 'apps-stockholm' -ErrorAction SilentlyContinue)) {
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrRecoveryPlan -Path $path)
} else {
    Wait-FabricAsrJob (Update-AzRecoveryServicesAsrRecoveryPlan -Path $path)
}
$back = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'fabric-plan2-read.json')
Get-AzRecoveryServicesAsrRecoveryPlan -Name 'apps-stockholm' -Path $back | Out-Null
$read = [System.IO.File]::ReadAllText($back) | ConvertFrom-Json
foreach ($group in $read.properties.groups) {
    foreach ($action in @($group.startGroupActions) + @($group.endGroupActions)) {
        if ($null -ne $action -and @($action.failoverTypes).Count -eq 0) {
            throw ('apps-stockholm' + ': action ' + $action.actionName + ' lost its failover types')
        }
    }
}

# recovery plan apps-copenhagen: written whole, then read back
$json = @'
{
  "name": "apps-copenhagen",
  "properties": {
    "friendlyName": "apps-copenhagen",
    "primaryFabricId": "<vault>/replicationFabrics/<VMM server>",
    "recoveryFabricId": "<vault>/replicationFabrics/<VMM server>",
    "failoverDeploymentModel": "NotApplicable",
    "groups": [
      {
        "groupType": "Shutdown",
        "replicationProtectedItems": [],
        "startGroupActions": [],
        "endGroupActions": []
      },
      {
        "groupType": "Failover",
        "replicationProtectedItems": [],
        "startGroupActions": [],
        "endGroupActions": []
      },
      {
        "groupType": "Boot",
        "replicationProtectedItems": [
          {
            "id": "<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of IaaS Copenhagen>/replicationProtectedItems/COPENHAGEN-APP01",
            "virtualMachineId": "<vmId of COPENHAGEN-APP01>"
          }
        ],
        "startGroupActions": [],
        "endGroupActions": []
      }
    ]
  }
}
'@
$json = $json.Replace('<vault>/replicationFabrics/<VMM server>/replicationProtectionContainers/<container of IaaS Copenhagen>/replicationProtectedItems/COPENHAGEN-APP01', [string]$item7.ID)
$json = $json.Replace('<vmId of COPENHAGEN-APP01>', [string]$item7.ProviderSpecificDetails.VmId)
$json = $json.Replace('<vault>/replicationFabrics/<VMM server>', [string]$fabric.ID)
$path = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'fabric-plan3.json')
[System.IO.File]::WriteAllText($path, $json)
if ($null -eq (Get-AzRecoveryServicesAsrRecoveryPlan -Name 'apps-copenhagen' -ErrorAction SilentlyContinue)) {
    Wait-FabricAsrJob (New-AzRecoveryServicesAsrRecoveryPlan -Path $path)
} else {
    Wait-FabricAsrJob (Update-AzRecoveryServicesAsrRecoveryPlan -Path $path)
}
$back = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'fabric-plan3-read.json')
Get-AzRecoveryServicesAsrRecoveryPlan -Name 'apps-copenhagen' -Path $back | Out-Null
$read = [System.IO.File]::ReadAllText($back) | ConvertFrom-Json
foreach ($group in $read.properties.groups) {
    foreach ($action in @($group.startGroupActions) + @($group.endGroupActions)) {
        if ($null -ne $action -and @($action.failoverTypes).Count -eq 0) {
            throw ('apps-copenhagen' + ': action ' + $action.actionName + ' lost its failover types')
        }
    }
}

Write-Output 'fabric: the Site Recovery design is in place'
