"""Turn located YAML data into a pydantic model, or into located one-line problems with suggestions."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from briefgen.errors import BriefError, PathPart, Problem, suggest
from briefgen.inputs import schema_keys
from briefgen.inputs.yamlsafe import Located

M = TypeVar("M", bound=BaseModel)

_EXPECT = {
    "string_type": "expected text",
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "float_parsing": "expected a number",
    "decimal_parsing": "expected a number",
    "decimal_type": "expected a number",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list",
    "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)",
    "date_from_datetime_parsing": "expected a date like 2022-09-23",
    "date_parsing": "expected a date like 2022-09-23",
    "date_type": "expected a date like 2022-09-23",
    "missing": "required field is missing",
}


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
    """Validate ``located.data`` against ``model``; raise one BriefError listing every problem."""
    data = located.data if located.data is not None else {}
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        problems: list[Problem] = []
        seen: set[tuple[Any, ...]] = set()
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            path = _data_path(data, loc)
            etype = err["type"]
            key = (path, etype)
            if key in seen:
                continue
            seen.add(key)
            if etype == "extra_forbidden":
                name = str(path[-1]) if path else ""
                allowed = _model_at(model, data, path)
                hint = suggest(name, allowed) or (
                    "allowed keys: " + ", ".join(sorted(allowed)) if allowed else ""
                )
                problems.append(located.problem(path, f"unknown key {name!r}", hint, key=True))
                continue
            if etype == "block_kind":
                given = err.get("input")
                hint = ""
                if isinstance(given, dict):
                    choices = getattr(model, "error_choices", {}).get(etype, ())
                    for k in given:
                        hint = suggest(str(k), choices)
                        if hint:
                            break
                problems.append(located.problem(path, err["msg"], hint))
                continue
            if etype == "missing":
                problems.append(located.problem(path, "required field is missing"))
                continue
            msg = _EXPECT.get(etype, err["msg"])
            if etype.startswith("value_error") or etype == "assertion_error":
                msg = err["msg"].removeprefix("Value error, ")
            if etype in ("literal_error", "enum"):
                expected = err.get("ctx", {}).get("expected", "")
                msg = f"expected one of {expected}"
                given = err.get("input")
                if isinstance(given, str):
                    choices = [c.strip(" '") for c in str(expected).replace(" or ", ",").split(",")]
                    h = suggest(given, [c for c in choices if c])
                    problems.append(located.problem(path, f"{msg}, got {given!r}", h))
                    continue
            given = err.get("input")
            if isinstance(given, str) and etype not in ("missing",) and len(given) < 40:
                msg = f"{msg}, got {given!r}"
            problems.append(located.problem(path, msg))
        raise BriefError(problems) from None
