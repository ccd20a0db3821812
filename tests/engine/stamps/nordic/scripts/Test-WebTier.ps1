# Smoke test for the Bergen web tier after failover. Logs to a file, throws on failure.
$ErrorActionPreference = 'Stop'
$log = Join-Path $env:TEMP 'nordic-webtier.log'
foreach ($u in @('http://bgo-web01', 'http://bgo-web02')) {
    $r = Invoke-WebRequest -Uri $u -UseBasicParsing -TimeoutSec 30
    if ($r.StatusCode -ne 200) { throw "$u answered $($r.StatusCode)" }
    Add-Content -Path $log -Value "$(Get-Date -Format o) $u ok"
}
