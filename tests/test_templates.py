"""The static subset of go-task's templating: what it evaluates, and what it refuses to guess."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskopt.load.templates import render

VARS: dict[str, str | None] = {"A": "x", "EMPTY": "", "DYN": None, "MODE": "prod", "LIST": "a b"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("{{.A}}-{{ .A }}", "x-x"),
        ('{{.UNSET | default "y"}}', "y"),
        ('{{default "y" .UNSET}}', "y"),
        ('{{.EMPTY | default "y"}}', "y"),
        ('{{.A | default "y"}}', "x"),
        ('{{.A | replace "x" "q"}}', "q"),
        ("{{.MODE | upper}}", "PROD"),
        ('{{if eq .MODE "prod"}}P{{else}}D{{end}}', "P"),
        ('{{if ne .MODE "prod"}}P{{else if eq .A "x"}}X{{else}}D{{end}}', "X"),
        ("{{if .A}}yes{{end}}", "yes"),
        ("{{if .EMPTY}}yes{{end}}!", "!"),
        ('{{printf "%s-%s" .A .MODE}}', "x-prod"),
        ('{{joinPath "a" .A}}', "a/x"),
        ('{{.A}} {{- "  s" -}}  t', "x  st"),
        ("{{/* a comment */}}ok", "ok"),
        # only the taken branch is evaluated (as Go does): what an untaken one needs does not matter
        ('{{if eq .MODE "prod"}}--push{{else if eq .DYN .UNSET}}--load{{else}}-o {{.DYN}}{{end}}', "--push"),
        ("{{if .EMPTY}}{{.DYN}}{{else}}{{if .A}}in{{else}}{{.UNSET}}{{end}}{{end}}", "in"),
    ],
)
def test_static_values(text: str, expected: str) -> None:
    assert render(text, VARS) == expected


@pytest.mark.parametrize(
    "text",
    [
        "{{.UNSET}}",  # may come from the command line or the environment
        "{{.DYN}}",  # an `sh:` variable
        '{{.DYN | default "y"}}',  # default cannot see through a dynamic value
        "{{if .UNSET}}a{{else}}b{{end}}",
        '{{if eq .MODE "dev"}}a{{else}}{{.DYN}}{{end}}',  # the branch taken needs run time
        "{{ now }}",
        "{{range .LIST}}x{{end}}",
        "{{if .A}}unclosed",
        "{{end}}",
        '{{.A | nosuchfunction "x"}}',
        '{{"unbalanced}}',
        "{{$x := 1}}",
    ],
)
def test_unknown_values(text: str) -> None:
    assert render(text, VARS) is None


def test_kept_variables_stay_as_written() -> None:
    assert render("{{.ROOT_DIR}}/{{.A}}", VARS, keep=frozenset({"ROOT_DIR"})) == "{{.ROOT_DIR}}/x"


@given(st.text(max_size=80))
def test_never_fails(text: str) -> None:
    """Template text comes from user files: any text is evaluated or refused, never an exception."""
    result = render("{{" + text + "}}", VARS)
    assert result is None or isinstance(result, str)
