// `consilium slide info` and `consilium slide region`, run as the real executable: facts as JSON, regions as PNG with
// OpenSlide's pixels, and one clear line (file + reason, exit 1) for every kind of bad input.
#include <gtest/gtest.h>

#include <QImage>

#include <fstream>
#include <string>

#include "pathology/slide.h"
#include "pathology/synthetic_slide.h"
#include "process.h"
#include "support.h"

using namespace consilium::testing;
namespace fs = std::filesystem;

namespace {

const char* kCmu1 = "slides/aperio/CMU-1-Small-Region.svs";
const char* kTcga = "slides/aperio/tcga-cr-7395-01a-01-ts1.svs";

struct SlideCli : ::testing::Test {
    TempDir dir;

    ProcessResult run(std::vector<std::string> args)
    {
        args.insert(args.begin(), CONSILIUM_BINARY);
        return runProcess(args, dir / "stderr.txt");
    }

    // One stderr line of the form "consilium: FILE: REASON", exit 1.
    void expectFailure(const std::vector<std::string>& args, const fs::path& file, const std::string& reason)
    {
        const ProcessResult r = run(args);
        EXPECT_EQ(r.exitCode, 1) << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
        EXPECT_EQ(r.err.find("consilium: " + file.string() + ": "), 0u) << r.err;
        EXPECT_NE(r.err.find(reason), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
    }

    fs::path syntheticSlide()
    {
        consilium::pathology::SyntheticSlideSpec spec;
        spec.width = 1200;
        spec.height = 900;
        const fs::path file = dir / "synthetic.svs";
        consilium::pathology::writeSyntheticSlide(spec, file);
        return file;
    }
};

void writeBytes(const fs::path& file, const std::string& bytes) { std::ofstream(file, std::ios::binary) << bytes; }

std::string readBytes(const fs::path& file, std::size_t count)
{
    std::ifstream in(file, std::ios::binary);
    std::string bytes(count, '\0');
    in.read(bytes.data(), std::streamsize(count));
    bytes.resize(std::size_t(in.gcount()));
    return bytes;
}

TEST_F(SlideCli, InfoJsonOfTheSyntheticSlide)
{
    const fs::path file = syntheticSlide();
    const auto r = run({"slide", "info", file.string(), "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto slide = consilium::pathology::Slide::open(file);
    const std::string expected =
        std::string(R"({"vendor":"aperio","levels":[{"width":1200,"height":900,"downsample":1},)") +
        R"({"width":600,"height":450,"downsample":2}],)" + R"("mpp":[0.25,0.25],"objective_power":40,"associated":[)";
    EXPECT_EQ(r.out.find(expected), 0u) << r.out;
    EXPECT_NE(r.out.find(R"("quickhash":")" + slide->info().quickhash + "\"}"), std::string::npos) << r.out;
    for (const char* name : {R"("label")", R"("macro")", R"("thumbnail")"})
        EXPECT_NE(r.out.find(name), std::string::npos) << r.out;

    const auto text = run({"slide", "info", file.string()});
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_NE(text.out.find("0.25 × 0.25 µm per pixel"), std::string::npos) << text.out;
}

TEST_F(SlideCli, InfoJsonOfRealSlidesWithAndWithoutMpp)
{
    CONSILIUM_REQUIRE_SHARED(kCmu1);
    CONSILIUM_REQUIRE_SHARED(kTcga);
    const auto cmu = run({"slide", "info", (sharedData() / kCmu1).string(), "--json"});
    ASSERT_EQ(cmu.exitCode, 0) << cmu.err;
    EXPECT_EQ(cmu.out, std::string(R"({"vendor":"aperio","levels":[{"width":2220,"height":2967,"downsample":1}],)") +
                           R"("mpp":[0.499,0.499],"objective_power":20,"associated":["label","macro","thumbnail"],)" +
                           R"("quickhash":"6335ea0e6cc54c2cba64bb265d3c713a50cd84484924e3a9c109558c13521d5c"})" + "\n");
    // No MPP and no AppMag in the file: null, not guessed.
    const auto tcga = run({"slide", "info", (sharedData() / kTcga).string(), "--json"});
    ASSERT_EQ(tcga.exitCode, 0) << tcga.err;
    EXPECT_NE(tcga.out.find(R"("mpp":null,"objective_power":null)"), std::string::npos) << tcga.out;
    EXPECT_NE(tcga.out.find(R"({"width":2221,"height":1783,"downsample":2.0005)"), std::string::npos) << tcga.out;
    const auto text = run({"slide", "info", (sharedData() / kTcga).string()});
    EXPECT_NE(text.out.find("uncalibrated"), std::string::npos) << text.out;
}

TEST_F(SlideCli, RegionIsOpenSlidesPixelsAsPng)
{
    const fs::path file = syntheticSlide();
    const fs::path png = dir / "region.png";
    // Straddles the right edge of level 1 (600 px wide): the part outside shows the background (white).
    const auto r = run({"slide", "region", file.string(), "--level", "1", "--x", "1000", "--y", "-20", "--w", "150",
                        "--h", "100", "--out", png.string()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_FALSE(fs::exists(png.string() + ".partial"));
    QImage image(QString::fromStdString(png.string()));
    ASSERT_FALSE(image.isNull());
    ASSERT_EQ(image.width(), 150);
    ASSERT_EQ(image.height(), 100);
    image = image.convertToFormat(QImage::Format_RGB888);
    const auto expected = consilium::pathology::Slide::open(file)->readRegion(1, 1000, -20, 150, 100);
    for (int y = 0; y < 100; ++y) {
        const uchar* row = image.constScanLine(y);
        for (int x = 0; x < 150 * 3; ++x)
            ASSERT_EQ(row[x], expected.rgb[std::size_t(y) * 450 + x]) << "pixel " << x / 3 << "," << y;
    }
    EXPECT_EQ(expected.rgb[(std::size_t(50) * 150 + 149) * 3], 255);  // x = 1000/2 + 149 > 600: background
}

TEST_F(SlideCli, BadSlidesFailWithTheFileAndTheReason)
{
    const fs::path missing = dir / "missing.svs";
    expectFailure({"slide", "info", missing.string(), "--json"}, missing, "file not found");

    const fs::path empty = dir / "empty.svs";
    writeBytes(empty, "");
    expectFailure({"slide", "info", empty.string()}, empty, "empty file");

    const fs::path letter = dir / "letter.svs";
    writeBytes(letter, "Dear colleague, please find the slides enclosed.\n");
    expectFailure({"slide", "info", letter.string(), "--json"}, letter, "not a slide");

    // A real slide cut short: still a TIFF, but its directories point past the end.
    const fs::path source = syntheticSlide();
    const fs::path truncated = dir / "truncated.svs";
    writeBytes(truncated, readBytes(source, 100000));
    expectFailure({"slide", "region", truncated.string(), "--level", "0", "--x", "0", "--y", "0", "--w", "64", "--h",
                   "64", "--out", (dir / "t.png").string()},
                  truncated, "truncated");
    EXPECT_FALSE(fs::exists(dir / "t.png"));

    // A picture OpenSlide does not read: the PNG this command writes.
    const fs::path png = dir / "picture.png";
    ASSERT_EQ(run({"slide", "region", source.string(), "--level", "0", "--x", "0", "--y", "0", "--w", "32", "--h", "32",
                   "--out", png.string()})
                  .exitCode,
              0);
    expectFailure({"slide", "info", png.string(), "--json"}, png, "format not supported");

    // A level the slide does not have, and a PNG that cannot be written.
    expectFailure({"slide", "region", source.string(), "--level", "7", "--x", "0", "--y", "0", "--w", "8", "--h", "8",
                   "--out", (dir / "l.png").string()},
                  source, "no level 7");
    const fs::path unwritable = dir / "no-such-folder" / "r.png";
    expectFailure({"slide", "region", source.string(), "--level", "0", "--x", "0", "--y", "0", "--w", "8", "--h", "8",
                   "--out", unwritable.string()},
                  unwritable, "cannot write the PNG");
}

TEST_F(SlideCli, MalformedRequestsAreUsageErrors)
{
    const fs::path file = dir / "any.svs";
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"slide"},
          {"slide", "show", file.string()},
          {"slide", "info"},
          {"slide", "info", file.string(), "--yaml"},
          {"slide", "region", file.string(), "--level", "0", "--x", "0", "--y", "0", "--w", "8", "--h", "8"},
          {"slide", "region", file.string(), "--level", "zero", "--x", "0", "--y", "0", "--w", "8", "--h", "8", "--out",
           "x.png"},
          {"slide", "region", file.string(), "--level", "0", "--x", "0", "--y", "0", "--w", "0", "--h", "8", "--out",
           "x.png"}}) {
        const auto r = run(args);
        EXPECT_EQ(r.exitCode, 2) << args.size() << " " << r.err;
        EXPECT_EQ(r.err.find("consilium: "), 0u) << r.err;
    }
    const auto help = run({"help"});
    EXPECT_NE(help.out.find("slide info FILE"), std::string::npos);
    EXPECT_NE(help.out.find("slide region FILE"), std::string::npos);
}

}  // namespace
