"""csdrill: drill customer-service interview and assessment questions with spaced repetition."""

__version__ = "0.1.0"
