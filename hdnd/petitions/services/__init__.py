"""Every write of the petitions module, one module per topic. Each service locks what it
changes, checks the current state, writes, records an AuditEvent and a PetitionEvent in
the same transaction, and starts background work only on commit."""
