"""The MkDocs adapter: the plugin, the build and serve runs, the theme and its shells.

Inside this package `import mkdocs` is still MkDocs itself: imports are absolute.
"""
