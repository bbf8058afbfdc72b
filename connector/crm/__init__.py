"""Everything that speaks to SuiteCRM (V8 JSON:API and REST v4_1); nothing about journeys."""
