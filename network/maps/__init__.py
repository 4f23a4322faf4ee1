"""Interactive HTML maps: map records from the tables, the self-contained page, colors and sizes, templates."""
