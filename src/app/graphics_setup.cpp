#include "graphics_setup.h"

#include <QQuickWindow>
#include <QSurfaceFormat>

namespace consilium::app {

void prepareGraphics()
{
    QQuickWindow::setGraphicsApi(QSGRendererInterface::OpenGL);
    QSurfaceFormat format;
    format.setVersion(3, 2);
    format.setProfile(QSurfaceFormat::CoreProfile);
    format.setDepthBufferSize(24);
    format.setStencilBufferSize(8);
    format.setSamples(0);
    QSurfaceFormat::setDefaultFormat(format);
}

}  // namespace consilium::app
