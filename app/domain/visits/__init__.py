"""Monitoring visits to facilities and their teams."""

from datetime import date

#: No visit can start before the National Preventive Mechanism existed (OPCAT, 2012): the one
#: bound for the forms, the API and the import.
EARLIEST_VISIT = date(2012, 1, 1)
