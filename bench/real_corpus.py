"""Build a corpus of real mixed text from what a Debian machine ships, for the benchmarks.

Man pages in 20+ languages (/usr/share/man), translated messages of the language packs
(/usr/share/locale/*/LC_MESSAGES/*.mo, every language), CPython's own sources and the text
files of /usr/share/doc, interleaved in blocks until the corpus reaches the size asked for.

    python bench/real_corpus.py /tmp/real100.txt --mb 100
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import struct
import sys
import sysconfig
from pathlib import Path
from typing import Iterator


def man_pages() -> Iterator[str]:
    for path in sorted(Path("/usr/share/man").rglob("*.gz")):
        try:
            yield gzip.decompress(path.read_bytes()).decode("utf-8")
        except (OSError, UnicodeDecodeError, EOFError):
            continue


def mo_messages() -> Iterator[str]:
    """The translated strings of each GNU gettext .mo file, one text per file."""
    for path in sorted(Path("/usr/share/locale").rglob("*.mo")):
        data = path.read_bytes()
        if len(data) < 28:
            continue
        magic = struct.unpack("<I", data[:4])[0]
        order = "<" if magic == 0x950412DE else ">" if magic == 0xDE120495 else None
        if order is None:
            continue
        count, _, translations = struct.unpack(order + "3I", data[8:20])
        texts = []
        for i in range(count):
            length, offset = struct.unpack(order + "2I", data[translations + 8 * i: translations + 8 * i + 8])
            texts.append(data[offset: offset + length].decode("utf-8", "replace").replace("\x00", "\n"))
        if texts:
            yield "\n".join(texts)


def python_sources() -> Iterator[str]:
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).rglob("*.py")):
        try:
            yield path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue


def documentation() -> Iterator[str]:
    for path in sorted(Path("/usr/share/doc").rglob("*")):
        if path.is_file() and path.suffix in {"", ".txt", ".md"} and path.stat().st_size < 2_000_000:
            try:
                yield path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue


def build(target: Path, megabytes: float) -> int:
    """Write about ``megabytes`` MB of real text to ``target``, cycling the sources; returns bytes."""
    limit = int(megabytes * 1_000_000)
    written = 0
    sources = [man_pages(), mo_messages(), python_sources(), documentation()]
    with target.open("w", encoding="utf-8") as out:
        while written < limit and sources:
            for source in list(sources):
                block = list(itertools.islice(source, 20))
                if not block:
                    sources.remove(source)
                    continue
                text = "\n".join(block) + "\n"
                out.write(text)
                written += len(text.encode("utf-8"))
                if written >= limit:
                    break
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", type=Path)
    parser.add_argument("--mb", type=float, default=100)
    args = parser.parse_args()
    size = build(args.target, args.mb)
    print(f"{args.target}: {size / 1e6:.1f} MB of real text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
