"""Compose: a validated brief, its packs and templates into one backend-neutral document tree."""
