"""WordPress code blocks and inline code -> Markdown, byte for byte, and rendered back by Pelican."""
from markdown_pairs import md, pre_texts
from roundtrip import render


def test_code_block():
    html = '<pre class="wp-block-code"><code>def f(x):\n    return x * 2</code></pre>'
    assert md(html) == "```\ndef f(x):\n    return x * 2\n```\n"
    assert pre_texts(render(md(html))) == ["def f(x):\n    return x * 2\n"]


def test_code_block_with_a_language_class():
    html = '<pre><code class="language-python">print("hi")\n</code></pre>'
    assert md(html) == '```python\nprint("hi")\n```\n'
    rendered = render(md(html))
    assert '<span class="nb">print</span>' in rendered  # highlighted as Python
    assert pre_texts(rendered) == ['print("hi")\n']


def test_syntaxhighlighter_brush():
    html = '<pre class="brush: php; title: ; notranslate" title="">&lt;?php echo "a &amp; b"; ?&gt;</pre>'
    assert md(html) == '```php\n<?php echo "a & b"; ?>\n```\n'
    assert pre_texts(render(md(html))) == ['<?php echo "a & b"; ?>\n']


def test_newline_right_after_pre_is_not_code():
    assert md('<pre class="brush: bash">\necho hi\n</pre>') == "```bash\necho hi\n```\n"


def test_entities_become_the_characters_they_stand_for():
    html = "<pre><code>if (a &lt; b &amp;&amp; c &gt; d) { x = &quot;&lt;br&gt;&quot;; }</code></pre>"
    assert md(html) == '```\nif (a < b && c > d) { x = "<br>"; }\n```\n'
    assert pre_texts(render(md(html))) == ['if (a < b && c > d) { x = "<br>"; }\n']


def test_markup_inside_code_is_dropped_and_its_text_kept():
    html = '<pre><code>x = <span class="kw">1</span>  <b>#</b> one</code></pre>'
    assert md(html) == "```\nx = 1  # one\n```\n"


def test_line_breaks_the_visual_editor_wrote_as_br():
    html = '<pre class="brush: js">var a = 1;<br />var b = 2;<br>  return a;</pre>'
    assert md(html) == "```js\nvar a = 1;\nvar b = 2;\n  return a;\n```\n"
    assert pre_texts(render(md(html))) == ["var a = 1;\nvar b = 2;\n  return a;\n"]


def test_code_containing_a_fence_gets_a_longer_fence():
    html = "<pre><code>```python\nprint(1)\n```</code></pre>"
    assert md(html) == "````\n```python\nprint(1)\n```\n````\n"
    assert pre_texts(render(md(html))) == ["```python\nprint(1)\n```\n"]


def test_leading_and_trailing_blank_lines_and_tabs_are_kept():
    html = '<pre class="wp-block-code"><code>\n\n    indented first\n\ttab line\n\n</code></pre>'
    assert md(html) == "```\n\n\n    indented first\n\ttab line\n\n```\n"


def test_blank_lines_and_trailing_spaces_inside_code_are_kept():
    html = '<pre class="wp-block-code"><code>import os\n\n\ndef f():  \n    pass \n</code></pre>'
    assert md(html) == "```\nimport os\n\n\ndef f():  \n    pass \n```\n"
    assert pre_texts(render(md(html))) == ["import os\n\n\ndef f():  \n    pass \n"]


def test_code_between_paragraphs():
    html = "<p>Before:</p><pre><code>a = 1</code></pre><p>After.</p>"
    assert md(html) == "Before:\n\n```\na = 1\n```\n\nAfter.\n"


def test_empty_code_block_is_dropped():
    assert md("<p>Text.</p><pre><code>\n  \n</code></pre>") == "Text.\n"


def test_code_in_a_list_item_is_indented_and_keeps_its_language():
    html = '<ul><li>Run this:<pre class="wp-block-code"><code class="language-bash">make\nmake install</code></pre></li></ul>'
    assert md(html) == "- Run this:\n\n        :::bash\n        make\n        make install\n"
    rendered = render(md(html))
    assert pre_texts(rendered) == ["make\nmake install\n"]
    assert ":::bash" not in rendered


def test_code_in_a_list_item_keeps_its_blank_lines():
    html = "<ul><li>Item<pre><code>a = 1\n\nb = 2</code></pre></li></ul>"
    assert md(html) == "- Item\n\n        a = 1\n\n        b = 2\n"
    assert pre_texts(render(md(html))) == ["a = 1\n\nb = 2\n"]


def test_code_in_a_blockquote_keeps_its_first_line_indented():
    html = "<blockquote><pre>x = 1\ny = 2</pre></blockquote>"
    assert md(html) == ">     x = 1\n>     y = 2\n"
    assert pre_texts(render(md(html))) == ["x = 1\ny = 2\n"]


def test_inline_code():
    assert md("<p>Run <code>make</code> now.</p>") == "Run `make` now.\n"


def test_inline_code_with_a_backtick_inside():
    html = "<p>Call <code>a`b</code> now and <code>`x`</code>.</p>"
    assert md(html) == "Call ``a`b`` now and `` `x` ``.\n"
    assert render(md(html)) == "<p>Call <code>a`b</code> now and <code>`x`</code>.</p>"


def test_inline_code_keeps_to_one_line():
    # found by tests/test_properties.py: a blank line or a '#' line inside a code span ended it, and
    # what followed was read as Markdown (here a script link)
    html = "<p><code>a\n\n# b\n[x](javascript:alert(1))</code> and <kbd>Ctrl\n+ C</kbd></p>"
    assert md(html) == "`a # b [x](javascript:alert(1))` and `Ctrl + C`\n"
    assert render(md(html)) == "<p><code>a # b [x](javascript:alert(1))</code> and <code>Ctrl + C</code></p>"


def test_blocks_inside_inline_code_keep_their_words_apart():
    # found by tests/test_properties.py: the text of two paragraphs inside <code> ran together
    html = "<code><p> harbour \n\n quay </p></code> <code>a<br>b<span>c</span></code>"
    assert md(html) == "` harbour quay ` `a bc`\n"


def test_keyboard_and_sample_are_code_spans_with_their_blocks_inside_as_text():
    html = "<p><kbd> harbour <p>[x](javascript:alert(1))</p></kbd> <samp>ok</samp></p>"
    assert md(html) == "` harbour [x](javascript:alert(1))` `ok`\n"


def test_inline_code_is_not_escaped():
    html = "<p>Use <code>&lt;div&gt;</code> or <code>snake_case * 2</code>.</p>"
    assert md(html) == "Use `<div>` or `snake_case * 2`.\n"
    assert render(md(html)) == "<p>Use <code>&lt;div&gt;</code> or <code>snake_case * 2</code>.</p>"


def test_a_link_inside_inline_code_goes_around_its_words():
    # API documentation links function names inside code; a code span holds text only, so the link
    # was lost (--verify reported it)
    html = ('<p>Call <code><a href="https://docs.example/foo">foo()</a></code>, or '
            '<code>x = <a href="https://docs.example/bar">bar</a>(1)</code>.</p>')
    assert md(html) == "Call [`foo()`](https://docs.example/foo), or `x =` [`bar`](https://docs.example/bar)`(1)`.\n"
    assert render(md(html)) == ('<p>Call <a href="https://docs.example/foo"><code>foo()</code></a>, or <code>x =</code> '
                                '<a href="https://docs.example/bar"><code>bar</code></a><code>(1)</code>.</p>')


def test_a_picture_inside_inline_code_comes_out_beside_its_words():
    html = ('<p>Run <code>ls <img src="https://x.example/icon.png" alt="icon"></code> and <code>'
            '<a href="https://d.example/"><img src="https://x.example/i.png" alt="i"> go</a></code>.</p>')
    assert md(html) == ("Run `ls` ![icon](https://x.example/icon.png) and "
                        "[![i](https://x.example/i.png) `go`](https://d.example/).\n")
    # a line break, a <br> or a no-break space beside a link parts it from the span as a plain space does
    html = ('<p><code>new\n<a href="https://d.example/">Foo</a>()</code> <code>x&nbsp;<a href="https://d.example/">y'
            '</a></code> <code>a<br><a href="https://d.example/">b</a></code></p>')
    assert md(html) == ("`new` [`Foo`](https://d.example/)`()` `x`\xa0[`y`](https://d.example/) "
                        "`a` [`b`](https://d.example/)\n")
    # a script address is no link, and an anchor without one stays words of the span
    assert md('<p><code><a href="javascript:alert(1)">bad</a> <a id="x">ok</a></code></p>') == "`bad` `ok`\n"


def test_preformatted_text_with_links_stays_html_and_keeps_its_addresses_and_blank_lines():
    html = '<p>Intro</p><pre>See <a href="https://ex.com/a_b">the_docs</a> &lt;x&gt;\n\n    then *this*</pre><p>After</p>'
    assert md(html) == ('Intro\n\n<pre>See <a href="https://ex.com/a_b">the_docs</a> &lt;x&gt;\n\n    then *this*'
                        '</pre>\n\nAfter\n')
    assert render(md(html)) == ('<p>Intro</p>\n<pre>See <a href="https://ex.com/a_b">the_docs</a> &lt;x&gt;\n\n'
                                '    then *this*</pre>\n\n<p>After</p>')
    # without a link it is a code block, as before
    assert md("<pre>plain &lt;b&gt;</pre>") == "```\nplain <b>\n```\n"


def test_preformatted_text_with_a_picture_stays_html():
    # a code block keeps text only: the picture was gone
    html = '<pre>line one\n<img src="https://x.example/a.png" alt="A">\nline two</pre>'
    assert md(html) == '<pre>line one\n<img alt="A" src="https://x.example/a.png"/>\nline two</pre>\n'
    assert render(md(html)).count("<img") == 1
