"""The periodic refresh of the statistics roll-up (PostgreSQL; nothing to do on SQLite)."""

from app.core.jobs import periodic

#: Seconds between refreshes; STATS_MAX_AGE (default 900) is the age at which a page refreshes
#: the roll-up itself, for when no worker runs.
EVERY = 300


@periodic("stats-refresh", every=EVERY)
def refresh_stats():
    """Refresh stats_recommendation_days; returns whether this run did it."""
    from app.domain.search import stats

    return {"refreshed": stats.refresh()}
