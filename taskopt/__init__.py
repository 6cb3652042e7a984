"""taskopt: audit, parallelise and draw go-task Taskfiles."""

__version__ = "0.1.0"
