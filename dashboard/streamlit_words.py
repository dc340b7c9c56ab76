"""Streamlit's own words in the file uploader and the camera, in Chinese: Streamlit has no locale setting.

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
  ("Skip to main content"), whole (CHROME).

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
ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")

_SCRIPT = """<script>
(() => {
  const config = __CONFIG__;
  const state = window.__mfStreamlitWords || (window.__mfStreamlitWords = {on: false, originals: new Map()});
  state.on = config.on;
  if (!state.translate) {
    const patterns = config.patterns.map(([source, to]) => [new RegExp(source), to]);
    // Whole words only, keeping the spaces around them (" Clear photo"); null when the text is not Streamlit's.
    // In a widget (`inWidget`) the widget words and patterns; elsewhere only the frame's names.
    state.translate = (text, inWidget = true) => {
      const word = text.trim();
      if (!word) return null;
      let to = inWidget ? config.words[word] : undefined;
      if (to === undefined) to = config.chrome[word];
      if (to === undefined && inWidget) {
        const found = patterns.find(([pattern]) => pattern.test(word));
        if (!found) return null;
        to = word.replace(found[0], found[1]);
      }
      return to === undefined ? null : text.replace(word, to);
    };
    const isIcon = (element) => element.closest("[data-testid='stIconMaterial'], [translate='no']") !== null;
    const fixText = (node) => {
      const parent = node.parentElement;
      if (!parent || isIcon(parent)) return;
      const inWidget = parent.closest(config.scope) !== null;
      if (!inWidget && !parent.closest(config.skipLink)) return;
      const to = state.translate(node.nodeValue, inWidget);
      if (to !== null && to !== node.nodeValue) {
        if (!state.originals.has(node)) state.originals.set(node, node.nodeValue);
        node.nodeValue = to;
      }
    };
    const fixAttributes = (element) => {
      const inWidget = element.closest(config.scope) !== null;
      for (const name of config.attributes) {
        const value = element.getAttribute(name);
        const to = value === null ? null : state.translate(value, inWidget);
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
    """The <script> that puts Streamlit's uploader and camera words into `lang` ('zh'; 'en' leaves them English)."""
    config = {"on": lang != "en", "words": WORDS, "patterns": PATTERNS, "scope": SCOPE, "chrome": CHROME,
              "skipLink": SKIP_LINK, "attributes": list(ATTRIBUTES)}
    return _SCRIPT.replace("__CONFIG__", json.dumps(config, ensure_ascii=False))


def install(lang: str) -> None:
    """Run the script in the page (not in an iframe: st.html with JavaScript allowed), from the sidebar, where the
    empty element takes no room among a page's widgets. Call it on every run of every page (Home.py does)."""
    st.sidebar.html(script(lang), unsafe_allow_javascript=True)
