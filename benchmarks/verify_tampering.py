"""Time ``optimiser verify`` on the service tampering matrix, outside pytest.

Replays the cases of ``tests/test_verify_tampering.py::test_services_tampering_is_named`` on a
solved service-commun folder — copy the folder, apply the edit, ``verify_result`` — and prints the
median CPU and wall seconds per case, and any case whose edit the verifier did not name.

    .venv/bin/optimiser run scenarios/laval-2016-service-commun.yaml --out /tmp/sc
    .venv/bin/python benchmarks/verify_tampering.py /tmp/sc --every 4

The first verification (imports, first parse of every file) is done before timing, as the test
module's fixture does it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a solved laval-2016-service-commun result folder")
    parser.add_argument("--every", type=int, default=1, help="time every N-th case only (default: all)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    import test_verify_tampering as matrix

    from optimiser.verify import verify_result

    cases = matrix.SERVICES[:: args.every]
    verify_result(args.folder)
    cpu, wall, unnamed = [], [], []
    with tempfile.TemporaryDirectory(prefix="verify-bench-") as root:
        for k, (name, edit, needle) in enumerate(cases):
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            target = Path(root) / f"case-{k}"
            shutil.copytree(args.folder, target)
            edit(target)
            outcome = verify_result(target)
            cpu.append(time.process_time() - start_cpu)
            wall.append(time.perf_counter() - start_wall)
            if outcome.ok or needle not in "\n".join(outcome.violations):
                unnamed.append(name)
            shutil.rmtree(target)
    print(f"{len(cases)} cases: CPU median {statistics.median(cpu):.3f} s (mean {statistics.mean(cpu):.3f}), "
          f"wall median {statistics.median(wall):.3f} s (mean {statistics.mean(wall):.3f}); not named: {unnamed or 'none'}")


if __name__ == "__main__":
    main()
