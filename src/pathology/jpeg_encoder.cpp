#include "pathology/jpeg_encoder.h"

#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <jpeglib.h>

namespace consilium::pathology::detail {

// libjpeg's default error handler calls exit(); this one jumps back into encode(), which then throws.
// (Throwing straight through libjpeg's C frames would not be safe.)
struct JpegEncoder::State {
    jpeg_compress_struct cinfo{};
    struct Errors {
        jpeg_error_mgr manager{};
        std::jmp_buf jump{};
        char message[JMSG_LENGTH_MAX] = {};
    } errors;
    // Filled by jpeg_mem_dest; kept here (not in encode's locals) so their values survive a longjmp.
    unsigned char* buffer = nullptr;
    unsigned long size = 0;

    static void onError(j_common_ptr cinfo)
    {
        auto* errors = reinterpret_cast<Errors*>(cinfo->err);
        (*cinfo->err->format_message)(cinfo, errors->message);
        std::longjmp(errors->jump, 1);
    }
    static void onMessage(j_common_ptr, int) {}  // warnings: nothing useful to say about our own encoder
};

JpegEncoder::JpegEncoder(int quality) : state_(std::make_unique<State>()), quality_(quality)
{
    state_->cinfo.err = jpeg_std_error(&state_->errors.manager);
    state_->errors.manager.error_exit = &State::onError;
    state_->errors.manager.emit_message = &State::onMessage;
    if (setjmp(state_->errors.jump))
        throw std::runtime_error(std::string("JPEG encoder: ") + state_->errors.message);
    jpeg_create_compress(&state_->cinfo);
}

JpegEncoder::~JpegEncoder()
{
    jpeg_destroy_compress(&state_->cinfo);
    std::free(state_->buffer);
}

const std::vector<std::uint8_t>& JpegEncoder::encode(const std::uint8_t* rgb, int w, int h, std::size_t stride)
{
    State& s = *state_;
    std::free(s.buffer);
    s.buffer = nullptr;
    s.size = 0;
    if (setjmp(s.errors.jump)) {
        jpeg_abort_compress(&s.cinfo);
        throw std::runtime_error(std::string("JPEG encoder: ") + s.errors.message);
    }
    jpeg_mem_dest(&s.cinfo, &s.buffer, &s.size);
    s.cinfo.image_width = static_cast<JDIMENSION>(w);
    s.cinfo.image_height = static_cast<JDIMENSION>(h);
    s.cinfo.input_components = 3;
    s.cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&s.cinfo);  // YCbCr, 2×2 luma sampling = 4:2:0
    jpeg_set_quality(&s.cinfo, quality_, TRUE);
    s.cinfo.write_JFIF_header = FALSE;  // TIFF carries the colour space in its own tags
    jpeg_start_compress(&s.cinfo, TRUE);
    while (s.cinfo.next_scanline < s.cinfo.image_height) {
        JSAMPROW row = const_cast<JSAMPROW>(rgb + s.cinfo.next_scanline * stride);
        jpeg_write_scanlines(&s.cinfo, &row, 1);
    }
    jpeg_finish_compress(&s.cinfo);
    output_.assign(s.buffer, s.buffer + s.size);
    return output_;
}

}  // namespace consilium::pathology::detail
