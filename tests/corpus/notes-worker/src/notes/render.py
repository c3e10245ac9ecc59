"""HTML for the notes list; plain string building, nothing any rule is about."""

from html import escape


def render_list(rows):
    items = "".join(f"<li>{escape(row['title'])}</li>" for row in rows)
    return f"<!doctype html><ul>{items}</ul>"


def truncate(text, limit=80):
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Page:
    def __init__(self, title):
        self.title = title

    def render(self, body):
        return f"<title>{escape(self.title)}</title>{body}"
