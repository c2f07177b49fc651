"""Closed sessions ended when their reconnect time is over, not when the next visitor comes.

Streamlit keeps a closed tab's session for ``server.disconnectedSessionTTL`` seconds in a cache
that forgets an entry only when the cache is next touched (a visitor connecting), and then drops
it without shutting it down: its uploads stay in the uploaded-file manager. After four sessions
closed, the server held 963 MB for minutes and refused uploads meanwhile. Called every few
seconds by the memory trimmer (``ui.memory.keep_releasing_memory``), this ends expired sessions
as Streamlit would on a logout, and drops the uploads of sessions Streamlit no longer knows.
"""

from __future__ import annotations

import contextlib


def end_expired_sessions(session_manager=None, uploaded_files=None) -> int:
    """Shut down the sessions whose reconnect time is over and remove the uploads of sessions
    that are neither connected nor kept for a reconnect (by default the running server's);
    returns how many sessions were ended or had their uploads removed. Does nothing outside a
    server, or where Streamlit's internals are not as expected."""
    if session_manager is None:
        from streamlit import runtime

        if not runtime.exists():
            return 0
        server = runtime.get_instance()
        session_manager = getattr(server, "_session_mgr", None)
        uploaded_files = getattr(server, "uploaded_file_mgr", None)
    storage = getattr(session_manager, "_session_storage", None)
    expire = getattr(getattr(storage, "_cache", None), "expire", None)
    ended = 0
    if callable(expire):
        with getattr(session_manager, "_storage_lock", None) or contextlib.nullcontext():
            expired = expire()
        for _, info in expired:
            info.session.shutdown()  # its uploads, media and script runner go, as on a logout
            ended += 1
    files = getattr(uploaded_files, "file_storage", None)
    if files is not None and hasattr(session_manager, "list_sessions"):
        known = {info.session.id for info in session_manager.list_sessions()}
        for session_id in [s for s in list(files) if s not in known]:
            uploaded_files.remove_session_files(session_id)
            ended += 1
    return ended
