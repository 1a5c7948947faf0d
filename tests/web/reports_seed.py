#!/usr/bin/env python3
"""Seeds the reports browser test's database (tests/web/reports.sh): six
weeks of daily KPI buckets of queue sales, days before today (UTC), whose
average handle time sits near 300 s and then stays above it for the last
eight days, the last far above (the deck's rules "8" and "1" fire there),
and whose service level drops to 60 % yesterday; and yesterday's calls
from numbers of known provinces, talk times of sales near 120 s and of
support near 400 s (a bimodal mix to stratify).

usage: reports_seed.py DB NOW_MS"""
import sqlite3
import sys

DAY = 86400000
db, now = sys.argv[1], int(sys.argv[2])
today = now - now % DAY
con = sqlite3.connect(db, timeout=10)

# Ordinary variation: a fixed pattern, so every run draws the same chart.
NOISE = [5, -8, 3, -2, 9, -6, 1, -4, 7, -3, 0, 6, -7, 2, -5, 8, -1, 4, -9, 3,
         -2, 5, -6, 1, 7, -4, 2, -3, 6, -8, 0, 4, -5, 3]
AHT = [300 + n for n in NOISE] + [318, 322, 316, 325, 320, 319, 324, 360]
SL = [0.85 + (n % 5) / 100 for n in NOISE] + [0.86, 0.84, 0.87, 0.85, 0.86,
                                               0.88, 0.85, 0.60]
assert len(AHT) == 42 and len(SL) == 42
COLS = ("scope, name, start_ms, sl_ms, short_ms, entered, queued, answered, "
        "answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned, "
        "abandon_wait_ms, offers, holds, hold_ms, completed, talk_ms, "
        "wrap_ms, ready_ms, not_ready_ms, ringing_ms, talking_ms, wrapup_ms")
for i, (aht, sl) in enumerate(zip(AHT, SL)):
    start = today - (42 - i) * DAY + 9 * 3600000
    offered, abandoned = 100, 4
    answered = offered - abandoned
    talk, hold, wrap = aht - 60, 10, 50
    con.execute(f"INSERT OR REPLACE INTO kpi_buckets ({COLS}) VALUES "
                "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                ("queue", "sales", start, 20000, 5000, offered, 30, answered,
                 round(sl * offered), answered * 15000, answered * 6000,
                 abandoned, abandoned * 40000, answered + 3, 20,
                 20 * hold * 1000, answered, answered * talk * 1000 - 20 * hold * 1000,
                 answered * wrap * 1000, 8 * 3600000, 3600000, 600000,
                 answered * talk * 1000, answered * wrap * 1000))

# Yesterday's calls: province, city, calls.
PLACES = [("广东省", "深圳市", 25), ("广东省", "广州市", 15), ("北京市", "北京市", 20),
          ("上海市", "上海市", 12), ("浙江省", "杭州市", 10), ("四川省", "成都市", 6),
          ("新疆维吾尔自治区", "乌鲁木齐市", 3), (None, None, 5)]
yday = today - DAY
k = 0
for prov, city, n in PLACES:
    for _ in range(n):
        queue = "sales" if k % 2 else "support"
        talk = (110 if queue == "sales" else 390) + NOISE[k % len(NOISE)] * 2
        started = yday + 8 * 3600000 + k * 277000
        answered = k % 17 != 5
        con.execute(
            "INSERT INTO calls (id, direction, caller, callee, started_at, "
            "answered_at, ended_at, duration_s, talk_s, agent, queue, province, "
            "city, wrapup_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (f"seed-{k:04d}", "inbound", f"1380013{k:04d}", "4008001000",
             started, started + 15000 if answered else None,
             started + 15000 + talk * 1000, 15 + talk, talk if answered else 0,
             f"100{1 + k % 5}" if answered else None, queue, prov, city,
             started + 15000 + talk * 1000 + 30000 if answered else None))
        k += 1
con.commit()
print(k)
