"""Worker processes die with the errlint process that started them.

``lint --jobs N`` and the helper process of big specs are forked children. If errlint is
killed (``SIGKILL``, ``SIGTERM`` from a CI runner's timeout) they must not live on holding
CPU and memory. On Linux the kernel sends them ``SIGKILL`` when the parent dies
(``prctl(PR_SET_PDEATHSIG)``, prctl(2)); elsewhere nothing is set up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """In a freshly forked child of ``parent_pid``: be killed when that parent dies; exit at
    once if it is already gone (the signal would never come)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)
