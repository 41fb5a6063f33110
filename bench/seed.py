#!/usr/bin/env python3
"""Give one member of a Securebase database years of daily check-ins and many
journal entries, for the member-page benchmarks. Works on either database:
SQLite through Python's sqlite3, PostgreSQL through psql.

Usage: seed.py DATABASE_URL EMAIL [--years N] [--journal N]
  DATABASE_URL  sqlite:///path/to/securebase.db or postgres://user@host/db
"""
import argparse
import datetime
import json
import random
import sqlite3
import subprocess
import sys
import time
import uuid

NEEDS = ["responsiveness", "consistency", "repair", "validation", "warmth", "accountability",
         "honesty", "trustworthiness", "accessibility", "mutual-care"]
PROMPTS = ["", "", "safe-in-connection", "when-disconnected", "how-i-protect", "more-secure-response", "need-to-name"]
WORDS = "we talked about the evening and I noticed how quiet I went when the plan changed again".split()


def quote(value):
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def inserts(table, columns, rows, batch=500):
    for start in range(0, len(rows), batch):
        values = ",\n".join("(" + ", ".join(quote(v) for v in row) + ")" for row in rows[start:start + batch])
        yield f"INSERT INTO {table} ({', '.join(columns)}) VALUES\n{values};"


def checkins(user_id, years, rng, now):
    today = datetime.date.today()
    rows = []
    for back in range(years * 365):
        day = (today - datetime.timedelta(days=back)).isoformat()
        at = now - back * 86400
        value = rng.randint(1, 5)
        rows.append((str(uuid.uuid4()), user_id, "today", day, json.dumps({"closeness": value}), "", float(value), at, at))
        if back % 7 == 0:
            values = {n: rng.randint(0, 10) for n in NEEDS}
            score = sum(values.values()) / len(values)
            rows.append((str(uuid.uuid4()), user_id, "needs", day, json.dumps(values), "repair", score, at, at))
    return rows


def journal(user_id, count, rng, now):
    rows = []
    for i in range(count):
        at = now - (count - i) * 3600
        paragraphs = (" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 120)))
                      for _ in range(rng.randint(1, 12)))
        title = f"Entry {i}" if i % 3 else ""
        rows.append((str(uuid.uuid4()), user_id, rng.choice(PROMPTS), title, "\n\n".join(paragraphs), 1, at, at))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("email")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--journal", type=int, default=10000)
    args = parser.parse_args()
    sqlite = args.database_url.startswith("sqlite:")
    if sqlite:
        con = sqlite3.connect(args.database_url.split("://", 1)[1].split("?")[0], timeout=30)
        (user_id,) = con.execute("SELECT id FROM users WHERE email = ?", (args.email,)).fetchone()
    else:
        user_id = subprocess.run(
            ["psql", args.database_url, "-tAc", f"SELECT id FROM users WHERE email = {quote(args.email)}"],
            check=True, capture_output=True, text=True).stdout.strip()
    now = int(time.time())
    statements = ["BEGIN;"]
    statements += inserts("checkins", ["id", "user_id", "kind", "day", "item_values", "note", "score", "created_at",
                                       "updated_at"], checkins(user_id, args.years, random.Random(42), now))
    statements += inserts("journal_entries", ["id", "user_id", "prompt_id", "title", "body", "version", "created_at",
                                              "updated_at"], journal(user_id, args.journal, random.Random(7), now))
    statements.append("COMMIT;")
    script = "\n".join(statements)
    if sqlite:
        con.executescript(script)
    else:
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", args.database_url], input=script, check=True,
                       text=True, stdout=subprocess.DEVNULL)
    print(f"seeded {args.years} years of check-ins and {args.journal} journal entries for {args.email}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
