#include "report/review_images.h"

#include <QBuffer>
#include <QImage>

#include "model/error.h"

namespace consilium::report {

std::string encodePng(int width, int height, int channels, const std::vector<std::uint8_t>& pixels)
{
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3) ||
        pixels.size() != std::size_t(width) * std::size_t(height) * std::size_t(channels))
        throw Error("key image", "pixel buffer does not match " + std::to_string(width) + " × " +
                                     std::to_string(height) + " × " + std::to_string(channels));
    const QImage image(pixels.data(), width, height, width * channels,
                       channels == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        throw Error("key image", "PNG encoding failed");
    return bytes.toStdString();
}

}  // namespace consilium::report
