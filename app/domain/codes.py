"""The coded values of INTERFACE.md and their labels (the API speaks codes, pages labels)."""

from flask_babel import lazy_gettext as _l

AUTHORITY_KINDS = {
    "ministry": _l("Ministry"),
    "agency": _l("Central agency"),
    "regional_body": _l("Regional body"),
    "local_council": _l("Local council"),
    "facility_administration": _l("Facility administration"),
    "other": _l("Other"),
}

FACILITY_TYPES = {
    "prison_colony": _l("Prison colony, correctional centre"),
    "sizo": _l("Pre-trial detention centre (SIZO)"),
    "juvenile_colony": _l("Juvenile colony"),
    "itt_police": _l("Police temporary detention (ITT)"),
    "police_custody": _l("Police custody rooms"),
    "migrant_centre": _l("Migrant holding facility"),
    "border_guard": _l("Border guard premises"),
    "military": _l("Military detention"),
    "psychiatric_hospital": _l("Psychiatric hospital"),
    "social_care_home": _l("Psychoneurological / care home"),
    "children_institution": _l("Children's institution"),
    "other": _l("Other"),
}

#: ISO 3166-2:UA: the 24 oblasts, Kyiv, Sevastopol and Crimea.
REGIONS = {
    "UA-05": _l("Vinnytsia Oblast"),
    "UA-07": _l("Volyn Oblast"),
    "UA-09": _l("Luhansk Oblast"),
    "UA-12": _l("Dnipropetrovsk Oblast"),
    "UA-14": _l("Donetsk Oblast"),
    "UA-18": _l("Zhytomyr Oblast"),
    "UA-21": _l("Zakarpattia Oblast"),
    "UA-23": _l("Zaporizhzhia Oblast"),
    "UA-26": _l("Ivano-Frankivsk Oblast"),
    "UA-30": _l("Kyiv"),
    "UA-32": _l("Kyiv Oblast"),
    "UA-35": _l("Kirovohrad Oblast"),
    "UA-40": _l("Sevastopol"),
    "UA-43": _l("Autonomous Republic of Crimea"),
    "UA-46": _l("Lviv Oblast"),
    "UA-48": _l("Mykolaiv Oblast"),
    "UA-51": _l("Odesa Oblast"),
    "UA-53": _l("Poltava Oblast"),
    "UA-56": _l("Rivne Oblast"),
    "UA-59": _l("Sumy Oblast"),
    "UA-61": _l("Ternopil Oblast"),
    "UA-63": _l("Kharkiv Oblast"),
    "UA-65": _l("Kherson Oblast"),
    "UA-68": _l("Khmelnytskyi Oblast"),
    "UA-71": _l("Cherkasy Oblast"),
    "UA-74": _l("Chernihiv Oblast"),
    "UA-77": _l("Chernivtsi Oblast"),
}

VISIT_KINDS = {
    "planned": _l("Planned"),
    "follow_up": _l("Follow-up"),
    "ad_hoc": _l("Ad hoc"),
    "thematic": _l("Thematic"),
    "remote": _l("Remote"),
}

THEMES = {
    "treatment": _l("Treatment"),
    "safeguards": _l("Legal safeguards"),
    "conditions": _l("Material conditions"),
    "regime": _l("Regime and contact with the outside world"),
    "health": _l("Health care"),
    "staff": _l("Staff"),
    "vulnerable": _l("Vulnerable groups"),
    "legal": _l("Legislation and systemic issues"),
    "safety": _l("Safety and shelters"),
}

PRIORITIES = {
    "urgent": _l("Urgent"),
    "high": _l("High"),
    "medium": _l("Medium"),
    "low": _l("Low"),
}

ROLES = {
    "admin": _l("Administrator"),
    "lawyer": _l("Lawyer"),
    "monitor": _l("Monitor"),
}


def choices(codes, blank=None):
    """WTForms choices from a code table, optionally with a leading blank option."""
    from app.core.forms import options

    return options(codes.items(), blank)


def label(codes, code):
    return codes.get(code, code) if code else ""
