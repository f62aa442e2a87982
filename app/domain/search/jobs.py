"""The periodic refresh of the statistics roll-up (PostgreSQL; nothing to do on SQLite): it
recounts only the visit days changed since the last refresh, so it runs every minute."""

from app.core.jobs import periodic

#: Seconds between refreshes; STATS_MAX_AGE (default 900) is the age at which a page refreshes
#: the roll-up itself, for when no worker runs.
EVERY = 60


@periodic("stats-refresh", every=EVERY)
def refresh_stats():
    """Bring the roll-up up to date; returns whether this run did it."""
    from app.domain.search import stats

    return {"refreshed": stats.refresh()}
