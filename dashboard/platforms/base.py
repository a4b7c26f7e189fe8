"""The shared HTTP base of every platform client (placeholder until the client lands)."""

import logging


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return True
