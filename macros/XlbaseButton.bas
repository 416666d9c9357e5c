Attribute VB_Name = "XlbaseButton"
' XlbaseButton -- button macros for xlbase (shuangchuang jidi) workbooks.
'
' The two buttons on the form sheet call these macros. Each one hands the
' work to Python through xlwings' RunPython (the "xlwings" standard module
' and the "Dictionary" class embedded in this workbook, standalone mode, so
' no xlwings add-in is needed):
'
'   XlbaseValidate   -> xlbase.excel.validate_caller()
'                       checks the filled-in form and marks problem cells.
'   XlbaseClearMarks -> xlbase.excel.clear_marks_caller()
'                       removes the marks left by the last validation.
'
' Requirements on the clerk's PC: Windows Excel with macros enabled, and a
' Python with the xlbase package installed (pip install xlbase, which pulls
' in xlwings). Which Python runs is xlwings' Interpreter_Win setting, from
' the hidden "xlwings.conf" sheet or %USERPROFILE%\.xlwings\xlwings.conf;
' when it is unset, the "python" found on PATH.
'
' This file is ASCII only on purpose: the VBA project is stored in the
' ANSI code page of whoever opens it, so all Chinese text (messages,
' captions) lives on the Python side or in the workbook cells.
'
' Source of truth: macros/XlbaseButton.bas in the xlbase repository; the
' workbook's vbaProject.bin is generated from it by xlbase.templates.vba.
Option Explicit

Public Sub XlbaseValidate()
    RunPython "import xlbase.excel; xlbase.excel.validate_caller()"
End Sub

Public Sub XlbaseClearMarks()
    RunPython "import xlbase.excel; xlbase.excel.clear_marks_caller()"
End Sub
