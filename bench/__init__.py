"""Benchmarks (not tests): `make bench` prints figures measured on a throwaway database."""
