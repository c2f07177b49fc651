"""Pages never show a traceback: unexpected errors become one translated message."""

from __future__ import annotations

import contextlib
import logging
from typing import Iterator

import streamlit as st

from ui.i18n import t

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def friendly_errors() -> Iterator[None]:
    """Run page work; an unexpected error is logged for the operator and shown as a short message.

    Streamlit's own control flow (st.rerun, st.stop) derives from BaseException and passes through.
    """
    try:
        yield
    except Exception:
        logger.exception("page failed")
        st.error(t("error_unexpected"), icon=":material/error:")
