"""Turn located YAML data into a pydantic model, or into located one-line problems with suggestions."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from briefgen.errors import BriefError, PathPart, Problem, format_path, suggest
from briefgen.i18n import N_, _
from briefgen.inputs import schema_keys, typos
from briefgen.inputs.yamlsafe import Located

M = TypeVar("M", bound=BaseModel)

_EXPECT = {
    "string_type": N_("expected text"),
    "int_parsing": N_("expected a whole number"),
    "int_type": N_("expected a whole number"),
    "float_parsing": N_("expected a number"),
    "decimal_parsing": N_("expected a number"),
    "decimal_type": N_("expected a number"),
    "bool_parsing": N_("expected true or false"),
    "list_type": N_("expected a list"),
    "dict_type": N_("expected a mapping (key: value lines)"),
    "model_type": N_("expected a mapping (key: value lines)"),
    "date_from_datetime_parsing": N_("expected a date like 2022-09-23"),
    "date_parsing": N_("expected a date like 2022-09-23"),
    "date_type": N_("expected a date like 2022-09-23"),
    "missing": N_("required field is missing"),
}
_NUMBER_TYPES = {"int_parsing", "float_parsing", "decimal_parsing", "int_type", "decimal_type"}
_BOUNDS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal", "too_short", "too_long",
           "string_too_short", "string_too_long", "string_pattern_mismatch"}


def _model_at(model: type[BaseModel], data: Any, loc: tuple[PathPart, ...]) -> set[str]:
    """Field names (and aliases) allowed at the mapping that contains ``loc``'s last key."""

    return schema_keys.keys_at(model, data, loc)


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[PathPart, ...]:
    """Drop the parts of a pydantic location that are union tags, not keys in the data."""
    out: list[PathPart] = []
    cur = data
    for idx, part in enumerate(loc):
        more = idx < len(loc) - 1
        if (isinstance(cur, dict) and isinstance(part, str) and part in cur and more
                and not isinstance(cur[part], (dict, list))):
            continue  # a union tag that happens to equal a key (e.g. the "section" block tag)
        if isinstance(cur, dict) and isinstance(part, str) and part in cur or isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]  # type: ignore[index]  # a str key of a dict, or an int index of a list
        elif isinstance(cur, dict) and isinstance(part, str):
            # a missing field, or a union/tag name: keep only field-like names at the end
            if part == loc[-1]:
                out.append(part)
            continue
        else:
            continue
    return tuple(out)


def validate(model: type[M], located: Located, context: dict[str, Any] | None = None) -> M:
    """Validate ``located.data`` against ``model``; raise one BriefError listing every problem.

    On success, plain values a YAML 1.1 reader would coerce (``010``, ``no``, ``on``, ``1e3``)
    that landed in text fields become warnings in ``located.warnings``.
    """
    data = located.data if located.data is not None else {}
    try:
        result = model.model_validate(data, context=context)
    except ValidationError as exc:
        raise BriefError(problems_of(exc, model, located, data)) from None
    located.warnings.extend(coercion_hints(result, located))
    return result


def problems_of(exc: ValidationError, model: type[BaseModel], located: Located, data: Any) -> list[Problem]:
    """One located problem per pydantic error (repeats of one error at one place dropped)."""
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for err in exc.errors(include_url=False):
        path = _data_path(data, tuple(err["loc"]))
        key = (path, err["type"])
        if key in seen:
            continue
        seen.add(key)
        problems.append(_problem(err, path, model, located, data))
    return _without_typo_echoes(problems, model, data)


def _without_typo_echoes(problems: list[Problem], model: type[BaseModel], data: Any) -> list[Problem]:
    """``titel:`` is one mistake: keep "unknown key 'titel' (did you mean title?)" and drop
    "title: required field is missing", which only repeats it."""
    meant: set[str] = set()
    for p in problems:
        if p.code == "E-UNKNOWN-KEY" and p.path:
            parent, _dot, name = p.path.rpartition(".")
            close = difflib.get_close_matches(name, sorted(_model_at(model, data, _split(p.path))), n=1, cutoff=0.6)
            if close:
                meant.add(f"{parent}.{close[0]}" if parent else close[0])
    return [p for p in problems if not (p.code == "E-MISSING-KEY" and p.path in meant)]


def _split(path: str) -> tuple[PathPart, ...]:
    """``blocks[2].ids`` → ``("blocks", 2, "ids")`` (inverse of errors.format_path)."""
    out: list[PathPart] = []
    for part in path.replace("[", ".[").split("."):
        if part.startswith("[") and part.endswith("]"):
            out.append(int(part[1:-1]))
        elif part:
            out.append(part)
    return tuple(out)


def _problem(err: Any, path: tuple[PathPart, ...], model: type[BaseModel], located: Located,
             data: Any) -> Problem:
    etype = err["type"]
    given = err.get("input")
    if etype == "extra_forbidden":
        name = str(path[-1]) if path else ""
        allowed = _model_at(model, data, path)
        if "\u3000" in name:  # a full-width space before a key: it became part of the key
            line, col = located.where(path, key=True)
            p = typos.ideo_space_problem(line, (col or 1) + name.index("\u3000"))
            p.file = located.file
            return p
        fixed = typos.fullwidth_key(name, allowed)
        if fixed is not None:
            return located.problem(path, _("key {key!r} holds full-width characters").format(key=name),
                                   _("write it as {fixed} with half-width letters and spaces").format(fixed=fixed),
                                   key=True, code="E-FULLWIDTH-KEY")
        hint = suggest(name, allowed) or (
            _("allowed keys: {keys}").format(keys=", ".join(sorted(allowed))) if allowed else "")
        return located.problem(path, _("unknown key {key!r}").format(key=name), hint, key=True,
                               code="E-UNKNOWN-KEY")
    if etype == "block_kind":
        hint = ""
        if isinstance(given, dict):
            choices = getattr(model, "error_choices", {}).get(etype, ())
            for k in given:
                hint = suggest(str(k), choices)
                if hint:
                    break
        msg = _("each block needs one of the keys: {keys}").format(
            keys=", ".join(getattr(model, "error_choices", {}).get(etype, ())))
        return located.problem(path, msg, hint, code="E-BLOCK-KIND")
    if etype == "missing":
        return located.problem(path, _("required field is missing"), code="E-MISSING-KEY")
    slip = _typing_slip(etype, given, path, located)
    if slip is not None:
        return slip
    msg = _(_EXPECT[etype]) if etype in _EXPECT else err["msg"]
    code = "E-TYPE" if etype in _EXPECT else "E-VALUE"
    if etype.startswith("value_error") or etype == "assertion_error":
        msg = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        code = err.get("ctx", {}).get("code", "") or "E-VALUE"
    elif etype in _BOUNDS:
        code = "E-RANGE"
        msg = _bound_message(etype, err.get("ctx", {})) or msg
    if etype in ("literal_error", "enum"):
        expected = str(err.get("ctx", {}).get("expected", ""))
        if expected == "True":  # a flag (`- toc: true`): name it as YAML writes it
            expected = "true"
        msg = _("expected one of {choices}").format(choices=expected.replace(" or ", _(" or ")))
        if isinstance(given, str):
            choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",")]
            h = suggest(given, [c for c in choices if c])
            return located.problem(path, _("{expected}, got {given!r}").format(expected=msg, given=given), h,
                                   code="E-BAD-CHOICE")
    if isinstance(given, str) and len(given) < 40:
        msg = _("{expected}, got {given!r}").format(expected=msg, given=given)
    return located.problem(path, msg, code=code)


def _bound_message(etype: str, ctx: dict[str, Any]) -> str:
    """pydantic's range and length errors in the catalog's words (empty for other types)."""
    forms = {
        "greater_than": N_("expected a number greater than {gt}"),
        "greater_than_equal": N_("expected a number of at least {ge}"),
        "less_than": N_("expected a number less than {lt}"),
        "less_than_equal": N_("expected a number of at most {le}"),
        "too_short": N_("expected at least {min_length} item(s)"),
        "too_long": N_("expected at most {max_length} item(s)"),
        "string_too_short": N_("expected at least {min_length} character(s)"),
        "string_too_long": N_("expected at most {max_length} character(s)"),
        "string_pattern_mismatch": N_("expected text matching {pattern}"),
    }
    form = forms.get(etype)
    try:
        return _(form).format(**ctx) if form else ""
    except (KeyError, IndexError):
        return ""


def _typing_slip(etype: str, given: Any, path: tuple[PathPart, ...], located: Located) -> Problem | None:
    """A refused value explained by a slip of Chinese typing: ``bao：市委`` where a mapping belongs,
    ``－ 一`` where a list belongs, ``５０`` where a number belongs."""
    line, col = located.where(path)
    if etype in ("dict_type", "model_type", "model_attributes_type"):
        found = typos.colon_in_text(given)
        if found is not None and line is not None and col is not None and "\n" not in given[:found[0]]:
            p = typos.colon_problem(line, col + found[0], found[1])
            p.file, p.path = located.file, format_path(path)
            return p
    if etype == "list_type":
        dash = typos.dash_list(given)
        if dash is not None:
            p = typos.dash_problem(line, col, dash)
            p.file, p.path = located.file, format_path(path)
            return p
    if etype in _NUMBER_TYPES or etype.startswith("date"):
        fixed = typos.fullwidth_number(given) if etype in _NUMBER_TYPES else typos.fullwidth_date(given)
        if fixed is not None:
            return located.problem(path, _("full-width digits or signs in {given!r}").format(given=given),
                                   _("write it with half-width digits: {fixed}").format(fixed=fixed),
                                   code="E-FULLWIDTH-DIGIT")
    return None


def _value_at(obj: Any, path: tuple[PathPart, ...]) -> Any:
    """The validated value at a data path (field aliases followed), or None."""
    for part in path:
        if isinstance(obj, BaseModel) and isinstance(part, str):
            name = next((n for n, f in type(obj).model_fields.items() if (f.alias or n) == part), None)
            if name is None:
                return None
            obj = getattr(obj, name)
        elif isinstance(obj, dict):
            obj = obj.get(part)
        elif isinstance(obj, list) and isinstance(part, int) and 0 <= part < len(obj):
            obj = obj[part]
        else:
            return None
    return obj


def coercion_hints(result: BaseModel, located: Located) -> list[Problem]:
    """Warnings for text fields holding a value YAML 1.1 would have read as a boolean or number."""
    out: list[Problem] = []
    for path, value in located.coercible:
        if _value_at(result, path) != value:
            continue  # a number or boolean field: the schema converted it, as intended
        if value.lower() in ("y", "n", "yes", "no", "on", "off", "true", "false"):
            msg = _("{value!r} is kept as text; YAML 1.1 tools read it as true or false").format(value=value)
            code = "W-YAML11-BOOL"
        else:
            msg = _("{value!r} is kept as text exactly as written; YAML 1.1 tools read it as a number"
                    ).format(value=value)
            code = "W-YAML11-NUMBER"
        p = located.problem(path, msg, _("check it is meant; quote it ('{value}') to keep it without this "
                                          "warning").format(value=value), code=code)
        p.severity = "warning"
        out.append(p)
    return out
