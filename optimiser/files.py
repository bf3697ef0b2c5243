"""Reading a planner's files within bounds: every input file goes through here.

A scenario names files by path, so any path can arrive: a folder, a device (``/dev/zero``,
``/dev/urandom`` never end), a named pipe (blocks forever), a file of several gigabytes. Each is
refused here with a message naming the file and what was expected, before a byte is read; a
regular file is read up to its kind's limit and no further (a file that grows while it is read,
or a special file that reports a size of 0, stops at the limit too).

Limits (bytes; far above any real input, far below what exhausts the memory of a laptop):

* a scenario file (and each parent it ``extends``): :data:`SCENARIO_MAX_BYTES`;
* a GeoJSON file (communes, road network): :data:`GEOJSON_MAX_BYTES` — ``json.load`` needs
  about ten times the file's size in memory;
* an inventory table (CSV file, Excel workbook): :data:`TABLE_MAX_BYTES`, and a workbook's
  content once unzipped: :data:`WORKBOOK_MAX_UNZIPPED_BYTES` (:func:`check_zip`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import InputError, Problem

MB = 1_000_000
#: Largest scenario file: a scenario listing every commune of France by code is about 0.4 MB.
SCENARIO_MAX_BYTES = 4 * MB
#: Largest GeoJSON file: the communes of a whole region at full resolution are about 100 MB.
GEOJSON_MAX_BYTES = 512 * MB
#: Largest inventory table: a row per commune and service of a region is well under 1 MB.
TABLE_MAX_BYTES = 64 * MB
#: Largest inventory workbook once unzipped (an ``.xlsx`` is a zip of XML files): a real one
#: unzips to a few MB, while a "zip bomb" of a megabyte can unzip to gigabytes.
WORKBOOK_MAX_UNZIPPED_BYTES = 256 * MB
#: Most files inside a workbook's zip (a real one holds a few dozen).
WORKBOOK_MAX_MEMBERS = 10_000


def size_text(n_bytes: int) -> str:
    """``512 MB``, ``4 MB``, ``1.3 kB`` (decimal units, as file managers show them)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= scale:
            value = n_bytes / scale
            return f"{value:.0f} {unit}" if value >= 10 or value.is_integer() else f"{value:.1f} {unit}"
    return f"{n_bytes} bytes"


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (``None`` for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_file(path: str | Path, label: str, limit: int, what: str = "file", hint: str | None = None) -> Path:
    """``path`` if it is a regular file of at most ``limit`` bytes; else an :class:`InputError`
    naming ``label`` (the file as the planner knows it), ``what`` it should be and the limit.

    Symbolic links are followed: a link to a scenario is a scenario.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError([Problem(label, "", f"{what} not found", show_value=False)]) from None
    except NotADirectoryError:
        raise InputError([Problem(label, "", f"{what} not found (a folder in its path is a file)", show_value=False)]) from None
    except PermissionError:
        raise InputError([Problem(label, "", f"cannot read the {what} (permission denied)", show_value=False)]) from None
    except OSError as exc:
        raise InputError([Problem(label, "", f"cannot read the {what} ({exc.strerror or exc.__class__.__name__})",
                                  show_value=False)]) from None
    kind = _kind(info.st_mode)
    if kind is not None:
        raise InputError([Problem(label, "", f"is {kind}, not a {what}", show_value=False,
                                  hint=f"name a {what} here")])
    if info.st_size > limit:
        raise InputError([Problem(label, "", f"the {what} is {size_text(info.st_size)}; at most {size_text(limit)} "
                                  "is read", show_value=False, hint=hint)])
    return path


def read_bytes(path: str | Path, label: str, limit: int, what: str = "file", hint: str | None = None) -> bytes:
    """The content of regular file ``path``, refused (not truncated) beyond ``limit`` bytes."""
    path = check_file(path, label, limit, what, hint)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except PermissionError:
        raise InputError([Problem(label, "", f"cannot read the {what} (permission denied)", show_value=False)]) from None
    except OSError as exc:
        raise InputError([Problem(label, "", f"cannot read the {what} ({exc.strerror or exc.__class__.__name__})",
                                  show_value=False)]) from None
    if len(data) > limit:  # it grew while being read
        raise InputError([Problem(label, "", f"the {what} is larger than {size_text(limit)}, the most that is read",
                                  show_value=False, hint=hint)])
    return data


def read_text(path: str | Path, label: str, limit: int, what: str = "file", hint: str | None = None) -> str:
    """The content of regular file ``path`` as UTF-8 text (a byte-order mark is dropped)."""
    data = read_bytes(path, label, limit, what, hint)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(label, "", f"cannot read the {what} as UTF-8 text (byte {exc.start} is not UTF-8)",
                                  show_value=False, hint="save it as UTF-8")]) from None


def check_zip(data: bytes, label: str, what: str = "workbook", limit: int = WORKBOOK_MAX_UNZIPPED_BYTES,
              max_members: int = WORKBOOK_MAX_MEMBERS) -> None:
    """Refuse ``data`` unless it is a zip archive (an ``.xlsx`` is one) of at most
    ``max_members`` files whose sizes, unzipped, add up to at most ``limit`` bytes.

    The sizes are those the archive declares; Python's :mod:`zipfile` (which openpyxl reads
    through) never inflates a member beyond its declared size, so they bound what is read.
    """
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise InputError([Problem(label, "", f"is not an Excel {what} (.xlsx files are zip archives; this one is not)",
                                  show_value=False, hint="save it from Excel or LibreOffice as .xlsx")]) from None
    if len(members) > max_members:
        raise InputError([Problem(label, "", f"the {what} holds {len(members):,} files inside; at most "
                                  f"{max_members:,} are read", show_value=False)])
    unzipped = sum(member.file_size for member in members)
    if unzipped > limit:
        raise InputError([Problem(label, "", f"the {what} unzips to {size_text(unzipped)}; at most {size_text(limit)} "
                                  "is read", show_value=False, hint="keep only the sheets services and equipment")])
