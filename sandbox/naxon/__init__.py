"""The Naxon AI emulation (seeds/001): its models (bots), their conversations and messages, and
the keyword-notification webhook."""
