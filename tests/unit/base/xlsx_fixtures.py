#!/usr/bin/python3
"""Writes the XLSX files test_xlsx.c reads, with tools that are not ours:
openpyxl for a workbook as an application writes it, Python's zipfile for
hand-made parts (prefixed names, rich text, odd relationship paths) and
broken ones. Usage: xlsx_fixtures.py DIR"""
import datetime
import sys
import zipfile

import openpyxl

out = sys.argv[1]

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "客户"
ws.append(["姓名", "电话", "金额", "生日", "VIP", "备注"])
ws.append(["张三", 13800138000, 3.5, datetime.datetime(2024, 1, 1), True,
           "第一行\n第二行"])
ws["B3"] = "0101234567"      # B3 without A3
ws["F3"] = "=1+2"            # a formula without a cached value
ws["A5"] = "李四"            # row 4 has nothing
ws["C5"] = -0.25
wb.create_sheet("第二页")["A1"] = "不应读取"
wb.save(f"{out}/book.xlsx")

# The same workbook with one byte of the sheet's compressed data changed.
raw = bytearray(open(f"{out}/book.xlsx", "rb").read())
with zipfile.ZipFile(f"{out}/book.xlsx") as z:
    i = z.getinfo("xl/worksheets/sheet1.xml")
    local_extra = int.from_bytes(raw[i.header_offset + 28:i.header_offset + 30], "little")
    data = i.header_offset + 30 + len(i.filename.encode()) + local_extra
    raw[data + i.compress_size // 2] ^= 0x55
open(f"{out}/corrupt.xlsx", "wb").write(bytes(raw))

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def rels(*rows):
    body = "".join(f'<Relationship Id="{i}" Type="{R}/{t}" Target="{p}"/>'
                   for i, t, p in rows)
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">{body}</Relationships>'


STYLES = (f'<styleSheet xmlns="{MAIN}"><numFmts count="2">'
          '<numFmt numFmtId="164" formatCode="yyyy/m/d h:mm"/>'
          '<numFmt numFmtId="165" formatCode="0.00&quot;d&quot;"/></numFmts>'
          '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
          '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/>'
          '<xf numFmtId="165"/></cellXfs></styleSheet>')
SST = (f'<sst xmlns="{MAIN}"><si><r><t>富</t></r><r><t xml:space="preserve">文本 </t></r>'
       '<rPh><t>ふり</t></rPh></si><si><t>a_x000D_b_x005F_x0041_</t></si></sst>')


def hand(name, sheet, sst=SST, sheet_target="worksheets/s1.xml",
         method=zipfile.ZIP_DEFLATED):
    """A workbook at xl/wb.xml whose relationships use an absolute, a
    relative and a ../ path; its first sheet is rId2, listed second."""
    with zipfile.ZipFile(f"{out}/{name}", "w", method) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", rels(("rId1", "officeDocument", "xl/wb.xml")))
        z.writestr("xl/wb.xml",
                   f'<workbook xmlns="{MAIN}" xmlns:r="{R}"><sheets>'
                   '<sheet name="第一" sheetId="1" r:id="rId2"/>'
                   '<sheet name="second" sheetId="2" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/wb.xml.rels", rels(
            ("rId1", "worksheet", "worksheets/s2.xml"),
            ("rId2", "worksheet", sheet_target),
            ("rId3", "styles", "/xl/st.xml"),
            ("rId4", "sharedStrings", "../xl/strings.xml")))
        z.writestr("xl/st.xml", STYLES)
        if sst:
            z.writestr("xl/strings.xml", sst)
        z.writestr("xl/worksheets/s1.xml",
                   f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>{sheet}</x:sheetData></x:worksheet>')
        z.writestr("xl/worksheets/s2.xml", f'<worksheet xmlns="{MAIN}"/>')


HAND = ('<x:row><x:c t="s"><x:v>0</x:v></x:c>'
     '<x:c t="inlineStr"><x:is><x:t>内联</x:t></x:is></x:c>'
     '<x:c t="str"><x:f>A1</x:f><x:v>公式结果</x:v></x:c>'
     '<x:c t="e"><x:v>#N/A</x:v></x:c>'
     '<x:c s="1"><x:v>45292.5</x:v></x:c>'
     '<x:c t="s"><x:v>1</x:v></x:c><x:c s="2"/></x:row>'
     '<x:row><x:c r="C2" t="d"><x:v>2024-01-01T00:00:00</x:v></x:c>'
     '<x:c s="2"><x:v>1e3</x:v></x:c></x:row>')
hand("hand.xlsx", HAND)
hand("stored.xlsx", HAND, method=zipfile.ZIP_STORED)
hand("doctype.xlsx", '<x:row/>', sst='<!DOCTYPE sst [<!ENTITY a "aaaaaaaa">]>'
     f'<sst xmlns="{MAIN}"><si><t>&a;</t></si></sst>')
hand("bad_sst.xlsx", '<x:row r="1"><x:c r="A1" t="s"><x:v>5</x:v></x:c></x:row>')
hand("bad_ref.xlsx", '<x:row r="1"><x:c r="1A"><x:v>5</x:v></x:c></x:row>')
hand("bad_num.xlsx", '<x:row r="7"><x:c r="B7"><x:v>12abc</x:v></x:c></x:row>')
hand("backwards.xlsx", '<x:row r="5"/><x:row r="3"/>')
hand("bad_xml.xlsx", '<x:row><x:c><x:v>1</x:c></x:row>')
hand("wide.xlsx", '<x:row r="2"><x:c r="AB2"><x:v>1</x:v></x:c></x:row>')
hand("no_sheet.xlsx", '<x:row/>', sheet_target="worksheets/nothere.xml")
# 8 MiB of XML that deflates to a few KiB: a (small) zip bomb.
hand("bomb.xlsx", '<x:row r="1">' + " " * (8 << 20) + "</x:row>")

# Old Mac Excel's 1904 date system: the same date is another serial day.
wb = openpyxl.Workbook()
wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
wb.active.append([datetime.datetime(2024, 1, 1, 12, 0)])
wb.save(f"{out}/mac.xlsx")

# Dates and times in date styles (xf 1 is "yyyy/m/d h:mm"): a time of day
# alone, a date with a time, a whole day; and a sheet that is an old .xls.
hand("times.xlsx", '<x:row><x:c s="1"><x:v>0.75</x:v></x:c>'
     '<x:c s="1"><x:v>45292.020833333336</x:v></x:c>'
     '<x:c s="1"><x:v>45292</x:v></x:c><x:c><x:v>45292</x:v></x:c></x:row>')
open(f"{out}/old.xls", "wb").write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
