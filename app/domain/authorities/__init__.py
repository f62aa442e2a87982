"""Public authorities that receive recommendations, in their supervision hierarchy."""
