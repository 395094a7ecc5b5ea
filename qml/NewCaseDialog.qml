import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Consilium

// Intake of a referral: the patient, who referred them, what they ask, and the service ordered.
Dialog {
    id: dialog
    property CaseListModel caseList
    signal created(string reference)

    objectName: "newCaseDialog"
    title: qsTr("New second-opinion case")
    modal: true
    width: 760
    footer: FormFooter {
        saveText: qsTr("Register case")
        onSubmit: dialog.submit()
        onCancel: dialog.reject()
    }
    onAboutToShow: {
        for (const f of [name, birth, patientId, country, institution, oncologist, diagnosis, fee])
            f.text = ""
        question.text = ""
        received.text = Qt.formatDate(new Date(), "yyyy-MM-dd")
        sex.currentIndex = 0
        video.checked = false
        error.text = ""
    }
    function submit() {
        const message = caseList.createCase({
            patientName: name.text, birthDate: birth.text, sex: sex.currentValue, patientId: patientId.text,
            country: country.text, institution: institution.text, oncologist: oncologist.text,
            diagnosis: diagnosis.text, question: question.text, receivedOn: received.text,
            withVideo: video.checked, feeUsd: fee.text
        })
        if (message.length > 0) {
            error.text = message
        } else {
            accept()
            created(caseList.lastCreatedReference)
        }
    }

    GridLayout {
        anchors.fill: parent
        columns: 4
        columnSpacing: 12
        rowSpacing: 6

        Label { text: qsTr("Patient name*") }
        TextField { id: name; objectName: "nameField"; Layout.columnSpan: 3; Layout.fillWidth: true; placeholderText: qsTr("as the referring side writes it, any script") }
        Label { text: qsTr("Date of birth") }
        TextField { id: birth; objectName: "birthField"; placeholderText: "YYYY-MM-DD"; Layout.fillWidth: true }
        Label { text: qsTr("Sex") }
        ComboBox {
            id: sex
            Layout.fillWidth: true
            textRole: "text"
            valueRole: "value"
            model: [{ value: "", text: qsTr("not stated") }, { value: "F", text: qsTr("Female") },
                    { value: "M", text: qsTr("Male") }, { value: "O", text: qsTr("Other") }]
        }
        Label { text: qsTr("Patient ID (referrer)") }
        TextField { id: patientId; objectName: "patientIdField"; Layout.fillWidth: true }
        Label { text: qsTr("Country") }
        TextField { id: country; objectName: "countryField"; Layout.fillWidth: true }
        Label { text: qsTr("Referring institution") }
        TextField { id: institution; objectName: "institutionField"; Layout.columnSpan: 3; Layout.fillWidth: true }
        Label { text: qsTr("Referring oncologist") }
        TextField { id: oncologist; objectName: "oncologistField"; Layout.columnSpan: 3; Layout.fillWidth: true }
        Label { text: qsTr("Diagnosis as referred") }
        TextField { id: diagnosis; objectName: "diagnosisField"; Layout.columnSpan: 3; Layout.fillWidth: true; placeholderText: qsTr("e.g. NSCLC adenocarcinoma, cT2aN2M0, stage IIIA") }
        Label { text: qsTr("The question*"); Layout.alignment: Qt.AlignTop }
        TextArea {
            id: question
            objectName: "questionField"
            Layout.columnSpan: 3
            Layout.fillWidth: true
            Layout.preferredHeight: 90
            wrapMode: TextEdit.Wrap
            placeholderText: qsTr("The one specific question the review must answer")
        }
        Label { text: qsTr("Received") }
        TextField { id: received; objectName: "receivedField"; Layout.fillWidth: true; placeholderText: "YYYY-MM-DD" }
        Label { text: qsTr("Fee quoted (USD)") }
        TextField { id: fee; objectName: "feeField"; Layout.fillWidth: true; inputMethodHints: Qt.ImhDigitsOnly }
        Item { width: 1 }
        CheckBox { id: video; objectName: "videoField"; Layout.columnSpan: 3; text: qsTr("Add a video consultation with the board") }
        Label {
            id: error
            objectName: "errorLabel"
            Layout.columnSpan: 4
            Layout.fillWidth: true
            color: Theme.danger
            wrapMode: Text.WordWrap
            visible: text.length > 0
        }
    }
}
