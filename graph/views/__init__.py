"""Interactive network views: self-contained HTML pages that work offline."""
