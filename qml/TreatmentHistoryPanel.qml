pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Consilium

// What the patient has had so far, line by line; each edit is saved and audited at once.
SectionCard {
    id: panel
    property TreatmentHistoryModel history

    title: qsTr("Treatment history")
    subtitle: qsTr("systemic, radiation, surgery")
    actions: [
        Button {
            text: qsTr("Add line")
            flat: true
            onClicked: editor.openFor(-1, { kind: "systemic", regimen: "", dose: "", startedOn: "", endedOn: "", response: "" })
        }
    ]

    TreatmentLineDialog {
        id: editor
        parent: Overlay.overlay
        anchors.centerIn: parent
        history: panel.history
    }

    Label {
        visible: lines.count === 0
        text: qsTr("No treatment recorded yet.")
        color: Theme.muted
    }

    Repeater {
        id: lines
        model: panel.history
        delegate: ItemDelegate {
            id: line
            required property int index
            required property string kind
            required property string kindText
            required property string regimen
            required property string dose
            required property string startedOn
            required property string endedOn
            required property string period
            required property string response
            Layout.fillWidth: true
            onClicked: editor.openFor(line.index, { kind: line.kind, regimen: line.regimen, dose: line.dose, startedOn: line.startedOn, endedOn: line.endedOn, response: line.response })
            contentItem: RowLayout {
                spacing: 12
                StatusChip {
                    text: line.kindText
                    tone: line.kind === "systemic" ? "accent" : line.kind === "radiation" ? "warn" : "neutral"
                    Layout.preferredWidth: 86
                    Layout.alignment: Qt.AlignTop
                }
                ColumnLayout {
                    spacing: 1
                    Layout.fillWidth: true
                    Label { text: line.regimen + (line.dose ? " — " + line.dose : ""); color: Theme.text; wrapMode: Text.WordWrap; Layout.fillWidth: true; font.weight: Font.DemiBold }
                    Label { text: line.period + (line.response ? " · " + line.response : ""); color: Theme.muted; font.pixelSize: Theme.small; wrapMode: Text.WordWrap; Layout.fillWidth: true }
                }
            }
        }
    }
}
