"""User metadata recipe: a JSON object per user id, updated by top-level merge.

As in the real core, keys of an update replace the stored ones, a key set to ``null`` is
removed, and nested objects are replaced, never merged. Metadata is keyed by user id only
(any string; the user need not exist).
"""

from __future__ import annotations

import json
import sqlite3

from .api import Call, JsonObject, Route


def _load(conn: sqlite3.Connection, user_id: str) -> JsonObject:
    row = conn.execute(
        "SELECT metadata FROM user_metadata WHERE user_id = ?", (user_id,)
    ).fetchone()
    return {} if row is None else dict(json.loads(row[0]))


async def get_metadata(call: Call) -> JsonObject:
    user_id = call.param("userId")
    call.app_wide()
    metadata = await call.core.store.run(lambda conn: _load(conn, user_id))
    return {"status": "OK", "metadata": metadata}


async def update_metadata(call: Call) -> JsonObject:
    user_id = call.string("userId")
    update = call.json_object("metadataUpdate")
    call.app_wide()

    def merge(conn: sqlite3.Connection) -> JsonObject:
        metadata = _load(conn, user_id)
        for key, value in update.items():
            if value is None:
                metadata.pop(key, None)
            else:
                metadata[key] = value
        conn.execute(
            "INSERT INTO user_metadata (user_id, metadata) VALUES (?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET metadata = excluded.metadata",
            (user_id, json.dumps(metadata)),
        )
        return metadata

    return {"status": "OK", "metadata": await call.core.store.run(merge)}


async def remove_metadata(call: Call) -> JsonObject:
    user_id = call.string("userId")
    call.app_wide()
    await call.core.store.run(
        lambda conn: conn.execute(
            "DELETE FROM user_metadata WHERE user_id = ?", (user_id,)
        )
    )
    return {"status": "OK"}


ROUTES = [
    Route("GET", "/recipe/user/metadata", get_metadata),
    Route("PUT", "/recipe/user/metadata", update_metadata),
    Route("POST", "/recipe/user/metadata/remove", remove_metadata),
]
