"""Development launchers, setup and migrations. Used by `make up`, the tests and benchmarks; not by services."""
