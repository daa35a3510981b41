import Testing
@testable import Mail

@Suite struct HTMLTextTests {
    @Test("scripts, styles, heads and comments vanish with their content; tags never survive")
    func dropsActiveContent() {
        let text = HTMLText.readableText("<html><head><title>T</title><style>b{}</style></head><body><script type='x'>if (a<b) alert(1)</script>Hi<!-- x --> <b>there</b><SCRIPT>evil()</SCRIPT></body></html>")
        #expect(text == "Hi there")
    }

    @Test("blocks become lines, list items get dashes, br breaks, pre keeps its blanks")
    func layout() {
        #expect(HTMLText.readableText("<p>One</p><p>Two<br>Three</p><ul><li>a</li><li>b</li></ul><pre>x   y\n z</pre>")
                == "One\n\nTwo\nThree\n\n- a\n- b\n\nx   y\n z")
    }

    @Test("links keep a differing target in angle brackets, javascript: targets are dropped, entities decode")
    func linksAndEntities() {
        #expect(HTMLText.readableText("<a href=\"https://x.test/a?b=1&amp;c=2\">docs</a> &lt;3 &eacute;&#233;&#x20AC; &bogus;")
                == "docs <https://x.test/a?b=1&c=2> <3 éé€ &bogus;")
        #expect(HTMLText.readableText("<a href='javascript:alert(1)'>click</a>") == "click")
        #expect(HTMLText.readableText("<a href=\"https://x.test\">https://x.test</a>") == "https://x.test")
    }

    @Test("a stray '<' that opens no tag, an unclosed tag and a huge numeric reference are text, not a crash")
    func malformed() {
        #expect(HTMLText.readableText("a < b and 1<2") == "a < b and 1<2")
        #expect(HTMLText.readableText("x <div class=\"unterminated") == "x <div class=\"unterminated")
        #expect(HTMLText.readableText("&#99999999999;&#0;") == "&#99999999999;\u{FFFD}")
    }
}
