"""Seed parsing: the bytes of one plain-text article become a `Seed` record.

This module knows nothing of Pelican or Markdown. The rules it applies are the
ones documented in README ("The seed format"):

Decoding, decided once, in this order:
1. a byte-order mark names the encoding (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. without one, strict UTF-8;
3. if that fails, Windows-1252 (a superset of Latin-1's printable range); the five
   bytes Windows-1252 leaves undefined decode as Latin-1 C1 controls and are then
   dropped like any other control character.
Data with NUL bytes (without a UTF-16/32 mark) is binary and rejected.

Characters XML 1.0 or HTML forbid never reach a page or a feed: C0/C1 controls,
DEL, lone surrogates and non-characters are dropped; vertical tab, form feed and
NEL act as separators inside the text, so they become a space. Each is reported as
a warning on the record (the caller logs it with the file name).

Only LF, CRLF and CR end a line. U+2028 and the other Unicode separators are
characters of the text (str.splitlines() would split on them, so it is not used).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

# Blocks longer than this many characters (their lines joined) cannot be a dek.
DEK_MAX_CHARS = 250
# Limits past which a file is not an article but a mistake (or an attack on
# the build): a whole book, or a megabyte with no line break.
MAX_BYTES = 5_000_000
MAX_LINE_CHARS = 100_000

_BOMS = (
    # UTF-32 before UTF-16: the UTF-32 LE mark starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_BYLINE = re.compile(r"^authors?\s*:\s*(.*)$", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)
_SEPARATOR_AT_END = re.compile(r"(?:[,;&]|\band)$", re.IGNORECASE)
_SEPARATOR_AT_START = re.compile(r"(?:[,;&]|and\b)", re.IGNORECASE)
# A line under a byline that did not end with a separator goes on with it only
# as the rest of a name that is plainly cut: the byline ends with a particle
# of names ("Maria de la" / "Cruz Fernandez"), or named nobody yet ("Author:"
# alone); and the line reads as a name: at most four words of letters (and
# ' ’ . -), none lower-case but particles, no sentence's end. Else it is the
# bio, glued under the byline: a cut after a word that may end a name ("and
# Ana" / "Lima") cannot be told from a name and its affiliation ("Lagos" /
# "Reuters", "AFP" / "Staff Writers").
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.-])*")
_PARTICLES = frozenset(
    "al bin da das de del della den der di do dos du e el ibn la le ten ter van von y zu".split()  # noqa: SIM905
)
# "By Jane Roe" (wire copy writes the byline so): "By" is no part of a name;
# nor is "with" before a name ("Jane Roe and John Doe, with Ann Lee").
_BY = re.compile(r"^(?:by|with)\s+(?=\S)", re.IGNORECASE)
# A name that ends with a full stop after a word ("Kate Holt."): the stop ends
# the byline, as a sentence's; an initial or an abbreviation keeps it ("Jr.").
_FINAL_STOP = re.compile(r"(?<=[^\W\d_]{2})\.$")
_KEEPS_STOP = frozenset(
    "jr sr jnr snr inc ltd co corp bros esq intl dr mr ms mrs prof rev st "  # noqa: SIM905
    "mohd muhd geo chas thos jas wm".split()
)
# A job title after a comma ("Jane Roe, Staff Writer", "…, Senior
# Correspondent"): its author's role, not a second author; left out of the
# names. One after "and" or "&" ("AFP & Staff Writers") is a collective credit.
_ROLE = re.compile(
    r",\s*(?:(?:senior|chief|staff|special|foreign|political|business|science|"
    r"sports|health|education|investigative|contributing|deputy|managing|"
    r"news|city|associate|executive|arts|food|travel|opinion|world) )*"
    r"(?:writer|reporter|correspondent|editor|columnist|contributor|"
    r"photographer|critic|producer|analyst)s?\.?(?=\s*(?:[,;&]|\band\b|$))",
    re.IGNORECASE,
)
# A note an editor appends after the byline and bio (a correction, an
# editor's note, an update): the article's own text, at its end, never a bio.
_NOTE = re.compile(
    r"^(?:editor[’']?s[’']? note|correction|clarification|update[sd]?|"
    r"note)\s*(?:\([^()\n]{0,40}\)|,[^,:\n]{0,30})?\s*:",
    re.IGNORECASE,
)
# "Jane Roe <jane@example.org>": the address is contact data, not the name.
_ADDRESS = re.compile(r"<[^<>]*@[^<>]*>")
# A generational suffix after a comma ("Martin Luther King, Jr.") ends the
# name before it; it is no author of its own. Kept without the comma, as AP
# style writes it: Pelican splits an Authors field on commas. Capitalised as
# suffixes are ("Ii" is a surname, "Iv" a given name).
_SUFFIX = r"(?:Jr|Sr|Jnr|Snr|JR|SR)\.?|II|III|IV|PhD|Ph\.D\.|MD|M\.D\.|MBA|Esq\.?"
# Case matters for the suffix, not for the "and" after it.
_COMMA_SUFFIX = re.compile(rf",\s*({_SUFFIX})(?=\.?\s*(?:[,;&]|\b(?i:and)\b|$))")
_SUFFIX_WORD = re.compile(_SUFFIX)
_SPACE_RUN = re.compile(r"[ \t]+")
# Characters that separate words (VT, FF, NEL): kept as a space, not glued together.
_SEPARATOR_CONTROLS = frozenset("\x0b\x0c\x85")


class SeedError(ValueError):
    """A file that is not a publishable article; the message says why."""


@dataclass(frozen=True)
class Seed:
    """One parsed article: plain text fields, no markup of any kind."""

    title: str
    subtitle: str | None
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...] = ()
    bio: str | None = None
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def words(self) -> int:
        """Words of the article text (dek and body), as a reader counts them."""
        text = " ".join(filter(None, (self.subtitle, *self.paragraphs)))
        return len(text.split())

    def bio_owner(self) -> str | None:
        """The author whose stored bio this seed's bio becomes, if any.

        With one author it is theirs; with several, only the author whose name
        the bio begins with (full name, or first name when that is unambiguous
        and, past any initials, no other capitalised name follows it: "Cat J.
        Dee is…" is about Cat Dee, "Cat Deemer is…" is not).
        """
        if not self.bio or not self.authors:
            return None
        if len(self.authors) == 1:
            return self.authors[0]
        for name in self.authors:
            if _starts_with_name(self.bio, name):
                return name
        first_names = [name.split()[0] for name in self.authors]
        matches = [
            name
            for name, first in zip(self.authors, first_names, strict=True)
            if first_names.count(first) == 1
            and _starts_with_name(self.bio, first)
            and not _another_name_follows(self.bio, len(first), _surname(name))
        ]
        return matches[0] if len(matches) == 1 else None


def _surname(name: str) -> str:
    """The last word of a name that is not a generational suffix ("Ben Bell Jr.")."""
    words = name.split()
    while len(words) > 1 and _SUFFIX_WORD.fullmatch(words[-1]):
        words.pop()
    return words[-1]


# After a first name: initials ("J. "), then the next word, whole.
_NEXT_WORD = re.compile(r"(?:\s+\w\.)*\s+([\w-]+)")


def _another_name_follows(text: str, at: int, surname: str) -> bool:
    """Whether the word after `at` (past any initials) is capitalised and not
    `surname`: another person's name ("Cat Deemer", "Cat Dee-Smith")."""
    found = _NEXT_WORD.match(text, at)
    return bool(found) and found.group(1)[0].isupper() and found.group(1) != surname


def _starts_with_name(text: str, name: str) -> bool:
    if not text.startswith(name):
        return False
    rest = text[len(name) : len(name) + 1]
    # "Cat Dee-Smith" is another name than Cat Dee's.
    return not rest or not (rest.isalnum() or rest == "-")


def decode(data: bytes) -> tuple[str, str]:
    """Decode seed bytes by the documented order; return (text, encoding)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding == "utf-8":
                # Saved as UTF-8 (Notepad's mark), perhaps with a byte pasted
                # from a Windows-1252 file: that byte is read as Windows-1252.
                return _utf8_with_strays(data[len(bom) :], always=True)
            # surrogatepass keeps lone surrogates as characters, so that they are
            # dropped and reported with the other forbidden code points.
            try:
                return data[len(bom) :].decode(encoding, "surrogatepass"), encoding
            except UnicodeDecodeError as exc:
                raise SeedError(
                    f"not valid {encoding} after its byte-order mark ({exc.reason})"
                ) from None
    if b"\x00" in data:
        raise SeedError(f"binary data (NUL bytes), not a text article{_utf16_hint(data)}")
    return _utf8_with_strays(data, always=False)


def _utf8_with_strays(data: bytes, *, always: bool) -> tuple[str, str]:
    """Strict UTF-8; else, when the file shows UTF-8 beyond its bytes that
    are not (or `always`), UTF-8 with those bytes read as Windows-1252; else
    Windows-1252 through."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Bytes that are not UTF-8 kept as lone surrogates (U+DC80..U+DCFF).
    text = data.decode("utf-8", errors="surrogateescape")
    strays = len(_STRAY.findall(text))
    if always or _looks_utf8(text, strays):
        # A UTF-8 file with a byte or two of Windows-1252 pasted in ("résumé"
        # with its é from another file). Read as a whole in Windows-1252,
        # every curly quote and accent of it became two or three letters.
        return _STRAY.sub(_stray_as_cp1252, text), _MIXED
    # The five bytes Windows-1252 leaves undefined become lone surrogates,
    # which clean() drops with a warning like any forbidden code point.
    text = data.decode("cp1252", errors="surrogateescape")
    shown = [char for char in text if not char.isspace()]
    beyond = sum(1 for char in shown if not char.isascii())
    if len(shown) >= _FOREIGN_FROM and beyond > _FOREIGN_SHARE * len(shown):
        # Cyrillic in Windows-1251, Chinese in GBK, Japanese in Shift-JIS:
        # read as Windows-1252, most characters are accented letters and
        # signs, and the slug minted from that title would stay.
        raise SeedError(
            f"not UTF-8, and read as Windows-1252 {beyond * 100 // len(shown)}% of its "
            "characters are accented letters or signs: another encoding (Cyrillic, "
            "Greek, Chinese, Japanese?); save it as UTF-8"
        )
    return text, "windows-1252"


# A Windows-1252 reading of at least this many characters (spaces aside),
# more than this share of them beyond ASCII, is another encoding: in French,
# German or Icelandic text about one in ten is (a short line of Spanish full
# of ¿ ¡ « » and ñ, a third); Shift-JIS read so, three in four.
_FOREIGN_FROM = 20
_FOREIGN_SHARE = 0.5


# What UTF-8 sequences of a Latin-script text decode to: symbols and
# accented letters (£ ° © « » no-break space é ł), typographic punctuation,
# currency signs, ™, arrows and other signs, emoji. Windows-1252 text makes a
# valid UTF-8 sequence now and then too, but of other characters: "É”" is
# C9 94, "ɔ"; "é…”" is E9 85 94, "酔". It makes these only after "Â" or "â"
# followed by punctuation, which no text holds.
_PLAUSIBLE = re.compile("[\u00a0-\u017f\u2010-\u2bff\U0001f000-\U0001faff]")


def _looks_utf8(text: str, strays: int) -> bool:
    """Whether a text decoded with surrogateescape is UTF-8 with `strays`
    bytes that are not: its plausible characters outweigh the stray bytes,
    or its others (Cyrillic, Chinese: a whole article of them) far outnumber
    them. Read as mixed, a Windows-1252 file loses a character or two; read
    as Windows-1252, a UTF-8 file loses every one beyond ASCII."""
    beyond = [char for char in text if not char.isascii() and not _STRAY.match(char)]
    plausible = sum(1 for char in beyond if _PLAUSIBLE.match(char))
    return 2 * plausible > strays or len(beyond) - plausible > 4 * strays


# A byte that is not UTF-8, as `surrogateescape` keeps it.
_STRAY = re.compile("[\udc80-\udcff]")
# A UTF-8 file with stray bytes read as Windows-1252 (decode).
_MIXED = "utf-8 with windows-1252"


def _stray_as_cp1252(match: re.Match) -> str:
    byte = bytes([ord(match.group()) - 0xDC00])
    return byte.decode("cp1252", errors="surrogateescape")


def _decoded_as(data: bytes, encoding: str) -> list[str]:
    """A warning when the file was not (all) UTF-8: a reader of the site
    sees what the fallback made of it, and the editor should know why."""
    if encoding == "windows-1252":
        return ["not UTF-8: read as Windows-1252"]
    if encoding == _MIXED:
        strays = len(_STRAY.findall(data.decode("utf-8", errors="surrogateescape")))
        return [f"UTF-8 but for {strays} byte(s), read as Windows-1252"]
    return []


def _utf16_hint(data: bytes) -> str:
    """A hint when NUL bytes fall on every other byte, as in UTF-16 text of
    Latin letters saved without a byte-order mark."""
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if max(even, odd) > len(data) // 4 and min(even, odd) < max(even, odd) // 10:
        return " (UTF-16 without a byte-order mark? Save it as UTF-8)"
    return ""


# Code points that XML 1.0 or HTML text must not carry: C0 controls but tab,
# LF and CR; DEL and C1 controls; surrogates; non-characters (U+FDD0..U+FDEF
# and the last two code points of every plane).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


# Whether a text may hold one: the same class within the Basic Multilingual
# Plane, and any code point beyond it. Checked in a quarter of the time of the
# full class (whose astral non-characters make it slow) or of `max(text)`;
# most texts have nothing beyond the plane, so `_FORBIDDEN` rarely runs.
_MAYBE_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U00010000-\U0010ffff]"
)


def clean(text: str) -> tuple[str, dict[str, int]]:
    """Drop forbidden code points; return the text and how many of each went."""
    if not _MAYBE_FORBIDDEN.search(text):
        return text, {}
    dropped: dict[str, int] = {}

    def drop(match: re.Match) -> str:
        char = match.group()
        dropped[char] = dropped.get(char, 0) + 1
        return " " if char in _SEPARATOR_CONTROLS else ""

    return _FORBIDDEN.sub(drop, text), dropped


def _describe(dropped: dict[str, int]) -> list[str]:
    return [_dropped(char, count) for char, count in sorted(dropped.items())]


def _dropped(char: str, count: int) -> str:
    if _STRAY.fullmatch(char):  # a byte no encoding tried gives a character
        return f"dropped {count} x byte 0x{ord(char) - 0xDC00:02X} (no character in Windows-1252)"
    separator = " (a separator, kept as a space)" if char in _SEPARATOR_CONTROLS else ""
    return f"dropped {count} x U+{ord(char):04X}{separator}"


# A line of nothing but white space and invisible format characters (zero-width
# space and joiners, word joiner, byte-order mark, soft hyphen, direction
# marks) shows nothing: it is blank, and a body of only such lines is none.
_INVISIBLE = re.compile("[\\s\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+")


def _lines(text: str) -> list[str]:
    """The text's lines: only LF, CR and CRLF end one (str.splitlines ends
    lines at form feeds and U+2028 too). By str methods: re.split on
    "\\r\\n|\\r|\\n" took 45 µs a seed, a second of a cold build of 10,000
    seeds in one process (cProfile)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _blocks(text: str) -> list[list[str]]:
    """Split text into blocks of non-blank lines, each line stripped."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw_line in _lines(text):
        # Only LF, CR and CRLF end a line; a line of nothing but white space
        # (spaces, tabs, or U+2028, no-break spaces, …) shows nothing: blank.
        line = raw_line.strip(" \t")
        if line and not line.isspace() and not _INVISIBLE.fullmatch(line):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


# Zero-width space, non-joiner, joiner, word joiner, byte-order mark: at a
# paragraph's edge they join or break nothing. Direction marks stay: an RLM
# at the end places the punctuation before it.
_EDGE_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _join(lines: list[str]) -> str:
    """A hard-wrapped block becomes one paragraph: lines joined with one space.

    White space at either end carries nothing (feed readers drop it), so it goes;
    inside, separators such as U+2028 stay as written.
    """
    text = " ".join(lines)
    if "  " in text or "\t" in text:  # else no run to fold: a scan is 10x cheaper
        text = _SPACE_RUN.sub(" ", text)
    text = text.strip()
    if text[:1] in _EDGE_INVISIBLE or text[-1:] in _EDGE_INVISIBLE:
        # A zero-width space or byte-order mark at an edge joins nothing: it
        # went into titles, feeds and slugs' neighbours unseen.
        text = text.strip(_EDGE_INVISIBLE + " \t\u00a0")
    return text


def split_authors(byline: str) -> tuple[str, ...]:
    """Names of an `Author:` line: "A and B", "A, B", "A & B", "A, B, and C".

    Names never hold `<` or `>` (an e-mail address in angle brackets is left
    out): Pelican reads names as HTML, and its list of authors splits on `;`,
    which any escaped form of them would bring.
    """
    byline = _ADDRESS.sub(" ", byline).replace("<", " ").replace(">", " ")
    byline = _COMMA_SUFFIX.sub(r" \1", byline)
    # A job title after a comma is its author's, not an author's name.
    byline = _ROLE.sub("", byline)
    names = [_SPACE_RUN.sub(" ", name).strip() for name in _AUTHOR_SPLIT.split(byline)]
    names = [_without_final_stop(_BY.sub("", name)) for name in names]
    unique: dict[str, None] = {}
    for name in names:
        if name and name.lower() not in {n.lower() for n in unique}:
            unique[name] = None
    return tuple(unique)


def _without_final_stop(name: str) -> str:
    words = name.split()
    if words and _FINAL_STOP.search(name) and words[-1][:-1].lower() not in _KEEPS_STOP:
        return name[:-1]
    return name


def parse(data: bytes, max_bytes: int = MAX_BYTES, max_line: int = MAX_LINE_CHARS) -> Seed:
    """Parse one seed file's bytes; raise SeedError when it is not an article."""
    text, encoding, warnings = _text(data, max_bytes, max_line)
    blocks = _blocks(text)
    if not blocks:
        raise SeedError("only whitespace")

    # The title is line 1 (SEED_FORMAT.md); lines under it with no blank line
    # between are the next block, not more title.
    title_line, *under = blocks[0]
    title = _join([title_line])
    rest = ([under] if under else []) + blocks[1:]
    if under:
        warnings.append(
            "no blank line after the title: the lines under it are read as the next "
            "paragraph (the dek, or the text)"
        )
    rest, authors, after, glued = _byline(rest, warnings)

    bio: str | None = None
    body_tail: list[str] = []
    # Notes at the end (a correction, an editor's note) are the article's.
    notes: list[str] = []
    while after and _NOTE.match(after[-1]):
        notes.insert(0, after.pop())
    if (
        len(after) == 1
        and len(rest) == 1
        and _dek_like(_join(rest[0]))
        and not glued
        and authors
        and not _about(after[0], authors)
    ):
        # A byline at the top of wire copy (a dek, "Author: Reuters Staff", a
        # blank line, then the story): with only a dek before it (short, with
        # no final full stop, as SEED_FORMAT.md describes one), a paragraph
        # after it that does not begin as a third-person bio does is the story.
        body_tail = after
        warnings.append(
            "the byline stands between the dek and the only paragraph, which does not "
            "begin with an author's name: read as the story, not a bio"
        )
    elif len(after) == 1:
        bio = after[0]
    elif after:
        # More than one paragraph after the byline: it was not a closing byline,
        # so those paragraphs are article text, kept in order, and no bio.
        body_tail = after
        warnings.append("the byline is followed by several paragraphs; read as body")

    subtitle = None
    # Measured once its lines are joined, as any paragraph: a dek hard-wrapped
    # with the rest of the file is still a dek (the real seed wrapped at 72
    # columns lost its dek to the body when only a single line could be one).
    # "At least one body paragraph follows": before the byline, or after one
    # that was read as body.
    if (
        len(rest) + len(body_tail) >= 2
        and rest
        and len(candidate := _join(rest[0])) <= DEK_MAX_CHARS
    ):
        subtitle = candidate
        rest = rest[1:]
    paragraphs = tuple(_join(block) for block in rest) + tuple(body_tail) + tuple(notes)
    if not paragraphs:
        if bio is not None:  # the one paragraph after a byline is its bio
            raise SeedError("a title, a byline and a bio, but no body text before the byline")
        raise SeedError("a title but no body text")
    return Seed(
        title=title,
        subtitle=subtitle,
        paragraphs=paragraphs,
        authors=authors,
        bio=bio,
        encoding=encoding,
        warnings=tuple(warnings),
    )


def _text(data: bytes, max_bytes: int, max_line: int) -> tuple[str, str, list[str]]:
    """The seed's text, decoded and cleaned; its encoding; the warnings."""
    if len(data) > max_bytes:
        raise SeedError(f"{len(data):,} bytes, over the limit of {max_bytes:,} bytes")
    if not data.strip():
        raise SeedError("empty file" if not data else "only whitespace")
    text, encoding = decode(data)
    longest = max(map(len, _lines(text)))
    if longest > max_line:
        raise SeedError(
            f"a line of {longest:,} characters, over the limit of {max_line:,} characters"
        )
    text, dropped = clean(text.removeprefix("\ufeff"))
    if _looks_binary(text, dropped):
        raise SeedError("binary data (control characters), not a text article")
    return text, encoding, [*_decoded_as(data, encoding), *_describe(dropped)]


def _byline(
    blocks: list[list[str]], warnings: list[str]
) -> tuple[list[list[str]], tuple[str, ...], list[str], bool]:
    """The blocks before the byline, its authors, the paragraphs after it,
    and whether the first of those was glued under it (no blank line)."""
    at = _last_byline(blocks)
    if at is None:
        return blocks, (), [], False
    byline, *more = blocks[at]
    # A byline hard-wrapped over lines ("Authors: A, B,", "C and D") goes on
    # while a line ends, or the next begins, with a separator, or the next
    # line is the rest of a cut name.
    while more and (
        _SEPARATOR_AT_END.search(byline)
        or ((start := _SEPARATOR_AT_START.match(more[0])) and not _sentence(more[0][start.end() :]))
        or _rest_of_name(byline, more[0])
    ):
        byline = _join([byline, more.pop(0)])
    authors = split_authors(_BYLINE.match(byline).group(1))
    if not authors:
        warnings.append("the Author: line names nobody")
    # Lines glued under the byline (no blank line) still belong after it.
    after = ([_join(more)] if more else []) + [_join(block) for block in blocks[at + 1 :]]
    return blocks[:at], authors, after, bool(more)


def _rest_of_name(byline: str, line: str) -> bool:
    """Whether `line`, right under `byline`, is the rest of a plainly cut
    name (see _PARTICLES)."""
    words = line.split()
    named = _BYLINE.match(byline).group(1).split()
    if named and named[-1] not in _PARTICLES:
        return False  # a name may end there: the line is the bio
    if len(words) > 4 or (line[-1] in ".!?…" and len(words[-1]) > 3):  # "Jr." ends a name
        return False
    return all(
        _NAME_WORD.fullmatch(word) and (not word[0].islower() or word in _PARTICLES)
        for word in words
    )


def _sentence(text: str) -> bool:
    """Whether the rest of a line that begins with a separator reads as a
    sentence, not names: it ends a sentence after a long word and holds a
    lower-case word that is no particle ("and her team cover the courts.",
    the bio glued under the byline). Names of any form go on with the byline
    ("and Ahmed al-Sayed", "and bell hooks", "& Ana María García López Vega",
    "and Ben Okri.")."""
    words = text.split()
    if not words or text[-1] not in ".!?…" or len(words[-1]) <= 4:
        return False
    return any(word[0].islower() and word not in _PARTICLES for word in words)


_PRONOUNS = frozenset({"he", "she", "they", "his", "her", "their"})


def _dek_like(text: str) -> bool:
    """A dek as SEED_FORMAT.md describes one: short, with no final full stop."""
    return len(text) <= DEK_MAX_CHARS and not text.endswith(".")


def _about(paragraph: str, authors: tuple[str, ...]) -> bool:
    """Whether a paragraph begins as a third-person bio does: with a pronoun,
    or a word of an author's name, past a title ("Jane Roe is…", "Roe
    covers…", "Dr. Roe…"). A dateline ("LIMA (Reuters) —") does not."""

    def words(text: str) -> list[str]:
        folded = unicodedata.normalize("NFC", text).casefold().split()
        return [w.strip(".,;:“”\"'‘’()").removesuffix("’s").removesuffix("'s") for w in folded]

    opening = [word for word in words(paragraph)[:3] if word not in _TITLES]
    if not opening:
        return False
    named = {word for name in authors for word in words(name)} - _NOT_NAMES
    return opening[0] in _PRONOUNS or opening[0] in named


_TITLES = frozenset({"dr", "mr", "ms", "mrs", "prof", "professor"})
_NOT_NAMES = frozenset({"", "the", "a", "an", "of", "and", "staff"})


def _last_byline(blocks: list[list[str]]) -> int | None:
    for index in range(len(blocks) - 1, -1, -1):
        if _BYLINE.match(blocks[index][0]):
            return index
    return None


def _looks_binary(text: str, dropped: dict[str, int]) -> bool:
    """Prose has few control characters; binary data decoded as text has many:
    about one byte in eight of random data is one (separators aside). More
    than one character in twenty is binary; an article with a stray control
    character every few words (a bad export: one in forty) is prose whose
    controls are dropped."""
    controls = sum(n for char, n in dropped.items() if char not in _SEPARATOR_CONTROLS)
    return controls > max(4, len(text) // 20)
