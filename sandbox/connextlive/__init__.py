"""Connextlive (seeds/003), emulated under /connextlive."""
