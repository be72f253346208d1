"""skillbank: the skill library for LLM agents."""

__version__ = "0.1.0"
