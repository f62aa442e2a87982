"""Today's date as the Secretariat sees it (Europe/Kyiv)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

KYIV = ZoneInfo("Europe/Kyiv")


def today() -> date:
    return datetime.now(KYIV).date()


def to_kyiv(value: datetime) -> datetime:
    return value.astimezone(KYIV)
