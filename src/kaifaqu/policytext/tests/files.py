"""Small real documents written by the tests: a text PDF, a PDF with no text, a .docx."""

from pathlib import Path

import docx


def write_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF whose lines are real text (Adobe's STSong-Light, UCS-2 encoded), the way
    a word processor exports Chinese; with no lines, a page with nothing to extract, like a scan."""
    shown = " ".join(f"<{line.encode('utf-16-be').hex()}> Tj T*" for line in lines)
    content = f"BT /F1 12 Tf 14 TL 50 780 Td {shown} ET" if lines else ""
    font = "/BaseFont /STSong-Light"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        " /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        f"<< /Type /Font /Subtype /Type0 {font} /Encoding /UniGB-UCS2-H"
        " /DescendantFonts [6 0 R] >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        f"<< /Type /Font /Subtype /CIDFontType0 {font}"
        " /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >>"
        " /FontDescriptor 7 0 R >>",
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6"
        " /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120"
        " /CapHeight 880 /StemV 93 >>",
    ]
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += f"{number} 0 obj\n{body}\nendobj\n".encode()
    table = len(data)
    data += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    data += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    data += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    data += f"startxref\n{table}\n%%EOF\n".encode()
    path.write_bytes(bytes(data))
    return path


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path
