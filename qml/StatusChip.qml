import QtQuick
import QtQuick.Controls

// A case's status or deadline as a coloured pill.
Rectangle {
    id: chip
    property string text
    property string tone: "neutral"   // neutral, ok, warn, danger, accent

    readonly property color foreground: tone === "danger" ? Theme.danger : tone === "warn" ? Theme.warn
                                      : tone === "ok" ? Theme.ok : tone === "accent" ? Theme.accent : Theme.muted
    color: tone === "danger" ? Theme.dangerSoft : tone === "warn" ? Theme.warnSoft
         : tone === "ok" ? Theme.okSoft : tone === "accent" ? Theme.accentSoft : "#eef1f4"
    radius: height / 2
    implicitWidth: label.implicitWidth + 18
    implicitHeight: label.implicitHeight + 6

    Label {
        id: label
        anchors.centerIn: parent
        text: chip.text
        color: chip.foreground
        font.pixelSize: Theme.small
        font.weight: Font.DemiBold
    }
}
