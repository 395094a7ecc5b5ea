#pragma once
// A libtiff file opened for writing, closed by its destructor, whose errors become consilium::Error instead of
// lines on stderr.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include <tiffio.h>

namespace consilium::pathology::detail {

class TiffWriter {
public:
    // mode as TIFFOpen: "w8" is BigTIFF, needed once a slide passes 4 GB and harmless below. Errors name
    // `subject` (the file the user asked for, when this one is a temporary beside it).
    TiffWriter(const std::filesystem::path& path, const char* mode, std::string subject);
    ~TiffWriter();
    TiffWriter(const TiffWriter&) = delete;
    TiffWriter& operator=(const TiffWriter&) = delete;

    TIFF* get() const { return tiff_; }
    // Throws Error(path, what + libtiff's last message) unless ok.
    void check(bool ok, const std::string& what) const;
    // Closes the file now (the destructor would too, but could not report a failure).
    void close();

private:
    static int onMessage(TIFF*, void* self, const char* module, const char* format, va_list args);

    std::string subject_;
    TIFF* tiff_ = nullptr;
    std::string lastError_;
};

}  // namespace consilium::pathology::detail
