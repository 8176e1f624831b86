"""Live preview: a local web server showing a brief as HTML beside its PDF pages, rebuilt on every edit."""
