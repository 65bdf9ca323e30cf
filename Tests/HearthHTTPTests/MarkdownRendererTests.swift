import Testing

@testable import HearthHTTP

@Suite struct MarkdownRendererTests {
    @Test(arguments: [
        ("# Title", "<h2>Title</h2>"),
        ("## Sub ##", "<h3>Sub</h3>"),
        ("#### Deep", "<h4>Deep</h4>"),
        ("#nohash", "<p>#nohash</p>"),
        ("one\ntwo\n\nthree", "<p>one two</p>\n<p>three</p>"),
        ("- a\n- b", "<ul><li>a</li><li>b</li></ul>"),
        ("* a\n  more", "<ul><li>a more</li></ul>"),
        ("1. a\n2. b", "<ol><li>a</li><li>b</li></ol>"),
        ("> quoted", "<blockquote><p>quoted</p></blockquote>"),
        ("---", "<hr>"),
        ("*em* and **strong**", "<p><em>em</em> and <strong>strong</strong></p>"),
        ("**bold *both* bold**", "<p><strong>bold <em>both</em> bold</strong></p>"),
        ("*it **both** it*", "<p><em>it <strong>both</strong> it</em></p>"),
        ("***all***", "<p><em><strong>all</strong></em></p>"),
        ("snake_case_name", "<p>snake_case_name</p>"),
        ("_under_", "<p><em>under</em></p>"),
        ("2 * 3 * 4", "<p>2 * 3 * 4</p>"),
        ("`a <b>`", "<p><code>a &lt;b&gt;</code></p>"),
        ("```\n<tag> & x\n```", "<pre><code>&lt;tag&gt; &amp; x</code></pre>"),
        ("\\*not em\\*", "<p>*not em*</p>"),
        (
            "[site](https://example.com/a?b=1&c=2)",
            "<p><a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener noreferrer\">site</a></p>"
        ),
        (
            "[**bold** link](http://example.com)",
            "<p><a href=\"http://example.com\" rel=\"nofollow noopener noreferrer\"><strong>bold</strong> link</a></p>"
        ),
    ])
    func renders(markdown: String, html: String) {
        #expect(MarkdownRenderer.html(markdown) == html)
    }

    @Test(arguments: [
        ("[x](javascript:alert(1))", "<p>x</p>"),
        ("[x](JavaScript:alert`1`)", "<p>x</p>"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>x</p>"),
        ("[x](//evil.example)", "<p>x</p>"),
        ("[x](/relative)", "<p>x</p>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
        ("![alt <b>](https://example.com/i.png)", "<p>alt &lt;b&gt;</p>"),
        (
            "[a\"onmouseover=\"x](https://e.com/\"onmouseover=\"alert(1))",
            "<p>a&quot;onmouseover=&quot;x</p>"
        ),
        ("# <i>head</i>", "<h2>&lt;i&gt;head&lt;/i&gt;</h2>"),
        ("- <b>item</b>", "<ul><li>&lt;b&gt;item&lt;/b&gt;</li></ul>"),
        ("**<u>x</u>**", "<p><strong>&lt;u&gt;x&lt;/u&gt;</strong></p>"),
        (
            "[[nested](https://a.com)](https://b.com)",
            "<p><a href=\"https://b.com\" rel=\"nofollow noopener noreferrer\">nested</a></p>"
        ),
    ])
    func neverLetsMarkupThrough(markdown: String, html: String) {
        let rendered = MarkdownRenderer.html(markdown)
        #expect(rendered == html)
        #expect(!rendered.contains("<script"))
        #expect(!rendered.lowercased().contains("href=\"javascript") && !rendered.contains("<img"))
    }

    @Test func unclosedCodeBlockStillEscapes() {
        #expect(MarkdownRenderer.html("```\n<b>") == "<pre><code>&lt;b&gt;</code></pre>")
    }
}
