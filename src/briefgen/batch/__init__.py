"""Batch: many brief specs into one locked, incremental, parallel (or distributed) build."""
