"""Memory back when sessions end (issue 21 item 5): a closed session whose reconnect time is
over is shut down and its uploads freed by the trimmer, without waiting for a next visitor
(Streamlit's session store forgets it only when touched, and never shuts it down)."""

from __future__ import annotations

import threading
import time

from streamlit.runtime.memory_session_storage import MemorySessionStorage
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.session_manager import SessionInfo
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from ui.sessions import end_expired_sessions

MB = 2**20


class Session:
    """What the store and the trimmer need of an AppSession: its id, and shutdown (which frees
    its uploads, as AppSession.shutdown does)."""

    def __init__(self, session_id: str, uploads: MemoryUploadedFileManager) -> None:
        self.id = session_id
        self.uploads = uploads
        self.shut_down = False

    def shutdown(self) -> None:
        self.shut_down = True
        self.uploads.remove_session_files(self.id)


class Sessions:
    """Streamlit's WebsocketSessionManager as far as the trimmer reads it: connected sessions
    and the store of closed ones kept for a reconnect."""

    def __init__(self, ttl_seconds: float) -> None:
        self._session_storage = MemorySessionStorage(ttl_seconds=ttl_seconds)
        self._storage_lock = threading.Lock()
        self.active: list[SessionInfo] = []

    def list_sessions(self) -> list[SessionInfo]:
        return self.active + self._session_storage.list()


def upload(files: MemoryUploadedFileManager, session_id: str, megabytes: int) -> None:
    files.add_file(session_id, UploadedFileRec(f"{session_id}-file", "a.csv", "text/csv", b"x" * (megabytes * MB)))


def test_closed_sessions_and_their_uploads_are_freed_once_their_reconnect_time_is_over():
    files = MemoryUploadedFileManager("/upload")
    sessions = Sessions(ttl_seconds=0.3)
    open_tab, closed = Session("open", files), [Session(f"closed{i}", files) for i in range(4)]
    sessions.active.append(SessionInfo(client=None, session=open_tab))
    for session in [open_tab, *closed]:
        upload(files, session.id, 5)
    for session in closed:  # four tabs closed: kept for a reconnect
        sessions._session_storage.save(SessionInfo(client=None, session=session))
    upload(files, "forgotten", 3)  # a session the store dropped without shutting it down
    assert files._total_bytes == 28 * MB

    assert end_expired_sessions(sessions, files) == 1  # within the reconnect time: only the forgotten one
    assert files._total_bytes == 25 * MB and not any(s.shut_down for s in closed)
    time.sleep(0.4)
    assert end_expired_sessions(sessions, files) == 4  # no visitor came: the trimmer ends them
    assert all(s.shut_down for s in closed) and not open_tab.shut_down
    assert set(files.file_storage) == {"open"} and files._total_bytes == 5 * MB
    assert end_expired_sessions(sessions, files) == 0


def test_outside_a_server_nothing_is_done():
    assert end_expired_sessions() == 0
