"""Turn fuzzer bytes into brief specs: the loader and validator may only ever raise BriefError.

Run (needs ``pip install atheris``): ``python fuzz/fuzz_spec.py -max_total_time=60 fuzz/corpus/spec``.
Modelled on OSS-Fuzz's pyyaml harnesses: bytes are decoded as UTF-8 (other bytes are the
reader's job and are fed through ``read_text``'s decoder), loaded without implicit typing, and
validated as a brief, a source pack and a theme. Anything but a BriefError is a finding.
"""

from __future__ import annotations

import sys

try:
    import atheris
except ImportError:  # the tests call one_input() directly
    atheris = None


def _imports() -> None:
    global BriefError, load_yaml_text, validate, Brief, SourcePack, Theme
    from briefgen.errors import BriefError
    from briefgen.inputs.validate import validate
    from briefgen.inputs.yamlsafe import load_yaml_text
    from briefgen.model.sourcepack import SourcePack
    from briefgen.model.spec import Brief
    from briefgen.model.theme import Theme


def one_input(data: bytes) -> None:
    """One fuzz input: load as YAML, then validate as each kind of file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    try:
        located = load_yaml_text(text, "fuzz.yaml", max_depth=32)
    except BriefError as e:
        assert str(e), "empty error"
        return
    for model in (Brief, SourcePack, Theme):
        try:
            validate(model, located)
        except BriefError as e:
            assert all(p.message for p in e.problems)


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
