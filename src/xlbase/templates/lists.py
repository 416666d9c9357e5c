"""The hidden sheet holding every dropdown list, each reached through a defined name.

Data validation list sources must live on a sheet (Excel caps inline lists at
255 characters) and are referenced by defined names so the rules read
`=xl_city` instead of a sheet address. Defined names cannot hold every
character a city name has across tools, so each city's counties get the
neutral name `xl_county_<n>` (n = the city's position in `xl_city`); the
dependent dropdown finds n with MATCH and the range with INDIRECT.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import sheet_names
from ..forms import divisions, reporting_units, value_list, value_lists
from ..forms.programmes import active
from ..read.normalise import BLANK_TOKENS
from .styles import Styles

LIST_SHEET = sheet_names.TEMPLATE_LISTS
CITY = "xl_city"
COUNTY_ALL = "xl_county_all"
COUNTY_PREFIX = "xl_county_"
BLANK_WORDS = "xl_blank_words"
#: the hidden sheet of values laid out across a row (ListSheet.add_row)
ROW_SHEET = "xl_rows"


def list_name(choices: str) -> str:
    """The defined name of a value list (`yesno` -> `xl_yesno`)."""
    return "xl_" + choices


@dataclass
class ListSheet:
    """Writes columns of values onto the hidden sheet and names them."""

    workbook: Workbook
    styles: Styles
    names: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    #: a typed 基地类型's cell or list column -> its first column on the xl_types sheet (templates.type_reads)
    type_reads: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sheet = self.workbook.add_worksheet(LIST_SHEET)
        self.sheet.hide()
        self.sheet.protect("")
        self.col = 0

    def add(self, name: str, heading: str, values: list) -> str:
        """One column: heading in row 1, values below; returns the defined name."""
        col = self.col
        self.col += 1
        self.sheet.write_string(0, col, heading, self.styles.get(bold=True))
        for i, v in enumerate(values, start=1):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                self.sheet.write_number(i, col, v)
            else:
                self.sheet.write_string(i, col, str(v))
        self.sheet.set_column(col, col, 16)
        letter = xl_col_to_name(col)
        last = max(len(values), 1)
        ref = f"={LIST_SHEET}!${letter}$2:${letter}${last + 1}"
        self.workbook.define_name(name, ref)
        self.names[name] = ref
        return name

    def add_row(self, name: str, heading: str, values: list[str]) -> str:
        """One row of the hidden ROW_SHEET: heading in column A, `values` across from B; returns the defined name
        of the 1×n range (an array across: FIND looks for each in a text, a column of texts gives a matrix)."""
        ws, _ = hidden_sheet(self.workbook, ROW_SHEET)
        row = self.rows
        self.rows += 1
        ws.write_string(row, 0, heading)
        for j, v in enumerate(values, start=1):
            ws.write_string(row, j, v)
        ref = f"={ROW_SHEET}!$B${row + 1}:${xl_col_to_name(max(len(values), 1))}${row + 1}"
        self.workbook.define_name(name, ref)
        self.names[name] = ref
        return name

    def add_table(self, name: str, headings: tuple[str, str], rows: list[tuple], text_values: bool = False) -> str:
        """Two columns (key, value) for VLOOKUP; values are numbers unless `text_values`; returns the name."""
        col = self.col
        self.col += 2
        for j, h in enumerate(headings):
            self.sheet.write_string(0, col + j, h, self.styles.get(bold=True))
        for i, (k, v) in enumerate(rows, start=1):
            self.sheet.write_string(i, col, str(k))
            if v is None:
                self.sheet.write_blank(i, col + 1, None)
            elif text_values:
                self.sheet.write_string(i, col + 1, str(v))
            else:
                self.sheet.write_number(i, col + 1, v)
        a, b = xl_col_to_name(col), xl_col_to_name(col + 1)
        self.sheet.set_column(col, col + 1, 16)
        last = max(len(rows), 1)
        ref = f"={LIST_SHEET}!${a}$2:${b}${last + 1}"
        self.workbook.define_name(name, ref)
        self.names[name] = ref
        return name


    def add_grid(self, name: str, headings: tuple[str, ...], rows: list[tuple]) -> tuple[str, str]:
        """A block whose first column holds each row's key and the rest its numbers (a matrix read a row
        at a time with INDEX(name, n, 0), or across with SUMPRODUCT); returns the defined names of
        (the key column, the numbers)."""
        col = self.col
        self.col += len(headings)
        for j, h in enumerate(headings):
            self.sheet.write_string(0, col + j, h, self.styles.get(bold=True))
        for i, (key, *values) in enumerate(rows, start=1):
            self.sheet.write_string(i, col, str(key))
            for j, v in enumerate(values, start=1):
                self.sheet.write_number(i, col + j, v)
        last = max(len(rows), 1) + 1
        keys, body = f"{name}_key", name
        for defined, (a, b) in ((keys, (col, col)), (body, (col + 1, col + len(headings) - 1))):
            ref = f"={LIST_SHEET}!${xl_col_to_name(a)}$2:${xl_col_to_name(b)}${last}"
            self.workbook.define_name(defined, ref)
            self.names[defined] = ref
        return keys, body


def hidden_sheet(workbook: Workbook, name: str) -> tuple[Worksheet, bool]:
    """The workbook's hidden, protected helper sheet `name`, added on first use: (sheet, whether new)."""
    ws = workbook.get_worksheet_by_name(name)
    if ws is not None:
        return ws, False
    ws = workbook.add_worksheet(name)
    ws.hide()
    ws.protect("")
    return ws, True


def build_lists(workbook: Workbook, styles: Styles) -> ListSheet:
    """Every value list of data/lists.yaml, and the cities and each city's counties when the programme has
    place lists (Programme.places: never another province's places)."""
    lists = ListSheet(workbook, styles)
    for key in value_lists():
        lists.add(list_name(key), key, list(value_list(key)))
    if active().places:
        add_places(lists)
    add_blank_words(lists)
    return lists


def add_places(lists: ListSheet) -> None:
    """The cities (xl_city), every county (xl_county_all) and each city's (xl_county_<n>)."""
    cities = divisions()["cities"]
    lists.add(CITY, "所在市", list(cities))
    # a city's counties and the development zones that report to it as units of their own: what
    # identity.locate and the merge's 各县情况 know (forms.reporting_units, data/divisions_shanxi.yaml)
    lists.add(COUNTY_ALL, "所在县（市、区）", [u for city in cities for u in reporting_units(city)])
    for n, city in enumerate(cities, start=1):
        lists.add(f"{COUNTY_PREFIX}{n}", city, list(reporting_units(city)))


def add_blank_words(lists: ListSheet) -> str:
    """The words validate reads as blank (n/a, —), once per workbook: the date and number reads use them."""
    if BLANK_WORDS not in lists.names:
        lists.add(BLANK_WORDS, "空白写法", sorted(w for w in BLANK_TOKENS if w))
    return BLANK_WORDS


def county_source(city_cell: str) -> str:
    """List source of a county cell depending on the city typed in `city_cell`.

    Before a city is chosen (or when it is misspelt) every county is offered,
    so the dropdown never evaluates to an error.
    """
    return f'=INDIRECT(IFERROR("{COUNTY_PREFIX}"&MATCH({city_cell},{CITY},0),"{COUNTY_ALL}"))'
