"""Pipeline: one brief spec path into checked, rendered, written outputs."""
