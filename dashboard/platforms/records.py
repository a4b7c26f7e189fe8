"""The one record style of every platform client: frozen msgspec Structs read from the answers.

    class Chat(Record, frozen=True, kw_only=True):  # kw_only: msgspec does not inherit it
        id: int
        title: str = ""                  # the key may be missing: read as ""
        closed_at: Moment | None = None  # the wire may send null here
        created_at: Moment               # always sent: a required field

    chat = Chat.from_json(response_bytes)   # what the clients do: no intermediate dicts
    chat = Chat.from_api({"id": 1, ...})    # from data already decoded

How an answer is read, for every record:

- snake_case fields from the camelCase keys (`rename="camel"`; a platform whose wire is already
  snake_case gives its records `rename=None`); unknown keys are ignored, a missing key takes the
  field's default, and a field without a default is required;
- numbers and booleans sent as text (`"12"`, `"true"`) are read as numbers and booleans;
- the hints say what the record holds. A field is `X | None` only where the platform's wire shape
  lets it be null; elsewhere it is plain `X`, and a null there is a malformed answer like any
  other value of the wrong kind (a list where text belongs);
- datetimes (`Moment`) are aware and kept as the answer gives them, offset included: display code
  converts them to the viewer's zone. A timestamp without an offset is refused rather than
  guessed at;
- a value type of our own (say, a list the wire sends as a string holding JSON) reads itself with
  a `from_wire(value)` class method, called with the value as decoded JSON.

A malformed answer raises `msgspec.ValidationError`, a ValueError, which the shared base turns
into PlatformUnavailable("unexpected response"); `read_record` does the whole call. Callers
outside `dashboard/platforms/` never see msgspec: records are plain values with the methods their
callers need (`AgentRoster.with_invitation`, for example).
"""

from datetime import datetime
from typing import Annotated, Any, Self

import msgspec

from dashboard.platforms.base import PlatformHttp, decode_json
from dashboard.platforms.errors import UNEXPECTED, PlatformUnavailable

__all__ = ["Moment", "Record", "read_record"]

# An aware datetime; one without an offset is a malformed answer.
type Moment = Annotated[datetime, msgspec.Meta(tz=True)]


def _read_own_type(kind: type, value: Any) -> Any:
    """msgspec's hook for types it does not know: ours read themselves (`from_wire`)."""
    from_wire = getattr(kind, "from_wire", None)
    if from_wire is None:
        raise NotImplementedError(f"{kind.__name__} has no from_wire")
    return from_wire(value)


class Record(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """A platform record: frozen, keyword-built, read from the answer's camelCase keys."""

    @classmethod
    def from_json(cls, content: bytes) -> Self:
        """The record straight from an answer's bytes, in one pass.

        What msgspec's decoder refuses as JSON (a byte-order mark, UTF-16, NaN) takes the general
        path, `decode_json` then `from_api`, which reads or refuses it as any other answer.
        """
        try:
            return msgspec.json.decode(content, type=cls, strict=False, dec_hook=_read_own_type)
        except msgspec.ValidationError:
            raise
        except msgspec.DecodeError:
            return cls.from_api(decode_json(content))

    @classmethod
    def from_api(cls, data: Any) -> Self:
        """The record from an answer already decoded into Python data."""
        return msgspec.convert(data, cls, strict=False, dec_hook=_read_own_type)


def read_record[R: Record](
    http: PlatformHttp, record: type[R], method: str, path: str, **request: Any
) -> R:
    """Send one call whose answer is one `record`, decoded straight from the answer's bytes."""
    answer = http.request(method, path, decode=record.from_json, **request)
    if not isinstance(answer, record):  # an empty answer, where a record was due
        raise PlatformUnavailable(UNEXPECTED, method=method, path=path)
    return answer
