$ErrorActionPreference = 'Stop'
$note = 'Write-Host in a string is data, not a command'
[System.Console]::Error.WriteLine('failed')
Wr`ite-Host 'escaped'
Write-Error 'also the error stream'
