"""The refusal a caller sees (``TimeParseError``) and the grammar's own "words I do not know" signal."""

from __future__ import annotations

LANGS = ("en", "zh")


class TimeParseError(ValueError):
    """A refusal: one line saying what was wrong, with examples of input that works, in English and Chinese.

    str(err) is the line in the reader's language (the language typed when the caller did not say);
    `in_lang(lang)` gives it in either.
    """

    def __init__(self, texts: dict[str, str], lang: str = "en"):
        self.texts = texts
        self.lang = lang if lang in texts else "en"
        super().__init__(texts[self.lang])

    def in_lang(self, lang: str) -> str:
        return self.texts.get(lang, self.texts["en"])


class Unrecognised(ValueError):
    """The grammar found words it does not know (str(err) is where they start); the dateparser fallback may try."""
