// The GUI tests run inside a QGuiApplication (the in-process ones drive the real QML) on the X display that
// scripts/test.sh provides with Xvfb; without a display they fall back to Qt's offscreen platform.
#include <gtest/gtest.h>

#include <QtQml/qqmlextensionplugin.h>
#include <QGuiApplication>
#include <QQuickStyle>
#include <cstdlib>
#include "graphics_setup.h"

Q_IMPORT_QML_PLUGIN(ConsiliumPlugin)

int main(int argc, char** argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    if (!std::getenv("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    consilium::app::prepareGraphics();  // as the workstation does: the MPR views and VTK need OpenGL
    QGuiApplication app(argc, argv);
    QQuickStyle::setStyle("Material");
    return RUN_ALL_TESTS();
}
