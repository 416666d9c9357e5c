"""VBA source for xlbase workbooks, importable as ``xlbase._macros``.

This folder is the canonical source of the workbook macros (.bas/.cls,
ASCII, CRLF).  pyproject.toml maps it into the installed package as
``xlbase._macros`` so ``xlbase.templates.vba`` finds the files with
``importlib.resources`` after ``pip install``; there is no Python code here.
"""
