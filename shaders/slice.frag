#version 440
// Window/level and colour maps of an MPR view, PET fusion included. The textures hold the sampled values in their
// own units (HU, Bq/mL, …) as 32-bit floats, so the window is applied here, exactly, at every frame: changing the
// window never resamples the volume.
layout(location = 0) in vec2 texCoord;
layout(location = 0) out vec4 fragColor;

layout(std140, binding = 0) uniform buf {
    mat4 qt_Matrix;
    float qt_Opacity;
    vec4 baseWindow;     // low edge, high edge, invert, colour map
    vec4 overlayWindow;  // low edge, high edge, opacity, colour map
    vec4 flags;          // x: overlay present
};
layout(binding = 1) uniform sampler2D baseValues;
layout(binding = 2) uniform sampler2D overlayValues;

// Colour maps: 0 grey, 1 inverted grey, 2 hot iron, 3 rainbow.
vec3 colourMap(float t, float map)
{
    if (map < 0.5)
        return vec3(t);
    if (map < 1.5)
        return vec3(1.0 - t);
    if (map < 2.5)  // hot iron: black, red, orange-yellow, white
        return clamp(vec3(2.0 * t, 2.0 * t - 0.75, 4.0 * t - 3.0), 0.0, 1.0);
    // rainbow: blue, cyan, green, yellow, red
    return clamp(vec3(1.5 - abs(4.0 * t - 3.0), 1.5 - abs(4.0 * t - 2.0), 1.5 - abs(4.0 * t - 1.0)), 0.0, 1.0);
}

// DICOM linear VOI between the two edges (PS3.3 C.11.2.1.2), as a 0..1 fraction.
float windowed(float value, vec4 w)
{
    return clamp((value - w.x) / max(w.y - w.x, 1e-12), 0.0, 1.0);
}

void main()
{
    float t = windowed(texture(baseValues, texCoord).r, baseWindow);
    if (baseWindow.z > 0.5)
        t = 1.0 - t;
    vec3 colour = colourMap(t, baseWindow.w);
    if (flags.x > 0.5) {
        float p = windowed(texture(overlayValues, texCoord).r, overlayWindow);
        // Uptake below a twentieth of the window stays transparent: the anatomy shows through where PET is cold.
        float alpha = overlayWindow.z * smoothstep(0.0, 0.05, p);
        colour = mix(colour, colourMap(p, overlayWindow.w), alpha);
    }
    fragColor = vec4(colour, 1.0) * qt_Opacity;
}
