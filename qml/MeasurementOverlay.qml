pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Shapes
import Consilium

// The measurements on a slice view's plane, drawn over it with their values, and the drawing gestures of the tool in
// hand: line and arrow (drag), angle (three clicks), bidirectional (drag the long axis, then drag across it),
// ellipse (drag its box), freehand ROI (drag around). Right click or Escape drops what is being drawn.
Item {
    id: layer
    required property SliceView view
    property ImagingMeasurements measurements: null
    readonly property string tool: layer.measurements ? layer.measurements.tool : ""
    property var shapes: []
    property var draft: []  // item points drawn so far
    property point pointer
    anchors.fill: parent

    function refresh() {
        layer.shapes = layer.measurements ? layer.measurements.shapesOn(layer.view) : []
    }
    function finish(points) {
        layer.draft = []
        if (layer.tool === "arrow") {
            arrowLabel.points = points
            arrowLabel.open()
            return
        }
        layer.measurements.add(layer.view, points, "")
    }
    onToolChanged: draft = []
    Connections {
        target: layer.view
        function onViewChanged() { layer.refresh() }
        function onReadyChanged() { layer.refresh() }
    }
    Connections {
        target: layer.measurements
        function onChanged() { layer.refresh() }
    }

    component Outline: Shape {
        id: outline
        property var points: []
        property bool closed: false
        property color colour: "#4fc3f7"
        property real lineWidth: 1.5
        anchors.fill: parent
        ShapePath {
            strokeColor: outline.colour
            strokeWidth: outline.lineWidth
            fillColor: "transparent"
            PathPolyline {
                path: {
                    let p = []
                    for (const q of outline.points)
                        p.push(Qt.point(q.x, q.y))
                    if (outline.closed && p.length > 2)
                        p.push(p[0])
                    return p
                }
            }
        }
    }

    Repeater {
        model: layer.shapes
        delegate: Item {
            id: shape
            required property var modelData
            anchors.fill: parent
            Outline {
                points: shape.modelData.points
                closed: shape.modelData.closed
                colour: shape.modelData.selected ? "#00e5ff" : "#ffd54f"
                lineWidth: shape.modelData.selected ? 2.5 : 1.5
            }
            // The arrow's head at its tip.
            Rectangle {
                visible: shape.modelData.kind === "arrow"
                x: (shape.modelData.points[0]?.x ?? 0) - 4
                y: (shape.modelData.points[0]?.y ?? 0) - 4
                width: 8
                height: 8
                radius: 4
                color: "#ffd54f"
            }
            // The selected measurement's handles: drag one to reshape it (stored when let go).
            Repeater {
                model: shape.modelData.handles
                delegate: Rectangle {
                    id: handle
                    required property var modelData
                    required property int index
                    x: modelData.x - 5
                    y: modelData.y - 5
                    width: 10
                    height: 10
                    color: handleMouse.pressed ? "#00e5ff" : "transparent"
                    border.color: "#00e5ff"
                    border.width: 2
                    MouseArea {
                        id: handleMouse
                        anchors.fill: parent
                        anchors.margins: -4
                        cursorShape: Qt.SizeAllCursor
                        drag.target: handle
                        drag.threshold: 1
                        drag.smoothed: false  // the handle stays under the pointer
                        onReleased: layer.measurements.moveHandle(layer.view, handle.index,
                                                                  Qt.point(handle.x + 5, handle.y + 5))
                    }
                }
            }
            Label {
                x: shape.modelData.textX
                y: shape.modelData.textY
                text: shape.modelData.text
                color: shape.modelData.selected ? "#00e5ff" : "#ffd54f"
                font.pixelSize: Theme.small
                style: Text.Outline
                styleColor: "black"
                MouseArea {
                    anchors.fill: parent
                    onClicked: layer.measurements.selectedId = shape.modelData.id
                }
            }
        }
    }

    Outline {
        points: layer.draft.concat(layer.tool === "angle" || layer.tool === "bidirectional" ? [layer.pointer] : [])
        closed: layer.tool === "polygon"
        colour: "#ffffff"
        visible: layer.draft.length > 0
    }
    // The ellipse being dragged: its box.
    Rectangle {
        visible: layer.tool === "ellipse" && layer.draft.length === 2
        x: Math.min(layer.draft[0]?.x ?? 0, layer.draft[1]?.x ?? 0)
        y: Math.min(layer.draft[0]?.y ?? 0, layer.draft[1]?.y ?? 0)
        width: Math.abs((layer.draft[1]?.x ?? 0) - (layer.draft[0]?.x ?? 0))
        height: Math.abs((layer.draft[1]?.y ?? 0) - (layer.draft[0]?.y ?? 0))
        radius: Math.min(width, height) / 2
        color: "transparent"
        border.color: "white"
    }

    MouseArea {
        id: drawing
        anchors.fill: parent
        enabled: layer.tool !== "" && layer.view.ready
        hoverEnabled: enabled
        acceptedButtons: Qt.LeftButton | Qt.RightButton
        cursorShape: Qt.CrossCursor
        property bool dragging: false
        onPressed: mouse => {
            layer.view.forceActiveFocus()
            if (mouse.button === Qt.RightButton) {
                layer.draft = []
                return
            }
            const p = Qt.point(mouse.x, mouse.y)
            dragging = true
            if (layer.tool === "angle") {
                layer.draft = layer.draft.concat([p])
                dragging = false
                if (layer.draft.length === 3)
                    layer.finish(layer.draft)
            } else if (layer.tool === "bidirectional" && layer.draft.length === 2) {
                layer.draft = layer.draft.concat([p, p])
            } else {
                layer.draft = [p, p]
            }
        }
        onPositionChanged: mouse => {
            const p = Qt.point(mouse.x, mouse.y)
            layer.pointer = p
            if (!dragging || layer.draft.length === 0)
                return
            let d = layer.draft.slice()
            if (layer.tool === "polygon") {
                const last = d[d.length - 1]
                if (Math.hypot(p.x - last.x, p.y - last.y) >= 3)
                    d.push(p)
            } else {
                d[d.length - 1] = p
            }
            layer.draft = d
        }
        onReleased: mouse => {
            if (!dragging)
                return
            dragging = false
            const d = layer.draft
            const span = d.length >= 2 ? Math.hypot(d[d.length - 1].x - d[d.length - 2].x, d[d.length - 1].y - d[d.length - 2].y) : 0
            if (layer.tool === "polygon") {
                if (d.length >= 3)
                    layer.finish(d)
                else
                    layer.draft = []
            } else if (span < 3) {
                layer.draft = []  // a click, not a drag
            } else if (layer.tool === "bidirectional" && d.length === 2) {
                // the long axis is drawn: now drag across it
            } else {
                layer.finish(d)
            }
        }
    }

    Keys.onEscapePressed: layer.draft = []

    Popup {
        id: arrowLabel
        property var points: []
        x: (points[1]?.x ?? 0)
        y: (points[1]?.y ?? 0)
        width: 260
        modal: true
        TextField {
            id: arrowText
            width: parent.width
            placeholderText: qsTr("Arrow label, e.g. new nodule")
            onAccepted: {
                layer.measurements.add(layer.view, arrowLabel.points, text)
                text = ""
                arrowLabel.close()
            }
        }
        onOpened: arrowText.forceActiveFocus()
    }
}
