"""The sandbox's fixed demo credentials.

The sandbox is a local test server on 127.0.0.1; these values are meant to be
printed and typed. Never reuse them for a real SuiteCRM.
"""

from __future__ import annotations

SANDBOX_CLIENT_ID = "3f9c1a52-7d4e-4b8a-9c61-2e5f8a0b7d13"
SANDBOX_CLIENT_SECRET = "sandbox-client-secret"
SANDBOX_PASSWORD_CLIENT_ID = "8b2e6d41-0c3f-4a95-b7e8-5d1a9f4c6e20"
SANDBOX_PASSWORD_CLIENT_SECRET = "sandbox-password-client-secret"
SANDBOX_USERNAME = "admin"
SANDBOX_PASSWORD = "sandbox-admin-password"
