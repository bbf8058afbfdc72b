"""SuiteCRM Customer Journey: the connector package (console script ``suitejourney``)."""

from __future__ import annotations

__version__ = "0.1.0"
