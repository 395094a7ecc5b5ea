#pragma once
// Shared helpers for the test binaries: temporary folders and the optional real data beside the project.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

namespace consilium::testing {

// A fresh folder under the system temp dir, removed with everything in it when the object goes.
class TempDir {
public:
    TempDir()
    {
        std::random_device rd;
        path_ =
            std::filesystem::temp_directory_path() / ("consilium-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

inline std::filesystem::path sharedData() { return CONSILIUM_SHARED_DATA; }

// Skips the calling test with a message naming the missing file (a user's clone has no ../shared).
#define CONSILIUM_REQUIRE_SHARED(relative)                                                                      \
    do {                                                                                                        \
        if (!std::filesystem::exists(::consilium::testing::sharedData() / (relative)))                          \
            GTEST_SKIP() << "real test data not present: " << (::consilium::testing::sharedData() / (relative)) \
                         << " (it lives in ../shared/data beside the project)";                                 \
    } while (0)

// A copy of the demo case's database (CTest's demo_case fixture, CONSILIUM_DEMO_DB) in `dir`, for a test that
// writes: the fixture stays as it was for the others. The case files are shared through a `cases` symlink (a test
// may add a file; it never changes one: they are stored under their SHA-256). Empty when there is no fixture.
inline std::filesystem::path copyOfDemoDatabase(const std::filesystem::path& dir)
{
    const char* demo = std::getenv("CONSILIUM_DEMO_DB");
    if (!demo || !std::filesystem::exists(demo))
        return {};
    std::filesystem::copy_file(demo, dir / "consilium.db");
    std::filesystem::create_directory_symlink(std::filesystem::path(demo).parent_path() / "cases", dir / "cases");
    return dir / "consilium.db";
}

}  // namespace consilium::testing
