"""The scenario's ``institutions:`` block resolved against its territory, legal conditions checked.

Commune references (names or INSEE codes) become codes; the AC file is read; every problem —
an unknown commune, a transfer asked of part of the communes, an AC imputation without a
service commun or outside fiscalité professionnelle unique, an expense history shorter than the
CLECT period — is reported together with its key path (exit 2, nothing written).
"""

from __future__ import annotations

import csv
import io
import math

from ..errors import InputError, Problem
from ..files import read_bytes
from ..services.parameters import value
from ..territory.references import References
from .attribution import imputation_problems
from .transfer import missing_communes

#: Largest AC file read (a row per commune of France is a few MB).
AC_FILE_MAX_BYTES = 50_000_000


def resolve_institutions(loaded, territory):
    """The scenario's ``institutions`` block with INSEE codes (``None`` when absent), or an
    :class:`~optimiser.errors.InputError` listing every problem."""
    scenario = loaded.scenario
    cfg = scenario.institutions
    if cfg is None:
        return None
    refs = References(loaded, territory)
    for path, message in imputation_problems(cfg.service_commun_financing, scenario.service_commun is not None,
                                             cfg.epci.fiscal_regime):
        refs.problem(path, message, cfg.service_commun_financing)
    agreed = cfg.ac_agreed_by if cfg.ac_agreed_by == "all" else refs.many("institutions.ac_agreed_by", cfg.ac_agreed_by)
    values = {}
    if cfg.attribution_compensation.file is not None:
        values.update(_read_ac_file(loaded, refs, cfg.attribution_compensation.file))
    for ref, amount in cfg.attribution_compensation.values.items():
        code = refs.one(f"institutions.attribution_compensation.values.{ref}", ref)
        if code is not None:
            values[code] = float(amount)
    transfer = cfg.voirie_transfer
    communes = transfer.communes
    if communes != "all":
        communes = refs.many("institutions.voirie_transfer.communes", communes)
        left_out = missing_communes(communes, territory.codes)
        if transfer.enabled and left_out:
            shown = ", ".join(territory.label(c) for c in left_out[:5]) + (f" and {len(left_out) - 5} more" if len(left_out) > 5 else "")
            refs.problem("institutions.voirie_transfer.communes",
                         f"a competence is transferred by every member commune at once (CGCT L5211-17, intérêt "
                         f"communautaire), not by part of them: {len(left_out)} of {len(territory.codes)} communes are left "
                         f"out ({shown}); write communes: all, or keep the others' roads under a convention "
                         "(pooling.force) instead", show_value=False)
    years = transfer.clect_years or int(value("fiscal.clect_evaluation_method", "operating_reference_years"))
    history = {}
    for ref, past in transfer.expense_history.items():
        path = f"institutions.voirie_transfer.expense_history.{ref}"
        code = refs.one(path, ref)
        if code is None:
            continue
        if len(past) < years:
            refs.problem(path, f"{len(past)} year{'s' if len(past) != 1 else ''} of expenses cannot give the CLECT's "
                         f"{years}-year average; give at least {years} (oldest first) or set voirie_transfer.clect_years",
                         past)
        history[code] = [float(x) for x in past]
    if transfer.enabled and cfg.epci.fiscal_regime != "fpu":
        refs.problem("institutions.voirie_transfer.enabled",
                     "the transfer is priced through the attribution de compensation cut by the CLECT (CGI art. 1609 nonies "
                     "C), which only an EPCI under fiscalité professionnelle unique pays; under fiscalité additionnelle it is "
                     "financed by tax rates, which this model does not price (set institutions.epci.fiscal_regime: fpu)", True)
    if "voirie" not in (scenario.services.include if scenario.services is not None else ()) and transfer.enabled:
        refs.problem("institutions.voirie_transfer.enabled", "the voirie transfer needs voirie in services.include", True)
    if refs.problems:
        raise InputError(refs.problems, title=f"Invalid scenario {loaded.label}")
    return cfg.model_copy(update={
        "ac_agreed_by": agreed,
        "attribution_compensation": cfg.attribution_compensation.model_copy(update={"values": values}),
        "voirie_transfer": transfer.model_copy(update={"communes": communes, "expense_history": history}),
    })


def _read_ac_file(loaded, refs: References, file: str) -> dict[str, float]:
    """``insee_code`` (or ``commune``) → ``ac_eur`` from a CSV file; problems name file, line and column."""
    path = loaded.path(file)
    label = str(path)
    key = "institutions.attribution_compensation.file"
    try:
        text = read_bytes(path, label, AC_FILE_MAX_BYTES, what="CSV file").decode("utf-8-sig")
    except InputError as exc:
        refs.problems.extend(exc.problems)
        return {}
    except UnicodeDecodeError:
        refs.problem(key, "is not UTF-8 text", file)
        return {}
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    ref_column = "insee_code" if "insee_code" in columns else "commune" if "commune" in columns else None
    if ref_column is None or "ac_eur" not in columns:
        refs.problems.append(Problem(label, "", "expected columns insee_code (or commune) and ac_eur", columns, show_value=True))
        return {}
    out = {}
    for line, row in enumerate(reader, start=2):
        code, message = refs.lookup.resolve(row[ref_column])
        if code is None:
            refs.problems.append(Problem(label, f"line {line}, column {ref_column}", message, row[ref_column]))
            continue
        try:
            amount = float(row["ac_eur"])
            if not math.isfinite(amount) or abs(amount) > 1e10:
                raise ValueError
        except (TypeError, ValueError):
            refs.problems.append(Problem(label, f"line {line}, column ac_eur", "expected a finite amount in €/yr "
                                         "(at most 1e10 in size; negative when the commune pays the EPCI)", row["ac_eur"]))
            continue
        if code in out:
            refs.problems.append(Problem(label, f"line {line}", f"{code} is given twice", row[ref_column]))
        out[code] = amount
    return out


class InstitutionInputs:
    """The resolved ``institutions`` block (``config``, ``None`` for every default) and its
    :class:`~optimiser.institutions.parameters.InstitutionParameters`."""

    def __init__(self, config, params):
        self.config, self.params = config, params

    def flows(self, shares, status_quo, year: int | None = None):
        """``flows.csv`` of a result: :func:`~optimiser.institutions.flows.money_flows` of its
        ``shares.csv`` and ``status_quo.csv`` (a steady-state year unless ``year`` is given)."""
        from .flows import commune_costs_from_tables, money_flows

        return money_flows(year, commune_costs_from_tables(shares, status_quo), None, self.config, self.params)


def prepare_institutions(loaded, territory, services) -> InstitutionInputs:
    """The institutional inputs of a services run (``services``: its ServiceInputs)."""
    from .parameters import institution_parameters

    config = resolve_institutions(loaded, territory)
    population = {c: float(p) for c, p in territory.communes["population"].items()}
    return InstitutionInputs(config, institution_parameters(config, population, services.catalogue, services.terms))
