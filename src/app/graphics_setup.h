#pragma once
namespace consilium::app {
// Qt Quick on OpenGL 3.2 core, depth 24, stencil 8, no multisampling: what VTK and the MPR views' float textures
// need (docs/architecture.md, "VTK inside QML"). Call before the QGuiApplication exists.
void prepareGraphics();
}  // namespace consilium::app
