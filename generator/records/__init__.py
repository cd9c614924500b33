"""Records: find the files, read YAML with positions, check them, build the models, cache.

Empty on purpose: `briefing validate` imports only the modules it needs.
"""
