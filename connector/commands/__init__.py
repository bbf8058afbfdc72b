"""The ``suitejourney`` commands, grouped by what they do; ``connector.cli`` assembles them."""
