"""Stage 1: raw bytes -> :class:`~scidigest.ingest.model.Source` (correct Unicode text).

Why not just trust an encoding guesser: on short French texts detectors often
answer with a Cyrillic or Central-European code page, which "decodes" without
error and silently ruins every accented letter. We therefore try the encodings
a French or English source can plausibly be in, and keep the decoding whose
letters look most like French/English text. Then ftfy repairs text that was
already mis-decoded once upstream (``Ã©`` for ``é``, ``â€™`` for ``’``), but only
on the lines that show mojibake, because ftfy is slow on clean text and must
not "fix" anything else (we keep curly quotes and ligature-free text as is).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import ftfy
from charset_normalizer import from_bytes

from .model import IngestError, Source

#: sources bigger than this are refused (a science article is a few kB)
MAX_BYTES = 2 * 1024 * 1024

_CANDIDATES = ("utf-8", "cp1252", "iso-8859-15", "latin-1", "mac_roman")

# Letters a French or English text is made of; anything else counts against a decoding.
_GOOD = re.compile(r"[A-Za-z0-9\s.,;:!?'\"()«»’‘“”\-–—…/%&@+=*#\[\]_|<>°€$§•·©®\u00a0\u202f]"
                   r"|[àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ]")
# Typical UTF-8-read-as-cp1252/latin-1 sequences: cheap test before calling ftfy.
_MOJIBAKE = re.compile(
    "[ÂÃÅÆâ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)
_FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,  # French typography: keep ’ « »
    fix_latin_ligatures=True,  # PDF ﬁ ﬂ ligatures are not text
    fix_character_width=False,
    restore_byte_a0=True,
    normalization="NFC",
    explain=False,
)


def _letter_score(text: str) -> float:
    """Share of characters that belong to French/English running text."""
    if not text:
        return 0.0
    sample = text[:20000]
    good = sum(1 for _ in _GOOD.finditer(sample))
    return good / len(sample)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text; return ``(text, encoding)``. Raises IngestError when nothing fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise IngestError(f"undecodable UTF-16 text ({exc.reason})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    options: list[tuple[float, int, str, str]] = []
    for rank, enc in enumerate(_CANDIDATES[1:]):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        options.append((_letter_score(text), -rank, enc, text))
    guess = from_bytes(data).best()
    if guess is not None and guess.encoding not in _CANDIDATES:
        text = str(guess)
        # a guesser's exotic answer must beat the Western code pages clearly
        options.append((_letter_score(text) - 0.02, -99, guess.encoding, text))
    if not options:
        raise IngestError("undecodable bytes: not UTF-8 nor a Western code page")
    score, _, enc, text = max(options)
    if score < 0.85:
        raise IngestError(f"undecodable bytes: best guess {enc} gives {score:.0%} ordinary letters")
    return text, enc


def repair(text: str) -> tuple[str, bool]:
    """Fix mojibake line by line; return ``(text, repaired?)``."""
    if text.isascii() or not _MOJIBAKE.search(text):
        return text, False
    lines = text.split("\n")
    changed = False
    for i, line in enumerate(lines):
        if _MOJIBAKE.search(line):
            fixed = ftfy.fix_text(line, _FTFY_CONFIG)
            if fixed != line:
                lines[i] = fixed
                changed = True
    return "\n".join(lines), changed


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _looks_binary(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with its byte-order mark: NUL bytes are expected
    if b"\x00" in data[:8192]:
        return True
    head = data[:8192]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > max(4, len(head) // 100)


def read_source(name: str, data: bytes) -> Source:
    """Bytes of a source file -> Source. Pure: the caller reads the file."""
    if not data.strip():
        raise IngestError("empty file")
    if len(data) > MAX_BYTES:
        raise IngestError(f"file too large ({len(data)} bytes > {MAX_BYTES} limit)")
    if _looks_binary(data):
        raise IngestError("binary file, not a text")
    text, encoding = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text, repaired = repair(text)
    text = unicodedata.normalize("NFC", text)
    # control characters other than tab/newline carry no text
    text = _CONTROL_CHARS.sub("", text)
    if not text.strip():
        raise IngestError("empty file")
    digest = hashlib.sha256(data).hexdigest()
    return Source(name=name, text=text, sha256=digest, encoding=encoding, repaired=repaired)
