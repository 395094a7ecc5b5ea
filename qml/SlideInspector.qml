pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Consilium

// The active slide at a glance: its overview with the viewport outlined (click to go there), the label and macro
// images the scanner kept, and the file's properties.
Rectangle {
    id: inspector
    required property SlideSession session
    property SlideView view: null
    property SlideAnnotations annotations: null
    readonly property var details: inspector.view && inspector.view.ready ? inspector.session.details(inspector.view.slideId) : ({})
    color: "#161b20"
    Material.theme: Material.Dark  // the annotation panel's fields readable on the dark surface

    Flickable {
        anchors.fill: parent
        contentHeight: column.implicitHeight + 20
        clip: true
        ScrollBar.vertical: ScrollBar {}

        ColumnLayout {
            id: column
            x: 10
            y: 10
            width: inspector.width - 20
            spacing: 8

            Label { text: qsTr("Overview"); color: "#d8dee4"; font.weight: Font.DemiBold }
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: overview.status === Image.Ready
                                        ? width * overview.implicitHeight / Math.max(1, overview.implicitWidth) : 120
                color: "#0f1316"
                Image {
                    id: overview
                    anchors.fill: parent
                    source: inspector.view && inspector.view.ready ? "image://slideimage/" + inspector.view.slideId + "/overview" : ""
                    sourceSize.width: 560
                    sourceSize.height: 560
                    fillMode: Image.PreserveAspectFit
                    asynchronous: true
                }
                // The part of the slide the view shows.
                Rectangle {
                    readonly property rect r: inspector.view ? inspector.view.visibleRegion : Qt.rect(0, 0, 0, 0)
                    visible: overview.status === Image.Ready
                    x: Math.max(0, r.x) * overview.width
                    y: Math.max(0, r.y) * overview.height
                    width: Math.max(3, (Math.min(1, r.x + r.width) - Math.max(0, r.x)) * overview.width)
                    height: Math.max(3, (Math.min(1, r.y + r.height) - Math.max(0, r.y)) * overview.height)
                    color: "transparent"
                    border.color: "#00d0ff"
                    border.width: 2
                }
                MouseArea {
                    anchors.fill: parent
                    enabled: inspector.view !== null && inspector.view.ready
                    onClicked: mouse => inspector.view.centreOnNormalised(Qt.point(mouse.x / width, mouse.y / height))
                    onPositionChanged: mouse => {
                        if (pressed)
                            inspector.view.centreOnNormalised(Qt.point(mouse.x / width, mouse.y / height))
                    }
                }
            }

            AnnotationPanel {
                annotations: inspector.annotations
                visible: inspector.annotations !== null && inspector.view !== null && inspector.view.ready
                Layout.fillWidth: true
            }

            Repeater {
                model: inspector.details.associated ?? []
                delegate: ColumnLayout {
                    id: associated
                    required property string modelData
                    visible: modelData !== "thumbnail"
                    Layout.fillWidth: true
                    spacing: 4
                    Label {
                        text: associated.modelData.charAt(0).toUpperCase() + associated.modelData.slice(1)
                        color: "#d8dee4"
                        font.weight: Font.DemiBold
                    }
                    Image {
                        source: associated.visible ? "image://slideimage/" + inspector.view.slideId + "/" + associated.modelData : ""
                        asynchronous: true
                        fillMode: Image.PreserveAspectFit
                        Layout.fillWidth: true
                        Layout.preferredHeight: status === Image.Ready ? width * implicitHeight / Math.max(1, implicitWidth) : 40
                    }
                }
            }

            Label { text: qsTr("Slide"); color: "#d8dee4"; font.weight: Font.DemiBold; Layout.topMargin: 6 }
            Repeater {
                model: [
                    [qsTr("Format"), inspector.details.vendor ?? ""],
                    [qsTr("Size"), inspector.details.size ?? ""],
                    [qsTr("Calibration"), inspector.details.calibration ?? ""],
                    [qsTr("Objective"), inspector.details.objective ?? ""],
                    [qsTr("Levels"), (inspector.details.levels ?? []).join("\n")],
                    [qsTr("Background"), inspector.details.background ?? ""],
                    [qsTr("Quickhash"), inspector.details.quickhash ?? ""]
                ]
                delegate: RowLayout {
                    id: fact
                    required property var modelData
                    required property int index
                    Layout.fillWidth: true
                    spacing: 8
                    Label {
                        text: fact.modelData[0]
                        color: "#8fa3b5"
                        font.pixelSize: Theme.small
                        Layout.preferredWidth: 78
                        Layout.alignment: Qt.AlignTop
                    }
                    Label {
                        text: fact.modelData[1]
                        textFormat: Text.PlainText
                        color: fact.index === 2 && !(inspector.details.calibrated ?? true) ? "#f0c36d" : "#e6ebef"
                        font.pixelSize: Theme.small
                        wrapMode: Text.WrapAnywhere
                        Layout.fillWidth: true
                    }
                }
            }

            Label { text: qsTr("Properties in the file"); color: "#d8dee4"; font.weight: Font.DemiBold; Layout.topMargin: 6 }
            Repeater {
                model: inspector.details.properties ?? []
                delegate: ColumnLayout {
                    id: property
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: 0
                    Label {
                        text: property.modelData.key
                        textFormat: Text.PlainText
                        color: "#8fa3b5"
                        font.pixelSize: Theme.small
                        Layout.fillWidth: true
                        elide: Text.ElideMiddle
                    }
                    Label {
                        text: property.modelData.value
                        textFormat: Text.PlainText
                        color: "#e6ebef"
                        font.pixelSize: Theme.small
                        wrapMode: Text.WrapAnywhere
                        maximumLineCount: 6
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                        Layout.leftMargin: 8
                    }
                }
            }
        }
    }
}
