"""Outputs beside the pages: Atom feeds, data downloads, citations and charts."""
