"""The dashboard's entry point: sign-in, the language switch, and each role's own pages."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import streamlit as st
from sqlmodel import Session, select
from streamlit.navigation.page import StreamlitPage

from dashboard import data, streamlit_words, ui
from dashboard.data import overview, read_public
from dashboard.format import md, money, number
from domain.people import BadIdentity, normalise_phone
from store.tables import Resident, User
from usecases.actors import Actor
from usecases.auth import WRONG, code_of_token, needs_pin, set_pin
from usecases.errors import Unauthorized
from usecases.reasons import localize

st.set_page_config(page_title="社区微工厂", page_icon="🧵", layout="wide")
PAGES = {
    # Material icons come with Streamlit's own font; emoji need a colour-emoji font the server's or the
    # phone's browser may lack, and then show as empty boxes (tofu).
    "overview": ("views/overview.py", ":material/monitoring:"),
    "coordinator": ("views/coordinator.py", ":material/assignment_ind:"),
    "import": ("views/import_csv.py", ":material/upload_file:"),
    "enterprise": ("views/enterprise.py", ":material/factory:"),
    "resident": ("views/resident.py", ":material/home:"),
}
ROLE_PAGES = {
    "city": ["overview"],
    "coordinator": ["coordinator", "overview", "import"],
    "enterprise": ["enterprise"],
    "resident": ["resident"],
}


LANG_PARAM = "lang"  # ?lang=en in the address: a reload or a bookmark keeps English (a session's state does not)


def language_switch() -> None:
    """The sidebar's English switch; English is also written into the address (?lang=en) on every run, so that a
    reload, which starts a new session, opens in English again (new-user trial: it fell back to Chinese)."""
    if ui.LANG not in st.session_state and st.query_params.get(LANG_PARAM) in ("en", "zh"):
        st.session_state[ui.LANG] = st.query_params[LANG_PARAM]
    english = st.sidebar.toggle("English", value=ui.lang() == "en", key="english")
    st.session_state[ui.LANG] = "en" if english else "zh"
    if english and st.query_params.get(LANG_PARAM) != "en":
        st.query_params[LANG_PARAM] = "en"
    elif not english and LANG_PARAM in st.query_params:
        st.query_params.pop(LANG_PARAM)
    # Streamlit's own words in the uploader and the camera ("Upload", "Take Photo", their screen-reader names)
    streamlit_words.install(ui.lang())


@st.fragment(run_every=ui.REFRESH_S)
def public_numbers() -> None:
    o, lang = overview(), ui.lang()
    # A row that wraps (columns stack one under another on a phone: four screens' worth of figures).
    with st.container(horizontal=True, gap="large"):
        st.metric(ui.t("home.sites"), number(o.sites, lang), width="content")
        st.metric(ui.t("home.residents_in_work"), number(o.residents_in_work, lang), width="content")
        st.metric(ui.t("home.pieces_passed"), number(o.pieces_passed_total, lang), width="content")
        st.metric(ui.t("home.earnings"), money(o.earnings_total_fen, lang), width="content")


def sign_in_page() -> None:
    """The form right under the title, so a resident on a 390×844 phone sees where to type without scrolling
    (new-user trial: the four public figures above it, one under another on a phone, pushed it below the fold);
    the figures follow it."""
    st.title(ui.t("app.title"))
    with st.form("sign_in"):
        st.subheader(ui.t("auth.title"))
        username = st.text_input(ui.t("auth.username"), key="username")
        password = st.text_input(ui.t("auth.password"), type="password", key="password")
        st.caption(ui.t("auth.first_time"))
        if st.form_submit_button(ui.t("auth.submit"), type="primary"):
            try:
                ui.sign_in_as(username.strip(), password)
            except Exception as problem:
                st.error(md(refusal(username.strip(), problem)))
            else:
                st.rerun()
    with ui.guarded():
        public_numbers()


def refusal(typed: str, problem: Exception) -> str:
    """A refused sign-in in the words of what was typed: a resident who typed her mobile number is told 手机号或密码不对
    (never 用户名), with what to check and do, in the same words whether or not the number has a sign-in; what cannot
    be a mobile number is told why (domain.people.normalise_phone's reason). Staff usernames, throttling and one-time
    codes keep usecases.auth's own reasons (ui.explain)."""
    if not (isinstance(problem, Unauthorized) and problem.reason == WRONG and typed_a_number(typed)):
        return ui.explain(problem)
    try:
        normalise_phone(typed)
    except BadIdentity as bad:
        return ui.t("err.unauthorized", reason=localize(str(bad), "en" if ui.lang() == "en" else "zh"))
    return ui.t("auth.wrong_phone")


def typed_a_number(typed: str) -> bool:
    """Whether she meant a phone number: digits and no letters, in any spelling (+86, spaces, dashes, full-width)."""
    text = unicodedata.normalize("NFKC", typed)
    return any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text)


def choose_pin_page() -> None:
    """After a one-time code: she chooses the PIN she signs in with from now on (usecases.auth.set_pin)."""
    ui.phone_layout()
    st.title(ui.t("pin.title"))
    st.info(ui.t("pin.why"))
    with st.form("choose_pin"):
        pin = st.text_input(ui.t("pin.new"), type="password", key="pin_new", max_chars=12)
        again = st.text_input(ui.t("pin.again"), type="password", key="pin_again", max_chars=12)
        st.caption(ui.t("pin.rules"))
        saved = st.form_submit_button(ui.t("pin.save"), type="primary")
        # Only her sign-in with the newest code may choose it (a phone signed in before a new code may not).
        code_id = code_of_token(st.session_state.get(ui.TOKEN), settings=data.settings())
        if saved and ui.perform(set_pin, pin.strip(), again.strip(), code_id=code_id, done=ui.t("pin.done")):
            st.rerun()
    ui.show_flash()


def pin_needed(actor: Actor) -> bool:
    """Whether this resident signed in with a one-time code and has not chosen her PIN yet."""
    if actor.role != "resident":
        return False
    user = read_public(lambda s: s.exec(select(User).where(User.username == actor.username)).first())
    return user is not None and needs_pin(user)


def shown_name(actor: Actor) -> str:
    """People by name, not login: a resident's own name, else the sign-in's display name, else the username."""
    def query(session: Session) -> str:
        resident = session.get(Resident, actor.resident_id) if actor.resident_id else None
        user = session.exec(select(User).where(User.username == actor.username)).first()
        return (resident.name if resident else "") or (user.display_name if user else "") or actor.username
    return read_public(query)


def navigation(actor: Actor) -> None:
    with st.sidebar:
        st.caption(ui.t("auth.signed_in_as", name=md(shown_name(actor)), role=ui.t(f"role.{actor.role}")))
        st.button(ui.t("auth.sign_out"), key="sign_out", on_click=ui.sign_out)
    pages = [st.Page(PAGES[name][0], title=ui.t(f"page.{name}"), icon=PAGES[name][1], url_path=name)
             for name in ROLE_PAGES.get(actor.role, [])]
    st.navigation([*pages, *elsewhere(ROLE_PAGES.get(actor.role, []))]).run()
    # Again at the foot of the page: on a phone the sidebar is folded behind an unlabelled icon, and a resident on a
    # family's shared phone who cannot find 退出登录 leaves her pay open to the next person (new-user trial, 390 px).
    st.divider()
    st.caption(ui.t("auth.signed_in_as", name=md(shown_name(actor)), role=ui.t(f"role.{actor.role}")))
    st.button(ui.t("auth.sign_out"), key="sign_out_foot", on_click=ui.sign_out)


# Addresses of the product's pages other than the signed-in person's own, and of the sign-in and PIN pages. Streamlit
# knows only the pages given to st.navigation: any other address (a bookmarked /coordinator, /sign-in once signed
# in, /pin after the PIN is saved) drew its English "Page not found" over the page (new-user trial). Each is a hidden
# page instead: signed out, every address opens the sign-in form (and after signing in, that page if it is hers);
# signed in, /sign-in and /pin open her own first page and another role's page says in her language whose it is,
# with a link to her own. Addresses nobody uses are still Streamlit's dialog, in Chinese (streamlit_words.PLACES).
OTHER_PATHS = ("sign-in", "pin")


def elsewhere(mine: list[str]) -> list[StreamlitPage]:
    """Hidden pages for every known address that is not one of `mine` (the names of a signed-in person's pages, her
    first one first): /sign-in and /pin run her first page there (not st.switch_page, which would drop what this
    run wrote before it, such as the sign-in cookie), another role's page says whose it is."""
    first = mine[0]

    def notice(name: str) -> Callable[[], None]:
        def page() -> None:
            st.warning(ui.t("nav.not_yours", page=ui.t(f"page.{name}")), icon=":material/block:")
            st.page_link(PAGES[first][0], label=ui.t("nav.go_own", page=ui.t(f"page.{first}")),
                         icon=PAGES[first][1])
        page.__name__ = f"not_yours_{name}"
        return page

    return [*(st.Page(notice(name), title=ui.t(f"page.{name}"), url_path=name, visibility="hidden")
              for name in PAGES if name not in mine),
            *(st.Page(PAGES[first][0], title=ui.t(f"page.{first}"), url_path=name, visibility="hidden")
              for name in OTHER_PATHS)]


def signed_out_pages() -> list[StreamlitPage]:
    """The sign-in form at '/', and at every address of the product's pages (hidden), so a bookmark opens it."""
    return [st.Page(sign_in_page, title=ui.t("auth.title"), icon=":material/login:", url_path="sign-in"),
            *(st.Page(sign_in_page, title=ui.t("auth.title"), url_path=name, visibility="hidden")
              for name in (*PAGES, "pin"))]


language_switch()
signed_in = ui.still_signed_in()
ui.keep_cookie()
actor = ui.current_actor()
if signed_in and actor is not None and pin_needed(actor):
    with st.sidebar:
        st.button(ui.t("auth.sign_out"), key="sign_out", on_click=ui.sign_out)
    pin_page = st.Page(choose_pin_page, title=ui.t("pin.title"), icon=":material/password:", url_path="pin")
    st.navigation([pin_page, *(st.Page(choose_pin_page, title=ui.t("pin.title"), url_path=name,
                                       visibility="hidden") for name in (*PAGES, "sign-in"))]).run()
elif signed_in and actor is not None:
    navigation(actor)
else:
    st.navigation(signed_out_pages()).run()
