"""format=csv|xlsx on every list: the whole filtered list as a file with Ukrainian headers."""

import csv
import io

from openpyxl import load_workbook


def rows_of(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    if response.mimetype == "text/csv":
        return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def test_every_list_as_a_file(registry, make_rec, api_for, users):
    for n in range(3):
        make_rec(f"Рекомендація {n}")
    api = api_for(users["lawyer"])
    recs = rows_of(api.get("/recommendations?format=csv&per_page=1"))
    assert recs[0][:2] == ["№", "Рекомендація"] and len(recs) == 4
    assert rows_of(api.get("/facilities?format=xlsx"))[1][1] == registry["facility"].name
    assert (
        rows_of(api.get("/authorities?format=csv&kind=agency"))[1][5] == registry["ministry"].name
    )
    assert rows_of(api.get("/visits?format=csv"))[1][1] == registry["facility"].name
    assert rows_of(api.get("/acts?format=xlsx"))[0][0] == "№"
    assert api.get("/recommendations?format=pdf").status_code == 422


def test_openapi_lists_take_format(app, db):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    for path in ("/recommendations", "/facilities", "/authorities", "/visits", "/search"):
        names = [p.get("name") for p in spec["paths"][path]["get"]["parameters"]]
        assert "format" in names, path
