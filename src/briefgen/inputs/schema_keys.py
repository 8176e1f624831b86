"""Find which keys a pydantic model allows at a given data path (for "did you mean" hints)."""

from __future__ import annotations

import types
import typing
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from briefgen.errors import PathPart


def _model_keys(model: type[BaseModel]) -> set[str]:
    keys: set[str] = set()
    for name, f in model.model_fields.items():
        keys.add(f.alias or name)
    return keys


def _pick(tp: Any, data: Any) -> Any:
    """Resolve Optional/Union/Annotated to the member that best fits ``data``."""
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return _pick(get_args(tp)[0], data)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in get_args(tp) if a is not type(None)]
        models = [_pick(m, data) for m in members]
        best, best_score = None, -1
        for m in models:
            if isinstance(m, type) and issubclass(m, BaseModel) and isinstance(data, dict):
                score = len(set(data) & _model_keys(m))
                for fname, f in m.model_fields.items():
                    lit = f.annotation
                    if get_origin(lit) is typing.Literal and data.get(f.alias or fname) in get_args(lit):
                        score += 100
                if score > best_score:
                    best, best_score = m, score
            elif best is None and get_origin(m) in (list, dict) and isinstance(
                data, list if get_origin(m) is list else dict
            ):
                best = m
        return best if best is not None else (models[0] if models else tp)
    return tp


def keys_at(model: type[BaseModel], data: Any, path: tuple[PathPart, ...]) -> set[str]:
    """Allowed keys of the mapping holding the last element of ``path``."""
    tp: Any = model
    cur = data
    for part in path[:-1]:
        tp = _pick(tp, cur)
        if isinstance(cur, dict):
            nxt = cur.get(part)
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            nxt = cur[part]
        else:
            nxt = None
        if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(part, str):
            field = next(
                (f for n, f in tp.model_fields.items() if (f.alias or n) == part), None
            )
            if field is None:
                return set()
            tp = field.annotation
        elif get_origin(tp) is list and isinstance(part, int):
            tp = get_args(tp)[0]
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        else:
            return set()
        cur = nxt
    tp = _pick(tp, cur)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return _model_keys(tp)
    return set()
