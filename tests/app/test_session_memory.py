"""What a session makes for itself stays in the session, so it goes when the session closes."""

from __future__ import annotations

import csv
import io

DAY = {"date": "2025-01-15", "lang": "en"}
TABLE = b"id,review\n1,The kettle boils fast\n2,Le couvercle ferme mal\n"


def test_a_tables_rows_file_is_kept_in_its_session_and_made_again_when_the_models_change(open_app):
    from streamlit.runtime.caching import cache_data_api

    at = open_app({**DAY, "models": "gpt-4o-mini"})
    at.file_uploader(key="estimate_files").set_value([("reviews.csv", TABLE, "text/csv")]).run()
    assert not at.exception
    assert "Rows of reviews.csv with counts and costs (CSV)" in [b.label for b in at.download_button]
    key, made = at.session_state["_rows_csv_0"]
    rows = list(csv.reader(io.StringIO(made.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "review", "source"] and rows[0][-1] == "cost_usd_gpt-4o-mini"
    assert [r[:2] for r in rows[1:]] == [["1", "The kettle boils fast"], ["2", "Le couvercle ferme mal"]]
    at.run()  # a rerun that changes nothing hands back the same file, not a new one
    assert at.session_state["_rows_csv_0"][1] is made
    # No cache shared by every session holds a copy after this one has closed.
    shared = cache_data_api.get_data_cache_stats_provider().get_stats()
    assert not any("_rows_csv" in stat.cache_name for family in shared.values() for stat in family)
    at.sidebar.multiselect(key="s_models").set_value(["gpt-4o-mini", "gpt-4o"]).run()
    new_key, remade = at.session_state["_rows_csv_0"]
    assert new_key != key and next(csv.reader(io.StringIO(remade.decode("utf-8-sig"))))[-2:] == [
        "cost_usd_gpt-4o-mini", "cost_usd_gpt-4o"]


def test_a_big_tables_rows_file_is_made_only_when_asked_for(open_app):
    # Made with the page, the file of a 5 MB CSV (10,848 rows) was a third of the server's CPU
    # for the upload; past EAGER_ROWS (5,000) the page offers to make it instead.
    rows = 5_001
    table = ("id,review\n" + "".join(f"{i},review number {i}\n" for i in range(rows))).encode()
    at = open_app({**DAY, "models": "gpt-4o-mini"})
    at.file_uploader(key="estimate_files").set_value([("big.csv", table, "text/csv")]).run()
    assert not at.exception
    assert "_rows_csv_0" not in at.session_state
    assert not any(b.label.startswith("Rows of big.csv") for b in at.download_button)
    prepare = next(b for b in at.button if b.label == "Prepare the rows of big.csv with counts and costs (5,001 rows, CSV)")
    prepare.click().run()
    assert "Rows of big.csv with counts and costs (CSV)" in [b.label for b in at.download_button]
    made = at.session_state["_rows_csv_0"][1]
    assert len(made.decode("utf-8-sig").strip().splitlines()) == rows + 1
