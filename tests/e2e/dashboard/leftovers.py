"""English that Streamlit's uploader, camera, input hints and pickers write by themselves (issue 15), for the
browser tests' leftover checks: what the page shows and what a screen reader reads of those widgets (their
aria-label, alt, title).

dashboard/streamlit_words.py puts them into Chinese; these tests fail if one comes back (a Streamlit upgrade that
changes a word, or the script no longer running). The words are matched as written, case-sensitive.
"""

from __future__ import annotations

from playwright.sync_api import Page

STREAMLIT_WIDGET_WORDS = ("Upload", "per file", "Drag and drop", "Browse files", "file upload", "Add files",
                          "add icon", "Remove ", "Take Photo", "Clear photo", "Switch camera", "Snapshot",
                          "would like to use your camera", "Learn how to allow access", "Uploading...",
                          "Skip to main content",  # the page frame's skip link (read by screen readers first)
                          # under text inputs, and pickers without a placeholder of ours (new-user trial)
                          "Press Enter to", "Press Ctrl+Enter to", "Press ⌘+Enter to", "Choose an option",
                          "Choose options", "Choose or add", "No options to select")
# The names a screen reader reads inside the uploader and the camera widgets.
SCREEN_READER_NAMES = """() => Array.from(document.querySelectorAll(
    "[data-testid='stFileUploader'] *, [data-testid='stCameraInput'] *"))
  .flatMap(e => ['aria-label', 'alt', 'title'].map(a => e.getAttribute(a)).filter(Boolean))"""


def widget_names(page: Page) -> list[str]:
    """Every aria-label, alt and title inside the page's uploaders and cameras."""
    return list(page.evaluate(SCREEN_READER_NAMES))


def english_in_widgets(page: Page) -> list[str]:
    """The uploader's and camera's own English words the page shows or names for a screen reader; [] when none."""
    text = "\n".join([page.locator("[data-testid='stAppViewContainer']").inner_text(), *widget_names(page)])
    return [word for word in STREAMLIT_WIDGET_WORDS if word in text]
