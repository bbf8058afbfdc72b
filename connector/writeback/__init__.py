"""Write-back: journeys into SuiteCRM as CJ records, minimal and idempotent."""
