"""Workbooks "encrypted" with Excel's built-in default password, which Excel opens without asking.

Excel encrypts a workbook whose structure is protected (or that was "saved with a password"
left blank by some tools) with the password "VelvetSweatshop" and opens it silently; a clerk
never knew there was a password. msoffcrypto-tool decrypts it (OOXML agile/standard, BIFF8
RC4 and CryptoAPI); any other password is a real one and the file stays "已加密".
"""

from __future__ import annotations

import io

DEFAULT_PASSWORD = "VelvetSweatshop"


def with_default_password(path: str, max_bytes: int) -> bytes | None:
    """The decrypted file, or None when the default password does not open it (or nothing can tell)."""
    try:
        import msoffcrypto

        with open(path, "rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            if not office.is_encrypted():
                return None
            office.load_key(password=DEFAULT_PASSWORD, verify_password=True)
            out = io.BytesIO()
            office.decrypt(out)
    except TypeError:   # a format whose load_key takes no verify_password
        return _without_verify(path)
    except Exception:   # a real password, or an encryption msoffcrypto-tool does not know
        return None
    data = out.getvalue()
    return data if 0 < len(data) <= max_bytes else None


def _without_verify(path: str) -> bytes | None:
    try:
        import msoffcrypto

        with open(path, "rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            office.load_key(password=DEFAULT_PASSWORD)
            out = io.BytesIO()
            office.decrypt(out)
        return out.getvalue() or None
    except Exception:
        return None
