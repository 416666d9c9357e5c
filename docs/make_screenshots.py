"""Rebuild the pictures in docs/img/ from the bundled samples with LibreOffice (headless).

    python docs/make_screenshots.py

Marks a sample applicant workbook with `xlbase mark`, prints it to PDF with
LibreOffice and cuts the pages a clerk needs to recognise: the 附件10 row with
its red cells and the 校验结果 list. Needs `soffice` and poppler's `pdftoppm`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from xlbase.forms import get_form
from xlbase.mark.copy import RESULT_SHEET

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "counties" / "五台县" / "五台县_台怀文旅创客_申报表.xlsx"
IMG = ROOT / "docs" / "img"
DPI = 110
# (file name, title printed on the page, crop box in inches from the page's top-left: x, y, width, height);
# titles from the form model and the mark module, the year part left out
SHOTS = [
    ("mark_sheet.png", get_form("附件10").title_for(None).split("年")[-1], (0.3, 0.2, 6.2, 1.3)),
    ("mark_result.png", RESULT_SHEET, (0.3, 0.3, 10.2, 1.9)),
]


def _page_of(pdf: Path, text: str) -> int:
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    for n in range(1, pages + 1):
        page = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        if text in page.replace(" ", ""):
            return n
    raise SystemExit(f"no page shows {text!r}")


def main() -> int:
    if not shutil.which("soffice") or not shutil.which("pdftoppm"):
        print("需要 LibreOffice (soffice) 和 poppler-utils (pdftoppm)", file=sys.stderr)
        return 2
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        book = tmp_dir / "申报表.xlsx"
        shutil.copy(SAMPLE, book)
        marked = tmp_dir / "marked.xlsx"
        subprocess.run([sys.executable, "-m", "xlbase", "mark", str(book), "-o", str(marked)], check=False,
                       capture_output=True)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_dir}/lo", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_dir), str(marked)],
                       check=True, capture_output=True, timeout=300)
        pdf = tmp_dir / "marked.pdf"
        for name, title, (x, y, w, h) in SHOTS:
            page = _page_of(pdf, title)
            stem = tmp_dir / name.removesuffix(".png")
            subprocess.run(["pdftoppm", "-png", "-singlefile", "-r", str(DPI), "-f", str(page), "-l", str(page),
                            "-x", str(int(x * DPI)), "-y", str(int(y * DPI)), "-W", str(int(w * DPI)),
                            "-H", str(int(h * DPI)), str(pdf), str(stem)], check=True)
            shutil.copy(stem.with_suffix(".png"), IMG / name)
            print(f"docs/img/{name}  (page {page})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
