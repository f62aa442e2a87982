"""One table over every endpoint and form, generated against ``app.url_map``: wrong types, huge
numbers, NUL bytes, nested JSON, empty bodies, repeats → a 4xx (the JSON error shape on the API,
an HTML page in Ukrainian on pages), never a 500, and nothing written.

A new route without a row here fails ``test_the_table_covers_every_route``. A row names the
role that calls it, real values for the path (``args``) and, for writes, a VALID body: each case
spoils one value of it, so a case that is not refused would write, and the test says so.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD

HUGE = 10**20
#: The smallest PNG (one transparent pixel): an attachment the content check accepts.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
HUGE_TEXT = "1" + "0" * 20
#: Routes that serve files of the packages, not the application's.
STATIC = {"static", "core.static", "bootstrap.static", "portal.static", "lists.static"}
#: Query values every GET gets, one at a time (a NUL byte must be 400; the rest never 500).
QUERY_CASES = [
    {"page": HUGE_TEXT},
    {"per_page": HUGE_TEXT},
    {"page": "-1"},
    {"page": "abc"},
    {"q": "вода\x00"},
    {"state": "\x00"},
    *(
        {name: HUGE_TEXT}
        for name in (
            "id",
            "authority_id",
            "facility_id",
            "visit_id",
            "monitor_id",
            "parent_id",
            "lawyer_id",
            "within",
            "days",
            "year",
        )
    ),
    {"from": "garbage", "to": "2026-13-45"},
    {"visit_from": "0000-00-00"},
    {"day": "garbage"},
    {"format": "exe"},
    {"group_by": "\u202e"},
    {"sort": HUGE_TEXT},
    {"overdue": "maybe"},
]


@dataclass
class Row:
    role: str | None  # None: no login (public), else the role whose account calls it
    args: dict = field(default_factory=dict)  # path values, as names of Scene attributes
    body: str | None = None  # name of a Scene method giving a valid body; None: no body cases
    extra: str | None = None  # name of a Scene method giving further whole bodies to refuse


def api(role="lawyer", body=None, extra=None, **args):
    return Row(role, args, body, extra)


page = api

ROWS = {
    # --- the API ---------------------------------------------------------------------------
    "GET /api/v1/acts": api(),
    "POST /api/v1/acts": api(body="act_body"),
    "GET /api/v1/acts/<int:act_id>": api(act_id="draft_act"),
    "DELETE /api/v1/acts/<int:act_id>": api(act_id="sent_act"),
    "GET /api/v1/acts/<int:act_id>/documents": api(act_id="draft_act"),
    "GET /api/v1/acts/<int:act_id>/emails": api(act_id="draft_act"),
    "GET /api/v1/acts/<int:act_id>/responses": api(act_id="draft_act"),
    "POST /api/v1/acts/<int:act_id>/responses": api(
        act_id="sent_act", body="response_body", extra="response_extra"
    ),
    "GET /api/v1/acts/<int:subject_id>/history": api(subject_id="draft_act"),
    "GET /api/v1/acts/<int:subject_id>/transitions": api(subject_id="draft_act"),
    "POST /api/v1/acts/<int:subject_id>/transitions": api(
        subject_id="draft_act", body="act_transition"
    ),
    "GET /api/v1/authorities": api(),
    "POST /api/v1/authorities": api(body="authority_body"),
    "GET /api/v1/authorities/<int:authority_id>": api(authority_id="agency_id"),
    "PATCH /api/v1/authorities/<int:authority_id>": api(
        authority_id="agency_id", body="authority_body"
    ),
    "GET /api/v1/documents/<int:document_id>/content": api(document_id="one"),
    "GET /api/v1/facilities": api(),
    "POST /api/v1/facilities": api(body="facility_body"),
    "GET /api/v1/facilities/<int:facility_id>": api(facility_id="facility_id"),
    "PATCH /api/v1/facilities/<int:facility_id>": api(
        facility_id="facility_id", body="facility_body"
    ),
    "GET /api/v1/me": api(),
    "GET /api/v1/openapi.json": api(role=None),
    "GET /api/v1/recommendations": api(),
    "POST /api/v1/recommendations": api(body="recommendation_body"),
    "GET /api/v1/recommendations/<int:rec_id>": api(rec_id="draft_rec"),
    "PATCH /api/v1/recommendations/<int:rec_id>": api(rec_id="draft_rec", body="rec_patch"),
    "DELETE /api/v1/recommendations/<int:rec_id>": api(rec_id="issued_rec"),
    "GET /api/v1/recommendations/<int:subject_id>/history": api(subject_id="draft_rec"),
    "GET /api/v1/recommendations/<int:subject_id>/transitions": api(subject_id="draft_rec"),
    "POST /api/v1/recommendations/<int:subject_id>/transitions": api(
        subject_id="draft_rec", body="rec_transition"
    ),
    "GET /api/v1/response-files/<int:file_id>/content": api(file_id="one"),
    "GET /api/v1/search": api(),
    "GET /api/v1/stats/recommendations": api(),
    "GET /api/v1/visits": api(),
    "GET /api/v1/acts/<int:act_id>/attachments": api(act_id="sent_act"),
    "DELETE /api/v1/acts/<int:act_id>/attachments/<int:attachment_id>": api(
        act_id="sent_act", attachment_id="attachment"
    ),
    "POST /api/v1/acts/<int:act_id>/attachments": api(act_id="draft_act"),
    "GET /api/v1/act-attachments/<int:attachment_id>/content": api(attachment_id="attachment"),
    "GET /api/v1/authorities/dative": api(),
    "GET /api/v1/acts/<int:act_id>/deadline": api(act_id="sent_act"),
    "POST /api/v1/acts/<int:act_id>/deadline/<action>": api(
        act_id="sent_act", action="extend_word", body="extend_body"
    ),
    "GET /api/v1/terms/due": api(),
    "POST /api/v1/acts/<int:act_id>/documents/retry": api(act_id="draft_act"),
    "GET /api/v1/outbox": api(),
    "GET /api/v1/emails/<int:email_id>": api(email_id="queued_email"),
    "POST /api/v1/emails/<int:email_id>/<any(retry, cancel, delivered):action>": api(
        email_id="queued_email", action="retry_word", body="email_decision"
    ),
    "GET /api/v1/acts/<int:act_id>/portal-link": api(act_id="sent_act"),
    "POST /api/v1/acts/<int:act_id>/portal-link/renew": api(act_id="draft_act"),
    "POST /api/v1/acts/<int:act_id>/portal-link/revoke": api(act_id="draft_act"),
    "GET /api/v1/portal/<token>": api(None, token="portal_token"),
    "POST /api/v1/portal/<token>/responses": api(
        None, token="portal_token", body="portal_body", extra="portal_extra"
    ),
    "GET /api/v1/responses": api(),
    "GET /api/v1/responses/<int:response_id>": api(response_id="review_response"),
    "POST /api/v1/responses/<int:response_id>/record": api(
        response_id="review_response", body="response_body"
    ),
    "POST /api/v1/responses/<int:response_id>/return": api(
        response_id="review_response", body="return_body"
    ),
    "GET /api/v1/audit": api("admin"),
    "GET /api/v1/imports/template": api(),
    "POST /api/v1/imports": api(),
    "GET /api/v1/tokens": api(),
    "POST /api/v1/tokens": api(body="token_body"),
    "DELETE /api/v1/tokens/<int:token_id>": api(token_id="revoked_token"),
    "POST /api/v1/visits": api(body="visit_body"),
    "GET /api/v1/visits/<int:visit_id>": api(visit_id="visit_id"),
    "PATCH /api/v1/visits/<int:visit_id>": api(visit_id="visit_id", body="visit_body"),
    # --- the pages -------------------------------------------------------------------------
    "GET /": page(),
    "GET /acts/": page(),
    "GET /acts/new": page(),
    "POST /acts/new": page(body="act_form"),
    "GET /acts/<int:act_id>": page(act_id="draft_act"),
    "GET /acts/<int:act_id>/live": page(act_id="draft_act"),
    "POST /acts/<int:act_id>/assessment": page(act_id="answered_act", body="assessment_form"),
    "POST /acts/<int:act_id>/deadline": page(
        act_id="sent_act", body="deadline_form", extra="deadline_extra"
    ),
    "GET /acts/<int:act_id>/delete": page(act_id="draft_act"),
    "POST /acts/<int:act_id>/delete": page(act_id="sent_act"),
    "GET /acts/<int:act_id>/edit": page(act_id="draft_act"),
    "POST /acts/<int:act_id>/edit": page(act_id="draft_act", body="act_edit_form"),
    "POST /acts/<int:act_id>/responses": page(act_id="sent_act", body="response_form"),
    "POST /acts/<int:act_id>/transitions": page(
        act_id="draft_act", body="act_transition_form", extra="send_extra"
    ),
    "GET /authorities/": page(),
    "GET /authorities/<int:authority_id>": page(authority_id="agency_id"),
    "GET /authorities/<int:authority_id>/edit": page(authority_id="agency_id"),
    "POST /authorities/<int:authority_id>/edit": page(
        authority_id="agency_id", body="authority_form"
    ),
    "GET /authorities/new": page(),
    "POST /authorities/new": page(body="authority_form"),
    "GET /calendar": page("admin"),
    "POST /calendar": page("admin", body="calendar_form", extra="calendar_extra"),
    "GET /dashboard": page(),
    "GET /dashboard/<table>.<fmt>": page(table="state_word", fmt="csv_word"),
    "GET /deadlines/": page(),
    "GET /deadlines/feed/<token>.ics": page(None, token="garbage"),
    "GET /documents/<int:document_id>": page(document_id="one"),
    "GET /facilities/": page(),
    "GET /facilities/<int:facility_id>": page(facility_id="facility_id"),
    "GET /facilities/<int:facility_id>/checklist": page(facility_id="facility_id"),
    "POST /facilities/<int:facility_id>/checklist": page(
        "monitor", facility_id="facility_id", body="checklist_form", extra="checklist_extra"
    ),
    "GET /facilities/<int:facility_id>/checklist.pdf": page(facility_id="facility_id"),
    "GET /facilities/<int:facility_id>/edit": page(facility_id="facility_id"),
    "POST /facilities/<int:facility_id>/edit": page(
        facility_id="facility_id", body="facility_form"
    ),
    "GET /facilities/new": page(),
    "POST /facilities/new": page(body="facility_form"),
    "GET /healthz": page(None),
    "GET /login": page(None),
    "POST /login": page(None, body="login_form"),
    "POST /logout": page(),
    "GET /outbox": page(),
    "GET /profile": page(),
    "POST /profile": page(body="profile_form"),
    "GET /recommendations/": page(),
    "GET /recommendations/<int:rec_id>": page(rec_id="draft_rec"),
    "GET /recommendations/<int:rec_id>/delete": page(rec_id="draft_rec"),
    "POST /recommendations/<int:rec_id>/delete": page(rec_id="issued_rec"),
    "GET /recommendations/<int:rec_id>/edit": page(rec_id="draft_rec"),
    "POST /recommendations/<int:rec_id>/edit": page(rec_id="draft_rec", body="rec_form"),
    "POST /recommendations/<int:rec_id>/transitions": page(
        rec_id="draft_rec", body="rec_transition_form"
    ),
    "GET /response-files/<int:file_id>": page(file_id="one"),
    "GET /search": page(),
    "GET /users": page("admin"),
    "GET /users/<int:user_id>/edit": page("admin", user_id="monitor_id"),
    "POST /users/<int:user_id>/edit": page("admin", user_id="monitor_id", body="user_form"),
    "GET /users/new": page("admin"),
    "POST /users/new": page("admin", body="user_form"),
    "GET /visits/": page(),
    "GET /visits/<int:visit_id>": page(visit_id="visit_id"),
    "GET /visits/<int:visit_id>/edit": page(visit_id="visit_id"),
    "POST /visits/<int:visit_id>/edit": page(visit_id="visit_id", body="visit_form"),
    "POST /visits/<int:visit_id>/recommendations": page(
        visit_id="visit_id", body="quick_entry_form"
    ),
    "POST /visits/<int:visit_id>/recommendations/issue": page(
        visit_id="visit_id", body="issue_form"
    ),
    "GET /visits/new": page(),
    "POST /visits/new": page(body="visit_form"),
    "GET /workflows/": page(),
    "GET /workflows/<name>": page(name="workflow_name"),
    "GET /act-attachments/<int:attachment_id>": page(attachment_id="attachment"),
    "POST /acts/<int:act_id>/attachments": page(act_id="draft_act"),
    "POST /acts/<int:act_id>/attachments/<int:attachment_id>/delete": page(
        act_id="sent_act", attachment_id="attachment"
    ),
    "POST /acts/<int:act_id>/documents/retry": page(act_id="draft_act"),
    "GET /acts/<int:act_id>/deadline/explanation": page(act_id="sent_act"),
    "POST /acts/<int:act_id>/legal-hold": page(act_id="draft_act", body="hold_form"),
    "POST /acts/<int:act_id>/personal-data": page(act_id="draft_act", body="privacy_form"),
    "POST /acts/<int:act_id>/portal-link/renew": page(act_id="draft_act"),
    "POST /acts/<int:act_id>/portal-link/revoke": page(act_id="draft_act"),
    "GET /admin/letters": page("admin"),
    "GET /admin/letters/<name>": page("admin", name="letter_name"),
    "POST /admin/letters/<name>": page("admin", name="letter_name", body="letter_form"),
    "GET /audit": page("admin"),
    "POST /deadlines/feed-link": page(body="feed_link_form"),
    "POST /emails/<int:email_id>/<action>": page(
        email_id="queued_email", action="retry_word", body="email_decision"
    ),
    "GET /imports": page(),
    "POST /imports": page(),
    "POST /imports/confirm": page(),
    "GET /imports/runs/<token>": page(token="garbage"),
    "GET /imports/runs/<token>/live": page(token="garbage"),
    "GET /imports/template.<fmt>": page(fmt="csv_word"),
    "POST /lang/<code>": page(code="uk_word", body="lang_form"),
    "GET /login/code": page(None),
    "POST /login/code": page(None, body="code_form"),
    "GET /profile/2fa": page(),
    "POST /profile/2fa": page(body="code_form"),
    "POST /profile/2fa/disable": page(body="confirm_form"),
    "POST /profile/2fa/recovery-codes": page(body="confirm_form"),
    "POST /profile/sessions/<int:session_id>/end": page(session_id="other_session"),
    "POST /profile/sessions/end-others": page(body="others_form"),
    "POST /profile/tokens": page(body="token_form"),
    "POST /profile/tokens/<int:token_id>/revoke": page(token_id="revoked_token"),
    "GET /r/<token>": page(None, token="portal_token"),
    "GET /respond/<token>": page(None, token="portal_token"),
    "POST /respond/<token>": page(None, token="portal_token", body="portal_form"),
    "GET /respond/<token>/receipt/<int:response_id>": page(
        None, token="portal_token", response_id="review_response"
    ),
    "GET /responses/review": page(),
    "GET /responses/<int:response_id>/review": page(response_id="review_response"),
    "POST /responses/<int:response_id>/record": page(
        response_id="review_response", body="record_form"
    ),
    "POST /responses/<int:response_id>/return": page(
        response_id="review_response", body="return_body"
    ),
    "GET /terms/calculator": page(),
    # --- queues, confirmations, findings' photos, notifications -----------------------------
    "POST /recommendations/bulk": page(),
    "GET /recommendations/<int:rec_id>/transitions/confirm": page(rec_id="draft_rec"),
    "GET /acts/<int:act_id>/transitions/confirm": page(act_id="draft_act"),
    "GET /finding-photos/<int:photo_id>": page(photo_id="one"),
    "POST /saved-filters": page(),
    "POST /saved-filters/<int:filter_id>/delete": page(filter_id="one"),
    "GET /notifications": page(),
    "POST /notifications/read": page(),
    "POST /notifications/<int:note_id>/open": page(note_id="one"),
    # --- the office mailbox ---------------------------------------------------------------
    "GET /api/v1/inbox": api(),
    "GET /api/v1/inbox/<int:message_id>": api(message_id="inbox_message"),
    "GET /api/v1/inbox/<int:message_id>/original": api(message_id="inbox_message"),
    "POST /api/v1/inbox/<int:message_id>/file": api(
        message_id="inbox_message", body="inbox_file_body"
    ),
    "POST /api/v1/inbox/<int:message_id>/ignore": api(
        message_id="inbox_message", body="inbox_ignore_body"
    ),
    "POST /api/v1/acts/<int:act_id>/send-by-post": api(act_id="sent_act"),
    "GET /inbox": page(),
    "GET /inbox/<int:message_id>": page(message_id="inbox_message"),
    "GET /inbox/<int:message_id>/original": page(message_id="inbox_message"),
    "POST /inbox/<int:message_id>/file": page(message_id="inbox_message", body="inbox_file_body"),
    "POST /inbox/<int:message_id>/ignore": page(
        message_id="inbox_message", body="inbox_ignore_body"
    ),
    "POST /acts/<int:act_id>/send-by-post": page(act_id="sent_act"),
}


class Scene:
    """The records the rows point at, made on first use through the operations."""

    def __init__(self, fixtures):
        self.f = fixtures

    # path values
    one = 1
    garbage = "garbage"
    state_word, csv_word, uk_word, workflow_name = "state", "csv", "uk", "recommendation"
    extend_word, retry_word = "extend", "retry"

    @property
    def today(self):
        """The answers' day: not before the act was sent (two days ago)."""
        from app.core.clock import today

        return today().isoformat()

    @cached_property
    def registry(self):
        return self.f["registry"]

    @property
    def agency_id(self):
        return self.registry["agency"].id

    @property
    def facility_id(self):
        return self.registry["facility"].id

    @property
    def visit_id(self):
        return self.registry["visit"].id

    @property
    def monitor_id(self):
        return self.f["users"]["monitor"].id

    @cached_property
    def inbox_message(self):
        """A message of the office mailbox that matched no act (kept as a fetch keeps it)."""
        from app.domain.inbox.operations import receive

        raw = (
            b"From: Citizen <citizen@gmail.com>\r\nTo: npm@ombudsman.gov.ua\r\n"
            b"Subject: =?utf-8?b?0KHQutCw0YDQs9Cw?=\r\nMessage-ID: <x1@gmail.com>\r\n\r\n"
            b"Text\r\n"
        )
        message = receive("INBOX", 1, 1, raw)
        self.f["db"].session.commit()
        return message.id

    def inbox_file_body(self):
        return {"act_id": self.sent_act}

    def inbox_ignore_body(self):
        return {"note": "спам"}

    @cached_property
    def issued(self):
        return self.f["issued"]

    @property
    def issued_rec(self):
        return self.issued[0].id

    @cached_property
    def draft_rec(self):
        return self.f["make_rec"]("Чернетка рекомендації", actor=self.f["users"]["monitor"]).id

    @cached_property
    def draft_act(self):
        return self.f["make_act"](recs=self.issued[:1]).id

    @cached_property
    def sent_act(self):
        """Sent by post two days ago (registered that day), with a file attached as a draft."""
        from app.core.clock import today
        from app.domain.acts.attachments import add_attachment

        db, lawyer = self.f["db"], self.f["users"]["lawyer"]
        act = self.f["make_act"](recs=self.issued[1:])
        add_attachment(act, "Фото", "photo.png", PNG, lawyer)
        db.session.commit()
        return self.f["send_act"](act, today() - timedelta(days=2)).id

    @cached_property
    def answered_act(self):
        """An act of its own, sent and answered: its recommendation waits for assessment."""
        from app.core.clock import today
        from app.domain.recommendations.operations import fire

        db, lawyer = self.f["db"], self.f["users"]["lawyer"]
        rec = self.f["make_rec"]("Відремонтувати душові", theme="conditions")
        fire(rec, "issue", lawyer)
        db.session.commit()
        act = self.f["send_act"](self.f["make_act"](recs=[rec]), today() - timedelta(days=3))
        self.f["answer_act"](act)
        return act.id

    def answered_rec(self):
        from app.domain.acts.models import Act

        return self.f["db"].session.get(Act, self.answered_act).recommendations[0].id

    @cached_property
    def attachment(self):
        from app.domain.acts.models import Act

        return self.f["db"].session.get(Act, self.sent_act).attachments[0].id

    @cached_property
    def portal_token(self):
        from app.domain.acts.models import Act
        from app.domain.portal import links

        db = self.f["db"]
        link = links.ensure_link(db.session.get(Act, self.sent_act))
        db.session.commit()
        return links.token_of(link)

    @cached_property
    def review_response(self):
        """An answer through the portal, waiting for review."""
        from app.domain.portal import links
        from app.domain.portal import operations as portal

        db = self.f["db"]
        response = portal.submit(links.resolve(self.portal_token), self.portal_body(), [])
        db.session.commit()
        return response.id

    @cached_property
    def queued_email(self):
        from app.mail.outbox import queue_email

        db = self.f["db"]
        email = queue_email(
            "dep@example.org", "Акт", "Текст", subject_type="acts", subject_id=self.sent_act
        )
        db.session.commit()
        return email.id

    @cached_property
    def revoked_token(self):
        """The lawyer's own token, revoked: revoking again changes nothing."""
        import sqlalchemy as sa

        from app.auth.models import ApiToken
        from app.auth.operations import issue_token, revoke_token

        db, lawyer = self.f["db"], self.f["users"]["lawyer"]
        issue_token(lawyer, "Старий", actor=lawyer)
        row = db.session.scalars(
            sa.select(ApiToken).where(ApiToken.name == "Старий", ApiToken.user_id == lawyer.id)
        ).one()
        revoke_token(row, lawyer)
        db.session.commit()
        return row.id

    @cached_property
    def other_session(self):
        """Another sign-in of the lawyer, already ended: ending it again changes nothing."""
        from app.auth.sessions import start_session
        from app.core.db import utcnow

        db, lawyer = self.f["db"], self.f["users"]["lawyer"]
        start_session(lawyer)
        row = lawyer.login_session
        row.ended_at = utcnow()
        db.session.commit()
        return row.id

    @cached_property
    def letter_name(self):
        from app.domain.acts import letter_admin

        return next(n for n in letter_admin.names() if n != letter_admin.SETTINGS)

    def sent_rec(self):
        return self.issued[1].id

    # valid bodies (API: JSON; pages: form values)
    def act_body(self):
        return {
            "kind": "submission",
            "authority_id": self.agency_id,
            "recommendation_ids": [self.issued[2].id],
            "heading": "Про умови",
        }

    def response_body(self):
        return {
            "received_on": self.today,
            "incoming_number": "1/2",
            "kind": "interim",
            "text": "Відповідь",
            "positions": [
                {
                    "recommendation_id": self.sent_rec(),
                    "position": "in_progress",
                    "comment": "Триває",
                }
            ],
        }

    def response_extra(self):
        deep = "[" * 30 + "]" * 30
        return [
            (
                "multipart",
                {
                    "received_on": "2026-11-27",
                    "incoming_number": "1",
                    "kind": "interim",
                    "positions": deep,
                },
            ),
            (
                "multipart",
                {
                    "received_on": "2026-11-27",
                    "incoming_number": "1",
                    "kind": "interim",
                    "positions": f'[{{"recommendation_id": {HUGE}, "position": "implemented"}}]',
                },
            ),
            (
                "multipart",
                {
                    "received_on": "2026-11-27",
                    "incoming_number": "1",
                    "kind": "interim",
                    "positions": "[" * 100000,
                },
            ),
            (
                "multipart",
                {"received_on": "2026-11-27\x00", "incoming_number": "1", "kind": "interim"},
            ),
            ("json", {**self.response_body(), "positions": [{"recommendation_id": "abc"}]}),
            ("json", {**self.response_body(), "positions": {"a": 1}}),
        ]

    def extend_body(self):
        return {"until": "2027-01-15", "reason": "Прохання органу"}

    def email_decision(self):
        return {"note": "Ще раз"}

    def portal_body(self):
        return {
            "responder_name": "Іван Петренко",
            "responder_position": "Начальник",
            "text": "Виконано",
            "positions": [{"recommendation_id": self.sent_rec(), "position": "implemented"}],
        }

    def portal_extra(self):
        return [
            ("json", {**self.portal_body(), "positions": [{"recommendation_id": HUGE}]}),
            ("json", {**self.portal_body(), "unknown": "x"}),
            ("multipart", {"responder_name": "Іван", "positions": "[" * 100000}),
        ]

    def portal_form(self):
        from app.domain.acts.models import Act
        from app.domain.portal import formtokens, links

        link = links.resolve(self.portal_token)
        act = self.f["db"].session.get(Act, self.sent_act)
        return {
            "form_token": formtokens.issue(link.id),
            "responder_name": "Іван Петренко",
            "responder_position": "Начальник",
            "text": "Виконано",
            **{f"position-{r.id}": "implemented" for r in act.recommendations},
        }

    def return_body(self):
        return {"question": "Додайте, будь ласка, підтвердження"}

    def record_form(self):
        return {
            "received_on": self.today,
            "incoming_number": "1/2",
            "kind": "substantive",
            "text": "Відповідь",
            "positions-0-recommendation_id": self.sent_rec(),
            "positions-0-position": "implemented",
        }

    def token_body(self):
        return {"name": "Скрипт", "expires_on": "2027-06-01"}

    def token_form(self):
        return {"token-name": "Скрипт", "token-expires_on": "2027-06-01"}

    def hold_form(self):
        return {"reason": "Запит суду"}

    def privacy_form(self):
        return {"decision": "consent", "note": "Згода письмова"}

    def letter_form(self):
        from app.domain.acts import letter_admin

        return {"body": letter_admin.current(self.letter_name), "comment": "Правка"}

    def feed_link_form(self):
        return {"action": "new"}

    def lang_form(self):
        return {"next": "/"}

    def code_form(self):
        return {"code": "123456"}

    def confirm_form(self):
        return {"confirm-password": PASSWORD}

    def others_form(self):
        return {"others-password": PASSWORD}

    def act_transition(self):
        return {"name": "generate", "comment": "Підготувати"}

    def rec_transition(self):
        return {"name": "issue", "comment": "Видати"}

    def authority_body(self):
        return {
            "name": "Департамент",
            "kind": "agency",
            "parent_id": self.registry["ministry"].id,
            "email": "dep@example.org",
        }

    def facility_body(self):
        return {
            "name": "СІЗО",
            "type": "sizo",
            "region": "UA-30",
            "authority_id": self.agency_id,
            "capacity": 100,
        }

    def visit_body(self):
        return {
            "facility_id": self.facility_id,
            "started_on": "2026-04-01",
            "ended_on": "2026-04-02",
            "kind": "planned",
            "monitor_ids": [self.monitor_id],
            "summary": "Підсумок",
        }

    def recommendation_body(self):
        return {
            "visit_id": self.visit_id,
            "text": "Текст",
            "theme": "health",
            "authority_id": self.agency_id,
        }

    def rec_patch(self):
        return {"text": "Новий текст", "authority_id": self.agency_id, "previous_id": None}

    def act_form(self):
        return self.act_body()

    def act_edit_form(self):
        return {
            "heading": "Про умови",
            "opening": "Вступ",
            "closing": "Кінець",
            "signatory_position": "Уповноважений",
            "signatory_name": "Ім'я",
            "recommendation_ids": [self.issued[0].id],
        }

    def assessment_form(self):
        return {"rows-0-recommendation_id": self.answered_rec(), "rows-0-decision": "implemented"}

    def deadline_form(self):
        return {"action": "extend", "due_on": "2027-01-15", "reason": "Прохання органу"}

    def deadline_extra(self):
        return [
            {"action": "receipt", "received_on": "garbage"},
            {"action": "\u202e", "due_on": "9999-99-99"},
        ]

    def response_form(self):
        return {
            "received_on": self.today,
            "incoming_number": "1/2",
            "kind": "interim",
            "text": "Відповідь",
            "positions-0-recommendation_id": self.sent_rec(),
            "positions-0-position": "in_progress",
        }

    def act_transition_form(self):
        return {"name": "cancel", "comment": "Помилка"}

    def send_extra(self):
        return [
            {"name": "send", "channel": "post", "sent_on": "garbage"},
            {"name": "send", "channel": "pigeon", "sent_on": "2026-11-27"},
            {"name": "send", "channel": "post", "sent_on": "0001-01-01\x00"},
        ]

    def authority_form(self):
        return self.authority_body()

    def calendar_form(self):
        return {"which": "day", "day-day": "2026-12-24", "day-is_working": "0", "day-note": "Свято"}

    def calendar_extra(self):
        return [
            {"which": "delete-day", "day": "garbage"},
            {"which": "period", "period-starts_on": "garbage", "period-profile": "x"},
        ]

    def checklist_form(self):
        return {"visit_id": self.visit_id, f"finding-{self.issued[0].id}": "verified"}

    def checklist_extra(self):
        return [
            {"visit_id": self.visit_id, "finding-abc": "verified"},
            {"visit_id": self.visit_id, f"finding-{HUGE}": "verified"},
            {"visit_id": HUGE_TEXT, "finding-1": "not_done"},
        ]

    def facility_form(self):
        return self.facility_body()

    def login_form(self):
        return {"email": "nobody@example.org", "password": "wrong-password-1"}

    def profile_form(self):
        return {"which": "profile", "name": "Юрист", "phone": "+380441234567"}

    def rec_form(self):
        return {
            "text": "Новий текст",
            "theme": "health",
            "priority": "high",
            "authority_id": self.agency_id,
        }

    def rec_transition_form(self):
        return {"name": "issue", "comment": "Видати", "visit_id": ""}

    def user_form(self):
        return {
            "email": "new@example.org",
            "name": "Нова",
            "role": "monitor",
            "password": "long-enough-password",
        }

    def visit_form(self):
        return self.visit_body()

    def quick_entry_form(self):
        return {"authority_id": self.agency_id, "rows-0-text": "Текст", "rows-0-theme": "health"}

    def issue_form(self):
        return {"ids": [self.draft_rec], "comment": "Видати"}


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in STATIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield f"{method} {rule.rule}", rule


def test_the_table_covers_every_route(app):
    routes = {key for key, _rule in _rules(app)}
    assert sorted(routes - set(ROWS)) == [], "routes without a row in the bad-input table"
    assert sorted(set(ROWS) - routes) == [], "rows for routes that no longer exist"


def _row_counts(db):
    """Rows in every table but the bookkeeping a refused request may leave (audit, login) and
    the statistics roll-up, a cache a page refreshes when it is old (on PostgreSQL)."""
    skip = {
        "audit_events",
        "alembic_version",
        "stats_rollup_state",
        "stats_changed_days",
        "stats_recommendation_days",
        "stats_recommendation_months",
    }
    counts = {}
    for table in db.metadata.sorted_tables:
        if table.name not in skip:
            counts[table.name] = db.session.scalar(sa.select(sa.func.count()).select_from(table))
    db.session.rollback()
    return counts


def _mutations(body, form):
    """Each value of a valid body spoiled in turn: huge numbers, NUL bytes, wrong types."""
    for key, value in body.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, int) or key.endswith(("_id", "_ids")) or key == "ids":
            huge = HUGE_TEXT if form else HUGE
            yield f"{key}=huge", {**body, key: [huge] if isinstance(value, list) else huge}
        if isinstance(value, str) and value:
            yield f"{key}=NUL", {**body, key: value[:1] + "\x00" + value[1:]}
        if not form:
            yield f"{key}=object", {**body, key: {"nested": [1, {"x": None}]}}
            yield f"{key}=deep", {**body, key: _deep(30)}
            yield f"{key}=[[huge]]", {**body, key: [[HUGE]]}


def _deep(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


class Caller:
    def __init__(self, app, client_for, api_for, users, row):
        self.is_api = False
        user = users[row.role] if row.role else None
        self.page = client_for(user)
        self.api = api_for(user) if user is not None else api_for(None)

    def __call__(self, method, path, **kwargs):
        if path.startswith("/api/v1"):
            return getattr(self.api, method.lower())(path.removeprefix("/api/v1"), **kwargs)
        return getattr(self.page, method.lower())(path, **kwargs)


def _check(response, path, case, expect_4xx):
    status = response.status_code
    where = f"{path} [{case}] → {status}"
    assert status < 500, where + " " + response.get_data(as_text=True)[:500]
    if expect_4xx:
        assert 400 <= status < 500, where
    if status < 400:
        return
    if path.startswith("/api/"):
        error = (response.get_json(silent=True) or {}).get("error")
        assert error and error.get("code") and error.get("message"), where
    elif response.mimetype == "text/html":
        html = response.get_data(as_text=True)
        assert '<html lang="uk">' in html, where


def _cases(row, rule, method, scene):
    """(label, request kwargs, must be 4xx) for the row's route."""
    if method in ("GET", "DELETE"):
        yield "plain", {}, False
        for query in QUERY_CASES:
            nul = any("\x00" in v for v in query.values())
            yield f"query {query!r}", {"query_string": query}, nul
    form = not rule.rule.startswith("/api/")
    if method in ("POST", "PATCH"):
        if form:
            yield "empty form", {"data": {}}, False
        else:
            yield "no body", {}, True
            yield "not JSON", {"data": "{oops", "content_type": "application/json"}, True
            yield "array", {"json": [1, 2]}, True
            yield (
                "very deep",
                {"data": "[" * 100000 + "]" * 100000, "content_type": "application/json"},
                True,
            )
            yield (
                "NUL escape",
                {"data": '{"text": "a\\u0000b"}', "content_type": "application/json"},
                True,
            )
        if row.body:
            for label, body in _mutations(getattr(scene, row.body)(), form):
                yield (
                    label,
                    ({"data": body} if form else {"json": body}),
                    not form or "NUL" in label,
                )
        if row.extra:
            for extra in getattr(scene, row.extra)():
                if isinstance(extra, tuple):
                    kind, body = extra
                    kwargs = (
                        {"json": body}
                        if kind == "json"
                        else {"data": body, "content_type": "multipart/form-data"}
                    )
                else:
                    kwargs = {"data": extra}
                yield f"extra {extra!r}"[:120], kwargs, not form


@pytest.fixture
def fixtures(db, users, registry, issued, make_rec, make_act, run_jobs, send_act, answer_act):
    return {
        "db": db,
        "users": users,
        "registry": registry,
        "issued": issued,
        "make_rec": make_rec,
        "make_act": make_act,
        "run_jobs": run_jobs,
        "send_act": send_act,
        "answer_act": answer_act,
    }


@pytest.mark.parametrize("key", sorted(ROWS))
def test_bad_input_is_refused(app, db, fixtures, client_for, api_for, key):
    rules = dict(_rules(app))
    if key not in rules:
        pytest.fail(f"{key}: no such route (see test_the_table_covers_every_route)")
    method, rule = key.split(" ", 1)[0], rules[key]
    row = ROWS[key]
    scene = Scene(fixtures)
    values = {name: getattr(scene, attr) for name, attr in row.args.items()}
    call = Caller(app, client_for, api_for, fixtures["users"], row)
    ints = [
        name for name, conv in rule._converters.items() if conv.__class__.__name__ == "IdConverter"
    ]
    cases = [
        (label, kwargs, must_refuse)
        for label, kwargs, must_refuse in _cases(row, rule, method, scene)
    ]  # the scene's records exist before counting
    before = _row_counts(db)
    for name in ints:  # a 20-digit id in the path: no such record
        path = _path(rule, {**values, name: HUGE_TEXT})
        response = call(method, path)
        _check(response, path, f"{name}=huge", True)
        assert response.status_code in (404, 405, 401, 403), (path, response.status_code)
    path = _path(rule, values)
    for label, kwargs, must_refuse in cases:
        for attempt in ("first", "repeat"):
            response = call(method, path, **kwargs)
            _check(response, path, f"{label} ({attempt})", must_refuse)
    after = _row_counts(db)
    assert after == before, f"{key}: a refused request wrote"


def _path(rule, values):
    """The rule's path with ``values`` put in as they are (also values no converter accepts)."""
    parts = []
    for is_dynamic, data in rule._trace:
        if is_dynamic:
            parts.append(str(values[data]))
        else:
            parts.append(data)
    return "".join(parts).split("|", 1)[-1]
