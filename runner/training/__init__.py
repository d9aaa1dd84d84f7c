"""The training stage: what runs in a worker, from a pack to one result per run.

pack.py trains a pack (run_pack, the stage's entry point); data.py loads a run's data;
optimizer.py turns a spec's optimizer into nets'; autoencoder.py and vae.py fit each kind and
measure it, with the epoch callbacks of callbacks.py and the measures of measures.py; result.py
is what a run produced. Every module here can change a stored number, so the run fingerprint
(runner.fingerprint) hashes them all.
"""
