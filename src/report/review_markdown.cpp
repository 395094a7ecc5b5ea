#include "report/review_markdown.h"

#include <cctype>
#include <optional>
#include <vector>

namespace consilium::report {
namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> lines(std::string_view text)
{
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        out.push_back(line);
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
    return out;
}

enum class ListKind { None, Bullet, Numbered };

struct ListItem {
    ListKind kind;
    std::string_view text;
};

// "- item", "* item", "+ item", "1. item", "1) item".
std::optional<ListItem> listItem(std::string_view line)
{
    line = trim(line);
    if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ')
        return ListItem{ListKind::Bullet, trim(line.substr(2))};
    std::size_t digits = 0;
    while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits])))
        ++digits;
    if (digits > 0 && digits + 1 < line.size() && (line[digits] == '.' || line[digits] == ')') &&
        line[digits + 1] == ' ')
        return ListItem{ListKind::Numbered, trim(line.substr(digits + 2))};
    return std::nullopt;
}

int headingLevel(std::string_view line)
{
    std::size_t hashes = 0;
    while (hashes < line.size() && line[hashes] == '#')
        ++hashes;
    return hashes >= 1 && hashes <= 3 && hashes < line.size() && line[hashes] == ' ' ? int(hashes) : 0;
}

// A delimiter run opens emphasis when followed by a non-space and a closing run exists later on the line.
std::size_t closingRun(std::string_view text, std::size_t from, std::string_view marker)
{
    for (std::size_t at = text.find(marker, from); at != std::string_view::npos; at = text.find(marker, at + 1))
        if (at > from && !std::isspace(static_cast<unsigned char>(text[at - 1])))
            return at;
    return std::string_view::npos;
}

}  // namespace

std::string escapeHtml(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string inlineMarkdownToHtml(std::string_view text)
{
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        for (std::string_view marker : {"**", "__", "*", "_"}) {
            if (text.substr(i, marker.size()) != marker || i + marker.size() >= text.size() ||
                std::isspace(static_cast<unsigned char>(text[i + marker.size()])))
                continue;
            // An underscore inside a word (snake_case, file_name) is a character, not emphasis.
            if (marker[0] == '_' && i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1])))
                continue;
            const std::size_t close = closingRun(text, i + marker.size(), marker);
            if (close == std::string_view::npos)
                continue;
            const char* tag = marker.size() == 2 ? "b" : "i";
            out += std::string("<") + tag + ">" +
                   inlineMarkdownToHtml(text.substr(i + marker.size(), close - i - marker.size())) + "</" + tag + ">";
            i = close + marker.size();
            goto next;
        }
        out += escapeHtml(text.substr(i, 1));
        ++i;
    next:;
    }
    return out;
}

std::string markdownToHtml(std::string_view markdown, int firstHeadingLevel)
{
    std::string html;
    std::string paragraph;
    ListKind list = ListKind::None;  // the list being written, if any
    std::string item;

    const auto flushParagraph = [&] {
        if (!paragraph.empty())
            html += "<p>" + inlineMarkdownToHtml(paragraph) + "</p>\n";
        paragraph.clear();
    };
    const auto flushItem = [&] {
        if (!item.empty())
            html += "<li>" + inlineMarkdownToHtml(item) + "</li>\n";
        item.clear();
    };
    const auto closeList = [&] {
        flushItem();
        if (list != ListKind::None)
            html += list == ListKind::Bullet ? "</ul>\n" : "</ol>\n";
        list = ListKind::None;
    };

    for (std::string_view raw : lines(markdown)) {
        const std::string_view line = trim(raw);
        if (line.empty()) {
            flushParagraph();
            closeList();
            continue;
        }
        if (const int level = headingLevel(line)) {
            flushParagraph();
            closeList();
            const std::string tag = "h" + std::to_string(std::min(6, firstHeadingLevel + level - 1));
            html += "<" + tag + ">" + inlineMarkdownToHtml(trim(line.substr(std::size_t(level)))) + "</" + tag + ">\n";
            continue;
        }
        if (const auto li = listItem(line)) {
            flushParagraph();
            if (list != li->kind) {
                closeList();
                html += li->kind == ListKind::Bullet ? "<ul>\n" : "<ol>\n";
                list = li->kind;
            }
            flushItem();
            item = std::string(li->text);
            continue;
        }
        // A line continuing a list item (or a paragraph): joined with a space, as Markdown does.
        std::string& target = list != ListKind::None ? item : paragraph;
        target += (target.empty() ? "" : " ") + std::string(line);
    }
    flushParagraph();
    closeList();
    return html;
}

}  // namespace consilium::report
