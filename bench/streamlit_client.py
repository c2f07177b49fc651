"""A lightweight Streamlit client for load tests: one websocket session, no browser.

It speaks the protocol the browser speaks (protobuf BackMsg / ForwardMsg over
``/_stcore/stream``): asks for a run with a query string and widget values, reads the deltas
back until ``script_finished``, remembers each widget's id by its label, and uploads files by
HTTP PUT to ``/_stcore/upload_file`` the way the file uploader does. A client costs a few
milliseconds of CPU per run, so the server's cost is what a load test measures, not the
browsers'. Needs a server started with ``--server.enableXsrfProtection false`` (it sends no
XSRF cookie). A widget drawn inside an ``st.fragment`` is changed as the browser changes it:
the next run is a rerun of that fragment alone. Used by ``bench/load.py`` and
``bench/rerun_speed.py``.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlparse

import requests
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import connect

# Element types whose proto has an ``id`` and a ``label``: the widgets a client can set.
_WIDGETS = ("number_input", "slider", "text_area", "text_input", "selectbox", "multiselect", "file_uploader",
            "checkbox", "toggle", "radio", "date_input", "segmented_control", "button_group")


@dataclass
class Run:
    """What one run of the page sent back: metric cards (label -> value), the other texts
    (markdown, captions, alerts, code blocks), the labels of the widgets drawn, whether an
    exception was shown, the wall time, how many elements were sent, the query string the page set (None: unchanged) and the
    fragment that was rerun (None: the whole page)."""

    seconds: float
    metrics: dict[str, str] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    widgets: list[str] = field(default_factory=list)
    exception: str | None = None
    elements: int = 0
    query_string: str | None = None
    fragment_id: str | None = None


class StreamlitSession:
    """One browser-like session of the app at ``url`` (``http://127.0.0.1:PORT``)."""

    def __init__(self, url: str, query: str = "", timeout: float = 600, page: str = "") -> None:
        self.url = url.rstrip("/")
        self.query = query
        self.page = page  # a page's url path ("requests"); "" is the default page
        self.timeout = timeout
        host = urlparse(self.url).netloc
        # One connection held open across calls (closed by close()), not a with-block: websockets
        # asks for legacy=True to say so.
        self._ws = connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                           open_timeout=30, close_timeout=5, legacy=True)
        self.session_id = ""
        self.widget_ids: dict[str, str] = {}  # label -> widget id
        self._widget_types: dict[str, str] = {}  # widget id -> element type
        self._states: dict[str, WidgetState] = {}  # widget id -> the value we set
        self._fragments: dict[str, str] = {}  # widget id -> the fragment that drew it
        self._changed_fragments: set[str] = set()  # fragments of the widgets set since the last run ("": none)

    def close(self) -> None:
        self._ws.close()

    def run(self) -> Run:
        """Ask for a rerun with the widget values set so far; wait for it to finish."""
        message = BackMsg()
        message.rerun_script.query_string = self.query
        message.rerun_script.page_name = self.page
        message.rerun_script.widget_states.widgets.extend(self._states.values())
        # As the browser does: a change of widgets of one fragment reruns that fragment alone.
        fragment = next(iter(self._changed_fragments)) if len(self._changed_fragments) == 1 else ""
        message.rerun_script.fragment_id = fragment
        self._changed_fragments = set()
        started = time.monotonic()
        self._ws.send(message.SerializeToString())
        run = Run(seconds=0.0, fragment_id=fragment or None)
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(self._ws.recv(timeout=self.timeout))
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.session_id = forward.new_session.initialize.session_id
            elif kind == "page_info_changed":
                run.query_string = forward.page_info_changed.query_string
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                run.elements += 1
                self._read_element(forward.delta.new_element, run, forward.delta.fragment_id)
            elif kind == "script_finished":
                run.seconds = time.monotonic() - started
                return run

    def _read_element(self, element, run: Run, fragment_id: str = "") -> None:
        kind = element.WhichOneof("type")
        if kind == "metric":
            run.metrics[element.metric.label] = element.metric.body
        elif kind in ("markdown", "alert"):
            run.texts.append(getattr(element, kind).body)
        elif kind == "code":
            run.texts.append(element.code.code_text)
        elif kind == "exception":
            run.exception = element.exception.message or element.exception.type
        elif kind in _WIDGETS:
            widget = getattr(element, kind)
            self.widget_ids[widget.label] = widget.id
            run.widgets.append(widget.label)
            self._widget_types[widget.id] = kind
            self._fragments[widget.id] = fragment_id

    def set_value(self, label: str, value: object) -> None:
        """Set the widget labelled ``label`` (seen in an earlier run) to ``value`` for the next run."""
        widget_id = self.widget_ids[label]
        state = WidgetState(id=widget_id)
        kind = self._widget_types[widget_id]
        if isinstance(value, bool):
            state.bool_value = value
        elif isinstance(value, list) and kind == "multiselect":
            state.string_array_value.data.extend(value)
        elif isinstance(value, int) and kind == "number_input":
            state.int_value = value
        elif isinstance(value, float):
            state.double_value = value
        elif isinstance(value, str):
            state.string_value = value
        else:
            raise TypeError(f"cannot set {kind} {label!r} to {value!r}")
        self._states[widget_id] = state
        self._changed_fragments.add(self._fragments.get(widget_id, ""))

    def upload(self, label: str, name: str, data: bytes, content_type: str = "text/csv") -> None:
        """Upload ``data`` as the file ``name`` into the file uploader labelled ``label`` (for the next run)."""
        file_id = uuid.uuid4().hex
        upload_url = f"{self.url}/_stcore/upload_file/{self.session_id}/{file_id}"
        response = requests.put(upload_url, files={"file": (name, data, content_type)}, timeout=self.timeout)
        response.raise_for_status()
        widget_id = self.widget_ids[label]
        info = UploadedFileInfo(name=name, size=len(data), file_id=file_id)
        info.file_urls.file_id = file_id
        info.file_urls.upload_url = f"/_stcore/upload_file/{self.session_id}/{file_id}"
        info.file_urls.delete_url = info.file_urls.upload_url
        state = WidgetState(id=widget_id)
        state.file_uploader_state_value.uploaded_file_info.append(info)
        self._states[widget_id] = state
        self._changed_fragments.add(self._fragments.get(widget_id, ""))
