"""Writing authorities."""

from app.core.audit import record_audit
from app.domain.authorities.models import Authority
from app.extensions import db

FIELDS = ("name", "kind", "email", "postal_address", "head_title", "head_name", "parent_id")


def save_authority(data, authority=None, actor=None):
    """Create or update an authority from validated values (a page's form or an API body);
    flushes, does not commit."""
    is_new = authority is None
    before = {} if is_new else {name: getattr(authority, name) for name in FIELDS}
    if is_new:
        authority = Authority()
        db.session.add(authority)
    for name in FIELDS:
        value = data[name]
        setattr(authority, name, value.strip() if isinstance(value, str) else value)
    authority.email = (authority.email or "").lower() or None
    db.session.flush()
    changes = {
        name: [before.get(name), getattr(authority, name)]
        for name in FIELDS
        if is_new or before[name] != getattr(authority, name)
    }
    if changes:
        event = "authority.created" if is_new else "authority.updated"
        record_audit(event, actor, subject=authority, details=changes)
    return authority
