"""Bringing a centre's existing lists in: beneficiaries (and their groups) from a
spreadsheet.

The steps, each a module: ``reading`` turns an .xlsx or .csv file into rows, ``headers``
finds the header row and which column holds what (a mapping the person may correct,
remembered for the next file of the same shape), ``cleaning`` turns the cells people
really write into the values the register checks, ``plan`` checks every row before
anything is written and then writes all of it (or, when asked, the valid rows only), and
``report`` saves the refused rows, with their reasons, beside the file.
"""
