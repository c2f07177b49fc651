"""LLM API cost calculator: the router. Page config, navigation over app_pages/, shared sidebar.

Run with ``streamlit run app.py``; works offline on the embedded catalog.
"""

from __future__ import annotations

import streamlit as st

from ui.catalog import app_catalog, countable_ids
from ui.guard import friendly_errors
from ui.i18n import t
from ui.settings import load_into_state, settings_from_state, sync_shared_text, write_query_params
from ui.sidebar import render_share_link, render_sidebar, show_bad_params_notice

# (script, title message key, icon, url path). Adding a page is one line here.
PAGES = [
    ("app_pages/estimate.py", "page_estimate", ":material/calculate:", "estimate"),
    ("app_pages/languages.py", "page_languages", ":material/translate:", "languages"),
    ("app_pages/prices.py", "page_prices", ":material/sell:", "prices"),
    ("app_pages/requests.py", "page_requests", ":material/data_object:", "requests"),
]

st.set_page_config(page_title="LLM API cost calculator", page_icon=":material/calculate:", layout="wide")

catalog = app_catalog()
# Only models whose tokens can be counted offline may be chosen (a link naming another falls back).
load_into_state(set(countable_ids(catalog)))
render_sidebar(catalog)
share_box = st.sidebar.container()

pages = [
    st.Page(script, title=t(title), icon=icon, url_path=path, default=(i == 0))
    for i, (script, title, icon, path) in enumerate(PAGES)
]
page = st.navigation(pages)
show_bad_params_notice()
with friendly_errors():
    page.run()

# After the page, whichever it was: the shared text box (Estimate, Languages) may have changed.
text_too_long = sync_shared_text()
settings = settings_from_state()
write_query_params(settings)
render_share_link(share_box, settings, text_too_long)
