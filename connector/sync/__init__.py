"""The sync: pull from SuiteCRM, classify into journeys, the run that ties them (cursors, deletions, the lock)."""
