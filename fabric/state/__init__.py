"""State: what fabric last applied, per address (live ID, attributes), plus its lock.

`protocol` defines the backend contract; `sqlite` is the default backend; `lock` holds the
per-stamp lock. The planner only ever sees a `StateSnapshot`.
"""
