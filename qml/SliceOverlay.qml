pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Consilium

// An MPR view with its overlays: crosshair lines (in the colours of the planes they stand for), orientation
// letters, scale bar, patient/series/slice/window text, the cursor readout, a slice slider, and any notice (PET
// not in SUV, fusion refused).
Item {
    id: overlay
    property alias view: sliceView
    property alias session: sliceView.session
    property alias seriesUid: sliceView.seriesUid
    property alias fusedSeriesUid: sliceView.fusedSeriesUid
    property alias orientation: sliceView.orientation
    property bool overlayText: true
    property ImagingMeasurements measurements: null
    signal activated()
    clip: true

    SliceView {
        id: sliceView
        anchors.fill: parent
        onActiveFocusChanged: if (activeFocus) overlay.activated()
    }

    // Crosshair: where the other planes cut this one.
    Repeater {
        model: sliceView.ready || sliceView.status.length === 0 ? sliceView.crosshairLines : []
        delegate: Rectangle {
            required property var modelData
            readonly property real span: 2 * Math.hypot(overlay.width, overlay.height)
            x: sliceView.crosshair.x - span / 2
            y: sliceView.crosshair.y - 0.5
            width: span
            height: 1
            color: modelData.color
            opacity: 0.75
            rotation: modelData.angle
        }
    }

    MeasurementOverlay {
        view: sliceView
        measurements: overlay.measurements
    }

    // Orientation letters: left, top, right, bottom.
    component Letter: Label {
        color: "#f2d16b"
        font.pixelSize: 15
        font.weight: Font.DemiBold
        style: Text.Outline
        styleColor: "black"
    }
    Letter { text: sliceView.letters[0] ?? ""; anchors.left: parent.left; anchors.leftMargin: 6; anchors.verticalCenter: parent.verticalCenter }
    Letter { text: sliceView.letters[1] ?? ""; anchors.top: parent.top; anchors.topMargin: 4; anchors.horizontalCenter: parent.horizontalCenter }
    Letter { text: sliceView.letters[2] ?? ""; anchors.right: parent.right; anchors.rightMargin: 26; anchors.verticalCenter: parent.verticalCenter }
    Letter { text: sliceView.letters[3] ?? ""; anchors.bottom: parent.bottom; anchors.bottomMargin: 22; anchors.horizontalCenter: parent.horizontalCenter }

    component OverlayText: Label {
        color: "#e8edf2"
        font.pixelSize: Theme.small
        style: Text.Outline
        styleColor: "black"
        visible: overlay.overlayText
    }
    Column {
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: 6
        OverlayText { text: sliceView.session ? sliceView.session.patientText : "" }
        OverlayText { text: sliceView.seriesText }
    }
    Column {
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: 6
        anchors.bottomMargin: 24
        OverlayText { text: sliceView.sliceText }
        OverlayText { text: sliceView.windowText + (sliceView.invert ? qsTr(" · inverted") : "") }
        OverlayText {
            visible: overlay.overlayText && sliceView.fusedSeriesUid.length > 0 && sliceView.notice.length === 0
            text: qsTr("Fused PET %1 %2–%3, opacity %4 %").arg(sliceView.fusedUnitText)
                  .arg(sliceView.fusedLow.toFixed(1)).arg(sliceView.fusedHigh.toFixed(1))
                  .arg(Math.round(sliceView.fusionOpacity * 100))
        }
    }
    OverlayText {
        anchors.bottom: parent.bottom
        anchors.left: parent.left
        anchors.margins: 6
        visible: true
        text: sliceView.readout
        color: "#9fe0ff"
    }

    // Scale bar
    Column {
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.rightMargin: 24
        anchors.bottomMargin: 26
        spacing: 2
        visible: sliceView.scaleBarPixels > 0
        Rectangle { width: sliceView.scaleBarPixels; height: 2; color: "#e8edf2"; anchors.right: parent.right }
        OverlayText { text: sliceView.scaleBarLabel; anchors.right: parent.right; visible: true }
    }

    Slider {
        id: slider
        orientation: Qt.Vertical
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.topMargin: 24
        anchors.bottomMargin: 24
        width: 20
        from: Math.max(0, sliceView.sliceCount - 1)
        to: 0
        stepSize: 1
        value: sliceView.sliceIndex
        visible: sliceView.sliceCount > 1
        onMoved: sliceView.sliceIndex = Math.round(value)
    }

    Label {
        anchors.centerIn: parent
        width: parent.width - 40
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
        text: sliceView.status
        visible: text.length > 0
        color: "#d8dee4"
    }
    Label {
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: 6
        anchors.rightMargin: 26
        width: Math.min(implicitWidth, parent.width * 0.55)
        wrapMode: Text.WordWrap
        horizontalAlignment: Text.AlignRight
        text: sliceView.notice
        visible: text.length > 0
        color: "#ffb74d"
        font.pixelSize: Theme.small
        style: Text.Outline
        styleColor: "black"
    }
}
