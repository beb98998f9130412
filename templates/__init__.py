"""The bundled Jinja templates of attribution bundles (shipped as ``sbomgen.templates``)."""
