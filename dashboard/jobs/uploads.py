"""Reading an uploaded CSV of recipients or invitees, row by row, before anything starts.

Every row is checked; the caller gets the good rows and, for the others, the row number and
what is wrong, so a person can fix the file. Limits keep a hostile or mistaken upload from
costing memory: the file's size, the number of rows, the length of each cell.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext, ngettext

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_CELL = 500
SHOWN_ERRORS = 50


class UnreadableUpload(ValueError):
    """Not a CSV we can read at all (too big, not UTF-8, no header row...)."""


@dataclass(frozen=True)
class RowError:
    line: int  # the line in the file, header = 1
    message: str


@dataclass
class ParsedUpload[T]:
    rows: list[T] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line of each row, header = 1
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    def add_row(self, line: int, value: T) -> None:
        self.rows.append(value)
        self.lines.append(line)

    def add_error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < SHOWN_ERRORS:
            self.errors.append(RowError(line, message))

    def recheck(self, problem_with: Callable[[T], str | None]) -> None:
        """Check the good rows again (against the platform, say): `problem_with` says why a row
        cannot be used, or None; refused rows become errors on their own line."""
        rows, lines = self.rows, self.lines
        self.rows, self.lines = [], []
        for line, value in zip(lines, rows, strict=True):
            if reason := problem_with(value):
                self.add_error(line, reason)
            else:
                self.add_row(line, value)
        self.errors.sort(key=lambda error: error.line)


def read_rows(
    upload: UploadedFile, *, required: Iterable[str], max_rows: int
) -> tuple[list[str], Iterable[tuple[int, dict[str, str]]]]:
    """The header (lower-cased names) and the rows as {column: value}, numbered by line."""
    too_big = gettext("The file is larger than %(size)s MB.") % {
        "size": MAX_UPLOAD_BYTES // (1024 * 1024)
    }
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise UnreadableUpload(too_big)
    raw = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise UnreadableUpload(too_big)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableUpload(
            gettext("The file is not UTF-8 text: save it as CSV UTF-8.")
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in required if name not in header]
    if missing:
        raise UnreadableUpload(
            gettext("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )

    def rows() -> Iterable[tuple[int, dict[str, str]]]:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are not rows
            if number - 1 > max_rows:
                raise UnreadableUpload(
                    ngettext(
                        "The file has more than %(count)s row.",
                        "The file has more than %(count)s rows.",
                        max_rows,
                    )
                    % {"count": max_rows}
                )
            yield (
                number,
                {
                    name: value.strip()[:MAX_CELL]
                    for name, value in zip(header, cells, strict=False)
                },
            )

    return header, rows()


def parse_upload[T](
    upload: UploadedFile,
    *,
    required: Iterable[str],
    max_rows: int,
    parse_row: Callable[[dict[str, str]], T],
    key_of: Callable[[T], str],
) -> ParsedUpload[T]:
    """Rows through `parse_row` (which raises ValueError with a message for a bad row);
    a key seen twice is reported on its second line."""
    _, rows = read_rows(upload, required=required, max_rows=max_rows)
    parsed: ParsedUpload[T] = ParsedUpload()
    seen: dict[str, int] = {}
    try:
        for line, row in rows:
            try:
                value = parse_row(row)
            except ValueError as problem:
                parsed.add_error(line, str(problem))
                continue
            key = key_of(value)
            if key in seen:
                parsed.add_error(line, gettext("repeats line %(line)s") % {"line": seen[key]})
                continue
            seen[key] = line
            parsed.add_row(line, value)
    except csv.Error as problem:
        said = gettext("The file is not valid CSV (%(problem)s).") % {"problem": problem}
        raise UnreadableUpload(said) from None
    return parsed
