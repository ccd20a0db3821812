$ErrorActionPreference = 'Stop'
<# say hello #> Write-Host 'hello'
<#
  a block comment
#> [Console]::Error.WriteLine('bye')
