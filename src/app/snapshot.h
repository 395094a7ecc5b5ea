#pragma once
// `consilium snapshot`: the viewer's own items rendered into a PNG, for docs, tests and automation. Needs a running
// QGuiApplication (set up with prepareGraphics()) on an X display, as the workstation does.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace consilium::app {

struct SnapshotRequest {
    std::vector<std::filesystem::path> series;  // files or folders of the (base) series
    std::vector<std::filesystem::path> pet;     // a PET to fuse over it (view "fusion"), or to project (view "mip")
    std::string view = "axial";                 // axial, coronal, sagittal, mip, fusion, volume (rendering)
    std::optional<int> slice;                   // 1-based along the view's normal, as the view shows it
    std::string preset;  // a window preset ("lung", "soft-tissue"; suv5, suv10) or, for volume, soft-tissue/bone/lung
    int width = 800;
    int height = 800;
    std::filesystem::path out;
};

// Throws consilium::Error naming the file and the reason (nothing readable, a series that does not load, fusion
// refused, a preset that does not apply, a PNG that cannot be written).
void renderSnapshot(const SnapshotRequest& request);

}  // namespace consilium::app
