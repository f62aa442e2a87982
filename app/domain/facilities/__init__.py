"""Places of deprivation of liberty and who supervises them."""
