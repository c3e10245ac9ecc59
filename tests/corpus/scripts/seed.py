"""A host-side script next to the Workers (no Worker config above it)."""

import random
import sqlite3
import sys

random.seed(7)
rows = [(i, random.random()) for i in range(10)]
with sqlite3.connect(sys.argv[1] if len(sys.argv) > 1 else ":memory:") as conn:
    conn.executemany("INSERT INTO t VALUES (?, ?)", rows)
