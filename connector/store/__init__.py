"""The state database: SQLAlchemy models, queries and migrations (SQLite default, MySQL/MariaDB)."""
