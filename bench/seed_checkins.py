#!/usr/bin/env python3
"""Give one member three years of daily check-ins in a Securebase SQLite file,
for the dashboard benchmark. Usage: seed_checkins.py DB_PATH EMAIL"""
import datetime
import json
import random
import sqlite3
import sys
import time
import uuid

db_path, email = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db_path, timeout=30)
(user_id,) = con.execute("SELECT id FROM users WHERE email = ?", (email,)).fetchone()
rng = random.Random(42)
today = datetime.date.today()
now = int(time.time())
needs = ["responsiveness", "consistency", "repair", "validation", "warmth", "accountability",
         "honesty", "trustworthiness", "accessibility", "mutual-care"]
rows = []
for back in range(3 * 365):
    day = (today - datetime.timedelta(days=back)).isoformat()
    at = now - back * 86400
    value = rng.randint(1, 5)
    rows.append(("today", day, {"closeness": value}, "", float(value), at))
    if back % 7 == 0:
        values = {n: rng.randint(0, 10) for n in needs}
        rows.append(("needs", day, values, "repair", sum(values.values()) / len(values), at))
with con:
    con.executemany(
        "INSERT INTO checkins (id, user_id, kind, day, item_values, note, score, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(str(uuid.uuid4()), user_id, k, d, json.dumps(v), n, s, a, a) for (k, d, v, n, s, a) in rows],
    )
print(f"seeded {len(rows)} check-ins for {email}")
