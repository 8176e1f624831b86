"""Turn fuzzer bytes into template markup and Markdown: the paragraph builders may only raise BriefError.

Run (needs ``pip install atheris``): ``python fuzz/fuzz_markup.py -max_total_time=60 fuzz/corpus/markup``.
The input goes through the block-markup parser templates feed (``markup.parse_blocks``), the
Markdown paragraph builder (``markdown.markdown_blocks``) and the text policy
(``textsafe.sanitize``/``scrub``); every text in the resulting tree must be XML-safe after the scrub.
"""

from __future__ import annotations

import sys

try:
    import atheris
except ImportError:  # the tests call one_input() directly
    atheris = None


def _imports() -> None:
    global BriefError, parse_blocks, markdown_blocks, textsafe, Document, Metadata
    from briefgen.compose.markdown import markdown_blocks
    from briefgen.compose.markup import parse_blocks
    from briefgen.errors import BriefError
    from briefgen.inputs import textsafe
    from briefgen.tree import Document, Metadata


def one_input(data: bytes) -> None:
    """One fuzz input: parse as block markup and as Markdown, then scrub the trees."""
    text = data.decode("utf-8", "surrogateescape")
    blocks = []
    try:
        blocks.extend(parse_blocks(text, "fuzz.xml.j2"))
    except BriefError as e:
        assert str(e)
    blocks.extend(markdown_blocks(text, warnings=[]))
    doc = Document(Metadata(title=text[:40]), blocks)
    textsafe.scrub(doc)
    leftover = []
    textsafe_check(doc, leftover)
    assert not leftover, leftover[:3]


def textsafe_check(obj: object, out: list[str]) -> None:
    import dataclasses

    if isinstance(obj, str):
        if not textsafe.is_clean(obj):
            out.append(obj)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            textsafe_check(v, out)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            textsafe_check(getattr(obj, f.name), out)


if atheris is not None:
    with atheris.instrument_imports():
        _imports()
else:
    _imports()


def main() -> None:
    if atheris is None:
        sys.exit("atheris is not installed: pip install atheris")
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
