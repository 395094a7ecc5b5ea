pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Consilium

// Who is working: every change is recorded under this name and role.
Dialog {
    id: dialog
    objectName: "signInDialog"
    title: qsTr("Who is working?")
    modal: true
    closePolicy: Workstation.signedIn ? Popup.CloseOnEscape : Popup.NoAutoClose
    width: 460
    footer: FormFooter {
        saveText: qsTr("Start working")
        cancellable: Workstation.signedIn
        onSubmit: dialog.submit()
        onCancel: dialog.reject()
    }
    onAboutToShow: { nameField.text = Workstation.userName; error.text = "" }

    readonly property var roles: [
        { value: "board-chair", text: qsTr("Board chair") },
        { value: "radiologist", text: qsTr("Radiologist") },
        { value: "pathologist", text: qsTr("Pathologist") }
    ]

    function submit() {
        const message = Workstation.signIn(nameField.text, roles[roleBox.currentIndex].value)
        if (message.length > 0)
            error.text = message
        else
            accept()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 10
        Label {
            text: qsTr("Your name and role are recorded with every change you make to a case.")
            wrapMode: Text.WordWrap
            color: Theme.muted
            Layout.fillWidth: true
        }
        ComboBox {
            id: known
            Layout.fillWidth: true
            visible: Workstation.knownReviewers.length > 0
            model: Workstation.knownReviewers
            textRole: "name"
            displayText: qsTr("Choose a known reviewer…")
            delegate: ItemDelegate {
                required property var modelData
                width: known.width
                text: modelData.name + " — " + modelData.roleText
            }
            onActivated: index => {
                const r = Workstation.knownReviewers[index]
                nameField.text = r.name
                roleBox.currentIndex = dialog.roles.findIndex(x => x.value === r.role)
            }
        }
        TextField {
            id: nameField
            objectName: "nameField"
            placeholderText: qsTr("Name, e.g. Dr Amelia Rossi")
            Layout.fillWidth: true
        }
        ComboBox {
            id: roleBox
            objectName: "roleBox"
            Layout.fillWidth: true
            model: dialog.roles
            textRole: "text"
        }
        Label {
            id: error
            objectName: "errorLabel"
            color: Theme.danger
            visible: text.length > 0
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
    }
}
