"""Forms of the petitions module, one module per topic."""
