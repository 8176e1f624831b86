#!/bin/sh
# Refresh the message catalogs: extract from the source, merge into each .po, compile the .mo shipped
# in the wheel. Run from the repository root after changing or adding a _()/N_() message; translate
# the new entries in src/briefgen/locale/zh_CN/LC_MESSAGES/briefgen.po, then run it again.
set -e
L=src/briefgen/locale
pybabel extract -k _ -k N_ -k ngettext:1,2 --no-wrap --sort-by-file --omit-header \
    --project briefgen -o "$L/briefgen.pot" src/briefgen >/dev/null
pybabel update -D briefgen -i "$L/briefgen.pot" -d "$L" --no-wrap --ignore-obsolete --no-fuzzy-matching
pybabel compile -D briefgen -d "$L" --statistics
