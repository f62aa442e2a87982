"""The one table of act kinds: their codes, labels and names, the law each rests on, whether its
term is statutory, the default heading, the letter template, and the words a letter uses for
its term — read with the term itself from workflows/act.yaml (``settings.terms``), so the letter
and the clock never disagree. Everything that names a kind reads it here.

Citations checked against the Law of Ukraine «Про Уповноваженого Верховної Ради України з прав
людини»: Art. 15 has parts (not items); Art. 19-1 is the national preventive mechanism;
Art. 22 part 1 item 2 is the right to request information, item 3 the duty to answer the
Commissioner's proposals within a month.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.terms import Term

LAW = "Закону України «Про Уповноваженого Верховної Ради України з прав людини»"
KUPAP_WARNING = (
    "Звертаю увагу, що невиконання законних вимог Уповноваженого Верховної Ради України з прав "
    "людини тягне за собою адміністративну відповідальність, передбачену статтею 188-40 "
    "Кодексу України про адміністративні правопорушення."
)


@dataclass(frozen=True)
class ActKind:
    code: str
    #: The word of the e-mail subject and the act page («Подання»); the documents' file stem.
    title: str
    #: The same in the accusative («надсилаємо подання»).
    accusative: str
    #: «Відповідно до …»: the provisions the letter rests on.
    basis: str
    #: True when the law sets the term (it may be extended, never shortened or shifted back).
    statutory: bool
    #: The label of the interface (translated).
    label: object
    #: The default heading: ``{visits}`` «моніторингового візиту», ``{names}`` the facilities.
    heading: str

    @property
    def template(self) -> str:
        """The letter template of the kind (letter_templates/)."""
        return f"{self.code}.md.j2"


KINDS = {
    "submission": ActKind(
        "submission",
        "Подання",
        "подання",
        f"Відповідно до частини третьої статті 15 та статті 19-1 {LAW}",
        True,
        _l("Submission (Art. 15)"),
        "Про вжиття заходів за результатами {visits} ({names})",
    ),
    "request": ActKind(
        "request",
        "Запит",
        "запит",
        f"Відповідно до частини шостої статті 19-1 та пункту 2 частини першої статті 22 {LAW}",
        False,
        _l("Request for information (Art. 22)"),
        "Про надання інформації щодо виконання рекомендацій ({names})",
    ),
    "reminder": ActKind(
        "reminder",
        "Нагадування",
        "нагадування",
        f"Відповідно до статті 19-1 та пункту 2 частини першої статті 22 {LAW}",
        False,
        _l("Reminder"),
        "Про надання відповіді на акт реагування Уповноваженого",
    ),
    "initiative_letter": ActKind(
        "initiative_letter",
        "Лист",
        "лист",
        f"Відповідно до статті 19-1 та пункту 3 частини першої статті 22 {LAW}",
        True,
        _l("Initiative letter"),
        "Про забезпечення прав осіб, позбавлених свободи ({names})",
    ),
}

#: The escalation to the supervising authority is an initiative letter that follows a reminder.
ESCALATION_BASIS = f"Відповідно до статті 19-1 та пунктів 2 і 3 частини першої статті 22 {LAW}"
ESCALATION_HEADING = "Про ненадання підпорядкованим органом відповіді Уповноваженому"
ESCALATION_TEMPLATE = "escalation.md.j2"
#: Every letter template's kind: the act kinds, and the letter to a supervising authority.
TEMPLATE_KINDS = (*KINDS, "escalation")

_GENITIVE = {
    1: "одного",
    2: "двох",
    3: "трьох",
    4: "чотирьох",
    5: "п’яти",
    6: "шести",
    7: "семи",
    8: "восьми",
    9: "дев’яти",
    10: "десяти",
    12: "дванадцяти",
    14: "чотирнадцяти",
    15: "п’ятнадцяти",
    20: "двадцяти",
    21: "двадцяти одного",
    30: "тридцяти",
}
_ADJECTIVE = {
    3: "триденний",
    5: "п’ятиденний",
    7: "семиденний",
    10: "десятиденний",
    14: "чотирнадцятиденний",
    15: "п’ятнадцятиденний",
    20: "двадцятиденний",
    30: "тридцятиденний",
}
_MONTHS = {1: "місячний", 2: "двомісячний", 3: "тримісячний", 6: "шестимісячний"}


def kind_of(code) -> ActKind:
    return KINDS[code]


def template_for(kind) -> str:
    """The template of a letter kind (an act kind, or "escalation")."""
    from app.letters.render import LetterTemplateError

    if kind not in TEMPLATE_KINDS:
        raise LetterTemplateError(f"unknown letter kind {kind!r}; expected one of {TEMPLATE_KINDS}")
    return ESCALATION_TEMPLATE if kind == "escalation" else KINDS[kind].template


def label(code):
    """The interface's label of a kind; an unknown code as it is."""
    return KINDS[code].label if code in KINDS else code


def heading(code, facilities, visits_text):
    """The default heading of a new act (``code`` "escalation": the supervising body's letter)."""
    if code == "escalation":
        return ESCALATION_HEADING
    names = ", ".join(sorted(facilities))
    return KINDS[code].heading.format(visits=visits_text, names=names)


def is_statutory(code) -> bool:
    return code in KINDS and KINDS[code].statutory


def term_phrase(term: Term) -> str:
    """«у місячний строк», «у п’ятнадцятиденний строк», «у строк 12 робочих днів»."""
    if term.unit == "months" and term.amount in _MONTHS:
        return f"у {_MONTHS[term.amount]} строк"
    if term.unit == "days" and term.amount in _ADJECTIVE:
        return f"у {_ADJECTIVE[term.amount]} строк"
    unit = {"days": "календарних днів", "working_days": "робочих днів", "months": "місяців"}
    return f"у строк {term.amount} {unit[term.unit]}"


def term_limit(term: Term) -> str:
    """«не пізніше десяти днів» (the reminder's wording), or «не пізніше ніж у … строк»."""
    if term.unit == "days" and term.amount in _GENITIVE:
        word = "дня" if term.amount in (1, 21) else "днів"
        return f"не пізніше {_GENITIVE[term.amount]} {word}"
    if term.unit == "working_days" and term.amount in _GENITIVE:
        word = "робочого дня" if term.amount in (1, 21) else "робочих днів"
        return f"не пізніше {_GENITIVE[term.amount]} {word}"
    return f"не пізніше ніж {term_phrase(term)}"


def term_text(code, term: Term, escalation=False) -> str:
    """The closing sentence on the term, worded from the same term the clock counts."""
    if escalation:
        return (
            "Прошу вжити заходів у межах повноважень та "
            f"{term_phrase(term)} з дня одержання цього листа надати вмотивовану письмову "
            "відповідь про вжиті заходи."
        )
    if code == "submission":
        return (
            "Про результати розгляду подання та вжиті заходи прошу повідомити "
            f"{term_phrase(term)} з дня його одержання."
        )
    if code == "request":
        return f"Інформацію прошу надати {term_phrase(term)} з дня одержання цього запиту."
    if code == "initiative_letter":
        return (
            "Прошу розглянути ці пропозиції та "
            f"{term_phrase(term)} з дня їх одержання надати вмотивовану письмову відповідь."
        )
    return (
        f"Прошу {term_limit(term)} з дня одержання цього листа поінформувати про результати "
        "розгляду та вжиті заходи."
    )
