"""Writing authorities."""

from app.domain.authorities.models import Authority
from app.extensions import db

FIELDS = ("name", "kind", "email", "postal_address", "head_title", "head_name", "parent_id")


def save_authority(form, authority=None):
    """Create or update an authority from a validated form; flushes, does not commit."""
    if authority is None:
        authority = Authority()
        db.session.add(authority)
    data = form.data
    for name in FIELDS:
        value = data[name]
        setattr(authority, name, value.strip() if isinstance(value, str) else value)
    authority.email = (authority.email or "").lower() or None
    db.session.flush()
    return authority
