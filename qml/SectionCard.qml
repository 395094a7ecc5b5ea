import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A titled white card: the building block of the overview.
Rectangle {
    id: card
    property string title
    property string subtitle
    default property alias content: body.data
    property alias actions: actionRow.data

    color: Theme.surface
    border.color: Theme.border
    radius: Theme.radius
    implicitHeight: column.implicitHeight + 2 * Theme.gap

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: 8
        RowLayout {
            Layout.fillWidth: true
            Label {
                text: card.title
                font.pixelSize: Theme.title - 2
                font.weight: Font.DemiBold
                color: Theme.text
            }
            Label {
                text: card.subtitle
                color: Theme.muted
                font.pixelSize: Theme.small
                visible: text.length > 0
                Layout.fillWidth: true
            }
            Item { Layout.fillWidth: card.subtitle.length === 0 }
            Row { id: actionRow; spacing: 6 }
        }
        ColumnLayout {
            id: body
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 6
        }
    }
}
