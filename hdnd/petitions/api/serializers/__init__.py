"""Output serializers of the petitions API, one module per topic (input serializers live
with their views)."""
