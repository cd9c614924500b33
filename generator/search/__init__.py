"""Search: lean per-record documents and the Pagefind index built from them."""
