"""End a worker process when the process that started it dies, however it dies.

A loky worker that loses its parent (tp5-run killed with SIGKILL, or by the out-of-memory
killer) is not told: it finishes the pack it holds, which can take many minutes, and only then
finds the result pipe closed. A thread in each worker watches its parent's pid instead and ends
the worker within a second of the parent's death.

Not prctl(PR_SET_PDEATHSIG): Linux sends that signal when the *thread* that started the worker
ends, and loky starts replacement workers from its manager thread, so a worker could be killed
with its parent alive; and it exists on Linux only.
"""

from __future__ import annotations

import os
import threading
import time

#: Seconds between two looks at the parent's pid.
EVERY = 0.5


def end_with_parent(parent: int) -> None:
    """Worker initializer: from now on, end this process soon after process ``parent`` dies.

    The worker's parent pid changes when its parent dies (the worker is handed to init or to a
    subreaper); that covers a parent gone before this runs, too.
    """
    threading.Thread(target=_watch, args=(parent,), name="tp5-watchdog", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(EVERY)
    os._exit(1)  # no cleanup to run: what the worker was computing has no one to go to
