# Recovery-plan smoke test: the tenant portal answers at the DR site. VMM runs this as its
# service account; any output on the error stream (or Write-Host) fails the step, so it logs to
# a file and throws on failure.
$ErrorActionPreference = 'Stop'
$log = Join-Path $env:TEMP 'fabric-smoke-test.log'
try {
    $response = Invoke-WebRequest -Uri 'https://wapten01.fabric.local:30081' -UseBasicParsing -TimeoutSec 60
    if ($response.StatusCode -ne 200) { throw "tenant portal answered $($response.StatusCode)" }
    Add-Content -Path $log -Value "$(Get-Date -Format o) tenant portal ok"
} catch {
    Add-Content -Path $log -Value "$(Get-Date -Format o) FAILED: $_"
    throw
}
