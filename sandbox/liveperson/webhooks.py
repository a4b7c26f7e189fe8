"""Outbound webhooks: notifications POSTed to the URL a control endpoint set, signed.

`X-Liveperson-Signature: sha1=<base64 of HMAC-SHA1(secret, body)>` (doc), with
`X-Liveperson-Account-Id` and `X-Liveperson-Client-Id` (obs: the headers real receivers check).
The receiver must answer within 5 seconds (doc); a delivery that fails (no answer in time, a
connection error, a status other than 2xx) is tried again after RETRY_DELAYS (guess: the real
schedule is not documented; these are short so that tests do not wait).

The sandbox serves from several processes, and the control state they share is SQLite
(sandbox/state.py): the target is read from there, and the process that handled the event posts
the notification from a small pool of background threads, once its database transaction has
committed. Each attempt is logged in the shared state, where `GET
/__sandbox__/liveperson/webhook-deliveries` reads it from any process. A delivery whose target
changed or was cleared (by a reset) in the meantime is dropped, not posted to a stale URL.
"""

import base64
import hashlib
import hmac
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from sandbox.state import STATE, format_timestamp

TIMEOUT_SECONDS = 5.0  # doc: webhooks must be answered within 5 seconds
RETRY_DELAYS = (0.5, 1.0)  # guess: three attempts in all
COURIERS = 4


def target_name(account_id: str) -> str:
    return f"liveperson:{account_id}"


def signature(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha1).digest()
    return "sha1=" + base64.b64encode(digest).decode()


@dataclass(frozen=True)
class Delivery:
    name: str
    url: str
    secret: str = field(repr=False)
    body: bytes
    headers: dict[str, str]
    summary: dict[str, Any]  # what the log says of it: type, conversation, sequence, state


def notify(account_id: str, client_id: str, notification: dict[str, Any]) -> None:
    """Queue the notification for the account's webhook, if one is set."""
    name = target_name(account_id)
    target = STATE.webhook_target(name)
    if target is None:
        return
    url, secret = target
    body = json.dumps(notification, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Liveperson-Signature": signature(secret, body),
        "X-Liveperson-Account-Id": account_id,
        "X-Liveperson-Client-Id": client_id,
    }
    _couriers().submit(_deliver, Delivery(name, url, secret, body, headers, _summary(notification)))


def _summary(notification: dict[str, Any]) -> dict[str, Any]:
    change = notification["body"]["changes"][0]
    if "result" in change:
        details = change["result"]["conversationDetails"]
        return {
            "type": notification["type"],
            "conversationId": change["result"]["convId"],
            "state": details["state"],
        }
    return {
        "type": notification["type"],
        "conversationId": change["conversationId"],
        "sequence": change["sequence"],
        "role": change["originatorMetadata"]["role"],
    }


def _deliver(delivery: Delivery) -> None:
    for attempt in range(1, len(RETRY_DELAYS) + 2):
        if STATE.webhook_target(delivery.name) != (delivery.url, delivery.secret):
            return  # the webhook was changed or cleared (a reset): not for this URL any more
        status, error = _post(delivery)
        STATE.log_webhook_delivery(
            delivery.name,
            {
                **delivery.summary,
                "url": delivery.url,
                "attempt": attempt,
                "status": status,
                "error": error,
                "bodySha256": hashlib.sha256(delivery.body).hexdigest(),
                "at": format_timestamp(STATE.now()),
            },
        )
        if error is None:
            return
        if attempt <= len(RETRY_DELAYS):
            time.sleep(RETRY_DELAYS[attempt - 1])


def _post(delivery: Delivery) -> tuple[int | None, str | None]:
    """(status, error): error is None for a 2xx answer."""
    try:
        response = _http().post(delivery.url, content=delivery.body, headers=delivery.headers)
    except httpx.TimeoutException:
        return None, "timeout"
    except httpx.HTTPError as problem:
        return None, type(problem).__name__
    if response.is_success:
        return response.status_code, None
    return response.status_code, f"status {response.status_code}"


# One pool of couriers and one HTTP client per process: none may cross a fork.
_local_lock = threading.Lock()
_per_process: dict[int, tuple[ThreadPoolExecutor, httpx.Client]] = {}


def _couriers() -> ThreadPoolExecutor:
    return _process_tools()[0]


def _http() -> httpx.Client:
    return _process_tools()[1]


def _process_tools() -> tuple[ThreadPoolExecutor, httpx.Client]:
    pid = os.getpid()
    tools = _per_process.get(pid)
    if tools is None:
        with _local_lock:
            tools = _per_process.get(pid)
            if tools is None:
                tools = (
                    ThreadPoolExecutor(COURIERS, thread_name_prefix="liveperson-webhook"),
                    httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False),
                )
                _per_process[pid] = tools
    return tools
