"""Planning: compare desired resources with the live inventory and state, purely.

`action` (the closed set of actions), `change` (`Change`, `Plan`), `diff` (attribute-level
comparison), `planner` (`make_plan`). No I/O, no printing, no clock reads.
"""
