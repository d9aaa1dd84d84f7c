"""NumPy networks with a leading ensemble axis: many independent models trained as one.

Every array carries the ensemble axis S first (weights ``(S, n_in, n_out)``, batches
``(S, B, n)``), so a sweep of seeds and learning rates is one set of batched matmuls.
This package knows nothing of YAML, files or the runner.
"""
