"""What each vendor convention knows about an operation beyond OpenAPI itself, as scope keys
and policy conditions.

Each module defines the scope predicates of one convention (registered by name through the
``errlint.scopes`` entry point group, loaded when a scope first names the key), its policy
conditions (the ``errlint.conditions`` group, loaded when a ``when:`` first names one) and the
classification that ``coverage`` and ``--explain-scope`` show. Nothing here is a rule, so a
run imports a vendor's rule modules only when its rules run.
"""
