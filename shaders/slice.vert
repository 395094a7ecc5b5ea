#version 440
// One MPR view: a textured quad placed where the sampled plane lies on screen.
layout(location = 0) in vec4 qt_Vertex;
layout(location = 1) in vec2 qt_MultiTexCoord0;
layout(location = 0) out vec2 texCoord;

layout(std140, binding = 0) uniform buf {
    mat4 qt_Matrix;
    float qt_Opacity;
    vec4 baseWindow;     // low edge, high edge (stored units), invert (0/1), colour map
    vec4 overlayWindow;  // low edge, high edge, opacity, colour map
    vec4 flags;          // x: overlay present (0/1)
};

void main()
{
    texCoord = qt_MultiTexCoord0;
    gl_Position = qt_Matrix * qt_Vertex;
}
