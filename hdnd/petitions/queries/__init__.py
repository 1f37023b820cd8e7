"""Reads of the petitions module, one module per topic. Queries are nouns for what they
return; they never check access (views call access_* first and pass the scoped rows)."""
