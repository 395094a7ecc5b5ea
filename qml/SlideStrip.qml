pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Consilium

// The case's slides: overview thumbnail and title. A click shows the slide in the active pane.
Rectangle {
    id: strip
    required property SlideSession session
    property int currentId: 0
    signal slideChosen(int id)
    color: "#161b20"

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        Label {
            text: qsTr("Slides")
            color: "#d8dee4"
            font.weight: Font.DemiBold
            Layout.margins: 10
        }
        Label {
            visible: strip.session.error.length > 0 || strip.session.slides.length === 0
            text: strip.session.error.length > 0 ? strip.session.error : qsTr("No slides in this case.")
            color: strip.session.error.length > 0 ? "#f2a49b" : "#8fa3b5"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.margins: 10
        }
        ListView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 6
            model: strip.session.slides
            delegate: Rectangle {
                id: entry
                required property var modelData
                width: ListView.view.width - 8
                x: 4
                height: 150
                radius: Theme.radius
                color: entry.modelData.id === strip.currentId ? "#25404f" : (mouse.containsMouse ? "#243039" : "#1d242b")
                border.color: entry.modelData.id === strip.currentId ? Theme.accent : "#2c3842"
                ColumnLayout {
                    anchors.fill: parent
                    anchors.margins: 6
                    spacing: 4
                    Image {
                        source: entry.modelData.overview
                        sourceSize.width: 256
                        sourceSize.height: 256
                        fillMode: Image.PreserveAspectFit
                        asynchronous: true
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        BusyIndicator {
                            anchors.centerIn: parent
                            running: parent.status === Image.Loading
                            width: 28
                            height: 28
                        }
                    }
                    Label {
                        text: entry.modelData.title
                        color: "#e6ebef"
                        font.pixelSize: Theme.small
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                }
                MouseArea {
                    id: mouse
                    anchors.fill: parent
                    hoverEnabled: true
                    onClicked: strip.slideChosen(entry.modelData.id)
                }
            }
        }
    }
}
