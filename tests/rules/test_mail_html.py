"""A hostile e-mail's HTML keeps what a person reads and loses everything that acts."""

from hearth.rules.mail_html import clean


def test_scripts_handlers_and_their_content_are_gone():
    out = clean(
        '<p onclick="steal()">Hello<script>alert(1)</script></p><style>body{display:none}</style>'
    )
    assert out == "<p>Hello</p>"


def test_javascript_links_lose_their_target_and_others_open_safely():
    out = clean('<a href="javascript:alert(1)">x</a> <a href="https://example.org/q">y</a>')
    assert "javascript" not in out
    assert 'href="https://example.org/q"' in out and 'rel="noopener noreferrer nofollow"' in out


def test_remote_images_frames_and_forms_are_dropped():
    out = clean(
        '<img src="https://tracker.example/p.gif"><iframe src="https://evil.example"></iframe>'
        '<form action="https://evil.example"><input name="pw"></form><b>kept</b>'
    )
    assert "<img" not in out and "iframe" not in out and "<form" not in out and "<input" not in out
    assert "<b>kept</b>" in out


def test_structure_a_person_reads_is_kept():
    html = '<ul><li>one</li></ul><table><tbody><tr><td colspan="2">cell</td></tr></tbody></table>'
    assert clean(html) == html
