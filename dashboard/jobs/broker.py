"""kombu's filesystem transport, with messages written atomically.

The stock transport creates the message file, then writes it; a worker polling the folder in
between moves the empty file away, fails to decode it, and the worker stops with "Unrecoverable
error: JSONDecodeError". Here a message is written to a hidden temporary name (which the
transport's reader never matches) and renamed into place: readers see all of it or nothing.

Use it with `broker_transport = "dashboard.jobs.broker:Transport"` beside a `filesystem://`
broker URL (the default broker of settings.py).
"""

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.json import dumps

TRANSPORT = "dashboard.jobs.broker:Transport"


class Channel(filesystem.Channel):
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # A leading dot: `_get` only takes names whose part after the first dot is <queue>.msg.
        temporary = os.path.join(self.data_folder_out, f".{name}.tmp")
        try:
            with open(temporary, "wb") as file:
                file.write(dumps(payload).encode())
            os.replace(temporary, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
