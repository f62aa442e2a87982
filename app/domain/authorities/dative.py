"""Dative forms of a head's position and name, offered when an authority's head is entered
(«Міністр юстиції України» → «Міністрові юстиції України», «Ольга Стефанішина» → «Ользі
СТЕФАНІШИНІЙ»). A suggestion only: the fields stay editable, and a lawyer checks them.

Uses pymorphy3 with its Ukrainian dictionary. In a position only the leading words in the
nominative change (up to and including the head noun); the genitive rest stays. In a name the
given name and surname (and a patronymic) are declined in the gender of the given name; the
surname is written in capitals (ДСТУ 4163:2020: «Власне ім'я ПРІЗВИЩЕ»).
"""

import functools
import re

_WORD = re.compile(r"[\w'’ʼ-]+|[^\w'’ʼ-]+")


@functools.cache
def _analyzer():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


def _case_like(source, word):
    if source.isupper() and len(source) > 1:
        return word.upper()
    if source[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def position_dative(position):
    """«Голова Державної кримінально-виконавчої служби України» → «Голові Державної …»."""
    out, done = [], False
    for token in _WORD.findall(position or ""):
        if done or not token[0].isalpha():
            out.append(token)
            continue
        parses = [
            p
            for p in _analyzer().parse(token)
            if p.tag.POS in ("NOUN", "ADJF") and p.tag.case in ("nomn", None)
        ]
        if not parses:
            done = True  # the first word not in the nominative: the rest is a complement
            out.append(token)
            continue
        parse = parses[0]
        inflected = parse.inflect({"datv"})
        out.append(_case_like(token, inflected.word) if inflected else token)
        if parse.tag.POS == "NOUN":
            done = True
    return "".join(out)


def name_dative(name):
    """«Ольга Стефанішина» → «Ользі СТЕФАНІШИНІЙ»; «Олександр Коваленко» → «Олександрові
    КОВАЛЕНКОВІ». Words it cannot decline are kept."""
    words = (name or "").split()
    if not words:
        return ""
    morph = _analyzer()
    given = [p for p in morph.parse(words[0]) if "Name" in p.tag]
    gender = given[0].tag.gender if given else None
    out = []
    for index, word in enumerate(words):
        wanted = "Name" if index == 0 else ("Patr" if index == 1 and len(words) > 2 else "Surn")
        parses = [p for p in morph.parse(word) if wanted in p.tag and p.tag.case == "nomn"]
        if gender:
            parses = [p for p in parses if p.tag.gender == gender] or parses
        inflected = parses[0].inflect({"datv"}) if parses else None
        form = inflected.word if inflected else word
        last = index == len(words) - 1 and len(words) > 1
        out.append(form.upper() if last else _case_like(word, form))
    return " ".join(out)


def suggest(position, name):
    return {"head_title": position_dative(position), "head_name": name_dative(name)}
