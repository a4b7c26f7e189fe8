"""The conversations table's rows: values worked out in Python (conversations/rows.py), rendered
by the Jinja2 rows template."""

from datetime import timedelta

from django.template import engines
from django.utils import timezone

from dashboard.conversations.rows import conversation_row
from dashboard.lib.rows import Clock
from dashboard.platforms.connextlive_records import (
    AgentRef,
    ConversationSummary,
    LastMessage,
    VisitorRef,
)


def conversation_rows(conversations: list[ConversationSummary]) -> str:
    clock = Clock()
    rows = [conversation_row(c, "/conversations/", clock) for c in conversations]
    return engines["jinja2"].get_template("conversations/rows.html").render({"rows": rows})


def test_a_row_shows_every_column():
    updated = timezone.now() - timedelta(hours=3, minutes=5)
    conversation = ConversationSummary(
        id="cnv_1",
        status="WAITING",
        visitor=VisitorRef(id="vis_1", user_name="Jane", is_online=True),
        agent=AgentRef(id="usr_1", name="Ada"),
        subject="Pricing " + "x" * 100,
        unread_count=2,
        last_message=LastMessage(
            content="Hi? " + "y" * 100, sender_type="VISITOR", created_at=updated
        ),
        message_count=5,
        created_at=updated,
        updated_at=updated,
    )

    row = conversation_rows([conversation])

    assert '<span class="status-dot status-green" title="Online"></span>' in row
    assert '<a href="/conversations/cnv_1/">Jane</a>' in row
    assert f"Pricing {'x' * 71}…</div>" in row  # 80 characters, the ellipsis included
    assert f'<span class="text-secondary">Visitor:</span> Hi? {"y" * 85}…</td>' in row
    assert '<span class="badge bg-yellow-lt">Waiting</span>' in row
    assert "<td>Ada</td>" in row
    assert 'title="Unread messages">2</span>' in row
    assert "<td>5</td>" in row
    assert f'<time datetime="{updated.isoformat()}"' in row and ">3 h ago</time>" in row


def test_what_a_conversation_lacks_reads_plainly():
    now = timezone.now()
    bare = ConversationSummary(
        id="cnv 2/..", status="PAUSED", visitor=VisitorRef(id="vis_2"), created_at=now,
        updated_at=now,
    )  # fmt: skip
    row = conversation_rows([bare])

    assert '<a href="/conversations/cnv%202%2F../">Anonymous visitor</a>' in row
    assert '<span class="text-secondary">Unassigned</span>' in row
    assert '<span class="text-secondary">0</span>' in row
    assert '<span class="badge">PAUSED</span>' in row
    assert '<td class="text-break">—</td>' in row


def test_platform_text_is_escaped_everywhere():
    hostile = '<img src=x onerror="alert(1)">'
    now = timezone.now()
    row = conversation_rows(
        [
            ConversationSummary(
                id="cnv_3",
                status=hostile,
                visitor=VisitorRef(id="vis_3", user_email=hostile),
                agent=AgentRef(id=hostile),
                subject=hostile,
                last_message=LastMessage(content=hostile, sender_type=hostile, created_at=now),
                created_at=now,
                updated_at=now,
            )
        ]
    )

    assert "<img" not in row
    assert "<img" not in row.lower()
    # The visitor, agent, subject, message and status; the sender shows title-cased, escaped too.
    assert row.count("&lt;img src=x onerror=&#34;alert(1)&#34;&gt;") == 5
