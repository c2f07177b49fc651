"""Reading what users bring (text in any common encoding, CSV/TSV, XLSX, JSON, JSONL) into
documents, with every problem kept as a code (see ``MESSAGES``)."""

from ingest.columns import (
    UPLOAD_SUFFIXES,
    TablePreview,
    has_text_encoding,
    is_table_name,
    table_columns,
    table_preview,
)
from ingest.documents import MESSAGES, NOTE_CODES, Corpus, Document, Problem
from ingest.options import ReadOptions
from ingest.readers import read_bytes, read_paths
from ingest.streaming import iter_documents, iter_files
from ingest.text_column import ColumnChoice, ColumnProfile, choose_text_column, profile_columns

__all__ = [
    "MESSAGES",
    "ColumnChoice",
    "ColumnProfile",
    "UPLOAD_SUFFIXES",
    "NOTE_CODES",
    "Corpus",
    "Document",
    "Problem",
    "ReadOptions",
    "TablePreview",
    "iter_documents",
    "iter_files",
    "read_bytes",
    "read_paths",
    "has_text_encoding",
    "is_table_name",
    "table_columns",
    "table_preview",
    "choose_text_column",
    "profile_columns",
]
