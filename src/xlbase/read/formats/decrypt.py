"""Workbooks "encrypted" with Excel's built-in default password, which Excel opens without asking.

Excel encrypts a workbook whose structure is protected (or that was "saved with a password"
left blank by some tools) with the password "VelvetSweatshop" and opens it silently; a clerk
never knew there was a password. msoffcrypto-tool decrypts it (OOXML agile/standard, BIFF8
RC4, CryptoAPI and XOR). Excel 5.0/95 workbooks (a "Book" stream, BIFF5) can only be XOR
obfuscated, which msoffcrypto-tool does not look for there: `biff_xor` undoes it with
msoffcrypto's own key derivation (MS-OFFCRYPTO 2.3.7, method 1). Any other password is a
real one and the file stays "已加密".
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import tempfile

from .. import biff

DEFAULT_PASSWORD = "VelvetSweatshop"
#: records never obfuscated (MS-XLS 2.2.10): BOF, FILEPASS, UsrExcl, FileLock, InterfaceHdr, RRDInfo, RRDHead
#: what the FILEPASS record becomes: a type no reader looks for in the workbook globals (msoffcrypto does the same)
_IGNORED = 0x0000
_CLEAR = frozenset({0x0809, 0x0009, 0x0209, 0x0409, biff.FILEPASS, 0x0194, 0x0195, 0x00E1, 0x0196, 0x0138})


def with_default_password(path: str, max_bytes: int) -> bytes | None:
    """The decrypted file, or None when the default password does not open it (or nothing can tell)."""
    data = _msoffcrypto(path)
    if data is None:
        data = _book_stream_xor(path, max_bytes)
    return data if data and len(data) <= max_bytes else None


def _msoffcrypto(path: str) -> bytes | None:
    try:
        import msoffcrypto

        with open(path, "rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            if not office.is_encrypted():
                return None
            try:
                office.load_key(password=DEFAULT_PASSWORD, verify_password=True)
            except TypeError:   # a format whose load_key takes no verify_password
                office.load_key(password=DEFAULT_PASSWORD)
            out = io.BytesIO()
            office.decrypt(out)
        return out.getvalue() or None
    except Exception:   # a real password, or an encryption msoffcrypto-tool does not know
        return None


def _book_stream_xor(path: str, max_bytes: int) -> bytes | None:
    """An Excel 5.0/95 file (OLE stream "Book") XOR-obfuscated with the default password, made plain."""
    try:
        import olefile

        with olefile.OleFileIO(path) as ole:
            if not ole.exists("Book") or ole.get_size("Book") > min(max_bytes, os.path.getsize(path)):
                return None
            stream = ole.openstream("Book").read()
        plain = biff_xor(stream, DEFAULT_PASSWORD)
        if plain is None:
            return None
        with tempfile.TemporaryDirectory(prefix="xlbase-") as tmp:
            copy = os.path.join(tmp, "book.xls")
            shutil.copyfile(path, copy)
            with olefile.OleFileIO(copy, write_mode=True) as ole:
                ole.write_stream("Book", plain)
            with open(copy, "rb") as fh:
                return fh.read()
    except Exception:   # a damaged container: the file stays what the sniffer said
        return None


def biff_xor(stream: bytes, password: str) -> bytes | None:
    """A BIFF5/BIFF8 stream whose FILEPASS is XOR obfuscation for `password`, deobfuscated; None otherwise.

    Each obfuscated byte at offset o of a record's body ending at stream position `end` was
    rol(plain, 5) ^ key[(end + o) % 16]; the FILEPASS record becomes an ignored record of the
    same length, so every stream offset (BOUNDSHEET positions) stays true.
    """
    from msoffcrypto.method.xor_obfuscation import DocumentXOR

    out = bytearray(stream)
    key = None
    for offset, rtype, body in biff.records(stream):
        start, end = offset + 4, offset + 4 + len(body)
        if rtype == biff.FILEPASS:
            fields = body[2:] if len(body) == 6 else body   # BIFF8: wEncryptionType 0 (XOR) first
            if len(body) not in (4, 6) or (len(body) == 6 and body[:2] != b"\0\0"):
                return None
            _, verifier = struct.unpack_from("<HH", fields, 0)
            if not DocumentXOR.verifypw(password, verifier):
                return None
            key = DocumentXOR.create_xor_array_method1(password)
            out[offset:end] = struct.pack("<HH", _IGNORED, len(body)) + bytes(len(body))
            continue
        if key is None or rtype in _CLEAR:
            continue
        first = 4 if rtype == biff.BOUNDSHEET else 0      # a sheet's stream position stays plain
        for o in range(first, len(body)):
            b = body[o] ^ key[(end + o) % 16]
            out[start + o] = ((b >> 5) | (b << 3)) & 0xFF
    return bytes(out) if key is not None else None
