"""LLM API cost calculator: the router. Page config, navigation over app_pages/, shared sidebar.

Run with ``streamlit run app.py``; works offline on the embedded catalog.
"""

from __future__ import annotations

import streamlit as st

from ui.catalog import app_catalog
from ui.guard import friendly_errors
from ui.heap import freeze_warm_heap
from ui.i18n import t
from ui.links import open_link, show_custom_prices_banner, show_link_notices
from ui.memory import keep_releasing_memory, limit_malloc_arenas
from ui.sessions import end_expired_sessions
from ui.sidebar import render_sidebar, share_link_drawn, start_page_run, sync_link
from ui.uploads import share_upload_bytes

# (script, title message key, icon, url path). Adding a page is one line here.
PAGES = [
    ("app_pages/estimate.py", "page_estimate", ":material/calculate:", "estimate"),
    ("app_pages/languages.py", "page_languages", ":material/translate:", "languages"),
    ("app_pages/prices.py", "page_prices", ":material/sell:", "prices"),
    ("app_pages/requests.py", "page_requests", ":material/data_object:", "requests"),
]

# Uploads are handed to the pages without a copy of their bytes per run.
share_upload_bytes()

# Memory freed when sessions close goes back to the system: malloc arenas shared by the many
# script threads instead of one per thread; every 10 s, closed sessions whose reconnect time is
# over are ended (their uploads freed) and freed memory is handed back (ui/memory.py, ui/sessions.py).
limit_malloc_arenas()
keep_releasing_memory(first=end_expired_sessions)

# The browser tab's title in the user's language (the link's ``lang`` or the browser's locale).
st.set_page_config(page_title=t("app_title"), page_icon=":material/calculate:", layout="wide")
# At phone width a static table's first column (the model id) stays on one line instead of
# breaking "gpt-4o-mini" over three; the total comes second, so both stay on screen.
# Chinese headers ("输入 token 数") would otherwise break after every character in a narrow column.
st.html("<style>[data-testid='stTable'] tbody tr > :first-child * { white-space: nowrap; overflow-wrap: normal; }"
        " [data-testid='stTable'] thead th, [data-testid='stTable'] thead th * { white-space: nowrap !important; }"
        "</style>")  # !important: the header's Markdown paragraph has Streamlit's own, more specific rule

pages = [
    st.Page(script, title=t(title), icon=icon, url_path=path, default=(i == 0))
    for i, (script, title, icon, path) in enumerate(PAGES)
]
page = st.navigation(pages)
# The url path of the page shown (the default page's own ``url_path`` is "").
path = next((entry[3] for entry, p in zip(PAGES, pages) if p is page), PAGES[0][3])
# The opening link's custom prices, then its settings (only models whose tokens can be counted
# offline may be chosen; each part that cannot be used is dropped alone and named).
open_link(path)
catalog = app_catalog()
render_sidebar(catalog)
show_link_notices()
show_custom_prices_banner()
start_page_run()
with friendly_errors():
    page.run()

# After the page, whichever it was: the settings into the address bar and the share link at the
# sidebar's foot (unless the page's fragment drew them, as Estimate's does).
if not share_link_drawn():
    sync_link(path, st.sidebar)

# Once per process, at the end of its first run (before any upload can arrive): the garbage
# collection after every run then skips the warm heap.
freeze_warm_heap()
