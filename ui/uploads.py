"""Uploads as pages read them: kind, header, read options (text column, group, text encoding).

Every page with an uploader reads its files through ``read_uploads``, so the widgets, their
keys (by position and name: the same file twice gets two sets) and the hashing are the same
everywhere.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

from ingest import UPLOAD_SUFFIXES, Problem, ReadOptions, TablePreview, has_text_encoding, is_table_name, table_preview
from ingest.decoding import is_single_byte
from ingest.expansion import declared_expansion
from ingest.text_column import PROFILED_COLUMNS
from ui.counts import content_digest, within_limits
from ui.formatting import escape_markdown, format_tokens
from ui.i18n import t
from ui.memory import piece_fits_share
from ui.settings import widget_key

UPLOAD_TYPES = sorted(s.lstrip(".") for s in UPLOAD_SUFFIXES)
# The choices of the "Text encoding" box; None is auto-detection.
TEXT_ENCODINGS: tuple[str | None, ...] = (None, "utf-8", "gb18030", "big5", "shift_jis", "utf-16", "cp1252",
                                           "latin-1")
PREVIEW_CACHE_ENTRIES = 64
# Entries about one upload are dropped an hour after they were made (the bounded caches of ui/memory.py aside).
UPLOAD_CACHE_SECONDS = 3600
_DIGESTS_KEY = "_upload_digests"
# The preview's header marks the counted column with this; its cells are cut to this length.
PREVIEW_MARK = "▶ "
PREVIEW_CHARS = 200
# The preview shows this many first columns (and the counted one): a million would take a minute to draw.
PREVIEW_COLUMNS = 50


def _deepcopy_sharing_bytes(self: UploadedFile, memo: dict) -> UploadedFile:
    """A copy of an upload that shares its bytes until one of them is written to (BytesIO's
    copy-on-write, as Streamlit's own UploadedFile means to be), at the same position."""
    record = UploadedFileRec(file_id=self.file_id, name=self.name, type=self.type, data=self.getvalue())
    copy = UploadedFile(record, self._file_urls)
    copy.seek(self.tell())
    memo[id(self)] = copy
    return copy


def share_upload_bytes() -> None:
    """Make the copies Streamlit hands a page of its uploads share their bytes (once per process).

    Streamlit deep-copies every widget's value on every run (SessionState.register_widget), and a
    BytesIO's deepcopy copies its buffer: each run of a page holding a 150 MB upload allocated
    150 MB more and held it for the run, slider changes included (streamlit/streamlit#9218). A
    copy-on-write copy is all the deepcopy is there for: user code cannot change what is stored.
    """
    UploadedFile.__deepcopy__ = _deepcopy_sharing_bytes


@dataclass(frozen=True)
class Upload:
    """One uploaded file as a page reads it. ``detected`` is where the detected encoding is
    shown once the file is read (see ``show_detected``); None when the user chose one."""

    name: str
    data: bytes
    digest: str
    options: ReadOptions
    detected: object = dataclasses.field(default=None, compare=False, repr=False)


def is_table(name: str) -> bool:
    """Whether ``name`` is read as a table (and so needs a column choice)."""
    return is_table_name(name)


@st.cache_data(max_entries=PREVIEW_CACHE_ENTRIES, ttl=UPLOAD_CACHE_SECONDS, show_spinner=False)
def _cached_preview(digest: str, name: str, options_key: tuple, _data: bytes) -> TablePreview:
    # An .xlsx preview means parsing the workbook: once per file and options, not once per rerun.
    if not piece_fits_share(declared_expansion(name, _data).largest_piece):
        return TablePreview([], [], None)  # even its first batch would pass one file's share: the count says so
    with within_limits():
        return table_preview(name, _data, ReadOptions(*options_key))


def upload_preview(
    name: str, data: bytes, options: ReadOptions = ReadOptions(), digest: str | None = None
) -> TablePreview:
    """The header, first rows and chosen text column of a table upload, read as ingest will read it.

    Cached by ``digest`` (the sha256 of ``data``, computed when not given), name and options.
    """
    return _cached_preview(digest or content_digest(data), name, dataclasses.astuple(options), data)


def upload_digest(file) -> str:
    """The sha256 of an uploaded file, computed once per upload (``file.file_id``) in a session."""
    # Hashing a 10 MB upload on every rerun would cost more than the rerun itself.
    digests = st.session_state.setdefault(_DIGESTS_KEY, {})
    if file.file_id not in digests:
        digests[file.file_id] = content_digest(file.getvalue())
    return digests[file.file_id]


def read_uploads(files, messages: str, key_prefix: str = "") -> list[Upload]:
    """The uploaded files, each with its read options, drawing the choices a file needs.

    Every file but a binary one (``ingest.has_text_encoding``) gets a "Text encoding" box
    (auto-detection or a named encoding); a table also
    gets its text column (by default the one ingest chooses by content) and an optional group
    column, then a preview of its first rows (see ``show_preview``). ``messages`` is the page's
    message prefix for the column labels (``{messages}_text_column``, ``_group_column``, ``_no_group``);
    widget keys are ``{key_prefix}column_{i}_{name}`` (and ``group_``, ``encoding_``).
    """
    uploads = []
    auto = t("upload_encoding_auto")
    for i, file in enumerate(files or []):
        data = file.getvalue()
        digest = upload_digest(file)
        # Labels are Markdown: the file name is user text, so it is escaped.
        shown_name = escape_markdown(file.name)
        table = is_table(file.name)
        boxes = st.columns(3) if table else [st.container()]
        encoding = detected = None
        if has_text_encoding(file.name, data):  # not for Parquet, Arrow, a workbook or a ZIP archive
            encoding = boxes[-1].selectbox(
                t("upload_encoding", file=shown_name), TEXT_ENCODINGS, key=f"{key_prefix}encoding_{i}_{file.name}",
                format_func=lambda e: auto if e is None else e, help=t("upload_encoding_help"),
            )
            detected = boxes[-1].empty() if encoding is None else None
        options = ReadOptions(encoding=encoding)
        preview = upload_preview(file.name, data, options, digest) if table else None
        # The columns reading chooses among are the ones offered: a million options would stall the browser.
        header = list(dict.fromkeys(preview.header[:PROFILED_COLUMNS])) if preview else []
        if header:
            # A share link's columns are the first choice when this file has them (else by content).
            linked = [c for c in st.session_state.get(widget_key("text_columns")) or () if c in header]
            linked_group = st.session_state.get(widget_key("group_column"))
            column = boxes[0].selectbox(
                t(f"{messages}_text_column", file=shown_name), header, key=f"{key_prefix}column_{i}_{file.name}",
                index=header.index(linked[0] if linked else preview.choice.column),
            )
            no_group = t(f"{messages}_no_group")  # looked up now, not when the label is drawn
            group = boxes[1].selectbox(
                t(f"{messages}_group_column", file=shown_name),
                [None, *header],
                key=f"{key_prefix}group_{i}_{file.name}",
                index=header.index(linked_group) + 1 if linked_group in header else 0,
                format_func=lambda c: no_group if c is None else c,
            )
            more = st.multiselect(
                t("upload_more_columns", file=shown_name), [c for c in header if c != column],
                default=[c for c in linked[1:] if c != column], key=f"{key_prefix}more_columns_{i}_{file.name}",
                help=t("upload_more_columns_help"), placeholder=t("choose_options"),
            )
            chosen = (column, *more) if more else column
            options = dataclasses.replace(options, column=chosen, group_by=group)
            remember_columns(chosen if more or column != preview.choice.column else None, group)
            if len(preview.header) > PROFILED_COLUMNS:
                st.caption(t("columns_not_offered", total=format_tokens(len(preview.header)),
                             offered=format_tokens(PROFILED_COLUMNS)))
            show_preview(preview, column)
        uploads.append(Upload(file.name, data, digest, options, detected))
    return uploads


def remember_columns(columns: str | tuple[str, ...] | None, group: str | None) -> None:
    """The text columns (None: the one chosen by content) and the group column the person chose,
    as the share-link settings ``text_columns`` and ``group_column``."""
    state = st.session_state
    state[widget_key("text_columns")] = [columns] if isinstance(columns, str) else list(columns or ())
    state[widget_key("group_column")] = group


def show_preview(preview: TablePreview, column: str) -> None:
    """The first rows of a table with the counted ``column`` marked, which column is counted and
    why, and a warning when it looks like ids, numbers, dates, links or nothing at all."""
    st.dataframe(preview_frame(preview, column), hide_index=True)
    if hidden := hidden_columns(preview, column):
        st.caption(t("columns_preview_more", count=format_tokens(hidden)))
    chosen = preview.choice.column
    how = "columns_counting_chosen" if column == chosen else "columns_counting_yours"
    st.caption(t(how, column=escape_markdown(column)))
    kind = preview.choice.looks_wrong(column)
    if kind is None:
        return
    warning = t(f"columns_looks_like_{kind}", column=escape_markdown(column))
    if preview.choice.is_text:
        hint = t("columns_try_chosen", column=escape_markdown(chosen))
    else:
        hint = t("columns_none_is_text")
    st.warning(t("columns_warning", problem=warning, hint=hint), icon=":material/warning:")


def preview_frame(preview: TablePreview, column: str) -> pd.DataFrame:
    """The preview's rows as a table whose header marks the counted ``column`` (PREVIEW_MARK) and
    shows it first, each cell cut to PREVIEW_CHARS characters; repeated or blank names are
    numbered to stay apart. Only the first PREVIEW_COLUMNS columns are shown, and the counted
    one wherever it is (``hidden_columns`` says how many are left out)."""
    names: list[str] = []
    kept: list[int] = []
    taken: set[str] = set()
    marked = False
    for index, name in enumerate(preview.header):
        counted = name == column and not marked
        marked = marked or counted
        if index >= PREVIEW_COLUMNS and not counted:
            continue
        if counted:
            first = len(names)
        shown = PREVIEW_MARK + name if counted else name
        names.append(shown if shown and shown not in taken else f"{shown} ({index + 1})")
        taken.add(names[-1])
        kept.append(index)
    if marked:  # the counted column first: on a phone the others run off the screen
        kept.insert(0, kept.pop(first))
        names.insert(0, names.pop(first))
    cut = [[_shortened(row[index]) for index in kept] for row in preview.rows]
    return pd.DataFrame(cut, columns=names, dtype="string")


def hidden_columns(preview: TablePreview, column: str) -> int:
    """How many of the preview's columns ``preview_frame`` leaves out."""
    header = preview.header
    counted_later = column in header and header.index(column) >= PREVIEW_COLUMNS
    return max(0, len(header) - PREVIEW_COLUMNS) - counted_later


def _shortened(cell: str) -> str:
    return cell if len(cell) <= PREVIEW_CHARS else cell[: PREVIEW_CHARS - 1] + "…"


def show_detected(upload: Upload, notes: tuple[Problem, ...] | list[Problem]) -> None:
    """Under an auto-detected upload's encoding box, the encoding it was read as (from the
    ``encoding_used`` note among ``notes``, the notes of its counted source); a warning with the
    way to choose another when it is a single-byte one (which reads any bytes, right or not)."""
    if upload.detected is None:
        return
    for note in notes:
        if note.code == "encoding_used":
            encoding = str(note.params["encoding"])
            if is_single_byte(encoding):
                upload.detected.warning(t("upload_encoding_single_byte", encoding=encoding), icon=":material/warning:")
            else:
                upload.detected.caption(t("upload_encoding_detected", encoding=encoding))
            return
