// libFuzzer targets for the annotation import (pathology/annotation_exchange.h), built twice from this file:
// FUZZ_ASAP_XML set → parseAsapXml (fuzz_asap_xml), unset → parseGeoJson (fuzz_geojson). Both parse from memory, as
// readAnnotationFile does after reading the file. They promise consilium::Error for anything they cannot take, so
// only that is caught: any other exception is a finding. What they accept must be valid (model::validate) — checked
// here too (outside the try: an Error there escapes and is reported), since the store would refuse it later.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/annotation.h"
#include "model/error.h"
#include "pathology/annotation_exchange.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::optional<consilium::pathology::AnnotationFile> file;
    try {
#ifdef FUZZ_ASAP_XML
        file = consilium::pathology::parseAsapXml(text, "fuzz.xml");
#else
        file = consilium::pathology::parseGeoJson(text, "fuzz.geojson");
#endif
    } catch (const consilium::Error&) {
        return 0;  // refused with a reason: what bad input should get
    }
    // Accepted: then every annotation must be valid and export again. An Error escaping from here is a finding.
    for (const auto& a : file->annotations)
        consilium::model::validate(a);
    (void)consilium::pathology::toGeoJson(file->annotations, file->classes, std::nullopt, std::nullopt);
    return 0;
}
