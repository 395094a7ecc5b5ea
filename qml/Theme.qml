pragma Singleton
import QtQuick

// The workstation's calm palette and type scale: one place, so every page agrees.
QtObject {
    readonly property color background: "#f4f6f8"
    readonly property color surface: "#ffffff"
    readonly property color border: "#dde3ea"
    readonly property color text: "#1f2933"
    readonly property color muted: "#5f6b7a"
    readonly property color accent: "#1f5f8b"
    readonly property color accentSoft: "#e6f0f7"
    readonly property color questionBackground: "#fff8e6"
    readonly property color questionBorder: "#e8c66a"
    readonly property color danger: "#b42318"
    readonly property color dangerSoft: "#fdecea"
    readonly property color ok: "#2e7d4f"
    readonly property color okSoft: "#e7f4ec"
    readonly property color warn: "#9a6700"
    readonly property color warnSoft: "#fff4d6"
    readonly property int radius: 6
    readonly property int gap: 12
    readonly property int small: 11
    readonly property int body: 13
    readonly property int title: 17
    readonly property int headline: 22
}
