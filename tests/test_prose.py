"""The YAML's prose on the pages: escaped as untrusted text, its `code` spans as <code>."""

from report.prose import prose


def test_code_spans_become_code_and_everything_else_is_escaped():
    html = prose("Our `denoising.yaml` & <b>bold</b> `<i>x</i>` trains `them`.")
    assert html == (
        "Our <code>denoising.yaml</code> &amp; &lt;b&gt;bold&lt;/b&gt; "
        "<code>&lt;i&gt;x&lt;/i&gt;</code> trains <code>them</code>."
    )


def test_an_unpaired_backtick_stays_a_backtick():
    assert prose("a ` alone") == "a ` alone"


def test_a_short_set_stays_on_one_line():
    assert prose("pixels in {-1, 1} and {0, 1}") == "pixels in {-1,\u00a01} and {0,\u00a01}"
    assert prose("a {brace left open, 1") == "a {brace left open, 1"
