import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from qualityaward.documents.xlsx import WIDTH_SAMPLE_ROWS, workbook_response


def read(response):
    return load_workbook(io.BytesIO(response.content))


def test_workbook_reads_back_with_bold_frozen_header_and_widths():
    response = workbook_response(
        filename="评分汇总",
        sheets=[
            (
                "专家评分",
                ["申报单位", "得分", "日期"],
                [
                    ["二连浩特市某某有限公司", Decimal("812.5"), date(2026, 11, 25)],
                    ["乙公司", 640, datetime(2026, 11, 25, 6, 3, tzinfo=UTC)],
                ],
            )
        ],
    )
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        "attachment; filename=\"download.xlsx\"; filename*=UTF-8''"
        "%E8%AF%84%E5%88%86%E6%B1%87%E6%80%BB.xlsx"
    )
    sheet = read(response)["专家评分"]
    assert [cell.value for cell in sheet[1]] == ["申报单位", "得分", "日期"]
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value == "二连浩特市某某有限公司"
    assert sheet["B2"].value == 812.5
    assert sheet["B3"].value == 640
    assert sheet["C3"].value == datetime(2026, 11, 25, 14, 3)  # Asia/Shanghai
    assert sheet.column_dimensions["A"].width == 24  # 11 wide characters + 2
    assert sheet.column_dimensions["B"].width == 8


def test_workbook_stores_formula_like_text_as_text():
    payloads = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", '=HYPERLINK("http://x","y")']
    response = workbook_response(
        filename="comments.xlsx", sheets=[("意见", ["内容"], [[p] for p in payloads])]
    )
    sheet = read(response)["意见"]
    for row, payload in enumerate(payloads, start=2):
        cell = sheet.cell(row=row, column=1)
        assert cell.value == payload
        assert cell.data_type == "s"
        assert cell.quotePrefix is True
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_workbook_sheet_titles_are_cleaned_and_unique():
    response = workbook_response(
        filename="a.xlsx",
        sheets=[("a/b:c*[d]?" + "x" * 40, ["h"], []), ("A/B:C*[D]?" + "X" * 40, ["h"], [])],
    )
    names = read(response).sheetnames
    assert names == ["a_b_c__d__" + "x" * 21, "A_B_C__D__" + "X" * 17 + " (2)"]
    assert all(len(name) <= 31 for name in names)


def test_workbook_streams_rows_from_a_generator_past_the_width_sample():
    """Score sheets at provincial scale come as a generator; every row is written and
    formula-like text stays text after the rows the column widths are measured on."""
    count = WIDTH_SAMPLE_ROWS + 200

    def rows():
        for number in range(count):
            yield [f"R-{number:05d}", "=1+1" if number == count - 1 else "二连浩特", number]

    response = workbook_response(
        filename="scores", sheets=[("评分", ["受理号", "意见", "n"], rows())]
    )
    sheet = read(response)["评分"]
    assert sheet.max_row == count + 1
    last = sheet[count + 1]
    assert [cell.value for cell in last] == [f"R-{count - 1:05d}", "=1+1", count - 1]
    assert last[1].data_type == "s" and last[1].quotePrefix is True
