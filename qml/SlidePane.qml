pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Consilium

// One slide on screen: the SlideView with its tool strip (objective presets, fit, rotation) and overlays
// (magnification, scale bar, cursor position, the reason when the slide cannot be shown).
Rectangle {
    id: pane
    required property SlideSession session
    property alias slideId: slideView.slideId
    property alias view: slideView
    property alias annotations: marks
    property bool active: true
    property SlideView syncPartner: null
    property string caseReference: ""
    readonly property string title: {
        const slides = pane.session.slides
        for (let i = 0; i < slides.length; ++i)
            if (slides[i].id === pane.slideId)
                return slides[i].title
        return ""
    }
    readonly property bool settled: slideView.sharp || (slideView.status.length > 0 && slideView.status !== qsTr("Opening the slide…"))
    signal activated()

    color: "#2b3036"
    border.color: pane.active ? Theme.accent : "#2b3036"
    border.width: 1

    Rectangle {
        id: tools
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 1
        height: 32
        color: "#1d242b"
        clip: true
        Row {
            anchors.verticalCenter: parent.verticalCenter
            anchors.left: parent.left
            anchors.leftMargin: 6
            spacing: 2
            Repeater {
                model: slideView.ready ? slideView.magnificationPresets() : []
                delegate: StripButton {
                    required property real modelData
                    text: modelData + "×"
                    checked: Math.abs(slideView.magnification - modelData) < 0.01 * modelData
                    onClicked: slideView.zoomToMagnification(modelData)
                }
            }
            StripButton {
                text: qsTr("Fit")
                enabled: slideView.ready
                onClicked: slideView.fit()
            }
            StripButton {
                text: qsTr("Rotate 90°")
                enabled: slideView.ready
                onClicked: slideView.rotateClockwise()
            }
            KeyImageButton {
                enabled: slideView.ready && marks.editable
                caseReference: pane.caseReference
                target: picture
                source: qsTr("Slide “%1”, %2, centre x %3 y %4 px, scale bar %5").arg(pane.title)
                        .arg(slideView.magnificationText).arg(Math.round(slideView.centre.x))
                        .arg(Math.round(slideView.centre.y)).arg(slideView.scaleBarText)
            }
        }
        Label {
            anchors.right: parent.right
            anchors.rightMargin: 10
            anchors.verticalCenter: parent.verticalCenter
            text: slideView.magnificationText
            color: "white"
            font.pixelSize: Theme.body
            font.weight: Font.DemiBold
        }
    }

    SlideAnnotations {
        id: marks
        session: pane.session
        slideId: slideView.ready ? slideView.slideId : 0
    }

    // What a key image shows: the slide with its marks, their labels and the scale bar (not the tools).
    Item {
        id: picture
        anchors.top: tools.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 1

        SlideView {
            id: slideView
            session: pane.session
            annotations: marks
            syncPartner: pane.syncPartner
            anchors.fill: parent
            onActiveFocusChanged: if (activeFocus) pane.activated()

            // Two-finger pinch on a touch screen or trackpad: zoom about the fingers.
            PinchHandler {
                id: pinch
                target: null
                property real last: 1
                onActiveChanged: last = 1
                onActiveScaleChanged: {
                    slideView.zoomBy(activeScale / last, centroid.position)
                    last = activeScale
                }
            }
        }

        // Labels of the marks in view, beside them.
        Repeater {
            model: slideView.labels
            delegate: Label {
                required property var modelData
                x: modelData.x - width / 2
                y: modelData.y - height - 4
                visible: y > 0 && y < slideView.height
                text: modelData.text
                color: "white"
                font.pixelSize: Theme.small
                padding: 2
                background: Rectangle { color: "#aa1b2127"; radius: 2 }
            }
        }

        // Scale bar, bottom left, on a translucent plate so it reads over any stain.
        Rectangle {
            visible: slideView.ready && slideView.scaleBarLength > 0
            anchors.left: slideView.left
            anchors.bottom: slideView.bottom
            anchors.margins: 12
            width: Math.max(bar.width, scaleText.implicitWidth) + 16
            height: 34
            radius: 4
            color: "#cc1b2127"
            Rectangle {
                id: bar
                x: 8
                y: 24
                width: slideView.scaleBarLength
                height: 4
                color: slideView.calibrated ? "white" : "#f0c36d"
            }
            Label {
                id: scaleText
                x: 8
                y: 4
                text: slideView.scaleBarText
                color: slideView.calibrated ? "white" : "#f0c36d"
                font.pixelSize: Theme.small
            }
        }

    }

    // The annotation tools, down the left edge of the view.
    Rectangle {
        visible: slideView.ready
        anchors.left: picture.left
        anchors.top: picture.top
        anchors.margins: 8
        width: toolColumn.implicitWidth + 8
        height: toolColumn.implicitHeight + 8
        radius: 4
        color: "#dd1b2127"
        Column {
            id: toolColumn
            x: 4
            y: 4
            spacing: 2
            Repeater {
                model: [
                    { tool: "pan", text: qsTr("Select / pan") },
                    { tool: "point", text: qsTr("Point · count") },
                    { tool: "ruler", text: qsTr("Ruler") },
                    { tool: "rectangle", text: qsTr("Rectangle") },
                    { tool: "ellipse", text: qsTr("Ellipse") },
                    { tool: "polygon", text: qsTr("Polygon") },
                    { tool: "freehand", text: qsTr("Freehand") }
                ]
                delegate: StripButton {
                    required property var modelData
                    width: 104
                    text: modelData.text
                    checkable: true
                    checked: slideView.tool === modelData.tool
                    enabled: modelData.tool === "pan" || marks.editable
                    onClicked: slideView.tool = modelData.tool
                }
            }
        }
    }

    Label {
        visible: slideView.cursorText.length > 0
        anchors.right: picture.right
        anchors.bottom: picture.bottom
        anchors.margins: 12
        text: slideView.cursorText
        color: "white"
        font.pixelSize: Theme.small
        padding: 4
        background: Rectangle { color: "#991b2127"; radius: 3 }
    }

    ColumnLayout {
        anchors.centerIn: picture
        width: Math.min(picture.width - 40, 520)
        visible: !slideView.ready && slideView.status.length > 0
        spacing: 10
        BusyIndicator {
            running: slideView.status === qsTr("Opening the slide…")
            visible: running
            Layout.alignment: Qt.AlignHCenter
        }
        Label {
            text: slideView.status
            color: slideView.status === qsTr("Opening the slide…") || slideView.status === qsTr("No slide") ? "#c9d3dc" : "#f2a49b"
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignHCenter
            Layout.fillWidth: true
        }
    }
    // A slide that stops being readable while shown keeps its cached tiles on screen, with the reason on top.
    Label {
        visible: slideView.ready && slideView.status.length > 0
        anchors.top: picture.top
        anchors.left: picture.left
        anchors.right: picture.right
        anchors.margins: 8
        text: slideView.status
        color: "white"
        wrapMode: Text.Wrap
        padding: 8
        background: Rectangle { color: Theme.danger; radius: 4 }
    }
}
