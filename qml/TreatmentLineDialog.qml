import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Consilium

// Adds or edits one line of the treatment history.
Dialog {
    id: dialog
    property TreatmentHistoryModel history
    property int row: -1

    function openFor(index, fields) {
        row = index
        kindBox.currentIndex = Math.max(0, kinds.findIndex(k => k.value === fields.kind))
        regimen.text = fields.regimen
        dose.text = fields.dose
        started.text = fields.startedOn
        ended.text = fields.endedOn
        response.text = fields.response
        error.text = ""
        open()
    }

    readonly property var kinds: [{ value: "systemic", text: qsTr("Systemic therapy") },
                                  { value: "radiation", text: qsTr("Radiation") },
                                  { value: "surgery", text: qsTr("Surgery / procedure") }]

    objectName: "treatmentLineDialog"
    title: row < 0 ? qsTr("Add treatment") : qsTr("Edit treatment")
    modal: true
    width: 620
    footer: FormFooter {
        onSubmit: dialog.submit()
        onCancel: dialog.reject()
    }
    function submit() {
        const fields = { kind: kindBox.currentValue, regimen: regimen.text, dose: dose.text,
                         startedOn: started.text, endedOn: ended.text, response: response.text }
        const message = row < 0 ? history.add(fields) : history.update(row, fields)
        if (message.length > 0)
            error.text = message
        else
            accept()
    }

    GridLayout {
        anchors.fill: parent
        columns: 4
        columnSpacing: 12
        rowSpacing: 6
        Label { text: qsTr("Kind") }
        ComboBox { id: kindBox; model: dialog.kinds; textRole: "text"; valueRole: "value"; Layout.columnSpan: 3; Layout.fillWidth: true }
        Label { text: qsTr("Regimen / site / operation") }
        TextField { id: regimen; Layout.columnSpan: 3; Layout.fillWidth: true; placeholderText: qsTr("e.g. Carboplatin + pemetrexed") }
        Label { text: qsTr("Dose / schedule") }
        TextField { id: dose; Layout.columnSpan: 3; Layout.fillWidth: true; placeholderText: qsTr("e.g. AUC 5 + 500 mg/m² q3w × 4; 60 Gy / 30 fx") }
        Label { text: qsTr("Start") }
        TextField { id: started; placeholderText: "YYYY-MM-DD"; Layout.fillWidth: true }
        Label { text: qsTr("End") }
        TextField { id: ended; objectName: "endedField"; placeholderText: "YYYY-MM-DD"; Layout.fillWidth: true }
        Label { text: qsTr("Response") }
        TextField { id: response; Layout.columnSpan: 3; Layout.fillWidth: true; placeholderText: qsTr("as documented, e.g. partial response (RECIST)") }
        Button {
            text: qsTr("Delete this line")
            visible: dialog.row >= 0
            flat: true
            Material.foreground: Theme.danger
            Layout.columnSpan: 4
            onClicked: {
                error.text = dialog.history.remove(dialog.row)
                if (error.text.length === 0)
                    dialog.close()
            }
        }
        Label { id: error; objectName: "errorLabel"; color: Theme.danger; visible: text.length > 0; wrapMode: Text.WordWrap; Layout.columnSpan: 4; Layout.fillWidth: true }
    }
}
