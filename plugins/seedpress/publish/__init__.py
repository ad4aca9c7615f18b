"""Publishing output/ to static hosting: one module per target (rsync over SSH,
a git branch, S3-compatible storage), sharing the plan in `plan.py`."""
