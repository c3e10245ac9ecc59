"""D1 access for notes."""

import threading
from datetime import datetime, timedelta

_lock = threading.Lock()


async def list_notes(db):
    result = await db.prepare("SELECT id, title FROM notes ORDER BY id DESC").all()
    return [row.to_py() for row in result.results]


async def create(db, title, text):
    now = datetime.now().isoformat()
    result = await db.prepare("INSERT INTO notes (title, text, created) VALUES (?, ?, ?)").bind(title, text, now).run()
    return result.meta.last_row_id


async def cleanup(db, older_than):
    cutoff = (datetime.now() - timedelta(days=older_than)).isoformat()
    await db.prepare("DELETE FROM notes WHERE created < ?").bind(cutoff).run()


def background_flush(items):
    worker = threading.Thread(target=lambda: items.clear())
    worker.start()
    return worker
