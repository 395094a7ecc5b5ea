#include <gtest/gtest.h>

#include "report/review_markdown.h"

using consilium::report::inlineMarkdownToHtml;
using consilium::report::markdownToHtml;

TEST(ReviewMarkdown, ParagraphsJoinLinesAndSplitOnBlankLines)
{
    EXPECT_EQ(markdownToHtml("First line\nsame paragraph.\n\nSecond."),
              "<p>First line same paragraph.</p>\n<p>Second.</p>\n");
}

TEST(ReviewMarkdown, BoldAndEmphasis)
{
    EXPECT_EQ(inlineMarkdownToHtml("**Agree** with *the* _grade_"), "<b>Agree</b> with <i>the</i> <i>grade</i>");
    EXPECT_EQ(inlineMarkdownToHtml("**bold with *emphasis* inside**"), "<b>bold with <i>emphasis</i> inside</b>");
    // Not emphasis: a lone star, arithmetic, snake_case, an unclosed run.
    EXPECT_EQ(inlineMarkdownToHtml("5 * 3 and file_name_here and *open"), "5 * 3 and file_name_here and *open");
}

TEST(ReviewMarkdown, ListsBulletAndNumberedWithContinuationLines)
{
    EXPECT_EQ(markdownToHtml("Intro:\n- one\n- two\n  continued\n\n1. first\n2) second"),
              "<p>Intro:</p>\n<ul>\n<li>one</li>\n<li>two continued</li>\n</ul>\n<ol>\n<li>first</li>\n"
              "<li>second</li>\n</ol>\n");
    EXPECT_EQ(markdownToHtml("* a\n+ b"), "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
    EXPECT_EQ(markdownToHtml("- a\n1. b"), "<ul>\n<li>a</li>\n</ul>\n<ol>\n<li>b</li>\n</ol>\n");
}

TEST(ReviewMarkdown, HeadingsStartAtTheGivenLevel)
{
    EXPECT_EQ(markdownToHtml("# Stage\n## Nodes\ntext", 3), "<h3>Stage</h3>\n<h4>Nodes</h4>\n<p>text</p>\n");
    EXPECT_EQ(markdownToHtml("#hashtag"), "<p>#hashtag</p>\n");
}

TEST(ReviewMarkdown, HtmlIsEscapedNeverInterpreted)
{
    EXPECT_EQ(markdownToHtml("<script>x</script> & \"SUV < 2.5\""),
              "<p>&lt;script&gt;x&lt;/script&gt; &amp; &quot;SUV &lt; 2.5&quot;</p>\n");
    EXPECT_EQ(markdownToHtml("Айгерим **王秀英**\r\n"), "<p>Айгерим <b>王秀英</b></p>\n");
    EXPECT_EQ(markdownToHtml(""), "");
}
