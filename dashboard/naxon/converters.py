"""Naxon's ids in URLs: int64 (seeds/001), kept exact as Python ints (some exceed 2**53)."""

LARGEST_INT64 = 2**63 - 1


class Int64Converter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > LARGEST_INT64:
            raise ValueError("beyond int64")  # no match: a 404
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))
