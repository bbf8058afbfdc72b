"""Real time beside the schedule: SuiteCRM's logic hook notifies, ``serve`` refreshes.

``signature`` (HMAC over timestamp and body), ``notification`` (the body's
changes), ``queue`` (bounded, debounced), ``worker`` (drains the queue through a
refresher), ``service`` (the WSGI application and its counters) and ``server``
(waitress, started and stopped) — the pieces of ``suitejourney serve``. Nothing
here speaks to SuiteCRM or the state database itself: the refresher it is given
(``connector.sync.refresh``) does.
"""
