"""The command line (``cli.py``): the parser (``parser``), one module per command (``prices``,
``estimate``, ``cost``, ``fine_tune``, ``tokenizers``), what several share (``common``), the report
writer (``output``) and ``main``, which runs a command and turns every failure into one line."""
