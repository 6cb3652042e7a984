"""A tolerant splitter of shell text into simple commands, enough to see what a `cmds` entry runs.

It is not a shell parser: it never fails, never expands anything, and only needs to tell which word
is in command position, how commands are chained (`&&`, `|`, `&`, `;`, newline), where a command
sits (line) in a multi-line block, and where its redirections point (the effect model reads `> f` as a
write of f). Quotes, `$(...)`, backticks, heredocs and comments are respected so that their contents
are not mistaken for commands.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

OPERATORS = ("&&", "||", ";;", "|&", ";", "|", "&", "\n", "(", ")")
# Words after which the next word is again in command position.
_COMMAND_KEYWORDS = {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"}
_CLOSERS = {"fi", "done", "esac", "}"}
_OPENERS = {"if", "while", "until", "for", "case", "{"}


@dataclass(frozen=True)
class SimpleCommand:
    """One simple command: its words (quotes removed), what ends it and its 0-based line in the text."""

    words: tuple[str, ...]
    line: int
    ends_with: str  # the operator after it: '&&', '||', '|', '&', ';', '\n' or '' at the end
    piped_from: bool = False  # the previous command pipes into this one
    # (operator, target) of each redirection: '>' '>>' '<' '&>' '&>>' with a file, '<<' with a here-doc's
    # delimiter, '<<<' with a here-string's word. Descriptor copies (`2>&1`) are not listed.
    redirects: tuple[tuple[str, str], ...] = ()
    # it runs only on a condition or repeatedly: inside `if`/`while`/`until`/`for`/`case`, a `{ }` or
    # `( )` group, or an `&&`/`||` chain
    guarded: bool = False
    heredoc: str = ""  # the text of its first here-doc (`bash <<'EOF'` runs it as a script)
    looped: bool = False  # inside a `for`/`while`/`until` loop (a retry loop, a poll)


@dataclass
class _Tok:
    text: str
    line: int
    op: bool
    redirect: str = ""  # a redirection operator: `text` is its target
    body: str = ""  # a here-doc's text


def tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n, line = 0, len(text), 0
    heredocs: list[_Tok] = []
    word: list[str] = []
    word_line = 0
    in_word = False

    def flush() -> None:
        nonlocal in_word
        if in_word:
            toks.append(_Tok("".join(word), word_line, False))
            word.clear()
            in_word = False

    while i < n:
        c = text[i]
        if c == "{" and text.startswith("{{", i):
            # an unevaluated template is one word, whatever spaces it holds
            end = text.find("}}", i + 2)
            end = n if end < 0 else end + 2
            if not in_word:
                in_word, word_line = True, line
            word.append(text[i:end])
            line += text.count("\n", i, end)
            i = end
            continue
        if c == "\\" and i + 1 < n:
            if text[i + 1] == "\n" or text.startswith("\r\n", i + 1):
                i += 2 if text[i + 1] == "\n" else 3
                line += 1
                continue
            if not in_word:
                in_word, word_line = True, line
            word.append(text[i + 1])
            i += 2
            continue
        if c in "'\"`":
            end = _close_quote(text, i)
            if not in_word:
                in_word, word_line = True, line
            word.append(text[i + 1 : end] if c != "`" else text[i : end + 1])
            line += text.count("\n", i, end)
            i = end + 1
            continue
        if c == "$" and i + 1 < n and text[i + 1] == "(":
            end = _close_paren(text, i + 1)
            if not in_word:
                in_word, word_line = True, line
            word.append(text[i : end + 1])
            line += text.count("\n", i, end)
            i = end + 1
            continue
        if c == "#" and not in_word:
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c == "<" and text.startswith("<<", i) and not text.startswith("<<<", i):
            flush()
            j = i + 2
            if j < n and text[j] == "-":
                j += 1
            while j < n and text[j] in " \t":
                j += 1
            k = j
            while k < n and not text[k].isspace() and text[k] not in ";|&)":
                k += 1
            delim = text[j:k].strip("'\"")
            if delim:
                toks.append(_Tok(delim, line, False, "<<"))
                heredocs.append(toks[-1])
            i = k
            continue
        if c in "<>" or (c == "&" and text.startswith("&>", i)):
            # A redirection and its target are not words of the command: kept apart from them.
            if in_word and "".join(word).isdigit():
                word.clear()
                in_word = False
            flush()
            i, redirect = _redirection(text, i)
            if redirect is not None:
                toks.append(_Tok(redirect[1], line, False, redirect[0]))
            continue
        if c in " \t\r":
            flush()
            i += 1
            continue
        op = next((o for o in OPERATORS if text.startswith(o, i)), None)
        if op is not None and not (op in "()" and in_word):
            flush()
            toks.append(_Tok(op, line, True))
            i += len(op)
            if op == "\n":
                line += 1
                if heredocs:
                    i, skipped = _read_heredocs(text, i, heredocs)
                    line += skipped
                    heredocs.clear()
            continue
        if not in_word:
            in_word, word_line = True, line
        word.append(c)
        i += 1
    flush()
    return toks


def _redirection(text: str, i: int) -> tuple[int, tuple[str, str] | None]:
    """Skip a redirection; return where it ends and its (operator, target), None for a descriptor copy."""
    n = len(text)
    start = i
    while i < n and text[i] in "<>&|":
        i += 1
    op = text[start:i].replace("|", "")  # `>|` (clobber) writes like `>`
    if text[i - 1] == "&" and i < n and text[i] in "0123456789-":
        while i < n and text[i] in "0123456789-":
            i += 1
        return i, None  # `>&2`, `2>&1`: the target is a descriptor, already consumed
    while i < n and text[i] in " \t":
        i += 1
    target: list[str] = []
    while i < n and not text[i].isspace() and text[i] not in ";|&()":
        if text[i] in "'\"":
            end = _close_quote(text, i)
            target.append(text[i + 1 : end])
            i = end + 1
            continue
        target.append(text[i])
        i += 1
    if op.startswith(">&") or op.startswith("&>"):
        op = "&>>" if op.endswith(">>") else "&>"
    return i, (op, "".join(target))


def _close_quote(text: str, start: int) -> int:
    q = text[start]
    i = start + 1
    while i < len(text):
        if text[i] == "\\" and q != "'":
            i += 2
            continue
        if text[i] == q:
            return i
        i += 1
    return len(text) - 1


def _close_paren(text: str, start: int) -> int:
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c in "'\"":
            i = _close_quote(text, i) + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(text) - 1


def _read_heredocs(text: str, i: int, docs: list[_Tok]) -> tuple[int, int]:
    """Past the here-docs that start on the next line, each body kept on its token."""
    skipped = 0
    for doc in docs:
        body: list[str] = []
        while i < len(text):
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            body_line = text[i:end]
            i = end + 1
            skipped += 1
            if body_line.strip() == doc.text:
                break
            body.append(body_line)
        doc.body = "\n".join(body)
    return min(i, len(text)), skipped


def _label_end(toks: list[_Tok], i: int) -> int | None:
    """Inside a case: where an `a|b|c)` label that starts at toks[i] ends, or None if it is not one."""
    j = i
    while j + 1 < len(toks) and not toks[j].op and toks[j + 1].op and toks[j + 1].text == "|":
        j += 2
    if j > i and j < len(toks) and not toks[j].op and toks[j].text.endswith(")"):
        return j + 1
    return None


def _selector(toks: list[_Tok], i: int) -> list[object] | None:
    """`case WORD in` with a literal WORD: [WORD, no branch matched yet]; None otherwise."""
    if i + 1 >= len(toks) or toks[i + 1].text != "in" or toks[i].op:
        return None
    word = toks[i].text
    return None if any(c in word for c in "$`{}") else [word, False]


def _branch(toks: list[_Tok], start: int, end: int, selects: list[list[object] | None]) -> int:
    """At a case label (toks[start:end]): where to go on. A case over a literal runs only its first
    matching branch: the others are skipped to their `;;` (nested cases counted)."""
    sel = selects[-1] if selects else None
    if sel is None:
        return end
    patterns = [t.text.removeprefix("(").removesuffix(")") for t in toks[start:end] if not t.op]
    if not sel[1] and any(fnmatchcase(str(sel[0]), p) for p in patterns):
        sel[1] = True
        return end
    depth = 0
    j = end
    while j < len(toks):
        t = toks[j]
        if not t.op and t.text == "case":
            depth += 1
        elif not t.op and t.text == "esac":
            if depth == 0:
                return j  # the case ends here: let it close normally
            depth -= 1
        elif t.op and t.text == ";;" and depth == 0:
            return j + 1
        j += 1
    return j


def _loop_variable(toks: list[_Tok], i: int) -> str | None:
    """`for d in examples/*; do` as the assignment `d=examples/*`, so that `$d` is a known place; a loop
    over several words or a substitution gives the variable a value nobody knows."""
    words: list[str] = []
    while i < len(toks) and not toks[i].op:
        words.append(toks[i].text)
        i += 1
    if len(words) < 2 or words[1] != "in" or not words[0].isidentifier():
        return None
    items = words[2:]
    value = items[0] if len(items) == 1 and "$" not in items[0] and "`" not in items[0] else "$(?)"
    return f"{words[0]}={value}"


def _loop_input(out: list[SimpleCommand], start: int, toks: list[_Tok], i: int) -> None:
    """`while read x; do ...; done < file`: the loop's input, written after `done`, is every one of its
    commands' input (a `read` there reads the file, not the keyboard)."""
    given: list[tuple[str, str]] = []
    while i < len(toks) and not toks[i].op and toks[i].redirect:
        if toks[i].redirect in ("<", "<<", "<<<"):
            given.append((toks[i].redirect, toks[i].text))
        i += 1
    if given:
        out[start:] = [replace(c, redirects=(*c.redirects, *given)) for c in out[start:]]


def split_commands(text: str) -> tuple[SimpleCommand, ...]:
    """Simple commands in order; control keywords are dropped so each command starts at its program."""
    out: list[SimpleCommand] = []
    words: list[str] = []
    redirects: list[tuple[str, str]] = []
    heredoc: list[str] = []
    first_line = 0
    piped = False
    skip_until_sep = False  # inside `for x in ...` / `case x in` headers

    depth = 0  # open compound commands (if, loops, case, groups)
    chained = False  # the previous command ended with && or ||
    loops: list[int] = []  # where each open while/until/for loop's commands start in `out`

    def emit(ends_with: str) -> None:
        nonlocal piped, chained
        if not words and not redirects and ends_with == "\n":
            return  # a line break after `|`, `&&` or a keyword continues the command list
        if words or redirects:
            guarded = depth > 0 or chained or ends_with in ("&&", "||")
            doc = heredoc[0] if heredoc else ""
            out.append(
                SimpleCommand(tuple(words), first_line, ends_with, piped, tuple(redirects), guarded, doc, bool(loops))
            )
        piped = ends_with in ("|", "|&")
        chained = ends_with in ("&&", "||")
        words.clear()
        redirects.clear()
        heredoc.clear()

    toks = tokenize(text)
    cases = 0  # open `case` blocks: their `a|b)` labels are not commands
    # per open case: the word it tests when that is a literal (`case "arm64" in` once a call's vars are
    # in), and whether a branch matched yet; None when only run time knows the word
    selects: list[list[object] | None] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        i += 1
        if tok.op:
            if words and words[0] == "[[" and "]]" not in words and tok.text in ("&&", "||", "(", ")"):
                words.append(tok.text)  # `[[ -z "$a" || ! -d "$a" ]]`: one test, its own operators
                continue
            if tok.text in ("(", ")"):
                emit(";")
                depth = max(0, depth + (1 if tok.text == "(" else -1))
                continue
            emit(tok.text)
            skip_until_sep = False
            continue
        if tok.redirect:
            if not skip_until_sep:
                if not words and not redirects:
                    first_line = tok.line
                redirects.append((tok.redirect, tok.text))
                if tok.redirect == "<<":
                    heredoc.append(tok.body)
            continue
        if skip_until_sep:
            continue
        if not words:
            if cases and not tok.text.endswith(")"):
                end = _label_end(toks, i - 1)
                if end is not None:
                    i = _branch(toks, i - 1, end, selects)
                    continue
            # (`--opt=*)` is a label inside a case; outside, `a=b)` is not a command either way)
            label = tok.text.endswith(")") and "$(" not in tok.text and ("=" not in tok.text or cases > 0)
            if tok.text == "esac":
                cases = max(0, cases - 1)
                if selects:
                    selects.pop()
            if label and cases:
                i = _branch(toks, i - 1, i, selects)
                continue
            if tok.text in _OPENERS:
                depth += 1
                if tok.text in ("while", "until"):
                    loops.append(len(out))
            elif tok.text in _CLOSERS:
                depth = max(0, depth - 1)
                if tok.text == "done" and loops:
                    _loop_input(out, loops.pop(), toks, i)
            if tok.text in _COMMAND_KEYWORDS or tok.text in _CLOSERS or label:
                continue  # keywords, and `pattern)` labels of a case
            if tok.text in ("for", "case"):
                cases += tok.text == "case"
                if tok.text == "case":
                    selects.append(_selector(toks, i))
                if tok.text == "for":
                    loops.append(len(out))
                skip_until_sep = True
                if tok.text == "for":
                    loop = _loop_variable(toks, i)
                    if loop is not None:
                        out.append(SimpleCommand((loop,), tok.line, ";"))
                continue
            first_line = tok.line
        words.append(tok.text)
    emit("")
    return tuple(out)
