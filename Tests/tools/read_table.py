#!/usr/bin/env python3
"""Reads an export back with an independent reader and prints it as JSON for the Swift tests.

    read_table.py FILE xlsx   -> openpyxl: every sheet, every cell with its type
    read_table.py FILE csv    -> Python's csv module, after checking the BOM and CRLF line ends
    read_table.py FILE page   -> openpyxl: every sheet's print setup (paper, orientation, fit)

Cells come out as [type, text]: type is openpyxl's data_type ('s' text, 'n' number, 'd' date,
'f' formula, 'b' bool) or 'csv'; dates as YYYY-MM-DD, whole numbers without a decimal point.
"""
import csv, datetime, io, json, sys, zipfile


def cell(c):
    value = c.value
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return ["d", value.date().isoformat()]
    if isinstance(value, float) and value.is_integer() and c.data_type == "n" and c.number_format == "General":
        value = int(value)
    return [c.data_type if not c.is_date else "d", str(value)]


def main():
    path, kind = sys.argv[1], sys.argv[2]
    if kind == "page":
        import openpyxl
        book = openpyxl.load_workbook(path)
        pages = [
            {
                "name": ws.title,
                "paper": str(ws.page_setup.paperSize),
                "orientation": str(ws.page_setup.orientation),
                "fit_to_page": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
                "fit_width": str(ws.page_setup.fitToWidth),
                "fit_height": str(ws.page_setup.fitToHeight),
            }
            for ws in book.worksheets
        ]
        json.dump({"pages": pages}, sys.stdout, ensure_ascii=False)
        return
    if kind == "xlsx":
        import openpyxl
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            if bad is not None:
                raise SystemExit(f"bad CRC in {bad}")
        book = openpyxl.load_workbook(path)
        sheets = [{"name": ws.title, "rows": [[cell(c) for c in row] for row in ws.iter_rows()]} for ws in book.worksheets]
    else:
        raw = open(path, "rb").read()
        if not raw.startswith(b"\xef\xbb\xbf"):
            raise SystemExit("no UTF-8 byte-order mark")
        if raw.replace(b"\r\n", b"").count(b"\n") != 0:
            raise SystemExit("a line ends without CR")
        text = raw.decode("utf-8-sig")
        rows = [[["csv", v] for v in row] for row in csv.reader(io.StringIO(text, newline=""))]
        sheets = [{"name": "csv", "rows": rows}]
    json.dump({"sheets": sheets}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
