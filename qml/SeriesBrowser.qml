pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Consilium

// The case's series grouped by study: thumbnail, modality, description, slices and any warning. Drag one onto a
// viewport, or double-click it to show it in the active viewport.
Rectangle {
    id: browser
    required property ReadingSession session
    signal seriesChosen(string uid)
    color: "#161b20"

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        Label {
            text: qsTr("Series")
            color: "#d8dee4"
            font.weight: Font.DemiBold
            Layout.margins: 10
        }
        ListView {
            id: list
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 4
            model: browser.session.series
            delegate: Column {
                id: entry
                required property var modelData
                width: ListView.view.width
                // The study's name above its first series (a section delegate would do, but Qt 6.4 cannot create
                // one in a file with bound components).
                Label {
                    visible: entry.modelData.firstOfStudy
                    text: entry.modelData.study + "  " + entry.modelData.studyDate
                    color: "#8fa3b5"
                    font.pixelSize: Theme.small
                    font.capitalization: Font.AllUppercase
                    leftPadding: 10
                    topPadding: 8
                    bottomPadding: 4
                    width: entry.width
                    elide: Text.ElideRight
                }
                Rectangle {
                    id: row
                    readonly property var modelData: entry.modelData
                    width: entry.width - 8
                    x: 4
                    height: Math.max(72, details.implicitHeight + 12)
                    radius: Theme.radius
                    color: mouse.containsMouse ? "#243039" : "#1d242b"
                    border.color: "#2c3842"

                    RowLayout {
                        anchors.fill: parent
                        anchors.margins: 6
                        spacing: 8
                        Image {
                            source: row.modelData.thumbnail
                            visible: row.modelData.thumbnail.length > 0
                            Layout.preferredWidth: 60
                            Layout.preferredHeight: 60
                            fillMode: Image.PreserveAspectFit
                            asynchronous: true
                            sourceSize.width: 120
                            sourceSize.height: 120
                        }
                        ColumnLayout {
                            id: details
                            Layout.fillWidth: true
                            spacing: 1
                            Label {
                                text: row.modelData.modality + "  " + row.modelData.description
                                color: "white"
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                                font.weight: Font.DemiBold
                            }
                            Label {
                                text: (row.modelData.slices > 0 ? qsTr("%1 slices").arg(row.modelData.slices)
                                                                : qsTr("%1 images").arg(row.modelData.images))
                                      + (row.modelData.loading ? qsTr(" · loading…") : "")
                                color: "#aab4be"
                                font.pixelSize: Theme.small
                            }
                            Repeater {
                                model: row.modelData.warnings
                                delegate: Label {
                                    required property string modelData
                                    text: "⚠ " + modelData
                                    color: "#f0c36d"
                                    font.pixelSize: Theme.small
                                    wrapMode: Text.WordWrap
                                    Layout.fillWidth: true
                                }
                            }
                        }
                    }

                    MouseArea {
                        id: mouse
                        anchors.fill: parent
                        hoverEnabled: true
                        drag.target: ghost
                        onReleased: ghost.Drag.drop()
                        onDoubleClicked: browser.seriesChosen(row.modelData.seriesUid)
                    }

                    // What travels while dragging: the series' name on a chip, above everything.
                    Rectangle {
                        id: ghost
                        property string seriesUid: row.modelData.seriesUid
                        width: ghostLabel.implicitWidth + 16
                        height: 26
                        radius: 13
                        color: Theme.accent
                        visible: mouse.drag.active
                        Drag.active: mouse.drag.active
                        Drag.keys: ["consilium/series"]
                        Drag.hotSpot.x: width / 2
                        Drag.hotSpot.y: height / 2
                        Label {
                            id: ghostLabel
                            anchors.centerIn: parent
                            text: row.modelData.modality + " " + row.modelData.description
                            color: "white"
                        }
                        states: State {
                            when: mouse.drag.active
                            ParentChange { target: ghost; parent: browser.Window.contentItem }
                        }
                    }
                }
            }
        }
    }
}
