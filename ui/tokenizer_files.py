"""The uploader of a vocabulary file no package ships (Gemma 3's model, for Gemini), shown where
a chosen model's count depends on it. The check and the registration are the core's
(``tokenizers.registry.give_vocabulary``); this module wires the widget and says what happened."""

from __future__ import annotations

import streamlit as st

from pricing.count_methods import ESTIMATE, estimated_with
from tokenizers.downloads import downloads_allowed
from tokenizers.registry import give_vocabulary, users_file_tokenizers
from tokenizers.vocabulary_files import NotThePinnedFile
from ui.formatting import escape_markdown
from ui.i18n import t

#: The uploader's key for a tokenizer's file (session state only: never in the share link).
KEY_PREFIX = "tokenizer_file_"


def offer_tokenizer_files(encodings: tuple[str, ...]) -> None:
    """For each of ``encodings`` whose file the user gives: an expander with the uploader, how the
    count is made without the file, and whether this server downloads it. Call before counting:
    an accepted file counts in the same run."""
    for entry in users_file_tokenizers(encodings):
        with st.expander(t("tokenizer_file_title", encoding=entry.encoding, models=", ".join(entry.models)),
                         expanded=False, icon=":material/key:"):
            upload = st.file_uploader(t("tokenizer_file_upload"), type=["model"], key=KEY_PREFIX + entry.encoding)
            wrong = _checked(entry.encoding, upload)
            if wrong is not None:
                st.error(t("tokenizer_file_wrong", file=escape_markdown(upload.name), encoding=entry.encoding,
                           sha256=wrong.sha256, pinned=wrong.pinned), icon=":material/block:")
            if entry.method == ESTIMATE:
                st.caption(t("tokenizer_file_intro", base=estimated_with(entry.encoding) or entry.encoding,
                             file=entry.vocabulary.path))
            else:
                st.success(t("tokenizer_file_in_use", encoding=entry.encoding), icon=":material/check_circle:")
            st.caption(t("tokenizer_file_downloads_on" if downloads_allowed() else "tokenizer_file_downloads_off"))


def _checked(encoding: str, upload) -> NotThePinnedFile | None:
    # Checked (and kept) once per upload, not on every rerun: the answer is remembered by file id.
    if upload is None:
        return None
    done = st.session_state.get(KEY_PREFIX + encoding + "_checked")
    if done is not None and done[0] == upload.file_id:
        return done[1]
    try:
        give_vocabulary(encoding, upload.getvalue())
        wrong = None
    except NotThePinnedFile as refused:
        wrong = refused
    st.session_state[KEY_PREFIX + encoding + "_checked"] = (upload.file_id, wrong)
    return wrong
