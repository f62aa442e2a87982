"""Fixtures for answers: an act sent ten days ago, real files (PDF, DOCX, PNG, JPEG, TIFF)."""

import pytest
from resp_support import SENT_ON

import app.api.responses  # noqa: F401  (registers /api/v1/…/responses before the app is built)
import app.domain as _domain
import app.domain.responses.models  # noqa: F401  (the metadata knows the tables)


def _register_response_pages():
    """Register the answer pages where app.domain does not yet (a no-op once it does)."""
    original = _domain.register_blueprints
    if getattr(original, "with_responses", False):
        return

    def register(app):
        original(app)
        if "responses" not in app.blueprints:
            from app.domain.responses.routes import bp

            app.register_blueprint(bp)

    register.with_responses = True
    _domain.register_blueprints = register


_register_response_pages()


@pytest.fixture
def send_act(db, users, run_jobs):
    """Generate an act's documents on a real worker and send it by post on ``sent_on``."""
    from app.core import clock
    from app.domain.acts.operations import fire

    def send(act, sent_on=SENT_ON):
        fire(act, "generate", users["lawyer"])
        db.session.commit()
        run_jobs()
        db.session.refresh(act)
        assert act.documents_status == "ready", act.documents_error
        with clock.pinned(sent_on):  # registered that day: the date of the number
            fire(act, "send", users["lawyer"], {"channel": "post", "sent_on": sent_on})
            db.session.commit()
        return act

    return send


@pytest.fixture
def sent_act(make_act, send_act):
    """The three issued recommendations in a submission sent ten days ago."""
    return send_act(make_act())
