"""Form helpers shared by every feature."""

from wtforms import SelectChoice


def options(pairs, blank=None):
    """Select options from (value, label) pairs, optionally led by a blank 'none' option."""
    items = [SelectChoice(value, label) for value, label in pairs]
    return ([SelectChoice("", blank)] if blank is not None else []) + items
