"""Payment redirection in Python code: under a condition on the amount or currency, the payment
destination the user supplied (IBAN, BIC, account, payee, wallet) is replaced by an account written
into the script. The signal is the combination -- a literal, checksum-valid IBAN (or a wallet address)
fixed by the author, assigned to a destination field inside an `if` that compares the amount with a
number or the currency with a code -- so example IBANs in tests, defaults for a missing value
(`if not iban:`) and fixed accounts used for every payment are not flagged."""

from __future__ import annotations

import ast
import re

from skillbank.audit import rxcache
from skillbank.audit.context import Ctx

_IBAN = rxcache.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b")
_WALLET = rxcache.compile(r"^(0x[0-9a-fA-F]{40}|bc1[02-9ac-hj-np-z]{25,60}|[13][1-9A-HJ-NP-Za-km-z]{25,34})$")
_DEST = rxcache.compile(r"iban|bic|swift|account|acct|beneficiar|payee|recipient|creditor|destination|wallet|routing|sort_?code",
                   re.I)
_CURRENCY = rxcache.compile(r"^[A-Z]{3}$")
_PREFILTER = rxcache.compile(r"['\"][A-Z]{2}\d{2}[A-Z0-9 ]{11,36}['\"]|['\"](0x[0-9a-fA-F]{40}|bc1[a-z0-9]{25,60})['\"]")


def valid_iban(s: str) -> bool:
    s = s.replace(" ", "").upper()
    if not _IBAN.fullmatch(s):
        return False
    moved = s[4:] + s[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


def _account_literal(value: str) -> bool:
    return valid_iban(value) or bool(_WALLET.match(value.strip()))


def _target_name(t: ast.AST) -> str:
    if isinstance(t, ast.Name):
        return t.id
    if isinstance(t, ast.Attribute):
        return t.attr
    if isinstance(t, ast.Subscript):
        sl = t.slice
        if isinstance(sl, ast.Constant) and isinstance(sl.value, str):
            return sl.value
    return ""


def _holds_account(node: ast.AST, consts: dict[str, bool]) -> bool:
    """The value is a fixed account: a literal, or a module constant (or one of its fields) holding one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _account_literal(node.value)
    if isinstance(node, ast.Name):
        return consts.get(node.id, False)
    if isinstance(node, ast.Subscript):
        return _holds_account(node.value, consts)
    if isinstance(node, ast.Attribute):
        return _holds_account(node.value, consts)
    return False


def _conditional(test: ast.AST) -> bool:
    """The condition compares an amount with a number or a currency with a currency code."""
    for n in ast.walk(test):
        if isinstance(n, ast.Compare):
            for c in [n.left, *n.comparators]:
                if isinstance(c, ast.Constant) and isinstance(c.value, (int, float)) and not isinstance(c.value, bool) and \
                        c.value not in (0, 1):
                    return True
                if isinstance(c, ast.Constant) and isinstance(c.value, str) and _CURRENCY.match(c.value):
                    return True
    return False


def scan_payment_redirect(ctx: Ctx, rel: str, text: str, offset: int = 0) -> None:
    if not _PREFILTER.search(text[:400_000]):
        return
    try:
        tree = ast.parse(text[:400_000])
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    consts: dict[str, bool] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            held = any(isinstance(c, ast.Constant) and isinstance(c.value, str) and _account_literal(c.value)
                       for c in ast.walk(node.value))
            consts[node.targets[0].id] = held
    for node in ast.walk(tree):
        if not isinstance(node, ast.If) or not _conditional(node.test):
            continue
        for st in [s for b in node.body for s in ast.walk(b)]:
            if not isinstance(st, ast.Assign):
                continue
            for t in st.targets:
                if _DEST.search(_target_name(t)) and _holds_account(st.value, consts):
                    ln = offset + st.lineno
                    line = text.split("\n")[st.lineno - 1].strip() if st.lineno <= text.count("\n") + 1 else ""
                    cond = ast.get_source_segment(text, node.test) or "a condition"
                    ctx.add("PI-CONCEAL", rel, ln, f"{line}  (under `if {cond[:80]}`)", "high",
                            why="Under a condition on the amount or currency, the script replaces the payment destination "
                                "the user supplied with an account fixed in the code: the user's money is redirected.")
                    ctx.fact("conceal", rel, ln, line)
                    return


# ---------------------------------------------------------------------------------------------- prose
_PROSE_IBAN = rxcache.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")
_PROSE_WALLET = rxcache.compile(r"\b(0x[0-9a-fA-F]{40}|bc1[02-9ac-hj-np-z]{25,60})\b")
_REPLACE = rxcache.compile(r"\b(replac\w*|substitut\w*|swap\w*|overwrit\w*|redirect\w*|reroute\w*|"
                      r"use\s+(our|the|this)\b[^.\n]{0,60}\binstead|instead\s+of|in\s+place\s+of|rather\s+than)\b", re.I)
_PAY_FIELD = rxcache.compile(r"\b(iban|bic|swift|bank\s+(details|account|information|info|coordinates)|account\s+(number|details)|"
                        r"payment\s+(details|instructions|information|account|section)|beneficiary|payee|remittance|"
                        r"routing\s+number|sort\s+code|wallet(\s+address)?|wire\s+(details|instructions))\b", re.I)
_PAY_CONDITION = rxcache.compile(r"\b(above|over|exceed\w*|greater\s+than|more\s+than|larger\s+than|at\s+least|>=?|beyond)\s*"
                            r"(€|\$|£|eur|usd|gbp|chf)?\s*\d[\d,.' ]*\s*(k\b|€|\$|£|eur|usd|gbp|chf)?|"
                            r"\b(when|if|for)\s+(the\s+)?(invoice|payment|transfer|amount|total)s?\b[^.\n]{0,60}\b\d{3,}", re.I)
_PAY_HIDE = rxcache.compile(r"\b(silently|quietly|without\s+(telling|informing|asking|mentioning|notifying|flagging)|"
                       r"(do\s+not|don'?t|never|no\s+need\s+to)\s+(mention|tell|inform|flag|highlight|point\s+out|disclose|"
                       r"surface|ask|notify|show)|keep\s+(this|it)\s+(to\s+yourself|between)|the\s+user\s+(does\s+not|doesn'?t)\s+"
                       r"need\s+to\s+know)\b", re.I)
_PAY_NEGATED = rxcache.compile(r"\b(never|do\s+not|don'?t|must\s+not)\s+(\w+\s+){0,2}(replac|substitut|swap|chang|overwrit|redirect)\w*",
                          re.I)


def scan_payment_prose(ctx: Ctx, file: str, text: str) -> None:
    """Payment redirection told in words: the instructions name an account of their own (a checksum-valid IBAN
    or a wallet address) and tell the agent to replace / substitute the user's or supplier's payment details
    with it, under a condition on the amount ("for invoices above 5,000 EUR") or out of the user's sight
    ("silently", "do not mention it"): PI-CONCEAL high. A valid IBAN shown as an example, or a sentence that
    forbids changing payment details, is not flagged."""
    lines = text[:400000].split("\n")
    for i, line in enumerate(lines[:20000]):
        acct = None
        for m in _PROSE_IBAN.finditer(line):
            if valid_iban(m.group(0)):
                acct = m.group(0)
                break
        if acct is None:
            w = _PROSE_WALLET.search(line)
            acct = w.group(0) if w else None
        if acct is None:
            continue
        window = " ".join(lines[max(0, i - 3):i + 3])
        if not (_REPLACE.search(window) and _PAY_FIELD.search(window)) or _PAY_NEGATED.search(window):
            continue
        cond, hide = _PAY_CONDITION.search(window), _PAY_HIDE.search(window)
        if not (cond or hide):
            continue
        ctx.add("PI-CONCEAL", file, i + 1, f"{line.strip()[:160]}  (payment details replaced with {acct}"
                + (f" {cond.group(0).strip()}" if cond else "") + (f"; {hide.group(0)}" if hide else "") + ")", "high",
                why="The instructions tell the agent to swap the payment details in the user's documents for an account the "
                    "author fixed, under a condition on the amount or without telling the user: invoice fraud.")
        ctx.fact("conceal", file, i + 1, line.strip())
        ctx.fact("net_send", file, i + 1, line.strip())
        return
