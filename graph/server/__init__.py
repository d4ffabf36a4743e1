"""`ma-ild serve`: an HTTP front over a pool of read-only oxigraph workers."""
