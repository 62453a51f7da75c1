"""HTML pages for people: the frame every page shares, labels, and one module per page."""
