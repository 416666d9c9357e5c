"""Office Open XML packages (.xlsx/.xlsm) read and written at the XML level, one module per part.

Why not openpyxl for this: a load/save round trip drops x14 (cross-sheet) data validations and a VBA
button's drawing, and rewrites every part. Here a package is copied entry by entry; only the parts
changed are re-serialised (lxml keeps unknown elements, extLst and namespace declarations), every
other entry (vbaProject.bin, drawings, VML, printer settings…) keeps identical bytes. Members are
inflated under a cap and XML is refused with a DTD (zip.py), as the reader opens them.

zip.py        members inflated under a cap, XML prologs vetted (the reader's sniffer uses them too)
refs.py       A1 references: parse, expand a problem's cell text, column letters
package.py    the zip: parts read (capped), replaced, removed, added; XML in and out
workbook.py   workbook.xml, its relationships and [Content_Types].xml; sheets added and removed; shared strings
styles.py     styles.xml: fills, fonts and cellXfs found or appended
sheet.py      one worksheet: cells found, created, restyled; small sheets generated
bulk_rows.py  a big sheet's rows streamed into a closed xlsxwriter workbook
row_render.py those rows rendered and deflated by a helper process meanwhile (the merge's 入驻企业 sheet)
"""
