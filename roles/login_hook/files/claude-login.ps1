# claude-login.ps1: run `claude login`, then tell the EDA listener (claudeops.credentials.login_signal) that this
# workstation has a new session. Only {"host": "<inventory name>"} is sent, never the session. Installed by the role
# claudeops.credentials.login_hook with login-signal.json and login-signal.token beside it, readable by this user only.
# It cannot run where the collection is tested (no PowerShell there): tests/integration/targets/event_driven sends,
# from Python, the request this script is written to send (by hand, not captured from Windows), and
# tests/tools/ps1_check.py checks its syntax as far as a tokenizer can. Keep the request part of it as it is.
& claude login @args
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
$conf = Get-Content -Raw -Path (Join-Path $PSScriptRoot 'login-signal.json') | ConvertFrom-Json
$token = (Get-Content -Raw -Path $conf.token_file).Trim()
$body = @{ host = $conf.host } | ConvertTo-Json -Compress
try {
    Invoke-RestMethod -Method Post -Uri $conf.url -Headers @{ Authorization = "Bearer $token" } `
        -ContentType 'application/json' -Body $body -TimeoutSec 10 | Out-Null
    Write-Output "claude-login: signalled $($conf.url) for $($conf.host)"
} catch {
    Write-Warning "claude-login: the login signal was not delivered; the scheduled capture will publish the session"
}
