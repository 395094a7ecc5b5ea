#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "process.h"
#include "support.h"

using namespace consilium::testing;

// Opens the real workstation on the demo case (under Xvfb, as scripts/test.sh runs it), lets it take its own
// screenshots of the case list and the overview, and checks that they show a populated screen and that QML
// reported no error on the way.
TEST(Workstation, OpensOnTheDemoCaseAndShowsListAndOverview)
{
    if (!std::getenv("DISPLAY"))
        GTEST_SKIP() << "no X display: run the suite through scripts/test.sh (xvfb-run)";
    TempDir dir;
    // The demo case from CTest's fixture; `consilium demo` only creates it when it is not there yet.
    const char* fixture = std::getenv("CONSILIUM_DEMO_DB");
    const auto db = fixture ? std::string(fixture) : (dir / "consilium.db").string();
    auto demo =
        runProcess({CONSILIUM_BINARY, "--db", db, "demo", "--dir", (dir / "referral").string()}, dir / "demo-err.txt");
    ASSERT_EQ(demo.exitCode, 0) << demo.err;
    const std::string reference = demo.out.substr(demo.out.rfind("SO-"), 12);

    const auto shots = dir / "shots";
    std::filesystem::create_directories(shots);
    // A hung GUI must fail the test, not stall the suite: 120 s is ten times what it needs.
    auto gui = runProcess({"timeout", "120", CONSILIUM_BINARY, "--db", db, "--user", "Dr Amelia Rossi", "--role",
                           "board-chair", "--case", reference, "--screenshots", shots.string()},
                          dir / "gui-err.txt");
    ASSERT_EQ(gui.exitCode, 0) << gui.err;
    for (const char* shot : {"case-list.png", "case-overview.png", "case-overview-lower.png", "pathology.png"}) {
        const auto png = shots / shot;
        ASSERT_TRUE(std::filesystem::exists(png)) << shot << " was not written\n" << gui.err;
        // A blank 1600×1000 window compresses to a few kB; a populated one is far larger.
        EXPECT_GT(std::filesystem::file_size(png), 60'000u) << shot;
    }
    for (const char* problem : {"TypeError", "ReferenceError", "is not a type", "Cannot assign", "failed to load",
                                "Component is not ready", "Detected anchors", "QML "})
        EXPECT_EQ(gui.err.find(problem), std::string::npos) << problem << " in:\n" << gui.err;
    if (const char* keep = std::getenv("CONSILIUM_SCREENSHOTS_OUT"))
        for (const auto& e : std::filesystem::directory_iterator(shots))
            std::filesystem::copy_file(e.path(), std::filesystem::path(keep) / e.path().filename(),
                                       std::filesystem::copy_options::overwrite_existing);
}
