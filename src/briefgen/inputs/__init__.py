"""Inputs: untrusted files into safe text and located data (YAML, confinement, limits, validation)."""
