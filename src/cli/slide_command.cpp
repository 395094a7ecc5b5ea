#include "cli/slide_command.h"

#include <QImage>
#include <QImageWriter>
#include <QString>

#include <cstdio>
#include <filesystem>
#include <limits>
#include <ostream>

#include "cli/arguments.h"
#include "model/error.h"
#include "model/json.h"
#include "pathology/slide.h"

namespace consilium::cli {
using namespace consilium::model;
namespace fs = std::filesystem;

namespace {

// A required whole-number option that fits `Integer`.
template <typename Integer>
Integer integerOption(const Arguments& a, const std::string& option)
{
    a.require(option);
    const long long n = *a.integer(option);
    if (n < std::numeric_limits<Integer>::min() || n > std::numeric_limits<Integer>::max())
        throw UsageError(option, "'" + *a.value(option) + "' is out of range");
    return Integer(n);
}

std::string infoJson(const SlideInfo& info)
{
    std::vector<std::string> levels, associated;
    for (const SlideLevel& l : info.levels)
        levels.push_back(
            JsonObject().add("width", l.width).add("height", l.height).add("downsample", l.downsample).str());
    for (const std::string& name : info.associatedImages)
        associated.push_back(jsonQuote(name));
    JsonObject o;
    o.add("vendor", info.vendor).addRaw("levels", jsonArray(levels));
    if (info.calibrated())  // absent mpp stays null: never derived from the objective power
        o.addRaw("mpp", jsonArray({jsonNumber(*info.mppX), jsonNumber(*info.mppY)}));
    else
        o.addNull("mpp");
    o.add("objective_power", info.objectivePower)
        .addRaw("associated", jsonArray(associated))
        .add("quickhash", info.quickhash);
    return o.str();
}

void printInfo(const fs::path& file, const SlideInfo& info, std::ostream& out)
{
    out << file.string() << "\n  vendor      " << info.vendor << "\n  levels     ";
    for (const SlideLevel& l : info.levels)
        out << " " << l.width << "×" << l.height << " (÷" << jsonNumber(l.downsample) << ")";
    out << "\n  mpp         ";
    if (info.calibrated())
        out << jsonNumber(*info.mppX) << " × " << jsonNumber(*info.mppY) << " µm per pixel";
    else
        out << "none: uncalibrated, distances in pixels only";
    out << "\n  objective   " << (info.objectivePower ? jsonNumber(*info.objectivePower) + "×" : "not stated");
    out << "\n  associated ";
    for (const std::string& name : info.associatedImages)
        out << " " << name;
    out << "\n  quickhash   " << info.quickhash << "\n";
}

int slideInfo(const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {}, {"--json"});
    if (a.positional().size() != 1)
        throw UsageError("slide info", "takes exactly one slide file");
    const fs::path file = a.positional()[0];
    const auto slide = pathology::Slide::open(file);
    if (a.flag("--json"))
        out << infoJson(slide->info()) << "\n";
    else
        printInfo(file, slide->info(), out);
    return 0;
}

// Written beside the target and renamed, so a failed write never leaves half a PNG under the asked-for name.
void writePng(const pathology::RgbImage& image, const fs::path& outFile)
{
    const QImage view(image.rgb.data(), image.width, image.height, image.width * 3, QImage::Format_RGB888);
    const fs::path partial = outFile.string() + ".partial";
    QImageWriter writer(QString::fromStdString(partial.string()), "png");
    if (!writer.write(view)) {
        std::remove(partial.c_str());
        throw Error(outFile.string(), "cannot write the PNG: " + writer.errorString().toStdString());
    }
    std::error_code ec;
    fs::rename(partial, outFile, ec);
    if (ec) {
        std::remove(partial.c_str());
        throw Error(outFile.string(), "cannot write the PNG: " + ec.message());
    }
}

int slideRegion(const std::vector<std::string>& args, std::ostream& out)
{
    Arguments a(args, {"--level", "--x", "--y", "--w", "--h", "--out"}, {});
    if (a.positional().size() != 1)
        throw UsageError("slide region", "takes exactly one slide file");
    const int level = integerOption<int>(a, "--level");
    const auto x = integerOption<std::int64_t>(a, "--x"), y = integerOption<std::int64_t>(a, "--y");
    const int w = integerOption<int>(a, "--w"), h = integerOption<int>(a, "--h");
    if (w <= 0 || h <= 0)
        throw UsageError("slide region", "--w and --h must be at least 1");
    const fs::path outFile = a.require("--out");
    const auto slide = pathology::Slide::open(a.positional()[0]);
    writePng(slide->readRegion(level, x, y, w, h), outFile);
    out << outFile.string() << "  " << w << "×" << h << " px of level " << level << "\n";
    return 0;
}

}  // namespace

int slideCommand(const std::vector<std::string>& args, std::ostream& out)
{
    if (args.empty())
        throw UsageError("slide", "needs a subcommand: info or region");
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "info")
        return slideInfo(rest, out);
    if (args[0] == "region")
        return slideRegion(rest, out);
    throw UsageError("slide " + args[0], "unknown subcommand (info, region)");
}

}  // namespace consilium::cli
