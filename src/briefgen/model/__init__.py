"""Model: located data into validated briefs, source packs, period data and themes."""
