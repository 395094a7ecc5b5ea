import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Consilium

// Captures `target` as shown, at the screen's resolution, into the written review's key images, with a caption the
// reviewer writes and `source` (where it came from) filled in.
StripButton {
    id: button
    property string caseReference: ""
    property Item target: null
    property string source: ""
    text: qsTr("Key image")
    onClicked: {
        caption.text = ""
        message.text = ""
        popup.open()
        caption.forceActiveFocus()
    }

    KeyImages {
        id: keyImages
        caseReference: button.caseReference
    }

    Popup {
        id: popup
        y: button.height + 4
        width: 420
        padding: 12
        modal: true
        ColumnLayout {
            anchors.fill: parent
            spacing: 8
            Label { text: qsTr("Key image for the written review"); font.weight: Font.DemiBold }
            Label { text: button.source; color: Theme.muted; font.pixelSize: Theme.small; wrapMode: Text.Wrap; Layout.fillWidth: true }
            TextField {
                id: caption
                placeholderText: qsTr("Caption: what the reader should see")
                Layout.fillWidth: true
                onAccepted: save.clicked()
            }
            Label { id: message; color: Theme.danger; wrapMode: Text.Wrap; visible: text.length > 0; Layout.fillWidth: true }
            RowLayout {
                Label {
                    text: qsTr("%n key image(s) in this review", "", keyImages.count)
                    color: Theme.muted
                    font.pixelSize: Theme.small
                    Layout.fillWidth: true
                }
                Button { text: qsTr("Cancel"); flat: true; onClicked: popup.close() }
                Button {
                    id: save
                    text: qsTr("Save")
                    highlighted: true
                    onClicked: {
                        const text = caption.text
                        popup.close()  // not in the picture
                        button.target.grabToImage(result => {
                            message.text = keyImages.add(result.image, text, button.source)
                            if (message.text.length > 0)
                                popup.open()
                        })
                    }
                }
            }
        }
    }
}
