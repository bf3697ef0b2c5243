"""The bilan: a plan (a result folder) against what really happened (an actuals workbook).

=====================  =================================================================
:mod:`.plan`           the plan's rows from a result folder (one year of it)
:mod:`.actuals`        the actuals workbook: template, reading, row-and-column checks
:mod:`.decomposition`  an exact split of each cost deviation into volume, productivity,
                       price and utilisation (Shapley over the factors of a product)
:mod:`.compare`        planned against actual: tables, indicators, deviations ranked
:mod:`.recalibration`  parameters re-estimated from the actuals (a precision-weighted update)
:mod:`.decision`       generalise or not: the documented rule
:mod:`.report`         ``bilan.md`` / ``bilan.html`` for élus (French by default)
:mod:`.folder`         the bilan folder, written atomically, with the inputs' hashes
:mod:`.check`          ``optimiser verify BILAN_DIR``: the indicators re-computed
=====================  =================================================================
"""
