#pragma once
// The demo case's letters and reports, typeset as the referring centre would send them.
#include <filesystem>
#include <string>
#include <vector>

#include "model/case.h"

namespace consilium::demo {

struct DemoDocument {
    std::filesystem::path file;
    model::AttachmentKind kind;
    std::string title;
};

std::vector<DemoDocument> writeDemoDocuments(const std::filesystem::path& dir);

}  // namespace consilium::demo
