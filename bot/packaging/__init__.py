"""Deployment artefacts the CLI writes: `rag-or-ft teams-package` (manifest and icons).

Not part of the Teams adapter, which only translates activities at run time; nothing here
imports botbuilder or is loaded by `serve`.
"""
