$ErrorActionPreference = 'Stop'
Test-Path C:\ | Out-Null
