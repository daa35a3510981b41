print("usage: TicketsBenchmark generate|measure (see benchmarks/README.md)")
