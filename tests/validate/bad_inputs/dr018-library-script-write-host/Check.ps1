# Write-Host in a comment is fine
$ErrorActionPreference = 'Stop'
if (Test-Path C:\) { Write-Host 'ok' }
