// consilium: with a command (see `consilium help`) a headless tool; without one, the QML workstation.
#include <QtQml/qqmlextensionplugin.h>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickStyle>
#include <QQuickWindow>
#include <iostream>

#include <cstdio>
#include "cli/arguments.h"
#include "cli/cli.h"
#include "graphics_setup.h"
#include "imaging/dcmtk_setup.h"
#include "model/error.h"
#include "snapshot.h"
#include "store/database.h"
#include "thumbnail_providers.h"
#include "workstation.h"

Q_IMPORT_QML_PLUGIN(ConsiliumPlugin)

namespace {

struct GuiOptions {
    std::filesystem::path database = consilium::store::defaultDatabasePath();
    QString user, role, caseReference, screenshots;
    bool maximized = false;
};

GuiOptions parseGuiOptions(const std::vector<std::string>& args)
{
    GuiOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        auto next = [&] { return i + 1 < args.size() ? QString::fromStdString(args[++i]) : QString(); };
        if (args[i] == "--db")
            o.database = next().toStdString();
        else if (args[i].starts_with("--db="))
            o.database = args[i].substr(5);
        else if (args[i] == "--user")
            o.user = next();
        else if (args[i] == "--role")
            o.role = next();
        else if (args[i] == "--case")
            o.caseReference = next();
        else if (args[i] == "--screenshots")
            o.screenshots = next();
        else if (args[i] == "--maximized")
            o.maximized = true;
    }
    return o;
}

// `consilium snapshot …` (src/app/snapshot.h): parsed here, rendered by a QGuiApplication made for it.
int snapshotCommand(int& argc, char** argv, const std::vector<std::string>& args, std::ostream& out)
{
    using consilium::UsageError;
    const consilium::cli::Arguments a(args, {"--series", "--pet", "--view", "--slice", "--preset", "--size", "--out"},
                                      {});
    if (!a.positional().empty())
        throw UsageError(a.positional().front(), "unexpected argument to 'snapshot'");
    consilium::app::SnapshotRequest r;
    r.series.emplace_back(a.require("--series"));
    if (auto pet = a.value("--pet"))
        r.pet.emplace_back(*pet);
    r.view = a.require("--view");
    if (r.view != "axial" && r.view != "coronal" && r.view != "sagittal" && r.view != "mip" && r.view != "fusion" &&
        r.view != "volume")
        throw UsageError("--view", "'" + r.view + "' is not axial, coronal, sagittal, mip, fusion or volume");
    if (auto n = a.integer("--slice"))
        r.slice = int(*n);
    r.preset = a.value("--preset").value_or("");
    if (auto size = a.value("--size")) {
        int w = 0, h = 0;
        char x = 0, rest = 0;
        if (std::sscanf(size->c_str(), "%d%c%d%c", &w, &x, &h, &rest) != 3 || x != 'x' || w < 16 || h < 16 ||
            w > 8192 || h > 8192)
            throw UsageError("--size", "'" + *size + "' is not WIDTHxHEIGHT (16 to 8192 pixels each)");
        r.width = w;
        r.height = h;
    }
    r.out = a.require("--out");
    consilium::app::prepareGraphics();
    QGuiApplication app(argc, argv);
    QQuickStyle::setStyle("Material");
    consilium::app::renderSnapshot(r);
    out << r.out.string() << "  " << r.width << "×" << r.height << " " << r.view << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    consilium::imaging::prepareDcmtk();
    if (consilium::cli::wantsCommand(args))
        return consilium::cli::run(args, std::cout, std::cerr,
                                   {{"snapshot", [&](const std::vector<std::string>& rest, std::ostream& out) {
                                         return snapshotCommand(argc, argv, rest, out);
                                     }}});

    const GuiOptions options = parseGuiOptions(args);
    consilium::app::prepareGraphics();
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName("Consilium");
    QGuiApplication::setOrganizationName("Consilium");
    QQuickStyle::setStyle("Material");

    std::unique_ptr<consilium::app::Workstation> workstation;
    try {
        workstation = std::make_unique<consilium::app::Workstation>(consilium::store::Database::open(options.database));
    } catch (const consilium::Error& e) {
        std::cerr << "consilium: " << e.what() << "\n";
        return 1;
    }
    if (!options.user.isEmpty()) {
        const QString error = workstation->signIn(options.user, options.role.isEmpty() ? "board-chair" : options.role);
        if (!error.isEmpty()) {
            std::cerr << "consilium: " << error.toStdString() << "\n";
            return 2;
        }
    }
    workstation->setInitialCase(options.caseReference);

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.addImageProvider("series",
                            new consilium::app::ThumbnailProvider(consilium::app::ThumbnailProvider::Kind::Series));
    engine.addImageProvider("slide",
                            new consilium::app::ThumbnailProvider(consilium::app::ThumbnailProvider::Kind::Slide));
    engine.addImageProvider(
        "slideimage", new consilium::app::ThumbnailProvider(consilium::app::ThumbnailProvider::Kind::OpenSlideImage));
    engine.setInitialProperties({{"screenshotFolder", options.screenshots}, {"startMaximized", options.maximized}});
    const QUrl mainUrl(QStringLiteral("qrc:/qt/qml/Consilium/Main.qml"));
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreated, &app,
        [mainUrl](QObject* object, const QUrl& url) {
            if (!object && url == mainUrl)
                QCoreApplication::exit(1);
        },
        Qt::QueuedConnection);
    engine.load(mainUrl);
    return QGuiApplication::exec();
}
