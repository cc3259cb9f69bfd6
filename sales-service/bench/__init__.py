"""`make bench`: throughput and latency of the payment endpoints on a stack of their own."""
