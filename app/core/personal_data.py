"""Personal data in Ukrainian texts, found by offline rules, and replaced consistently.

``find(text)`` returns the ``Finding``s of a text: names («Прізвище І.Б.», «І.Б. Прізвище»,
full three-part names), РНОКПП tax numbers (with their check digit), passport numbers (old
series «АА123456», ID-card 9 digits after «паспорт»), phone numbers (+380…, 0XX…), dates of
birth (near «народження», «р.н.»), addresses (вул., буд., кв.) and court or criminal case
numbers (№ 757/1234/24, № 12345/2024 near «справа», ЄУНП/ЄРДР numbers).

An ``Anonymiser`` replaces them across several texts of one document: the same person gets
the same label («особа 1», «особа 2», …) wherever and however the name is written; other data
become a bracketed word («[телефон]»).
"""

import re
from dataclasses import dataclass

_UP = "А-ЯІЇЄҐ"
_LOW = "а-яіїєґ'’ʼ"
_WORD = rf"[{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+)?"
_PATRONYMIC = rf"[{_UP}][{_LOW}]+?(?:ович|евич|йович|івн|ївн|овн|евн|ьович)[{_LOW}]*"
_INITIALS = rf"(?P<i1>[{_UP}])\.\s?(?P<i2>[{_UP}])\."
_B = rf"(?<![{_UP}{_LOW}\w])"
_E = rf"(?![{_UP}{_LOW}\w])"
_DATE = r"\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}|(?:19|20)\d{2}(?:\s?р(?:\.|оку)?)?"

#: Replacement words of the kinds that are not names.
PLACEHOLDERS = {
    "tax_number": "[РНОКПП]",
    "passport": "[паспорт]",
    "phone": "[телефон]",
    "birth_date": "[дата народження]",
    "address": "[адреса]",
    "case_number": "[номер справи]",
}
#: Kinds in the order they win when two findings overlap.
KINDS = ("case_number", "phone", "tax_number", "passport", "birth_date", "address", "name")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    #: The same person (or the same value) has the same key wherever it appears.
    key: str


_NAME_RULES = (
    # Прізвище І.Б.
    re.compile(rf"{_B}(?P<surname>{_WORD})\s+{_INITIALS}"),
    # І.Б. Прізвище
    re.compile(rf"{_B}{_INITIALS}\s?(?P<surname>{_WORD}){_E}"),
    # Прізвище Ім'я По батькові
    re.compile(
        rf"{_B}(?P<surname>{_WORD})\s+(?P<first>{_WORD})\s+(?P<patronymic>{_PATRONYMIC}){_E}"
    ),
    # Ім'я По батькові Прізвище
    re.compile(
        rf"{_B}(?P<first>{_WORD})\s+(?P<patronymic>{_PATRONYMIC})\s+(?P<surname>{_WORD}){_E}"
    ),
)

_RULES = {
    "phone": (
        re.compile(
            r"(?<![\d+])(?:\+380[\s-]?\(?\d{2}\)?|\+?38[\s-]?\(?0\d{2}\)?|\(?0\d{2}\)?)"
            r"[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}(?!\d)"
        ),
    ),
    "tax_number": (re.compile(r"(?<!\d)[1-9]\d{9}(?!\d)"),),
    "passport": (
        re.compile(rf"{_B}[{_UP}]{{2}}\s?№?\s?\d{{6}}(?!\d)"),
        re.compile(
            r"(?i:паспорт|id-картк|ід-картк|картк[аиі] \(?id)[^\d\n]{0,40}(?P<v>(?<!\d)\d{9}(?!\d))"
        ),
    ),
    "birth_date": (
        re.compile(rf"(?i:народжен\w*|нар\.|р\.\s?н\.)\s*:?\s*(?P<v>{_DATE})"),
        re.compile(rf"(?P<v>{_DATE})\s*(?i:р\.\s?н\.|року\s+народження|р\.\s+народження)"),
    ),
    "address": (
        re.compile(
            r"(?i:вул\.|вулиця|вулиці|просп\.|проспект|пров\.|провулок|бульв\.|бульвар)\s*"
            r"[^,;\n]{2,40}?,?\s*(?i:буд\.|будинок|б\.)\s*\d+[а-яА-Я]?(?:/\d+)?"
            r"(?:,?\s*(?i:кв\.|квартира)\s*\d+)?"
        ),
        re.compile(r"(?i:буд\.)\s*\d+[а-я]?(?:/\d+)?,?\s*(?i:кв\.)\s*\d+"),
    ),
    "case_number": (
        re.compile(r"№\s*\d{1,4}/\d{1,7}/\d{2}(?:-[а-як]{1,3})?"),
        re.compile(
            r"(?i:справ[аиіу]|провадженн\w*|ухвал\w*|вирок\w*|рішенн\w*)[^№\n]{0,30}"
            r"(?P<v>№\s*\d{3,7}/\d{4})"
        ),
        re.compile(r"(?:ЄУНП|ЄРДР)[^\d\n]{0,20}(?P<v>\d{5,17})"),
        re.compile(r"(?<!\d)\d{17}(?!\d)"),
    ),
}


def tax_number_valid(digits: str) -> bool:
    """The check digit of a РНОКПП (10 digits)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    weights = (-1, 5, 7, 9, 4, 6, 10, 5, 7)
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=False))
    return total % 11 % 10 == int(digits[9])


def find(text: str) -> list[Finding]:
    """The personal data in ``text``, in order, without overlaps."""
    if not text:
        return []
    found = []
    for kind, rules in _RULES.items():
        for rule in rules:
            for m in rule.finditer(text):
                start, end = m.span("v") if "v" in rule.groupindex else m.span()
                value = text[start:end]
                if kind == "tax_number" and not tax_number_valid(value):
                    continue
                found.append(Finding(kind, start, end, value, _value_key(kind, value)))
    for rule in _NAME_RULES:
        for m in rule.finditer(text):
            found.append(Finding("name", m.start(), m.end(), m.group(0), _person_key(m)))
    return _without_overlaps(found)


def _value_key(kind, value):
    return kind + ":" + re.sub(r"\D", "", value) if kind != "address" else value.casefold()


def _person_key(match) -> str:
    groups = match.groupdict()
    if groups.get("i1"):
        initials = groups["i1"] + groups["i2"]
    else:
        initials = groups["first"][0] + groups["patronymic"][0]
    surname = groups["surname"].casefold()
    # Declension changes the ending: Коваленко, Коваленка, Коваленку are one person.
    stem = surname[: max(4, len(surname) - 2)]
    return f"name:{initials}:{stem}"


def _without_overlaps(found):
    rank = {kind: i for i, kind in enumerate(KINDS)}
    found.sort(key=lambda f: (rank[f.kind], -(f.end - f.start), f.start))
    kept = []
    for finding in found:
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


class Anonymiser:
    """Replaces personal data in the texts of one document, consistently across them."""

    def __init__(self):
        self.labels: dict[str, str] = {}

    def label(self, finding: Finding) -> str:
        if finding.kind != "name":
            return PLACEHOLDERS[finding.kind]
        if finding.key not in self.labels:
            self.labels[finding.key] = f"особа {len(self.labels) + 1}"
        return self.labels[finding.key]

    def __call__(self, text):
        """``text`` with its personal data replaced (anything not a str is returned as is)."""
        if not isinstance(text, str) or not text:
            return text
        findings = find(text)
        if not findings:
            return text
        labels = [self.label(f) for f in findings]  # in reading order: «особа 1» comes first
        out = []
        position = 0
        for finding, label in zip(findings, labels, strict=True):
            out.append(text[position : finding.start])
            out.append(label)
            position = finding.end
        out.append(text[position:])
        return "".join(out)


def highlight(text: str, findings=None):
    """``text`` split into ``(piece, kind or None)`` for showing findings highlighted."""
    findings = find(text) if findings is None else findings
    pieces, position = [], 0
    for finding in findings:
        if finding.start > position:
            pieces.append((text[position : finding.start], None))
        pieces.append((finding.text, finding.kind))
        position = finding.end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces
