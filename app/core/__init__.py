"""Plumbing with no domain words: Redis, jobs, storage, clock, security, templates."""
