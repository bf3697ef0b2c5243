"""Institutional options priced on the same basis as the design (legal_instruments.md §1–§8).

=====================  ====================================================================
module                 job
=====================  ====================================================================
:mod:`.parameters`     the fiscal data, AC, CLECT period and régime indemnitaire uplift, each
                       sourced or labelled an estimate
:mod:`.attribution`    service commun financed by convention or by imputation on the
                       attribution de compensation; the CIF and dotation effect (upper bound)
:mod:`.transfer`       transfer of the voirie competence: every commune, CLECT evaluation
:mod:`.flows`          per commune and year, who pays whom (``flows.csv``)
:mod:`.scenario`       the scenario's ``institutions:`` block resolved against the territory
=====================  ====================================================================

The régime indemnitaire harmonisation of pooled régie teams is priced where the teams are
(:meth:`optimiser.services.economics.Economics.pooled_staff_eur`); :mod:`.flows` adds only that
of agents a voirie transfer moves to the EPCI, with the same uplift.
"""

from .attribution import CifEffect, cif_effect
from .flows import COST_COLUMNS, FLOW_COLUMNS, InstitutionalChoices, commune_costs_from_tables, money_flows
from .parameters import InstitutionParameters, institution_parameters

__all__ = ["money_flows", "InstitutionalChoices", "commune_costs_from_tables", "COST_COLUMNS", "FLOW_COLUMNS",
           "InstitutionParameters", "institution_parameters", "cif_effect", "CifEffect"]
