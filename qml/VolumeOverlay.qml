import QtQuick
import QtQuick.Controls
import Consilium

// The 3D view with its text: PET MIP rotating (click to stop, drag to turn) or volume rendering with a preset.
Item {
    id: overlay
    property alias view: volumeView
    property alias session: volumeView.session
    property alias seriesUid: volumeView.seriesUid
    property alias mode: volumeView.mode
    property bool overlayText: true
    signal activated()
    clip: true

    VolumeView {
        id: volumeView
        anchors.fill: parent
        rotating: mode === "mip"
        onInteractingChanged: if (interacting) overlay.activated()
    }
    Column {
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: 6
        visible: overlay.overlayText
        Label {
            text: volumeView.session ? volumeView.session.patientText : ""
            color: volumeView.mode === "mip" ? "#1f2933" : "#e8edf2"
            font.pixelSize: Theme.small
        }
        Label {
            text: (volumeView.session ? volumeView.session.modality(volumeView.seriesUid) + " "
                                        + volumeView.session.description(volumeView.seriesUid) : "")
                  + " · " + volumeView.windowText
            color: volumeView.mode === "mip" ? "#1f2933" : "#e8edf2"
            font.pixelSize: Theme.small
        }
    }
    Label {
        anchors.bottom: parent.bottom
        anchors.left: parent.left
        anchors.margins: 6
        text: volumeView.interacting ? qsTr("Preview resolution") : (volumeView.rotating ? qsTr("Rotating · drag to turn") : qsTr("Drag to turn, right-drag or wheel to zoom"))
        color: volumeView.mode === "mip" ? "#5f6b7a" : "#aab4be"
        font.pixelSize: Theme.small
        visible: overlay.overlayText && volumeView.ready
    }
    Label {
        anchors.centerIn: parent
        text: volumeView.status
        visible: text.length > 0
        color: "#d8dee4"
    }
}
