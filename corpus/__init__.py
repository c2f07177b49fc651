"""A user's corpus read and counted: bytes to counts, on one process or a Dask cluster.

The room between ``tokenizers`` and ``pricing``: it imports ``ingest`` (bytes to documents that
know their place) and ``tokenizers`` (documents to counts), never ``pricing``; ``pricing``, the
app and the CLI import it. What to count on (the tokenizers the chosen models need) and what to
sum per document (long-context thresholds) are handed in by the caller.

- ``corpus.pipeline``: the one read -> count pipeline (``count_source`` for an upload's bytes,
  ``count_inputs`` for the CLI's paths).
- ``corpus.sources``: how each source was read (``SourceInfo``: format, encoding, column, ...).
- ``corpus.quick``: the quick estimate of a big upload from a bounded random sample.
- ``corpus.cluster``: the same pipeline with partitions counted on Dask workers
  (``--engine dask``), merged into the numbers one process gives.
- ``corpus.summary``: what a report needs of each document (requests over each threshold,
  languages), added up while counting so no column per document is kept.
- ``corpus.more_tokenizers``: a counted source on more tokenizers (only the missing ones
  counted) or on fewer.
"""
