import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Cancel / Save for forms that must stay open when what was entered is refused: Save calls submit(), and only
// a successful submit closes the form (a plain Dialog.Save would close it first and lose the user's place).
Pane {
    id: footer
    property string saveText: qsTr("Save")
    property bool cancellable: true
    signal submit()
    signal cancel()

    background: Item {}
    RowLayout {
        anchors.fill: parent
        spacing: 8
        Item { Layout.fillWidth: true }
        Button {
            text: qsTr("Cancel")
            flat: true
            visible: footer.cancellable
            onClicked: footer.cancel()
        }
        Button {
            text: footer.saveText
            highlighted: true
            onClicked: footer.submit()
        }
    }
}
