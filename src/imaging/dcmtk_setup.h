#pragma once
// One-time DCMTK set-up for a process: the JPEG, JPEG-LS and RLE decoders registered, and DCMTK's own stderr
// logging limited to fatal messages (every problem reaches the user as a consilium::Error naming the file instead).
namespace consilium::imaging {

void prepareDcmtk();  // idempotent and thread-safe

}  // namespace consilium::imaging
