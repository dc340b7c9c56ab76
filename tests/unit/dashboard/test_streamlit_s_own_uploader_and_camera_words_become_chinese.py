"""Streamlit's own words in the uploader and the camera are put into Chinese (issue 15, dashboard/streamlit_words.py).

Cheap checks beside the browser tests: every English sentence the installed Streamlit's FileUploader and CameraInput
chunks write is in the word list (a Streamlit upgrade that adds or rewords one fails here), and the script itself,
run by Node with a stand-in DOM, turns each word and screen-reader name into Chinese and leaves file names, icon
ligatures and anything outside those widgets alone.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import streamlit

from dashboard.streamlit_words import CHROME, WORDS, script

STATIC = Path(streamlit.__file__).parent / "static" / "static" / "js"
CJK = re.compile(r"[\u4e00-\u9fff]")


def chunk(name: str) -> str:
    [path] = STATIC.glob(f"{name}.*.js")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["FileUploader", "CameraInput"])
def test_every_sentence_the_widget_writes_is_in_the_word_list(name: str) -> None:
    sentences = {s.strip() for s in re.findall(r"`(\s?[A-Z][a-z]*(?: [A-Za-z.,]+)+\.?)`", chunk(name))}
    assert sentences, f"no English found in {name}: the bundle's shape changed; look at it again"
    assert sentences <= set(WORDS), f"Streamlit words not put into Chinese: {sorted(sentences - set(WORDS))}"


def test_every_listed_word_is_one_streamlit_still_writes() -> None:
    bundle = b"\n".join(path.read_bytes() for path in STATIC.glob("*.js"))
    missing = [w for w in {**WORDS, **CHROME} if w.encode() not in bundle and w != "add icon"]  # `${icon} icon`
    assert not missing, f"words Streamlit no longer writes (update dashboard/streamlit_words.py): {missing}"


# A stand-in for the browser: text nodes inside an uploader, one outside, an icon ligature, attributes.
HARNESS = r"""
class El {
  constructor(scope, icon, skip = false) {
    this.scope = scope; this.icon = icon; this.skip = skip; this.attrs = {}; this.nodeType = 1; this.isConnected = true;
  }
  closest(selector) {
    const hit = selector.includes("stIconMaterial") ? this.icon : selector.includes("stSkipToContent") ? this.skip
      : this.scope;
    return hit ? this : null;
  }
  getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; }
  setAttribute(n, v) { this.attrs[n] = v; }
  querySelectorAll() { return []; }
}
const inside = new El(true, false), outside = new El(false, false), icon = new El(true, true);
const skip = new El(false, false, true);
outside.setAttribute("aria-label", "Link to heading");
const texts = INPUT.texts.map(t => ({nodeType: 3, nodeValue: t, parentElement: inside, isConnected: true}));
const other = {nodeType: 3, nodeValue: "Upload", parentElement: outside, isConnected: true};
const ligature = {nodeType: 3, nodeValue: "upload", parentElement: icon, isConnected: true};
const skipText = {nodeType: 3, nodeValue: "Skip to main content", parentElement: skip, isConnected: true};
for (const [n, v] of Object.entries(INPUT.attrs)) inside.setAttribute(n, v);
global.Node = {TEXT_NODE: 3, ELEMENT_NODE: 1};
global.NodeFilter = {SHOW_TEXT: 4};
global.MutationObserver = class { observe() {} };
global.window = globalThis;
const all = [...texts, other, ligature, skipText];
global.document = {body: new El(true, false),
                   createTreeWalker: () => { let i = 0; return {nextNode: () => all[i++] || null}; }};
document.body.querySelectorAll = () => [inside, outside];
eval(SCRIPT);
const out = {zh: {texts: texts.map(t => t.nodeValue), attrs: {...inside.attrs}, other: other.nodeValue,
                  ligature: ligature.nodeValue, frame: [outside.attrs["aria-label"], skipText.nodeValue]}};
eval(SCRIPT_EN);
out.en = {texts: texts.map(t => t.nodeValue), attrs: {...inside.attrs},
          frame: [outside.attrs["aria-label"], skipText.nodeValue]};
console.log(JSON.stringify(out));
"""


def run(texts: list[str], attrs: dict[str, str]) -> dict[str, dict[str, object]]:
    """What the script makes of `texts` and `attrs` inside an uploader (zh), then after switching to English (en)."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("Node.js is not installed")

    def body(lang: str) -> str:
        return script(lang).removeprefix("<script>").removesuffix("</script>")

    program = (HARNESS.replace("INPUT", json.dumps({"texts": texts, "attrs": attrs}))
               .replace("SCRIPT_EN", json.dumps(body("en"))).replace("SCRIPT", json.dumps(body("zh"))))
    done = subprocess.run([node, "-e", program], capture_output=True, text=True, timeout=30, check=True)
    result: dict[str, dict[str, object]] = json.loads(done.stdout)
    return result


def test_the_uploader_and_camera_words_become_chinese_and_come_back_in_english() -> None:
    texts = ["Upload", "200MB per file", " Clear photo", "Take Photo", "This app would like to use your camera.",
             "Learn how to allow access.", "Drag and drop a file here", "File must be 200.0MB or smaller.",
             "居民.xlsx", "Upload.csv"]
    attrs = {"aria-label": "Remove 居民.xlsx", "alt": "Snapshot", "title": "居民.xlsx"}
    out = run(texts, attrs)
    zh, en = out["zh"], out["en"]
    assert zh["texts"] == ["选择文件", "单个文件不超过 200MB", " 重拍", "拍照",
                           WORDS["This app would like to use your camera."], WORDS["Learn how to allow access."],
                           "把文件拖到这里", "文件不能超过 200.0MB。",
                           "居民.xlsx", "Upload.csv"]  # a file name is never touched, even one like a word
    assert zh["attrs"] == {"aria-label": "删除 居民.xlsx", "alt": "拍下的照片", "title": "居民.xlsx"}
    assert zh["other"] == "Upload", "nothing outside the uploader and the camera is rewritten"
    assert zh["ligature"] == "upload", "an icon's ligature is left alone, or the icon breaks"
    assert zh["frame"] == ["本节链接", "跳到正文"], "the page frame's screen-reader names and skip link"
    assert en["frame"] == ["Link to heading", "Skip to main content"]
    assert en["texts"] == texts and en["attrs"] == attrs, "switching to English puts Streamlit's words back"


def test_every_word_has_chinese() -> None:
    assert all(CJK.search(zh) for zh in [*WORDS.values(), *CHROME.values()])
