"""A large sheet is imported by a worker: the confirmation leads to the import's page, which
polls its live part until the run is done (or failed, saving nothing); only the uploader sees
it."""

import io

import pytest
import sqlalchemy as sa

from app.domain.recommendations.models import Recommendation
from tests.imports.support import rows, xlsx

LIVE = 'data-live-url="/imports/runs/{token}/live"'


@pytest.fixture
def every_import_in_background(app):
    saved = app.config["IMPORT_BACKGROUND_BYTES"]
    app.config["IMPORT_BACKGROUND_BYTES"] = 0
    yield
    app.config["IMPORT_BACKGROUND_BYTES"] = saved


def _confirm(client, content):
    page = client.post(
        "/imports",
        data={"file": (io.BytesIO(content), "big.xlsx")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    token = html.split('name="token" type="hidden" value="')[1].split('"')[0]
    return token, client.post("/imports/confirm", data={"token": token})


def _count(db):
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Recommendation))


def test_a_large_import_runs_in_a_worker_and_its_page_follows_it(
    db, registry, users, client_for, run_jobs, every_import_in_background
):
    client = client_for(users["lawyer"])
    token, confirmed = _confirm(client, xlsx(rows(3)))
    assert confirmed.status_code == 303
    assert confirmed.headers["Location"].endswith(f"/imports/runs/{token}")
    assert _count(db) == 0
    page = client.get(f"/imports/runs/{token}").get_data(as_text=True)
    assert LIVE.format(token=token) in page and "big.xlsx" in page
    assert "Файл чекає на обробку" in page
    assert client_for(users["admin"]).get(f"/imports/runs/{token}/live").status_code == 404
    run_jobs()
    live = client.get(f"/imports/runs/{token}/live").get_data(as_text=True)
    assert LIVE.format(token=token) not in live  # done: the page stops asking
    assert "Імпортовано: створено 3, оновлено 0." in live and 'href="/recommendations/"' in live
    assert _count(db) == 3
    run_jobs()  # a repeated job does nothing
    assert _count(db) == 3


def test_a_failed_run_saves_nothing_and_says_why(
    db, registry, users, client_for, run_jobs, every_import_in_background
):
    client = client_for(users["lawyer"])
    token, confirmed = _confirm(client, xlsx(rows(2)))
    assert confirmed.status_code == 303
    registry["facility"].name = "Перейменована установа"  # the sheet's facility is gone now
    db.session.commit()
    run_jobs()
    live = client.get(f"/imports/runs/{token}/live").get_data(as_text=True)
    assert LIVE.format(token=token) not in live and 'id="import-failed"' in live
    assert "Нічого не імпортовано" in live and "рядок 2" in live
    assert _count(db) == 0


def test_a_small_import_still_finishes_in_the_request(db, registry, users, client_for):
    token, confirmed = _confirm(client_for(users["lawyer"]), xlsx(rows(2)))
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith(
        "/recommendations/"
    )
    assert _count(db) == 2
