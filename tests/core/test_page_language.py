"""Every page speaks one language: no English word left in the Ukrainian interface, no
Ukrainian word in the English one.

Every GET page of the url_map is opened as an admin, a lawyer and a monitor over the demo data
(each page with a path argument once per state of what it shows). The visible text (and the
titles, placeholders and labels read aloud) is checked word by word; words of the data itself
(names, texts, e-mail addresses, numbers) and a short list of terms that stay as they are
(PDF, DOCX, …) are not the interface's and are left out.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.domain import demo
from tests.conftest import Client

#: Terms written the same way in both interfaces.
TERMS = {
    "pdf",
    "docx",
    "api",
    "csv",
    "xlsx",
    "totp",
    "e-mail",
    "email",
    "ics",
    "id",
    "url",
    "smtp",
    "markdown",
    "json",
    "qr",
    "yaml",
    "mermaid",
    "ua",
    "utf-8",
    "https",
    "jinja",
    "google",
    "authenticator",
    "freeotp",
    "aegis",
    "jpeg",
    "png",
    "tiff",
    "excel",
}
#: Pages that are not HTML for a person, or not reachable by signing in.
SKIPPED = {
    "static",
    "bootstrap.static",
    "core.static",
    "portal.static",
    "core.healthz",
    "deadlines.feed",
    "acts.download",
    "acts.attachment_file",
    "responses.download",
    "followup.checklist_pdf",
    "imports.template",
    "search.dashboard_export",
    "auth.second_factor",
    "auth.login",
    "core.set_language",
    "lists.static",
    "followup.photo",
    "inbox.original",
    "acts.live",
    "imports.run_live",
    "imports.run_page",
    "inbox.detail",  # the demo has no mail; tests/inbox read its page
}
SKIPPED_PREFIXES = ("portal.", "api.")
READ_ALOUD = ("title", "placeholder", "aria-label", "alt")
HIDDEN_TAGS = {"script", "style", "code", "kbd", "samp", "pre", "textarea"}
LATIN = re.compile(r"[A-Za-z][A-Za-z'’-]*")
CYRILLIC = re.compile(
    r"[А-ЩЬЮЯЄІЇҐа-щьюяєіїґ'’ʼ-]*[А-ЩЬЮЯЄІЇҐа-щьюяєіїґ][А-ЩЬЮЯЄІЇҐа-щьюяєіїґ'’ʼ-]*"
)
#: A stored code (a state, a kind, a hash), which a page must translate, not show.
CODE = re.compile(r"^[a-z0-9_.:-]*$")
#: E-mail and web addresses, paths, numbers and codes with digits, domain names.
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|/\S*|\S*\d\S*|\S+\.[a-z]{2,}\.[a-z]{2,}\S*")


class VisibleText(HTMLParser):
    """The text a person reads on the page in its own language (elements in another ``lang``,
    code and form values left out)."""

    def __init__(self, lang):
        super().__init__(convert_charrefs=True)
        self.lang, self.stack, self.parts = lang, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            if attrs.get("lang") in (None, self.lang):
                self._attributes(attrs)
            return
        foreign = attrs.get("lang") not in (None, self.lang) or tag in HIDDEN_TAGS
        self.stack.append((tag, foreign or self.hidden))
        self._attributes(attrs)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    @property
    def hidden(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)

    def _attributes(self, attrs):
        if not self.hidden:
            self.parts.extend(attrs[name] for name in READ_ALOUD if attrs.get(name))


def words(text, pattern):
    """The words of ``text`` in the alphabet of ``pattern``; a word cut short (…) is data."""
    text = re.sub(r"\w+…", " ", text)
    return pattern.findall(NOT_WORDS.sub(" ", text))


def data_words(db):
    """Every word stored in the database, the letter templates and the workflows: the data the
    pages show as it is."""
    found = set()
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text))]
            if not columns:
                continue
            for row in conn.execute(sa.select(*columns)):
                for value in row:
                    if value and not CODE.match(value):
                        found.update(w.lower() for w in re.findall(r"[^\W\d_][\w'’ʼ-]*", value))
    root = Path(__file__).resolve().parents[2]
    for path in [*root.joinpath("letter_templates").glob("*.j2")]:
        found.update(w.lower() for w in re.findall(r"[^\W\d_][\w'’ʼ-]*", path.read_text("utf-8")))
    return found


def path_arguments(db):
    """Values for each path argument: one object per state where the page depends on it."""
    from app.auth.models import User
    from app.domain.acts.models import Act
    from app.domain.authorities.models import Authority
    from app.domain.facilities.models import Facility
    from app.domain.recommendations.models import Recommendation
    from app.domain.responses.models import Response
    from app.domain.visits.models import Visit

    def one_per(model, column):
        rows = db.session.execute(sa.select(sa.func.min(model.id)).group_by(column)).scalars()
        return sorted(rows)

    def first(model):
        return [db.session.scalar(sa.select(sa.func.min(model.id)))]

    return {
        "act_id": one_per(Act, Act.state),
        "rec_id": one_per(Recommendation, Recommendation.state),
        "visit_id": one_per(Visit, Visit.kind),
        "facility_id": first(Facility),
        "authority_id": first(Authority),
        "user_id": first(User),
        "response_id": first(Response),
        "name": ["recommendation", "act", "submission"],
    }


def page_urls(app, arguments):
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED:
            continue
        if rule.endpoint.startswith(SKIPPED_PREFIXES) or rule.rule.startswith("/api/"):
            continue
        names = list(rule.arguments)
        if not names:
            urls.append((rule.endpoint, rule.rule))
            continue
        if len(names) != 1 or names[0] not in arguments:
            raise AssertionError(f"no value for the arguments of {rule.rule}: add one")
        for value in arguments[names[0]]:
            with app.test_request_context():
                from flask import url_for

                urls.append((rule.endpoint, url_for(rule.endpoint, **{names[0]: value})))
    return urls


def signed_in(app, role):
    _role, email, password = next(login for login in demo.logins() if login[0] == role)
    client = Client(app)  # each request in its own app context, as on a server
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


@pytest.fixture
def demo_data(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return data_words(db)


def foreign_words(html, lang, known):
    parser = VisibleText(lang)
    parser.feed(html)
    text = " ".join(parser.parts)
    pattern = LATIN if lang == "uk" else CYRILLIC
    if lang == "en":  # «…»: a quotation of the Ukrainian letters (the dative of a name)
        text = re.sub(r"«[^»]*»", " ", text)
    found = {w.strip("-'’") for w in words(text, pattern)}
    return sorted(w for w in found if w and w.lower() not in known | TERMS)


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_no_word_of_the_other_language_on_any_page(app, db, demo_data, lang):
    arguments = path_arguments(db)
    urls = page_urls(app, arguments)
    problems, checked = [], set()
    for role in ("admin", "lawyer", "monitor"):
        client = signed_in(app, role)
        client.get(f"/?lang={lang}")
        for endpoint, url in urls:
            response = client.get(url, query_string={"lang": lang})
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            checked.add(endpoint)
            found = foreign_words(response.get_data(as_text=True), lang, demo_data)
            if found:
                problems.append(f"{role} {url}: {', '.join(found)}")
    assert len(checked) >= 30, sorted(checked)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_the_sign_in_page(app, db, lang):
    html = app.test_client().get("/login", query_string={"lang": lang}).get_data(as_text=True)
    assert not foreign_words(html, lang, set())


def test_the_check_finds_a_stray_word():
    html = '<p>Виконано: sent <span lang="en">English</span> <code>draft</code></p>'
    assert foreign_words(html, "uk", set()) == ["sent"]
    assert foreign_words('<p title="Рекомендації">Acts</p>', "en", set()) == ["Рекомендації"]
