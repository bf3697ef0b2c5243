"""How sure a design's saving is, and which inputs decide it.

Stages, one module each, data flowing one way:

* :mod:`.uncertain` — the uncertain parameters: every parameter of ``cost_parameters.yaml``
  the cost model reads, with its sourced range, as the scenario's ``uncertainty`` block adjusts it;
* :mod:`.sampling` — joint draws (triangular / uniform / lognormal, correlation groups);
* :mod:`.worlds` — the priced service inputs of N worlds at once (the cost formulas run on arrays);
* :mod:`.repricing` — a fixed design and the status quo re-priced in every world;
* :mod:`.tornado`, :mod:`.stability`, :mod:`.voi` — one-at-a-time ranges, re-solved worlds,
  value of information;
* :mod:`.folder` — the ``robustness`` folder (CSV, figures, report section).
"""
