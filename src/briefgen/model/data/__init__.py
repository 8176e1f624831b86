"""Period-data sources beyond CSV/YAML: Excel workbooks (xlsx) and SQL queries (sql), turned into DataPoints."""
