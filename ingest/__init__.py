"""Reading what users bring (text, CSV/TSV, JSONL) into documents, with every problem kept."""

from ingest.documents import MESSAGES, Corpus, Document, Problem
from ingest.readers import ReadOptions, read_bytes, read_paths

__all__ = ["MESSAGES", "Corpus", "Document", "Problem", "ReadOptions", "read_bytes", "read_paths"]
