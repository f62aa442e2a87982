"""Fixtures for the authority's portal: an act sent by post ten days ago, its raw link token."""

from datetime import timedelta

import pytest

from app.core.clock import today

SENT_ON = today() - timedelta(days=10)


@pytest.fixture
def sent_act(db, users, make_act, run_jobs):
    """The three issued recommendations in a submission sent by post ten days ago."""
    from app.domain.acts.operations import fire

    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready", act.documents_error
    fire(act, "send", users["lawyer"], {"channel": "post", "sent_on": SENT_ON})
    db.session.commit()
    return act


@pytest.fixture
def token(db, sent_act):
    """The raw token of the act's link (made when its letter was rendered at sending)."""
    from app.domain.portal import links

    link = links.open_link(sent_act)
    assert link is not None, "sending by post makes the act's answer link"
    return links.token_of(link)
