"""XLSForm spreadsheets (the format of ODK and KoboToolbox) in and out of Rifd.

    import_xlsform(data, source) -> dict     a definition parse_definition accepts
    export_xlsform(definition) -> bytes      an .xlsx that imports back to the same form

Whatever a spreadsheet holds that Rifd cannot represent raises XLSFormError, whose
`messages` name the sheet, row and column of each problem. The modules follow the
way through: sheets (cells), texts (languages), types, xpath (parsing expressions),
translate and to_xpath (the two directions of expressions), constraints, survey
and fields (rows into fields), choices, settings, then reader and writer.
"""

from forms.xlsform.problems import XLSFormError
from forms.xlsform.reader import import_xlsform
from forms.xlsform.writer import export_xlsform

__all__ = ["XLSFormError", "export_xlsform", "import_xlsform"]
