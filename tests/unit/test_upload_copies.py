"""Streamlit's per-run deepcopy of an upload shares its bytes (copy-on-write), never copies them."""

from __future__ import annotations

import copy
import tracemalloc

from streamlit.runtime.state.session_state import SessionState
from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

from ui.uploads import share_upload_bytes

MB = 2**20


def test_the_copy_a_page_gets_shares_the_stored_bytes_and_keeps_name_id_type_and_position():
    share_upload_bytes()
    record = UploadedFileRec(file_id="f1", name="reviews.csv", type="text/csv", data=b"text,lang\n" + b"x" * MB)
    original = UploadedFile(record, None)
    original.seek(7)
    tracemalloc.start()
    try:
        copied = copy.deepcopy([original])[0]  # what SessionState.register_widget does each run
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MB // 10  # before: the whole megabyte copied
    assert copied.getvalue() is record.data
    assert (copied.file_id, copied.name, copied.type, copied.size, copied.tell()) == ("f1", "reviews.csv", "text/csv",
                                                                                     len(record.data), 7)
    assert copied == original and copied is not original


def test_writing_to_the_copy_leaves_the_stored_upload_as_it_was():
    share_upload_bytes()
    record = UploadedFileRec(file_id="f2", name="a.txt", type="text/plain", data=b"abcdef")
    copied = copy.deepcopy(UploadedFile(record, None))
    copied.write(b"XY")
    assert copied.getvalue() == b"XYcdef"
    assert record.data == b"abcdef" and UploadedFile(record, None).read() == b"abcdef"


def test_streamlit_still_deep_copies_widget_values():
    # The reason for share_upload_bytes: if Streamlit stops copying, it may go.
    import inspect

    assert "deepcopy(widget_value)" in inspect.getsource(SessionState.register_widget)
