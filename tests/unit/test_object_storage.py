"""s3:// corpora through fsspec/s3fs, against a local S3-compatible server (moto in server mode)
that the test starts on 127.0.0.1 (a free port) with its own fake credentials, and stops after."""

from __future__ import annotations

import gzip
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cli import main
from ingest import ReadOptions
from corpus.pipeline import count_inputs
from tests.unit.multilingual_samples import MULTILINGUAL
from tokenizers import get_encoding

FAKE_SECRET = "fake-secret-never-printed"


def tokens(texts, encoding: str = "o200k_base") -> int:
    enc = get_encoding(encoding)
    return sum(len(enc.encode_ordinary(t)) for t in texts)


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_server, monkeypatch: pytest.MonkeyPatch):
    """A bucket "corpus" on the local server, reached through the usual AWS environment."""
    import s3fs

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": FAKE_SECRET,
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": s3_server}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    s3fs.S3FileSystem.clear_instance_cache()
    fs = s3fs.S3FileSystem(endpoint_url=s3_server)
    if fs.exists("corpus"):
        fs.rm("corpus", recursive=True)
    fs.mkdir("corpus")
    yield fs
    s3fs.S3FileSystem.clear_instance_cache()


def put_corpus(fs) -> list[str]:
    """A prefix of mixed files; the texts counted, in the order files are listed (sorted)."""
    table = io.BytesIO()
    pq.write_table(pa.table({"id": [1, 2, 3], "text": MULTILINGUAL[:3]}), table, row_group_size=2)
    fs.pipe("corpus/shards/a.parquet", table.getvalue())
    lines = "".join(json.dumps({"text": t}) + "\n" for t in MULTILINGUAL[3:6])
    fs.pipe("corpus/shards/b.jsonl.gz", gzip.compress(lines.encode()))
    fs.pipe("corpus/shards/c.txt", MULTILINGUAL[6].encode())
    fs.pipe("corpus/shards/.hidden.txt", b"not read")
    fs.pipe("corpus/other/d.txt", b"outside the prefix")
    return [*MULTILINGUAL[:6], MULTILINGUAL[6]]


def test_an_s3_prefix_is_listed_read_and_counted_exactly(s3) -> None:
    texts = put_corpus(s3)
    counted = count_inputs(["s3://corpus/shards/"], ReadOptions(column="text"))
    assert counted.counts.documents == 7
    for encoding in ("o200k_base", "cl100k_base"):
        assert counted.counts.tokens[encoding] == tokens(texts, encoding)
    assert [(s.path, s.format, s.compression, s.documents) for s in counted.sources] == [
        ("s3://corpus/shards/a.parquet", "parquet", None, 3),
        ("s3://corpus/shards/b.jsonl.gz", "jsonl", "gzip", 3),
        ("s3://corpus/shards/c.txt", "text", None, 1),
    ]
    assert [(p.code, p.where) for p in counted.skipped] == [("hidden", "s3://corpus/shards/.hidden.txt")]


def test_the_cli_estimates_an_s3_prefix_and_never_prints_the_secret(s3, capsys) -> None:
    texts = put_corpus(s3)
    out = io.StringIO()
    assert main(["estimate", "s3://corpus/shards/", "--column", "text", "--format", "json",
                 "--as-of", "2025-01-15"], out=out) == 0
    report = json.loads(out.getvalue())
    assert report["tokens"]["o200k_base"] == tokens(texts)
    assert FAKE_SECRET not in out.getvalue() + capsys.readouterr().err


def test_a_missing_object_or_bucket_is_a_clear_error(s3, capsys) -> None:
    out = io.StringIO()
    assert main(["estimate", "s3://corpus/nothing-here.txt"], out=out) == 2
    assert out.getvalue() == ""
    err = capsys.readouterr().err
    assert err == "error: nothing could be read: s3://corpus/nothing-here.txt: cannot read the file: no such file or prefix\n"
    assert FAKE_SECRET not in err


def test_a_file_at_an_http_url_is_counted(tmp_path) -> None:
    import functools
    import http.server
    import threading

    (tmp_path / "notes.txt.gz").write_bytes(gzip.compress(MULTILINGUAL[7].encode()))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/notes.txt.gz"
        counted = count_inputs([url], ReadOptions())
    finally:
        server.shutdown()
        thread.join()
    assert counted.counts.tokens["cl100k_base"] == tokens([MULTILINGUAL[7]], "cl100k_base")
    assert [(s.path, s.compression) for s in counted.sources] == [(url, "gzip")]
