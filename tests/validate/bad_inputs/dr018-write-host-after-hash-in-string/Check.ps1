$ErrorActionPreference = 'Stop'
$step = 'step #1'; Write-Host $step
