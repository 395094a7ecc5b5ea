#include "imaging/view_plane.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <vtkImageData.h>

namespace consilium::imaging {

Vec3 operator+(const Vec3& a, const Vec3& b) { return {a[0] + b[0], a[1] + b[1], a[2] + b[2]}; }
Vec3 operator-(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
Vec3 operator*(const Vec3& a, double s) { return {a[0] * s, a[1] * s, a[2] * s}; }
double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 cross(const Vec3& a, const Vec3& b)
{
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
double norm(const Vec3& a) { return std::sqrt(dot(a, a)); }
Vec3 normalized(const Vec3& a)
{
    const double n = norm(a);
    return n > 0 ? a * (1.0 / n) : a;
}

ViewPlane standardPlane(PlaneOrientation orientation)
{
    switch (orientation) {
        case PlaneOrientation::Axial:
            return {{1, 0, 0}, {0, 1, 0}};  // screen right = patient left, down = posterior
        case PlaneOrientation::Coronal:
            return {{1, 0, 0}, {0, 0, -1}};  // right = left, down = inferior
        case PlaneOrientation::Sagittal:
            return {{0, 1, 0}, {0, 0, -1}};  // right = posterior, down = inferior
    }
    return {};
}

Rotation rotationAbout(const Vec3& axis, double degrees)
{
    const Vec3 u = normalized(axis);
    const double a = degrees * std::numbers::pi / 180.0, c = std::cos(a), s = std::sin(a), t = 1 - c;
    const double x = u[0], y = u[1], z = u[2];
    return {t * x * x + c,     t * x * y - s * z, t * x * z + s * y,  //
            t * x * y + s * z, t * y * y + c,     t * y * z - s * x,  //
            t * x * z - s * y, t * y * z + s * x, t * z * z + c};
}

Rotation compose(const Rotation& first, const Rotation& then)
{
    Rotation r{};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 3; ++k)
                r[i * 3 + j] += then[i * 3 + k] * first[k * 3 + j];
    // Re-orthonormalise: many small drags must not let rounding skew the planes.
    Vec3 a{r[0], r[3], r[6]}, b{r[1], r[4], r[7]};
    a = normalized(a);
    b = normalized(b - a * dot(a, b));
    const Vec3 c = cross(a, b);
    return {a[0], b[0], c[0], a[1], b[1], c[1], a[2], b[2], c[2]};
}

Vec3 multiply(const Rotation& r, const Vec3& v)
{
    return {r[0] * v[0] + r[1] * v[1] + r[2] * v[2], r[3] * v[0] + r[4] * v[1] + r[5] * v[2],
            r[6] * v[0] + r[7] * v[1] + r[8] * v[2]};
}

ViewPlane rotated(const ViewPlane& plane, const Rotation& r)
{
    return {multiply(r, plane.right), multiply(r, plane.down)};
}

std::string orientationLetters(const Vec3& direction)
{
    const Vec3 d = normalized(direction);
    const char* positive = "LPS";
    const char* negative = "RAI";
    std::array<int, 3> order{0, 1, 2};
    std::sort(order.begin(), order.end(), [&](int a, int b) { return std::abs(d[a]) > std::abs(d[b]); });
    std::string letters;
    for (int axis : order) {
        if (!letters.empty() && std::abs(d[axis]) < 0.25)
            break;
        letters += d[axis] >= 0 ? positive[axis] : negative[axis];
    }
    return letters;
}

std::array<double, 9> inverse(const std::array<double, 9>& m)
{
    const double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
    const double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
    const double det = a * A + b * B + c * C;
    const double s = det != 0 ? 1.0 / det : 0.0;
    return {A * s, -(b * i - c * h) * s, (b * f - c * e) * s,   //
            B * s, (a * i - c * g) * s,  -(a * f - c * d) * s,  //
            C * s, -(a * h - b * g) * s, (a * e - b * d) * s};
}

Vec3 continuousIndex(const Volume& volume, const Vec3& point)
{
    const Vec3 local =
        multiply(inverse(volume.direction), point - Vec3{volume.origin[0], volume.origin[1], volume.origin[2]});
    return {local[0] / volume.spacing[0], local[1] / volume.spacing[1], local[2] / volume.spacing[2]};
}

Vec3 volumeCentre(const Volume& volume)
{
    const Vec3 half{(volume.columns - 1) * volume.spacing[0] / 2, (volume.rows - 1) * volume.spacing[1] / 2,
                    (volume.slices - 1) * volume.spacing[2] / 2};
    return Vec3{volume.origin[0], volume.origin[1], volume.origin[2]} + multiply(volume.direction, half);
}

double finestSpacing(const Volume& volume)
{
    return std::min({volume.spacing[0], volume.spacing[1], volume.spacing[2]});
}

int SliceRange::count() const { return std::max(1, int(std::floor((last - first) / step + 1e-6)) + 1); }

int SliceRange::indexOf(double depth) const
{
    return std::clamp(int(std::lround((depth - first) / step)), 0, count() - 1);
}

SliceRange sliceRange(const Volume& volume, const Vec3& normal)
{
    const Vec3 n = normalized(normal);
    SliceRange range;
    range.first = std::numeric_limits<double>::max();
    range.last = std::numeric_limits<double>::lowest();
    const Vec3 origin{volume.origin[0], volume.origin[1], volume.origin[2]};
    for (int corner = 0; corner < 8; ++corner) {
        const Vec3 index{(corner & 1) ? volume.columns - 1.0 : 0.0, (corner & 2) ? volume.rows - 1.0 : 0.0,
                         (corner & 4) ? volume.slices - 1.0 : 0.0};
        const Vec3 p = origin + multiply(volume.direction, {index[0] * volume.spacing[0], index[1] * volume.spacing[1],
                                                            index[2] * volume.spacing[2]});
        range.first = std::min(range.first, dot(n, p));
        range.last = std::max(range.last, dot(n, p));
    }
    // Index steps per mm along the normal; the largest decides what one slice is.
    const Vec3 local = multiply(inverse(volume.direction), n);
    double perMm = 0;
    for (int a = 0; a < 3; ++a)
        perMm = std::max(perMm, std::abs(local[a]) / volume.spacing[a]);
    range.step = perMm > 0 ? 1.0 / perMm : 1.0;
    return range;
}

PlaneGrid viewGrid(const ViewPlane& plane, const Vec3& centre, double mmPerPixel, int width, int height,
                   double finestMm)
{
    PlaneGrid grid;
    const double sampling = std::max(mmPerPixel, finestMm);
    const double spanX = width * mmPerPixel, spanY = height * mmPerPixel;
    grid.width = std::max(1, int(std::ceil(spanX / sampling - 1e-9)));
    grid.height = std::max(1, int(std::ceil(spanY / sampling - 1e-9)));
    grid.xStep = plane.right * (spanX / grid.width);
    grid.yStep = plane.down * (spanY / grid.height);
    grid.origin = centre - plane.right * (spanX / 2) - plane.down * (spanY / 2) + grid.xStep * 0.5 + grid.yStep * 0.5;
    return grid;
}

std::optional<double> voxelValueAt(const Volume& volume, const Vec3& point)
{
    const Vec3 index = continuousIndex(volume, point);
    const long i = std::lround(index[0]), j = std::lround(index[1]), k = std::lround(index[2]);
    if (i < 0 || j < 0 || k < 0 || i >= volume.columns || j >= volume.rows || k >= volume.slices)
        return std::nullopt;
    const std::size_t at =
        (std::size_t(k) * std::size_t(volume.rows) + std::size_t(j)) * std::size_t(volume.columns) + std::size_t(i);
    const void* scalars = volume.image->GetScalarPointer();
    if (volume.isFloat())
        return double(static_cast<const float*>(scalars)[at]);
    return double(static_cast<const short*>(scalars)[at]);
}

}  // namespace consilium::imaging
