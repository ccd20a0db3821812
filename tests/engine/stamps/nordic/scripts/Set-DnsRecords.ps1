param([string]$Zone = 'nordic.local')
$ErrorActionPreference = 'Stop'
Write-Output "updating $Zone"
Write-Verbose 'done'
