"""Fixtures for the authority's portal: an act sent by post ten days ago, its raw link token."""

from datetime import timedelta

import pytest

from app.core.clock import today

SENT_ON = today() - timedelta(days=10)


@pytest.fixture
def sent_act(db, make_act, send_act, run_jobs):
    """The three issued recommendations in a submission sent by post ten days ago (registered
    that day); the letters job has made its final documents and with them the answer link."""
    act = send_act(make_act(), sent_on=SENT_ON)
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready", act.documents_error
    return act


@pytest.fixture
def token(db, sent_act):
    """The raw token of the act's link (made when its final letter was rendered)."""
    from app.domain.portal import links

    link = links.open_link(sent_act)
    assert link is not None, "sending by post makes the act's answer link"
    return links.token_of(link)
