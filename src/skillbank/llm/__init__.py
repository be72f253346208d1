"""The one LLM provider interface: an OpenAI-compatible HTTP client (owned by the learner work)."""
