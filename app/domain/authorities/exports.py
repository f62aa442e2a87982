"""The columns of an exported list of authorities (the API); headers are msgids, files carry
them in Ukrainian."""

from flask_babel import lazy_gettext as _l

from app.core.exports import Column
from app.domain import codes
from app.domain.recommendations.exports import coded

COLUMNS = [
    Column("№", "id", 8),
    Column(_l("Name"), "name", 50),
    Column(_l("Kind"), coded(codes.AUTHORITY_KINDS, "kind"), 28),
    Column(_l("E-mail"), "email", 28),
    Column(_l("Postal address"), "postal_address", 40),
    Column(_l("Supervising authority"), "parent.name", 40),
]
