"""The first page each role sees."""


def home_for(user):
    from app.domain.followup.routes import home_page

    return home_page(user)
