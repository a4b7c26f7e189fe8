"""The conversation tally (models.ConversationTally) and the triggers that keep it.

Triggers rather than code in the write paths: the tally must be exactly what a recount would
give after every write, and the writes are many (the views, actions.py, the seed's raw INSERTs,
the ORM's cascades when a visitor or a conversation is deleted); a trigger runs for each of them,
in the writer's transaction. What each keeps true: a tally row holds, over the conversations of
its (tenant, agent or "", status), one per conversation and the unread visitor messages that
point at each. So a message that becomes unread (or stops being) moves its conversation's row by
one; a conversation that appears, goes or changes its key moves its own count and unread
messages, whatever order a transaction writes them in (the foreign keys are deferred).
"""

from django.db import migrations, models

TALLY = "connextlive_conversationtally"
UNREAD = "sender_type = 'VISITOR' AND NOT is_read"
_ADD = """
    ON CONFLICT (tenant_id, agent_id, status) DO UPDATE SET
        conversations = conversations + excluded.conversations,
        unread = unread + excluded.unread;
"""


def _message_moves(row: str, sign: str) -> str:
    """`row` (OLD or NEW), if it is an unread visitor message, counted `sign` once in its
    conversation's row (none if its conversation is not there)."""
    return f"""
        INSERT INTO {TALLY} (tenant_id, agent_id, status, conversations, unread)
        SELECT c.tenant_id, IFNULL(c.agent_id, ''), c.status, 0, {sign}1
        FROM connextlive_conversation c
        WHERE c.id = {row}.conversation_id
          AND {row}.sender_type = 'VISITOR' AND NOT {row}.is_read
        {_ADD}
    """


def _conversation_moves(row: str, sign: str) -> str:
    """The conversation `row` (OLD or NEW) and its unread visitor messages, counted `sign`."""
    return f"""
        INSERT INTO {TALLY} (tenant_id, agent_id, status, conversations, unread)
        VALUES (
            {row}.tenant_id, IFNULL({row}.agent_id, ''), {row}.status, {sign}1,
            {sign}(SELECT COUNT(*) FROM connextlive_message
                   WHERE conversation_id = {row}.id AND {UNREAD})
        )
        {_ADD}
    """


TRIGGERS = {
    "connextlive_tally_message_insert": f"""
        AFTER INSERT ON connextlive_message WHEN NEW.sender_type = 'VISITOR' AND NOT NEW.is_read
        BEGIN {_message_moves("NEW", "+")} END
    """,
    "connextlive_tally_message_delete": f"""
        AFTER DELETE ON connextlive_message WHEN OLD.sender_type = 'VISITOR' AND NOT OLD.is_read
        BEGIN {_message_moves("OLD", "-")} END
    """,
    "connextlive_tally_message_update": f"""
        AFTER UPDATE OF conversation_id, sender_type, is_read ON connextlive_message BEGIN
            {_message_moves("OLD", "-")} {_message_moves("NEW", "+")}
        END
    """,
    "connextlive_tally_conversation_insert": f"""
        AFTER INSERT ON connextlive_conversation BEGIN {_conversation_moves("NEW", "+")} END
    """,
    "connextlive_tally_conversation_delete": f"""
        AFTER DELETE ON connextlive_conversation BEGIN {_conversation_moves("OLD", "-")} END
    """,
    # Only when the key changes: most updates of a conversation touch updated_at alone.
    "connextlive_tally_conversation_update": f"""
        AFTER UPDATE OF id, tenant_id, agent_id, status ON connextlive_conversation
        WHEN OLD.id IS NOT NEW.id OR OLD.tenant_id IS NOT NEW.tenant_id
          OR OLD.agent_id IS NOT NEW.agent_id OR OLD.status IS NOT NEW.status
        BEGIN {_conversation_moves("OLD", "-")} {_conversation_moves("NEW", "+")} END
    """,
}

# What is there already, for a database migrated with its rows in it (the seed's is empty).
RECOUNT = f"""
    INSERT INTO {TALLY} (tenant_id, agent_id, status, conversations, unread)
    SELECT c.tenant_id, IFNULL(c.agent_id, ''), c.status, COUNT(*),
           IFNULL(SUM((SELECT COUNT(*) FROM connextlive_message
                       WHERE conversation_id = c.id AND {UNREAD})), 0)
    FROM connextlive_conversation c
    GROUP BY 1, 2, 3
"""


class Migration(migrations.Migration):
    dependencies = [
        ("connextlive", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConversationTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("tenant_id", models.CharField(max_length=40)),
                ("agent_id", models.CharField(max_length=40)),
                ("status", models.CharField(max_length=10)),
                ("conversations", models.IntegerField()),
                ("unread", models.IntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("tenant_id", "agent_id", "status"),
                        name="tally_per_agent_and_status",
                    )
                ],
            },
        ),
        migrations.RunSQL(
            [f"CREATE TRIGGER {name} {body}" for name, body in TRIGGERS.items()] + [RECOUNT],
            [f"DROP TRIGGER {name}" for name in TRIGGERS],
        ),
    ]
