"""Disaster-recovery operations over a stamp's DR design: `simulate` replays a recovery plan (pure,
over the model and facts read from the live fabric), `facts` is what it reads.

Dependencies point down only: this package imports the model, never providers, state or the CLI;
the engine gathers the facts and hands them in.
"""
