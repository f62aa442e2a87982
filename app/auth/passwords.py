"""Password rules: long enough, not among the commonest passwords, not made of the user's own
e-mail or name (ASVS 2.1)."""

import re
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_PASSWORD = 10
MAX_PASSWORD = 200

#: The most common passwords of eight characters or more (zxcvbn's frequency list, MIT
#: licence, plus a few local ones), one a line, lower case.
COMMON_FILE = Path(__file__).parent / "data" / "common-passwords.txt"


@cache
def common_passwords():
    return frozenset(COMMON_FILE.read_text(encoding="utf-8").split())


def _parts(text, *, split):
    return [p for p in re.split(split, (text or "").lower()) if len(p) >= 3]


def password_problems(password, email="", name=""):
    """What is wrong with ``password`` for this user, as messages (empty: acceptable)."""
    password = password or ""
    lowered = password.lower()
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(_l("The password must have at least %(n)s characters.", n=MIN_PASSWORD))
    elif len(password) > MAX_PASSWORD:
        problems.append(_l("The password must have at most %(n)s characters.", n=MAX_PASSWORD))
    if lowered in common_passwords() or lowered.strip("0123456789!._-") in common_passwords():
        problems.append(_l("This password is one of the most common ones; choose another."))
    local = (email or "").partition("@")[0].lower()
    if local and (local in lowered or any(p in lowered for p in _parts(local, split=r"[._+-]"))):
        problems.append(_l("The password must not contain your e-mail address."))
    if any(p in lowered for p in _parts(name, split=r"[\s'’.-]+")):
        problems.append(_l("The password must not contain your name."))
    return problems
