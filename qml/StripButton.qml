import QtQuick
import QtQuick.Controls

// A compact button for the viewports' tool strips: text centred in the 30 px strip, checked state as a soft fill.
AbstractButton {
    id: control
    implicitWidth: implicitContentWidth + 14
    implicitHeight: 30
    font.pixelSize: Theme.small
    contentItem: Label {
        text: control.text
        font: control.font
        color: control.checked ? "white" : (control.enabled ? "#c9d3dc" : "#5f6b7a")
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
    background: Rectangle {
        radius: 3
        color: control.checked ? Theme.accent : (control.hovered ? "#2a333c" : "transparent")
    }
}
