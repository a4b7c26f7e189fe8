"""The subscribers table's rows: each subscriber's cell values, worked out once
(dashboard/lib/rows.py), for `templates/jinja2/uchat/rows.html`."""

from typing import NamedTuple

from dashboard.lib.rows import Clock, Moment, detail_url
from dashboard.platforms.uchat_records import Subscriber


class SubscriberRow(NamedTuple):
    url: str
    name: str
    user_ns: str
    channel: str
    email: str
    phone: str
    tags: list[str]
    subscribed: bool
    allows_messages: bool
    last_interaction: Moment | None


def subscriber_label(subscriber: Subscriber) -> str:
    full = " ".join(p for p in (subscriber.first_name, subscriber.last_name) if p)
    return subscriber.name or full or subscriber.email or subscriber.user_ns


def subscriber_row(subscriber: Subscriber, list_url: str, clock: Clock) -> SubscriberRow:
    return SubscriberRow(
        url=detail_url(list_url, subscriber.user_ns),
        name=subscriber_label(subscriber),
        user_ns=subscriber.user_ns,
        channel=subscriber.channel or "",
        email=subscriber.email or "",
        phone=subscriber.phone or "",
        tags=[tag.name or tag.tag_ns for tag in subscriber.tags],
        subscribed=subscriber.subscribed,
        allows_messages=subscriber.allow_send_message,
        last_interaction=clock.moment(subscriber.last_interaction_at),
    )
