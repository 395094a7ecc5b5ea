#pragma once
// How an annotation looks and is picked on screen, in level-0 pixels: its outline as line segments (ellipses as
// polygons, points as a small cross of a given radius), and the distance from a point to it.
#include <vector>

#include "model/annotation.h"

namespace consilium::app {

// Appends the outline as pairs of segment ends (drawn as GL lines). `markerRadius`: half the size of a point's
// cross, in level-0 pixels (the view passes a constant screen size divided by its zoom).
void appendOutline(const model::Annotation& annotation, double markerRadius, std::vector<model::PixelPoint>& segments);

// The outline's vertices as drawn (ellipse: 64 of them; rectangle: 4 corners), closed shapes not repeating the first.
std::vector<model::PixelPoint> outlineVertices(const model::Annotation& annotation);

// Distance from `p` to the annotation's outline (to the point itself for a point); 0 inside a closed shape when
// `insideCounts`.
double distanceTo(const model::Annotation& annotation, model::PixelPoint p, bool insideCounts);

}  // namespace consilium::app
