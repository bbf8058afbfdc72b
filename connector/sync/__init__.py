"""The sync: pull from SuiteCRM, classify into journeys, and the run around them."""
