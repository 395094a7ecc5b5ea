#include "pathology/tiff_writer.h"

#include "model/error.h"

#include <cstdarg>
#include <cstdio>
#include <utility>

namespace consilium::pathology::detail {

int TiffWriter::onMessage(TIFF*, void* self, const char* module, const char* format, va_list args)
{
    char text[1024];
    std::vsnprintf(text, sizeof text, format, args);
    auto* writer = static_cast<TiffWriter*>(self);
    writer->lastError_ = module && *module ? std::string(module) + ": " + text : std::string(text);
    return 1;  // handled: do not also print it on stderr
}

TiffWriter::TiffWriter(const std::filesystem::path& path, const char* mode, std::string subject)
    : subject_(std::move(subject))
{
    TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
    TIFFOpenOptionsSetErrorHandlerExtR(options, &TiffWriter::onMessage, this);
    // Warnings are dropped: the writer's own tags never warrant one worth showing a user.
    TIFFOpenOptionsSetWarningHandlerExtR(
        options, [](TIFF*, void*, const char*, const char*, va_list) { return 1; }, nullptr);
    tiff_ = TIFFOpenExt(path.c_str(), mode, options);
    TIFFOpenOptionsFree(options);
    if (!tiff_)
        throw Error(subject_, "cannot create the file" + (lastError_.empty() ? "" : ": " + lastError_));
}

TiffWriter::~TiffWriter()
{
    if (tiff_)
        TIFFClose(tiff_);
}

void TiffWriter::check(bool ok, const std::string& what) const
{
    if (!ok)
        throw Error(subject_, what + (lastError_.empty() ? std::string() : ": " + lastError_));
}

void TiffWriter::close()
{
    if (!tiff_)
        return;
    const bool flushed = TIFFFlush(tiff_) == 1;
    TIFFClose(tiff_);
    tiff_ = nullptr;
    check(flushed, "writing the file");
}

}  // namespace consilium::pathology::detail
