"""The first page each role sees."""

from flask import redirect, url_for


def home_for(user):
    if user.role == "admin":
        return redirect(url_for("auth.users"))
    if user.role == "monitor":
        return redirect(url_for("visits.index", mine=1))
    return redirect(url_for("visits.index"))
