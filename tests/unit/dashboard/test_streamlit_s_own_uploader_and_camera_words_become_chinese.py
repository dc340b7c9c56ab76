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

from dashboard.streamlit_words import (
    CHROME,
    EMPTY_TABLE,
    INPUT_HINTS,
    PAGE_NOT_FOUND,
    PICKER_PLACEHOLDERS,
    PLACES,
    WORDS,
    script,
)

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
    listed = {**WORDS, **CHROME, **PICKER_PLACEHOLDERS, **EMPTY_TABLE}
    missing = [w for w in listed if w.encode() not in bundle and w != "add icon"]  # `${icon} icon`
    assert not missing, f"words Streamlit no longer writes (update dashboard/streamlit_words.py): {missing}"


def test_the_page_not_found_dialog_is_built_as_listed() -> None:
    """App.onPageNotFound writes its title and `${t}. Running the app's main page.`, t the sentence for an address
    st.navigation does not know: an upgrade that rewords either fails here."""
    bundle = b"\n".join(path.read_bytes() for path in STATIC.glob("*.js"))
    for piece in ("`Page not found`", "`The page that you have requested does not seem to exist`",
                  "${t}. Running the app's main page.`"):
        assert piece.encode() in bundle, piece
    assert "The page that you have requested does not seem to exist. Running the app's main page." in PAGE_NOT_FOUND


def test_every_input_hint_streamlit_builds_is_in_the_list() -> None:
    """InputInstructions builds its hint from pieces: `Press ${Enter | Ctrl+Enter | ⌘+Enter} to ${apply | submit
    form}` — every combination is listed, and the chunk still builds it so (an upgrade that rewords it fails)."""
    hint = chunk("InputInstructions")
    pieces = ("`submit form`", "`apply`", "Press ${", "+Enter to ${", "`Press Enter to ${")
    assert all(piece in hint for piece in pieces)
    assert set(INPUT_HINTS) == {f"Press {key} to {what}" for key in ("Enter", "Ctrl+Enter", "⌘+Enter")
                                for what in ("apply", "submit form")}


# A stand-in for the browser: text nodes inside an uploader, one outside, an icon ligature, attributes.
HARNESS = r"""
class El {
  // `marks`: the data-testids of the elements this one is inside.
  constructor(...marks) { this.marks = marks; this.attrs = {}; this.nodeType = 1; this.isConnected = true; }
  closest(selector) {
    return selector.split(",").some(s => this.marks.some(m => s.includes(`'${m}'`))) ? this : null;
  }
  getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; }
  setAttribute(n, v) { this.attrs[n] = v; }
  querySelectorAll() { return []; }
}
const inside = new El("stFileUploader"), outside = new El(), icon = new El("stFileUploader", "stIconMaterial");
const skip = new El("stSkipToContent");
const places = Object.fromEntries(Object.keys(INPUT.places).map(m => [m, new El(m)]));
const placed = Object.entries(INPUT.places).flatMap(([m, words]) => words.map(
  w => ({nodeType: 3, nodeValue: w, parentElement: places[m], isConnected: true})));
const pickerAttr = new El("stSelectbox");
pickerAttr.setAttribute("placeholder", "Choose an option");
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
const all = [...texts, other, ligature, skipText, ...placed];
global.document = {body: new El(true, false),
                   createTreeWalker: () => { let i = 0; return {nextNode: () => all[i++] || null}; }};
document.body.querySelectorAll = () => [inside, outside, pickerAttr];
eval(SCRIPT);
const out = {zh: {texts: texts.map(t => t.nodeValue), attrs: {...inside.attrs}, other: other.nodeValue,
                  ligature: ligature.nodeValue, frame: [outside.attrs["aria-label"], skipText.nodeValue],
                  placed: placed.map(t => t.nodeValue), placeholder: pickerAttr.attrs.placeholder}};
eval(SCRIPT_EN);
out.en = {texts: texts.map(t => t.nodeValue), attrs: {...inside.attrs},
          frame: [outside.attrs["aria-label"], skipText.nodeValue], placed: placed.map(t => t.nodeValue),
          placeholder: pickerAttr.attrs.placeholder};
console.log(JSON.stringify(out));
"""


def run(texts: list[str], attrs: dict[str, str],
        places: dict[str, list[str]] | None = None) -> dict[str, dict[str, object]]:
    """What the script makes of `texts` and `attrs` inside an uploader, and of each of `places`' texts inside an
    element of that data-testid (zh), then after switching to English (en)."""
    node = shutil.which("node") or shutil.which("nodejs")
    assert node is not None, "Node.js is missing: `make sysdeps` (scripts/sysdeps.sh) installs it"

    def body(lang: str) -> str:
        return script(lang).removeprefix("<script>").removesuffix("</script>")

    program = (HARNESS.replace("INPUT", json.dumps({"texts": texts, "attrs": attrs, "places": places or {}}))
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


def test_input_hints_picker_placeholders_and_empty_tables_become_chinese_only_where_streamlit_writes_them() -> None:
    """New-user trial: "Press Enter to apply" under the rate field; "Choose an option" in a picker left without a
    placeholder; "empty" in an empty st.table. Each list only in its own place: the same words elsewhere (an
    uploader, or an input hint's word in a picker) stay as they are."""
    places = {"InputInstructions": ["Press Enter to apply", "Press Enter to submit form", "Press ⌘+Enter to apply",
                                    "3/64", "Choose an option"],
              "stSelectbox": ["Choose an option", "Press Enter to apply", "empty"],
              "stMultiSelect": ["Choose options", "No options to select"],
              "stTableStyledEmptyTableCell": ["empty", "Upload"]}
    out = run(["Press Enter to apply", "Choose an option", "empty"], {}, places)
    assert out["zh"]["placed"] == ["按回车键确认", "按回车键提交", "按 ⌘+回车键确认", "3/64", "Choose an option",
                                   "请选择", "Press Enter to apply", "empty",
                                   "请选择（可多选）", "没有可选的项",
                                   "（无）", "Upload"]
    assert out["zh"]["placeholder"] == "请选择", "a picker's placeholder attribute too"
    assert out["zh"]["texts"] == ["Press Enter to apply", "Choose an option", "empty"], "not in an uploader"
    assert out["en"]["placed"] == [w for words in places.values() for w in words]
    assert out["en"]["placeholder"] == "Choose an option"


def test_every_place_s_words_are_in_the_script() -> None:
    assert [words for _, words in PLACES] == [INPUT_HINTS, PICKER_PLACEHOLDERS, EMPTY_TABLE, PAGE_NOT_FOUND]
    for selector, words in PLACES:
        assert selector in script("zh") and all(w in script("zh") for w in words)


def test_every_word_has_chinese() -> None:
    every = [*WORDS.values(), *CHROME.values(), *INPUT_HINTS.values(), *PICKER_PLACEHOLDERS.values(),
             *EMPTY_TABLE.values(), *PAGE_NOT_FOUND.values()]
    assert all(CJK.search(zh) for zh in every)
