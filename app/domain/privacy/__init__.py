"""Personal data in acts of response: screened before the letter is generated, then either
anonymised in the letter or sent with the person's consent (OPCAT Art. 21(2); the Law on the
Commissioner, Art. 14)."""
