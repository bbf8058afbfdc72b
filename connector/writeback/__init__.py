"""Write-back: journeys into SuiteCRM as CJ_Journeys and CJ_Touchpoints records, minimal and idempotent."""
