"""Speed of the product against a plain pandas + openpyxl script (issue 9)."""
