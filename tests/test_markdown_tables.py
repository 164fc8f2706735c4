"""WordPress tables -> pipe tables when a pipe table can hold them, else clean HTML."""
from markdown_pairs import md
from roundtrip import render


def test_table_block_with_a_header_row():
    html = ('<figure class="wp-block-table"><table><thead><tr><th>Name</th><th>Age</th></tr></thead>'
            "<tbody><tr><td>Ann</td><td>30</td></tr><tr><td>Bob</td><td>41</td></tr></tbody></table></figure>")
    assert md(html) == "| Name | Age |\n| --- | --- |\n| Ann | 30 |\n| Bob | 41 |\n"
    rendered = render(md(html))
    assert "<th>Name</th>" in rendered and "<td>Bob</td>" in rendered


def test_header_row_without_thead():
    html = "<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>30</td></tr></table>"
    assert md(html) == "| Name | Age |\n| --- | --- |\n| Ann | 30 |\n"


def test_inline_markup_in_cells():
    html = ('<table><tr><th>Site</th></tr><tr><td><a href="https://example.com/">Example</a> '
            "<em>new</em></td></tr></table>")
    assert md(html) == "| Site |\n| --- |\n| [Example](https://example.com/) *new* |\n"


def test_pipe_in_a_cell_is_escaped():
    html = "<table><tr><th>A|B</th></tr><tr><td>x | y</td></tr></table>"
    assert md(html) == "| A\\|B |\n| --- |\n| x \\| y |\n"
    assert "<td>x | y</td>" in render(md(html))


def test_table_without_a_header_stays_html():
    html = '<table class="x" style="width:100%"><tbody><tr><td>Ann</td><td>30</td></tr></tbody></table>'
    assert md(html) == "<table><tbody><tr><td>Ann</td><td>30</td></tr></tbody></table>\n"
    assert render(md(html)) == "<table><tbody><tr><td>Ann</td><td>30</td></tr></tbody></table>"


def test_table_with_colspan_stays_html():
    html = '<table><tr><th colspan="2">Both</th></tr><tr><td>a</td><td>b</td></tr></table>'
    assert md(html) == '<table><tr><th colspan="2">Both</th></tr><tr><td>a</td><td>b</td></tr></table>\n'


def test_table_with_paragraphs_in_a_cell_stays_html():
    html = "<table><tr><th>Item</th></tr><tr><td><p>Para one</p><p>Para two</p></td></tr></table>"
    assert md(html) == "<table><tr><th>Item</th></tr><tr><td><p>Para one</p><p>Para two</p></td></tr></table>\n"


def test_table_with_a_list_in_a_cell_stays_html():
    html = "<table><tr><th>Item</th></tr><tr><td><ul><li>a</li><li>b</li></ul></td></tr></table>"
    assert md(html) == "<table><tr><th>Item</th></tr><tr><td><ul><li>a</li><li>b</li></ul></td></tr></table>\n"
    assert "<li>b</li>" in render(md(html))


def test_table_with_a_caption_stays_a_figure():
    html = ('<figure class="wp-block-table"><table><tr><th>A</th></tr><tr><td>1</td></tr></table>'
            '<figcaption class="wp-element-caption">Numbers</figcaption></figure>')
    assert md(html) == ('<figure class="wp-block-table"><table><tr><th>A</th></tr><tr><td>1</td></tr></table>'
                        "<figcaption>Numbers</figcaption></figure>\n")


def test_cells_outside_a_table_are_blocks():
    # found by tests/test_properties.py: a stray cell joined its lines into one, a code block's too,
    # and the code's text (here a script link) was read as Markdown
    html = "<td><pre> [x](javascript:alert(1)) </pre></td><tr><td>a</td><th>b | c</th></tr>"
    assert md(html) == "     [x](javascript:alert(1))\n\na\n\nb \\| c\n"
    assert "<a" not in render(md(html))


def test_rows_outside_a_table_are_blocks():
    # found by tests/test_properties.py: two stray rows ran their words together
    assert md("<tr> harbour </tr><tr> quay </tr>") == "harbour\n\nquay\n"
