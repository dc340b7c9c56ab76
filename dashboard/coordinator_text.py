"""The coordinator's words (社区工作台), Chinese first; keys not here come from dashboard.i18n."""

from __future__ import annotations

from typing import Any

from dashboard import ui

# key: (zh, en)
STRINGS: dict[str, tuple[str, str]] = {
    "sec.label": ("工作台", "Board"),
    "sec.board": ("概况", "Overview"), "sec.dispatch": ("派单", "Dispatch"),
    "sec.materials": ("发料退料", "Materials"), "sec.handin": ("代交货", "Hand in"),
    "sec.proxy": ("代办接单", "Answer for"), "sec.inspect": ("验收", "Inspect"),
    "sec.pay": ("工资发放", "Pay"), "sec.appeals": ("申诉", "Appeals"),
    "sec.points": ("积分", "Points"), "sec.signin": ("居民登录", "Sign-ins"),
    "refresh": ("刷新", "Refresh"), "none": ("暂无", "None"),
    "pick.lot": ("批次", "Lot"), "pick.how": ("怎样找批次", "Find the lot by"),
    "pick.list": ("从列表选", "list"), "pick.scan": ("扫批次码", "scan"), "pick.type": ("输入简码", "short code"),
    "pick.camera": ("对准批次标签上的二维码拍照", "Photograph the QR code on the lot's label"),
    "pick.typed": ("批次简码（如 网兜-1129-03）", "Short code (e.g. 网兜-1129-03)"),
    "pick.no_qr": ("照片里没有认出二维码，请靠近一点、对准后再拍。",
                   "No QR code found in the photo; move closer and try again."),
    "pick.not_ours": ("这个二维码不是本系统的批次标签。", "This QR code is not one of our lot labels."),
    "pick.not_found": ("你的社区没有这个批次：{code}", "No such lot in your communities: {code}"),
    "pick.ambiguous": ("{code} 可能是这几个批次：{codes}。请写全简码（例如 {example}）",
                       "{code} could be any of these lots: {codes}. Type the whole code (e.g. {example})"),
    "pick.none": ("目前没有可以操作的批次。", "No lots to act on now."),
    "pick.found": ("已找到：{label}", "Found: {label}"),
    "mat.state": ("共 {pieces} 件，已发料 {issued} 件，已交 {handed} 件，在居民手上 {out} 件。",
                  "{pieces} pieces, {issued} issued, {handed} handed in, {out} with the resident."),
    "mat.label": ("下载批次标签（二维码，可打印）", "Download the lot's label (QR code, printable)"),
    "mat.issue": ("发料件数", "Pieces to issue"), "mat.issue_go": ("发料", "Issue"),
    "mat.issue_left": ("发料件数（还可发 {left} 件）", "Pieces to issue ({left} left)"),
    "mat.issued": ("已给 {name} 发料 {n} 件（{lot}）。", "Issued {n} pieces to {name} ({lot})."),
    "mat.nothing_left": ("这个批次的料已全部发出。", "Everything of this lot has been issued."),
    "mat.unused": ("退回未用料（件）", "Unused returned (pieces)"), "mat.scrap": ("报废（件）", "Scrap (pieces)"),
    "mat.return_go": ("记录退料/报废", "Record return"),
    "mat.returned": ("已记录 {name} 退回 {unused} 件、报废 {scrap} 件（{lot}）。",
                     "Recorded {unused} returned and {scrap} scrapped by {name} ({lot})."),
    "hand.who": ("替哪位居民交货？", "Hand in for which resident?"),
    "hand.banner": ("代办：以 {name} 的名义交货，记录为社区工作者代办。",
                    "On behalf: handing in for {name}, recorded as done by the coordinator."),
    "hand.none": ("{name} 手上没有可以交货的批次。", "{name} holds no lot to hand in."),
    "hand.pieces": ("交货件数（手上还有 {open} 件）", "Pieces handed in ({open} still out)"),
    "hand.placeholder": ("请输入件数", "Enter the number"),
    "hand.go": ("代为交货", "Hand in for them"), "hand.field": ("交货件数", "Pieces handed in"),
    "hand.done": ("已代 {name} 交货 {n} 件（{lot}），等待验收。", "Handed in {n} pieces for {name} ({lot})."),
    "ins.pick": ("待验收的交货", "Hand-in to inspect"), "ins.none": ("没有待验收的交货。", "Nothing to inspect."),
    # Who first, then the lot: a 390 px phone cuts the picker's end off (new-user trial); the product is said below.
    "ins.item": ("{name} · {lot} · {n} 件 · {at}", "{name} · {lot} · {n} pcs · {at}"),
    "ins.detail": ("{which} · 批次 {lot} · {product}", "{which} · lot {lot} · {product}"),
    "ins.which": ("{name} {at} 交的 {n} 件", "{n} pieces {name} handed in at {at}"),
    "ins.sum_todo": ("请填写合格和不合格件数，合计应为交货的 {n} 件。",
                     "Enter passed and rejected pieces; together they are the {n} handed in."),
    "ins.sum_ok": ("合格 {passed} + 不合格 {rejected} = {n} 件，与交货数一致。",
                   "{passed} passed + {rejected} rejected = {n}, as handed in."),
    "ins.sum_bad": ("合格 {passed} + 不合格 {rejected} = {sum} 件，应等于交货的 {n} 件。",
                    "{passed} + {rejected} = {sum}; it must equal the {n} pieces handed in."),
    "ins.need_defect": ("有不合格件时，请选择缺陷。", "Choose the defects of the rejected pieces."),
    "ins.defects": ("缺陷（本产品的缺陷代码）", "Defects (this product's codes)"),
    "ins.done": ("已记录验收：{lot}（{which}）合格 {passed} 件、不合格 {rejected} 件。",
                 "Recorded: {lot} ({which}) {passed} passed, {rejected} rejected."),
    "pay.alarm_none": ("没有逾期未发的工资。", "No pay is overdue."),
    "pay.close_title": ("结算工资期", "Close a pay period"), "pay.community": ("社区", "Community"),
    "pay.period": ("工资期", "Pay period"), "pay.close_go": ("结算本期", "Close the period"),
    "pay.nothing_to_close": ("没有已结束、待结算的工资期。", "No ended period waits to be closed."),
    "pay.closed": ("{community} {period} 已结算：{n} 人，合计 {total}。",
                   "{community} {period} closed: {n} people, {total} in all."),
    "pay.payouts_title": ("发放工资", "Record payouts"),
    "pay.list_title": ("发放清单（交银行或财务转账用）", "Payout list (for the bank or the office)"),
    "pay.all_paid": ("本期工资已全部发放。", "All paid."),
    "pay.ended": ("{community} {period} 已结束。", "{community} {period} has ended."),
    "pay.close_first": ("这一期还没有结算，不能发放：请先在上方「结算工资期」点「结算本期」，结算后在这里发放。",
                        " It is not closed yet, so it cannot be paid: press 「Close the period」 above first, "
                        "then record the payouts here."),
    "pay.none_closed": ("还没有已结算、待发放的工资期。", "No closed period waits for payment."),
    "pay.owed": ("应发", "Owed"), "pay.paid": ("已发", "Paid"), "pay.unpaid": ("未发", "Unpaid"),
    "pay.who": ("发给谁", "Pay whom"), "pay.amount": ("金额（元）", "Amount (yuan)"),
    "pay.method": ("发放方式", "Method"), "pay.reference": ("转账单号或收据号", "Transfer or receipt number"),
    "pay.one_go": ("记录这笔发放", "Record this payout"),
    "pay.one_done": ("已记录：发给 {name} {amount}。", "Recorded: {amount} to {name}."),
    "pay.one_again": ("这笔发放已记录过（同一转账单号），没有重复记录。",
                      "This payout was already recorded under that number; it was not recorded again."),
    "pay.batch_title": ("批量发放（勾选的人按未发金额各记一笔）",
                        "Batch (each ticked person gets their unpaid amount)"),
    "pay.batch_ref": ("批次转账单号（每人一笔，自动加序号）", "Batch transfer number (numbered per person)"),
    "pay.batch_go": ("批量记录发放", "Record the batch"),
    "pay.batch_done": ("已批量记录 {n} 笔，共 {amount}。", "Recorded {n} payouts, {amount} in all."),
    "pay.batch_will": ("将记录 {n} 笔，共 {amount}", "Will record {n} payouts, {amount} in all"),
    "pay.tick_all": ("全选", "Tick everyone"), "pay.tick_none": ("全不选", "Untick everyone"),
    "pay.batch_empty": ("请至少勾选一人。", "Tick one person at least."),
    "pay.ref_needed": ("请填写转账单号或收据号。", "Give the transfer or receipt number."),
    "pay.tick": ("发放", "Pay"),
    "app.none": ("没有待处理的申诉。", "No appeals wait."),
    "app.item": ("{lot} · {name} · {when}", "{lot} · {name} · {when}"),
    "app.reason": ("居民的理由：{reason}", "The resident's reason: {reason}"),
    "app.uphold": ("申诉成立（改判合格）", "Uphold (pieces pass)"), "app.reject": ("申诉不成立", "Reject"),
    "app.decision": ("处理结果", "Decision"), "app.why": ("处理理由（必填）", "Why (required)"),
    "app.go": ("提交处理结果", "Decide"), "app.done": ("申诉已处理。", "Appeal decided."),
    "app.proxy": ("（代办提交）", "(filed on their behalf)"),
    # The slip says what the sign-in form asks for (手机号, 密码) and the number she really types (issues 15, 16); the
    # code works once, for a bounded time, and then she chooses her own PIN on her phone.
    "sign.intro": ("有手机的居民：生成登录单打印给本人，在登录页填她的手机号，密码填单上的登录码。登录码只能用一次，"
                   "{days} 天内有效；第一次登录后她在手机上设置自己的数字密码。没有手机的居民不需要登录，由你代办。",
                   "Residents with a phone get a slip to print: her mobile number, and a one-time code to type as the "
                   "password. It works once, within {days} days; then she chooses her own PIN on her phone. Those "
                   "without a phone need none: you act for them."),
    "sign.none": ("你的社区没有居民。", "No residents in your communities."),
    "sign.pin": ("已设密码，可登录", "Has chosen a PIN"), "sign.code": ("登录码待使用", "Code not used yet"),
    "sign.lapsed": ("登录码已用或过期，未设密码：请重新生成", "Code used or expired, no PIN: make a new one"),
    "sign.no_phone": ("无手机，由社区代办", "No phone: you act for them"),
    "sign.waiting": ("尚未开通登录", "No sign-in yet"), "sign.who": ("给谁生成登录码", "Code for whom"),
    "sign.go": ("生成登录码", "Make a sign-in code"),
    "sign.again": ("重新生成（旧登录码和旧密码作废）", "Make a new code (the old code and PIN stop working)"),
    "sign.again_sure": ("确认作废{name}现在的登录码和密码，重新生成", "Yes, void {name}'s current code and PIN"),
    "sign.made": ("已为{name}生成登录码：请打印下面的登录单交给她（登录码只显示这一次）。",
                  "A sign-in code for {name} is ready: print the slip below and give it to her (shown this once)."),
    "sign.slip_title": ("社区微工厂 · 居民登录单", "Community micro-factory · sign-in slip"),
    "sign.slip": ("姓名：{name}　　手机号：{phone}　　密码（一次性登录码）：{code}　　有效期至：{until}",
                  "Name: {name}　　Mobile number: {phone}　　Password (one-time code): {code}　　Valid until: {until}"),
    "sign.slip_note": ("登录码只能用一次，{days} 天内有效；第一次登录后请在手机上设置自己的 6 到 12 位数字密码，"
                       "以后用手机号和这个密码登录。只显示这一次，请妥善保管；遗失或过期请找社区重新生成。",
                       "The code works once, within {days} days; after the first sign-in choose your own PIN of 6 to "
                       "12 digits on your phone and sign in with your mobile number and it from then on. Shown "
                       "once; ask the community for a new code if it is lost or expired."),
    "sign.print": ("下载登录单（可打印）", "Download the slip (printable)"),
    "disp.offered": ("这个批次已派给{name}，正在等她确认，不用再派。",
                     "This lot is offered to {name} and waits for her answer; nothing to dispatch."),
    "disp.check_ok": ("这位居民符合全部规则。", "This resident meets every rule."),
    "disp.check_bad": ("派给这位居民会违反：{rules}。如确需派单，请勾选越过并写明理由。",
                       "This breaks: {rules}. To dispatch anyway, tick them and give a reason."),
    "load.free": ("空闲", "free"),
    "load.busy": ("在手 {lots} 批 {pieces} 件", "{lots} lots, {pieces} pieces in hand"),
    "load.offered": ("（含待答复 {n} 批）", " ({n} not yet answered)"),
    "disp.pick": ("请选择居民", "Choose a resident"),
    "disp.pick_needed": ("居民：请先选择交给谁", "Resident: choose whom to give it to"),
    "disp.unfit": ("不符合：{rules}", "breaks: {rules}"),
    "disp.unfit_note": ("标“不符合”的居民违反派单规则（见其后所列），符合全部规则的排在前面。",
                        "Residents marked “breaks” break the rules listed after them; those who meet every rule come "
                        "first."),
}


def t(key: str, **values: Any) -> str:
    """The coordinator's text for `key` in the reader's language; other keys from the shared strings."""
    pair = STRINGS.get(key)
    if pair is None:
        return ui.t(key, **values)
    text = pair[1] if ui.lang() == "en" else pair[0]
    return text.format(**values) if values else text
