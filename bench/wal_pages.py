#!/usr/bin/env python3
"""Which b-trees a SQLite booking storm's commits wrote: reads the WAL frames that
`bench/hold_store --keep-wal DIR` kept (DIR/store.db-wal), maps each frame's page to its table or
index with SQLite's dbstat, and prints frames per commit by b-tree, largest first.
Usage: bench/wal_pages.py DIR [rows, default 15]  (or bench/wal_pages.sh for the whole run)"""
import collections
import sqlite3
import struct
import sys

folder = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 15
with open(f"{folder}/store.db-wal", "rb") as f:
    wal = f.read()  # read before the store is opened: opening it replays and may reset the WAL
page_size = struct.unpack(">I", wal[8:12])[0]
frames, commits = [], 0
offset = 32  # the WAL header; then each frame: a 24-byte header and one page
while offset + 24 + page_size <= len(wal):
    page, commit_size = struct.unpack(">II", wal[offset:offset + 8])
    frames.append(page)
    commits += commit_size != 0  # a commit's last frame carries the database size
    offset += 24 + page_size
owner = {page: name for name, page in sqlite3.connect(f"{folder}/store.db").execute(
    "SELECT name, pageno FROM dbstat")}
per_tree = collections.Counter(owner.get(page, "(freed or new)") for page in frames)
commits = max(1, commits)
print(f"page size {page_size}, {len(frames)} frames in {commits} commits: "
      f"{len(frames) / commits:.1f} frames per commit")
for name, count in per_tree.most_common(rows):
    print(f"{count:8d} {count / commits:7.1f} per commit  {name}")
