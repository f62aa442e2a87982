"""Wiring of the generic workflow engine to the domain's workflows (added with the engine)."""


def init_app(app):
    return None
