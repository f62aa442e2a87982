"""Read a form from a page as a browser does: its hidden fields (the CSRF token, the one-time
token), text inputs, text areas, checked boxes and selected options."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.depth = 0  # inside the wanted form when > 0
        self.fields = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if self.depth or (a.get("action") or "") == self.action:
                self.depth += 1
            return
        if not self.depth:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append(
                    (a["name"], a.get("value") or ("on" if kind == "checkbox" else ""))
                )
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.depth:
            self.depth -= 1


def read_form(html, action=""):
    """The fields a browser would send from the form whose action is ``action`` ("" = the page
    itself), as a list of (name, value) pairs."""
    reader = _FormReader(action)
    reader.feed(html)
    return reader.fields


def as_data(fields, **changes):
    """A dict for the test client (lists for repeated names), with ``changes`` applied."""
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    data = {k: v[0] if len(v) == 1 else v for k, v in data.items()}
    data.update(changes)
    return data
