#!/usr/bin/env python3
"""Give one member 5 000 journal entries (of varied length, some to prompts) in
a Securebase SQLite file, for the journal-list benchmark.
Usage: seed_journal.py DB_PATH EMAIL [COUNT]"""
import random
import sqlite3
import sys
import time
import uuid

db_path, email = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
con = sqlite3.connect(db_path, timeout=30)
(user_id,) = con.execute("SELECT id FROM users WHERE email = ?", (email,)).fetchone()
rng = random.Random(7)
prompts = ["", "", "safe-in-connection", "when-disconnected", "how-i-protect", "more-secure-response", "need-to-name"]
words = "we talked about the evening and I noticed how quiet I went when the plan changed again".split()
now = int(time.time())
rows = []
for i in range(count):
    at = now - (count - i) * 3600
    body = "\n\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(20, 120))) for _ in range(rng.randint(1, 12)))
    rows.append((str(uuid.uuid4()), user_id, rng.choice(prompts), f"Entry {i}" if i % 3 else "", body, 1, at, at))
with con:
    con.executemany(
        "INSERT INTO journal_entries (id, user_id, prompt_id, title, body, version, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
print(f"seeded {count} journal entries for {email}", file=sys.stderr)
