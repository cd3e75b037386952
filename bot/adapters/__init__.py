"""Platform adapters: each converts platform payloads to core types and back, nothing more."""
