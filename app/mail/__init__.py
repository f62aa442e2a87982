"""E-mail: the outbox table, the SMTP sending job and its dispatcher (see docs/mail.md)."""
