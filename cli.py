"""The command line's entry point: ``python cli.py prices|estimate|cost|fine-tune|tokenizers``.

The parser and the commands live in ``commands/``; ``main`` runs them (``commands.main``).
"""

import sys

from commands.main import main

if __name__ == "__main__":
    sys.exit(main())
