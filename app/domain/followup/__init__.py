"""Where every recommendation stands: home pages, the facility's timeline, the follow-up
checklist for the next visit ("visit – change")."""
