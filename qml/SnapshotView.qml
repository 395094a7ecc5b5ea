import QtQuick
import Consilium

// What `consilium snapshot` renders: the workstation's own view items (an MPR view with its overlays, or the 3D
// view), sized to the requested picture.
Item {
    id: root
    required property ReadingSession session
    required property string kind         // "slice" or "volume"
    required property string seriesUid
    property string fusedSeriesUid
    property string orientation: "axial"
    property string volumeMode: "mip"     // "mip" or "vr"
    property string volumePreset
    readonly property SliceView sliceView: sliceOverlay.view
    readonly property VolumeView volumeView: volumeOverlay.view

    Rectangle {
        anchors.fill: parent
        color: "black"
    }
    SliceOverlay {
        id: sliceOverlay
        anchors.fill: parent
        visible: root.kind === "slice"
        session: root.session
        seriesUid: root.kind === "slice" ? root.seriesUid : ""
        fusedSeriesUid: root.fusedSeriesUid
        orientation: root.orientation
    }
    VolumeOverlay {
        id: volumeOverlay
        anchors.fill: parent
        visible: root.kind === "volume"
        session: root.session
        seriesUid: root.kind === "volume" ? root.seriesUid : ""
        mode: root.volumeMode
        Component.onCompleted: {
            view.rotating = false
            view.preset = root.volumePreset
        }
    }
}
