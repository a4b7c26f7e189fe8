"""Prefixed ULIDs (`cnv_01J...`): 48 bits of milliseconds, 80 random bits, Crockford base32."""

import base64
import random
import secrets
from datetime import datetime

# RFC 4648 base32 letters to Crockford's, which ULIDs use.
_TO_CROCKFORD = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", b"0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)


def new_id(prefix: str, at: datetime, rng: random.Random | None = None) -> str:
    """An id for a record created at `at`; pass the seed's `rng` for reproducible ids."""
    randomness = rng.getrandbits(80) if rng is not None else secrets.randbits(80)
    value = (int(at.timestamp() * 1000) << 80) | randomness
    # 26 base32 digits hold 130 bits: the 128-bit value behind two zero bits. Six more zero
    # bits make whole bytes for the encoder; the digits they add are cut off.
    digits = base64.b32encode((value << 6).to_bytes(17, "big"))[:26]
    return f"{prefix}_{digits.translate(_TO_CROCKFORD).decode()}"
