"""Monitoring visits to facilities and their teams."""
