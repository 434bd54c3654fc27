"""Sphinx configuration of the course's website (`make site`; README, "The course as a website").

Everything here works offline: the theme, its fonts and icons, and the search index come from Python
packages; no page loads anything from another site (the widget and MathJax scripts are switched off:
the pages hold no live widget and no maths).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "il2edu: interleukin-2 and low-dose IL-2 therapy"
author = "The il2edu contributors"
copyright = "2026, the il2edu contributors (text CC BY 4.0, code MIT)"

extensions = ["myst_nb", "il2edu_site"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
html_static_path = ["_static"]
html_css_files = ["il2edu-site.css"]
html_title = "il2edu"
html_theme = "sphinx_book_theme"
html_theme_options = {
    "repository_url": "https://github.com/" + os.environ.get("IL2EDU_REPOSITORY", "il2edu/il2edu"),
    "use_repository_button": False,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "show_toc_level": 2,
    "home_page_in_toc": True,
}
html_last_updated_fmt = None
html_show_sourcelink = False
# An empty mode makes the theme log a console error on first visit.
html_context = {"default_mode": "light"}

# Where "Run this lesson" points. A fork sets its own repository; an institution sets its JupyterHub.
il2edu_repository = os.environ.get("IL2EDU_REPOSITORY", "il2edu/il2edu")
il2edu_branch = os.environ.get("IL2EDU_BRANCH", "HEAD")
il2edu_binder_url = os.environ.get("IL2EDU_BINDER_URL", "https://mybinder.org")
il2edu_hub_url = os.environ.get("IL2EDU_HUB_URL", "https://hub.example.org")

# The pages are executed by the extension (learner copies in a real kernel, cached), not by myst-nb.
nb_execution_mode = "off"
nb_ipywidgets_js = {}
nb_merge_streams = True
myst_enable_extensions = ["colon_fence"]
mathjax_path = "no-mathjax.js"  # Sphinx insists on a value; no page has maths, so none loads it
suppress_warnings = ["mystnb.unknown_mime_type"]
