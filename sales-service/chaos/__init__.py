"""`make chaos`: a randomized run under faults and kills, and the checker of its invariants."""
