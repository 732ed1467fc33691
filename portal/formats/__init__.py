"""Date and number formats that replace Django's defaults for a language."""
