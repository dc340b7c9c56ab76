"""Streamlit's own words in the file uploader, the camera, the input hints and the pickers, in Chinese: Streamlit
has no locale setting.

Its React front end writes them in English ("Upload", "200MB per file", "Take Photo", "This app would like to use
your camera.") and names its buttons for screen readers in English ("file upload", "Add files", "Remove a.csv",
"Switch camera"); labels and help texts are ours and already Chinese. There is no option for the rest (streamlit
issue #13500, open), so one small script, installed once per browser tab by `install` (Home.py runs it on every
page), rewrites exactly these texts and attributes inside the uploader and the camera widgets as they appear:

- only the words listed here, matched whole, so a file name or anything the page wrote is never touched;
- it changes a text node's value (never replaces a node), so React keeps updating the nodes it owns, and the
  observer translates again whatever React writes back;
- the material-icon ligatures ("upload", "add") are left alone: rewriting them would break the icons;
- around the page, only the frame's screen-reader names ("Collapse sidebar", "Link to heading") and the skip link
  ("Skip to main content"), whole (CHROME);
- a few more places, each with its own short list (PLACES), so a word is rewritten only where Streamlit writes it:
  the hint under a text or number input ("Press Enter to apply", "Press Enter to submit form"), the placeholder of
  a select box or multiselect left without ours ("Choose an option"), an empty st.table's "empty", and the
  "Page not found" dialog of an unknown address. (An empty
  st.dataframe draws its "empty" on a canvas: no text node to reach, so no page shows an empty st.dataframe bare.)

What the eye sees, what innerText gives (the browser tests' leftover check) and what a screen reader reads are then
the same Chinese. In English (the sidebar switch) the script is told to stop and puts back the original words.
"""

from __future__ import annotations

import json

import streamlit as st

# English as Streamlit 1.67's FileUploader/CameraInput chunks write it (trimmed) → what a Chinese page shows.
WORDS: dict[str, str] = {
    "Upload": "选择文件",
    "Upload directories": "选择文件夹",
    "Drag and drop a file here": "把文件拖到这里",
    "Drag and drop files here": "把文件拖到这里",
    "Drag and drop directories here": "把文件夹拖到这里",
    "file upload": "选择要上传的文件",
    "Add files": "再添加文件",
    "add icon": "添加文件",  # the screen-reader text of the "+" beside a chosen file
    "File type not allowed.": "不接受这种类型的文件。",
    "File size is too small.": "文件太小。",
    "Take Photo": "拍照",
    "Clear photo": "重拍",
    "Uploading...": "正在上传…",
    "Switch camera": "切换前后摄像头",
    "Snapshot": "拍下的照片",
    "This app would like to use your camera.": "需要使用摄像头：请在浏览器弹出的提示中点“允许”。",
    "Learn how to allow access.": "如何允许使用摄像头",
}
# Words with a number or a name in them: (JavaScript regular expression, replacement with $1…).
PATTERNS: list[tuple[str, str]] = [
    (r"^(\d+(?:\.\d+)?\s*[KMG]?B) per file$", "单个文件不超过 $1"),
    (r"^File must be (.+) or smaller\.$", "文件不能超过 $1。"),
    (r"^(.+) files are not allowed\.$", "不接受 $1 类型的文件。"),
    (r"^Remove (.+)$", "删除 $1"),
]
# The widgets whose words are rewritten; outside them only CHROME's names.
SCOPE = "[data-testid='stFileUploader'], [data-testid='stCameraInput']"
# Streamlit's own frame around every page: names a screen reader reads (aria-label, anywhere on the page, whole) and
# the skip link's text (only in SKIP_LINK).
CHROME: dict[str, str] = {
    "Sidebar": "侧栏",
    "Collapse sidebar": "收起侧栏",
    "Expand sidebar": "展开侧栏",
    "Main menu": "主菜单",
    "Link to heading": "本节链接",
    "Skip to main content": "跳到正文",
}
SKIP_LINK = "[data-testid='stSkipToContent']"
# The hint InputInstructions writes under a text input, number input and text area (Streamlit 1.67 builds it as
# `Press ${Enter | Ctrl+Enter | ⌘+Enter} to ${apply | submit form}`); the "3/64" counter beside it is left as it is.
INPUT_HINTS: dict[str, str] = {
    "Press Enter to apply": "按回车键确认",
    "Press Enter to submit form": "按回车键提交",
    "Press Ctrl+Enter to apply": "按 Ctrl+回车键确认",
    "Press Ctrl+Enter to submit form": "按 Ctrl+回车键提交",
    "Press ⌘+Enter to apply": "按 ⌘+回车键确认",
    "Press ⌘+Enter to submit form": "按 ⌘+回车键提交",
}
# A select box's or multiselect's placeholder when the page gives none (ours are Chinese already).
PICKER_PLACEHOLDERS: dict[str, str] = {
    "Choose an option": "请选择",
    "Choose options": "请选择（可多选）",
    "Choose or add an option": "请选择或输入",
    "Choose or add options": "请选择或输入（可多选）",
    "Add an option": "请输入",
    "Add options": "请输入（可多个）",
    "No options to select": "没有可选的项",
}
EMPTY_TABLE: dict[str, str] = {"empty": "（无）"}
# The dialog an address Streamlit does not know opens (Streamlit 1.67's App.onPageNotFound, st.navigation apps), and
# its close button's screen-reader name. Home.py gives every address of the product's pages a page, so only an
# address nobody links to (a typo) gets here.
PAGE_NOT_FOUND: dict[str, str] = {
    "Page not found": "没有这个页面",
    "The page that you have requested does not seem to exist. Running the app's main page.":
        "你要打开的页面不存在，已为你打开首页。",
    "Close": "关闭",
}
# (where, the words rewritten there): each list only inside its own elements.
PLACES: list[tuple[str, dict[str, str]]] = [
    ("[data-testid='InputInstructions']", INPUT_HINTS),
    ("[data-testid='stSelectbox'], [data-testid='stMultiSelect']", PICKER_PLACEHOLDERS),
    ("[data-testid='stTableStyledEmptyTableCell']", EMPTY_TABLE),
    ("[role='dialog']", PAGE_NOT_FOUND),
]
ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")

_SCRIPT = """<script>
(() => {
  const config = __CONFIG__;
  const state = window.__mfStreamlitWords || (window.__mfStreamlitWords = {on: false, originals: new Map()});
  state.on = config.on;
  if (!state.translate) {
    const patterns = config.patterns.map(([source, to]) => [new RegExp(source), to]);
    // Whole words only, keeping the spaces around them (" Clear photo"); null when the text is not Streamlit's.
    // `words`: the list of the place the text is in (null: only the frame's names); the patterns only in the
    // uploader and the camera.
    state.translate = (text, words = config.words) => {
      const word = text.trim();
      if (!word) return null;
      let to = words ? words[word] : undefined;
      if (to === undefined) to = config.chrome[word];
      if (to === undefined && words === config.words) {
        const found = patterns.find(([pattern]) => pattern.test(word));
        if (!found) return null;
        to = word.replace(found[0], found[1]);
      }
      return to === undefined ? null : text.replace(word, to);
    };
    const isIcon = (element) => element.closest("[data-testid='stIconMaterial'], [translate='no']") !== null;
    // The words of the place an element is in: the uploader's and camera's, one of config.places', or null.
    const wordsAt = (element) => {
      if (element.closest(config.scope) !== null) return config.words;
      const place = config.places.find(([selector]) => element.closest(selector) !== null);
      return place ? place[1] : null;
    };
    const fixText = (node) => {
      const parent = node.parentElement;
      if (!parent || isIcon(parent)) return;
      const words = wordsAt(parent);
      if (words === null && !parent.closest(config.skipLink)) return;
      const to = state.translate(node.nodeValue, words);
      if (to !== null && to !== node.nodeValue) {
        if (!state.originals.has(node)) state.originals.set(node, node.nodeValue);
        node.nodeValue = to;
      }
    };
    const fixAttributes = (element) => {
      const words = wordsAt(element);
      for (const name of config.attributes) {
        const value = element.getAttribute(name);
        const to = value === null ? null : state.translate(value, words);
        if (to !== null && to !== value) {
          const kept = state.originals.get(element) || {};
          if (!(name in kept)) kept[name] = value;
          state.originals.set(element, kept);
          element.setAttribute(name, to);
        }
      }
    };
    state.fix = (root) => {
      if (!state.on) return;
      if (root.nodeType === Node.TEXT_NODE) { fixText(root); return; }
      if (root.nodeType !== Node.ELEMENT_NODE) return;
      fixAttributes(root);
      for (const element of root.querySelectorAll("*")) fixAttributes(element);
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) fixText(node);
    };
    state.restore = () => {
      for (const [node, original] of state.originals) {
        if (!node.isConnected) continue;
        if (typeof original === "string") node.nodeValue = original;
        else for (const [name, value] of Object.entries(original)) node.setAttribute(name, value);
      }
      state.originals.clear();
    };
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === "childList") record.addedNodes.forEach(state.fix);
        else state.fix(record.target);
      }
    }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                               attributeFilter: config.attributes});
  }
  if (state.on) state.fix(document.body); else state.restore();
})();
</script>"""


def script(lang: str) -> str:
    """The <script> that puts Streamlit's own words into `lang` ('zh'; 'en' leaves them English)."""
    config = {"on": lang != "en", "words": WORDS, "patterns": PATTERNS, "scope": SCOPE, "chrome": CHROME,
              "skipLink": SKIP_LINK, "attributes": list(ATTRIBUTES), "places": [list(p) for p in PLACES]}
    return _SCRIPT.replace("__CONFIG__", json.dumps(config, ensure_ascii=False))


def install(lang: str) -> None:
    """Run the script in the page (not in an iframe: st.html with JavaScript allowed), from the sidebar, where the
    empty element takes no room among a page's widgets. Call it on every run of every page (Home.py does)."""
    st.sidebar.html(script(lang), unsafe_allow_javascript=True)
