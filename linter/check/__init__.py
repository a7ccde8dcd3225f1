"""Check: the engine that runs rules over operations, its configuration and its helpers."""
