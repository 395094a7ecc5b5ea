pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Consilium

// One viewport of the reading surface: an MPR slice view (SliceView) or the 3D view (VolumeView), its tool strip,
// and the overlays a radiologist expects (crosshair, orientation letters, scale bar, patient/series/slice text,
// cursor readout). Drop a series from the browser onto it.
Rectangle {
    id: viewport
    required property ReadingSession session
    property ImagingMeasurements measurements: null
    property string viewKind: "slice"
    property string seriesUid
    property string planeOrientation: "axial"
    property string fusedSeriesUid
    property string volumeMode: "mip"
    property bool active: false
    property bool overlayText: true
    readonly property bool showsSlice: viewKind === "slice" && seriesUid.length > 0
    readonly property bool showsVolume: viewKind === "volume" && seriesUid.length > 0
    readonly property SliceView sliceView: sliceOverlay.view
    readonly property VolumeView volumeView: volumeOverlay.view

    // Where a key image of the slice view comes from: series, slice and window, as the overlay shows them.
    function sliceSource(): string {
        const v = sliceOverlay.view
        let parts = []
        for (const part of [v.seriesText, v.sliceText, v.windowText])
            if (part.length > 0)
                parts.push(part)
        return parts.join(", ")
    }
    signal activated()
    signal seriesDropped(string uid)
    signal changeRequested(var change)

    color: "black"
    border.width: active ? 2 : 1
    border.color: active ? Theme.accent : "#2a3138"

    function request(values) {
        const change = { kind: viewport.viewKind, series: viewport.seriesUid, orientation: viewport.planeOrientation,
                         fused: viewport.fusedSeriesUid, mode: viewport.volumeMode }
        for (const key in values)
            change[key] = values[key]
        viewport.changeRequested(change)
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: viewport.border.width
        spacing: 0

        // Tool strip
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 30
            color: "#1b2127"
            clip: true  // a narrow viewport hides the last tools rather than spilling into its neighbour
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 4
                spacing: 0
                Repeater {
                    model: [["axial", "Ax"], ["coronal", "Cor"], ["sagittal", "Sag"], ["3d", "3D"]]
                    delegate: StripButton {
                        required property var modelData
                        text: modelData[1]
                        checkable: true
                        checked: modelData[0] === "3d" ? viewport.viewKind === "volume"
                                                       : viewport.viewKind === "slice" && viewport.planeOrientation === modelData[0]
                        onClicked: modelData[0] === "3d" ? viewport.request({ kind: "volume", fused: "" })
                                                         : viewport.request({ kind: "slice", orientation: modelData[0] })
                    }
                }
                ToolSeparator { Layout.preferredHeight: 24 }
                KeyImageButton {
                    visible: viewport.showsSlice || viewport.showsVolume
                    caseReference: viewport.session.caseReference
                    target: picture
                    source: viewport.showsSlice ? viewport.sliceSource()
                                                : qsTr("3D, series %1").arg(viewport.session.description(viewport.seriesUid))
                }
                SliceTools {
                    Layout.preferredHeight: 30
                    visible: viewport.showsSlice
                    view: sliceOverlay.view
                    session: viewport.session
                    onFuseRequested: uid => viewport.request({ fused: uid })
                }
                VolumeTools {
                    Layout.preferredHeight: 30
                    visible: viewport.showsVolume
                    view: volumeOverlay.view
                    onModeRequested: mode => viewport.request({ mode: mode })
                }
                Item { Layout.fillWidth: true }
            }
        }

        // Both kinds exist; the one not shown gets no series, so it neither loads nor renders anything.
        Item {
            id: picture  // what a key image shows: the view with its overlays
            Layout.fillWidth: true
            Layout.fillHeight: true
            SliceOverlay {
                id: sliceOverlay
                anchors.fill: parent
                measurements: viewport.measurements
                visible: viewport.showsSlice
                session: viewport.session
                seriesUid: viewport.showsSlice && viewport.visible ? viewport.seriesUid : ""
                fusedSeriesUid: viewport.showsSlice ? viewport.fusedSeriesUid : ""
                orientation: viewport.planeOrientation
                overlayText: viewport.overlayText
                onActivated: viewport.activated()
            }
            VolumeOverlay {
                id: volumeOverlay
                anchors.fill: parent
                visible: viewport.showsVolume
                session: viewport.session
                seriesUid: viewport.showsVolume && viewport.visible ? viewport.seriesUid : ""
                mode: viewport.volumeMode
                overlayText: viewport.overlayText
                onActivated: viewport.activated()
            }
            Label {
                anchors.centerIn: parent
                visible: viewport.seriesUid.length === 0
                text: qsTr("Drop a series here")
                color: "#6b7785"
            }
        }
    }

    DropArea {
        anchors.fill: parent
        keys: ["consilium/series"]
        onDropped: drop => viewport.seriesDropped(drop.source.seriesUid)
        Rectangle {
            anchors.fill: parent
            color: Theme.accent
            opacity: parent.containsDrag ? 0.25 : 0
        }
    }
}
