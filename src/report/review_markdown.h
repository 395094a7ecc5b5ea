#pragma once
// The Markdown the reviewers write, as Qt rich text HTML. A deliberate subset, the one the editor offers:
// paragraphs, bullet and numbered lists, **bold**, *emphasis* (or _emphasis_) and headings (#, ##, ###).
// Everything else is text: HTML in the input is escaped, never interpreted.
#include <string>
#include <string_view>

namespace consilium::report {

// `firstHeadingLevel`: the HTML level a "#" heading becomes (the review's own section titles sit above it).
std::string markdownToHtml(std::string_view markdown, int firstHeadingLevel = 3);

// One line of text with **bold** and *emphasis*, HTML-escaped: for table cells and short fields.
std::string inlineMarkdownToHtml(std::string_view text);

std::string escapeHtml(std::string_view text);

}  // namespace consilium::report
