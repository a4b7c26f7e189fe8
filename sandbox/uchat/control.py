"""UChat's control endpoint under /__sandbox__/uchat/ (tests only): what each subscriber was sent.

`GET /__sandbox__/uchat/sent[?userNs=…]` lists every sub-flow and text the platform was asked
to send, oldest first: `{"sent": [{"userNs", "bot", "kind": "sub_flow"|"text", "subFlowNs",
"content", "via", "at"}]}`; `via` names the endpoint (send-sub-flow, send-text,
broadcast-by-tag).
"""

from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.urls import path

from sandbox.connextlive.http import endpoint
from sandbox.state import format_timestamp


def sent(request: HttpRequest) -> dict[str, Any]:
    conditions, params = ["TRUE"], []
    if user_ns := request.GET.get("userNs", "").strip():
        conditions.append("s.user_ns = %s")
        params.append(user_ns)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.user_ns, b.flow_ns, d.kind, f.sub_flow_ns, d.content, d.via, d.created_at"
            " FROM uchat_delivery d JOIN uchat_subscriber s ON s.id = d.subscriber_id"
            " JOIN uchat_bot b ON b.id = s.bot_id LEFT JOIN uchat_subflow f ON f.id = d.sub_flow_id"
            f" WHERE {' AND '.join(conditions)} ORDER BY d.id",
            params,
        )
        rows = cursor.fetchall()
    return {
        "sent": [
            {
                "userNs": user_ns,
                "bot": flow_ns,
                "kind": kind,
                "subFlowNs": sub_flow_ns,
                "content": content,
                "via": via,
                "at": format_timestamp(created_at),
            }
            for user_ns, flow_ns, kind, sub_flow_ns, content, via, created_at in rows
        ]
    }


urlpatterns = [path("sent", endpoint(GET=sent))]
