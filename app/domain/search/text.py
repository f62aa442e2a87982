"""Full-text search in Ukrainian: query terms, a light stemmer, the match clause per database.

Every word of a query becomes a prefix term ANDed with the others. A Ukrainian word loses its
inflectional ending first, so "катуванню" searches "катуван*" and finds "катування",
"катуванням", "катувань". The index holds whole lower-cased words: PostgreSQL's 'simple'
configuration (stock PostgreSQL has no Ukrainian dictionary) and SQLite's unicode61 tokenizer,
which both fold the case of Cyrillic letters.

Sources: recommendations' own text today. Acts and responses join by adding a ``Source`` whose
``ids`` maps their matches to the recommendations they concern (through act_recommendations,
or the response's positions), with their own fts_ index in a migration.
"""

import re
from dataclasses import dataclass

import sqlalchemy as sa
from markupsafe import Markup, escape

from app.domain.recommendations.models import Recommendation
from app.extensions import db

#: Words as both indexes cut them: letters, digits, the modifier apostrophe (ʼ) inside a word.
WORD = re.compile(r"\w+")
CYRILLIC = re.compile(r"^[а-яґєіїʼ]+$")
#: A stem keeps at least this many letters; shorter words are searched as written.
MIN_STEM = 3
#: Inflectional endings of nouns, adjectives, verbs and participles, longest first.
ENDINGS = sorted(
    set(
        """
        остями остям остях остей ості істю ість
        ями ами ого ому ими іми ова ове ові еві ній ять ать ють уть ити ати яти іти ила ило или
        ала ало али ується уються ться ися ись ся сь
        ів їв ій ий ої ою ею єю ям ам ом ем єм ах ях их іх им ім ує ть
        а я о е є у ю и і ї ь й
        """.split()
    ),
    key=len,
    reverse=True,
)
#: Doubled consonants of -ння/-ття/-лля nouns ("катуванн|я" and "катуван|ь" share "катуван").
DOUBLED = re.compile(r"([бвгґджзклмнпрстфхцчшщ])\1$")
#: Conjunctions and prepositions: as prefixes they would match nearly every text.
STOPWORDS = frozenset(
    "а але або б би в во від для до же з за зі із й і к на над не ні о об по при про під "
    "та те то у чи що щодо як якщо це між через".split()
)
#: At most this many words of a query are used (a pasted paragraph must not cost a scan each).
MAX_TERMS = 8


def stem(word):
    """The beginning shared by the forms of a Ukrainian ``word`` (lower-cased).

    >>> stem("Катуванню"), stem("катувань"), stem("жорстокому"), stem("відповідальності")
    ('катуван', 'катуван', 'жорсток', 'відповідальн')
    """
    word = word.lower()
    if not CYRILLIC.match(word):
        return word
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            word = word[: -len(ending)]
            break
    if len(word) > MIN_STEM and DOUBLED.search(word):
        word = word[:-1]
    return word


def terms(q):
    """The prefix terms of a query: stemmed words, without duplicates, in order."""
    words = WORD.findall((q or "").replace("_", " "))
    if len(words) > 1:
        words = [w for w in words if len(w) > 1 and w.lower() not in STOPWORDS] or words
    seen = []
    for word in words:
        term = stem(word)
        if term not in seen:
            seen.append(term)
    return seen[:MAX_TERMS]


@dataclass(frozen=True)
class Source:
    """Text that leads to recommendations: ``ids(dialect, terms)`` selects their ids."""

    name: str
    ids: object


def pg_match(column, words):
    """``column`` matches every prefix term, as the GIN index on to_tsvector('simple', …) can
    answer (the configuration is written literally so the planner recognises the index)."""
    simple = sa.literal_column("'simple'::regconfig")
    query = sa.func.to_tsquery(simple, " & ".join(f"{w}:*" for w in words))
    return sa.func.to_tsvector(simple, column).op("@@")(query)


def sqlite_match(table, words):
    """The rowids of FTS5 ``table`` whose text has every prefix term."""
    fts = sa.table(table, sa.column("rowid"))
    match = " ".join(f'"{w}"*' for w in words)
    return sa.select(fts.c.rowid).where(
        sa.text(f"{table} MATCH :{table}_q").bindparams(**{f"{table}_q": match})
    )


def _recommendation_ids(dialect, words):
    if dialect == "postgresql":
        return sa.select(Recommendation.id).where(pg_match(Recommendation.text, words))
    return sqlite_match("fts_recommendations", words)


#: Where the text search looks. Acts and responses add theirs here.
SOURCES = [Source("recommendations", _recommendation_ids)]


#: At most this many recommendations found through the other sources are given to PostgreSQL
#: as literal ids (an index can answer them beside the text's); more go in as a subquery.
EXTRA_IDS_LIMIT = 5000


def match_clause(words, dialect=None):
    """A WHERE clause: the recommendation's text (or a source's text about it) has every term.

    On PostgreSQL the recommendation's own text is matched on the table, where the planner
    combines the GIN index with the other filters; the other sources (scanned answers, …) are
    few and are read first, their recommendations added as literal ids (a bitmap OR of two
    indexes) rather than as an IN over a UNION that the planner can only filter row by row."""
    dialect = dialect or db.engine.dialect.name
    if dialect == "postgresql":
        direct = pg_match(Recommendation.text, words)
        others = [source.ids(dialect, words) for source in SOURCES[1:]]
        if not others:
            return direct
        union = others[0] if len(others) == 1 else sa.union(*others)
        found = db.session.scalars(union.limit(EXTRA_IDS_LIMIT + 1)).all()
        if not found:
            return direct
        if len(found) <= EXTRA_IDS_LIMIT:
            return sa.or_(direct, Recommendation.id.in_(sorted(set(found))))
        return sa.or_(direct, Recommendation.id.in_(union))
    ids = [source.ids(dialect, words) for source in SOURCES]
    subquery = ids[0] if len(ids) == 1 else sa.union(*ids)
    return Recommendation.id.in_(subquery)


def rank_order(words, dialect=None):
    """ORDER BY terms, the best match first (PostgreSQL's ts_rank, SQLite's bm25), then the
    newest. Ranking reads every match's text: callers rank only a bounded result (RANK_LIMIT in
    app.domain.search.queries)."""
    dialect = dialect or db.engine.dialect.name
    if dialect == "postgresql":
        simple = sa.literal_column("'simple'::regconfig")
        query = sa.func.to_tsquery(simple, " & ".join(f"{w}:*" for w in words))
        rank = sa.func.ts_rank(sa.func.to_tsvector(simple, Recommendation.text), query)
        return (rank.desc(), Recommendation.id.desc())
    fts = sa.table("fts_recommendations", sa.column("rowid"), sa.column("rank"))
    match = " ".join(f'"{w}"*' for w in words)
    rank = (
        sa.select(fts.c.rank)
        .where(sa.text("fts_recommendations MATCH :fts_rank_q").bindparams(fts_rank_q=match))
        .where(fts.c.rowid == Recommendation.id)
        .scalar_subquery()
    )
    return (rank.asc(), Recommendation.id.desc())


def highlight(text, words, limit=320):
    """``text`` (cut around the first match when long) with the matched words in <mark>."""
    text = text or ""
    prefixes = tuple(w for w in words if w)
    hits = [m for m in WORD.finditer(text) if prefixes and m.group().lower().startswith(prefixes)]
    start = 0
    if len(text) > limit and hits:
        start = max(0, min(hits[0].start() - limit // 4, len(text) - limit))
    end = min(len(text), start + limit)
    out, pos = [], start
    for m in hits:
        if m.start() < start or m.end() > end:
            continue
        out += [escape(text[pos : m.start()]), Markup("<mark>%s</mark>") % m.group()]
        pos = m.end()
    out.append(escape(text[pos:end]))
    lead = "… " if start > 0 else ""
    tail = " …" if end < len(text) else ""
    return Markup(lead) + Markup("").join(out) + Markup(tail)
