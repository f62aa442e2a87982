"""Users, roles, login and API tokens."""

ROLES = ("admin", "lawyer", "monitor")
