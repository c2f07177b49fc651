"""Small hostile workbooks, built byte by byte (openpyxl would not write them): a sheet that
declares a huge range, rows as wide as the sheet, and a big but honest sheet that is slow to read."""

from __future__ import annotations

import io
import zipfile

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
        '</workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(rows_xml: str, dimension: str | None = None) -> bytes:
    """An .xlsx of one sheet holding ``rows_xml`` (``<row>`` elements), declaring ``dimension``."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">{declared}<sheetData>{rows_xml}</sheetData></worksheet>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in {**_PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            archive.writestr(name, xml)
    return buffer.getvalue()


def dimension_bomb() -> bytes:
    """Two rows of text in a sheet that declares every cell of a sheet (A1:XFD1048576, 17 billion)."""
    rows = f'<row r="1">{_cell("A1", "text")}</row><row r="2">{_cell("A2", "hello world")}</row>'
    return workbook(rows, "A1:XFD1048576")


def wide_rows_bomb(rows: int = 200_000) -> bytes:
    """A header and ``rows`` rows each holding one empty cell in the sheet's last column (XFD):
    every row reads as 16,384 cells. About 1 MB for 200,000 rows, and no declared range."""
    body = "".join(f'<row r="{i}"><c r="XFD{i}"/></row>' for i in range(2, rows + 2))
    return workbook(f'<row r="1">{_cell("A1", "text")}</row>' + body)


def long_honest_sheet(rows: int) -> bytes:
    """A header "text" and ``rows`` rows of short text in column A: slow to read, but real."""
    body = "".join(f'<row r="{i}">{_cell(f"A{i}", f"review number {i}")}</row>' for i in range(2, rows + 2))
    return workbook(f'<row r="1">{_cell("A1", "text")}</row>' + body, f"A1:A{rows + 1}")


def gzip_bomb(megabytes: int = 500) -> bytes:
    """``megabytes`` MB of "ab ab ..." text, gzipped to about a thousandth of it."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip container
    chunk = b"ab " * (1 << 18)  # 768 kB
    parts = [packer.compress(chunk) for _ in range(megabytes * (1 << 20) // len(chunk))]
    return b"".join(parts) + packer.flush()


def zip_bomb(megabytes: int = 200) -> bytes:
    """A ZIP whose one member declares (and holds) ``megabytes`` MB of one letter."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", b"a" * (megabytes << 20))
    return buffer.getvalue()


def shared_string_workbook(shared: str, rows: int) -> bytes:
    """A header "text" and ``rows`` rows in column A that all point at one shared string
    (``shared``, written once in xl/sharedStrings.xml): a small file of a lot of text."""
    from xml.sax.saxutils import escape

    strings = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="{rows + 1}" uniqueCount="2">'
               f'<si><t>text</t></si><si><t xml:space="preserve">{escape(shared)}</t></si></sst>')
    body = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>1</v></c></row>' for i in range(2, rows + 2))
    rows_xml = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + body
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><dimension ref="A1:A{rows + 1}"/>'
             f'<sheetData>{rows_xml}</sheetData></worksheet>')
    parts = dict(_PARTS)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        "</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>", '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in {**parts, "xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": strings}.items():
            archive.writestr(name, xml)
    return buffer.getvalue()
