"""The worker process of the sandbox, run as a script: ``python -I worker.py --zygote CONFIG`` (Python
samples: :mod:`.tester`) or ``--compiled CONFIG`` (compiled languages: :mod:`.compiled_zygote`).

Under ``-I`` the installed ``lintseq_hf`` may be another copy (or none), so the worker imports its
siblings from this folder, as a package of its own that does not run ``__init__`` (which would load the
host side). The modules it runs are stdlib only:

- :mod:`.base`: statuses, limits, :class:`Isolation`, :class:`SandboxError` (defined once);
- :mod:`.framing`: the one message framing, used on every hop;
- :mod:`.tester`: the test zygote, the trusted process that runs the benchmark's tests (:mod:`.verifier`);
- :mod:`.program_zygote`: the isolated zygote that forks one confined process per program;
- :mod:`.compiled_zygote`: compiles and runs one compiled-language program per job in such a process;
- :mod:`.linux` (namespaces, mounts, uid leases) and :mod:`.reaping` (ending process trees);
- :mod:`.channel`: the plain-data channel between a test and a program.

See docs/sandbox.md for what is enforced.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

PACKAGE = "lintseq_sandbox_worker"
"""The name this folder's modules get in the worker process."""
ZYGOTES = {"--zygote": "tester", "--compiled": "compiled_zygote"}
"""The flag that starts each kind of worker → the module whose ``main(config_json)`` it runs."""


def load_sibling(module: str):
    """``module`` of this folder, imported as part of :data:`PACKAGE` (its ``__init__`` is not run)."""
    if PACKAGE not in sys.modules:
        folder = Path(__file__).resolve().parent
        spec = importlib.util.spec_from_loader(PACKAGE, None, is_package=True)
        package = importlib.util.module_from_spec(spec)
        package.__path__ = [str(folder)]
        sys.modules[PACKAGE] = package
    return importlib.import_module(f"{PACKAGE}.{module}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in ZYGOTES:
        sys.exit(load_sibling(ZYGOTES[sys.argv[1]]).main(sys.argv[2]))
    sys.exit(f"usage: {sys.argv[0]} --zygote|--compiled CONFIG_JSON (internal)")
