pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Consilium

// One section of the review: its structured findings (per section: the pathologist's diagnosis, grade, stage and
// agreement; the radiologist's stage; the chair's pathway, trials and video advice), then its prose in Markdown
// with a formatting strip, draft or ready. Everything saves itself a moment after the last change.
ColumnLayout {
    id: root
    required property ReviewEditor editor
    required property var section
    readonly property string key: root.section.key ?? ""
    readonly property bool editable: root.section.editable ?? false
    // Untyped copies of the editor's maps, read by key below.
    readonly property var pathology: root.editor.pathology
    readonly property var radiology: root.editor.radiology
    readonly property var chair: root.editor.chair
    readonly property var intents: ["", "curative", "palliative"]  // stored capitalised, as the review prints it
    readonly property var videoChoices: ["", "yes", "no"]
    signal statusText(string message)
    spacing: 8

    function report(reason) {
        root.statusText(reason.length > 0 ? reason : qsTr("Saved %1").arg(new Date().toLocaleTimeString(Qt.locale(), "HH:mm:ss")))
    }

    // Reload the prose when another section is chosen or the stored one changes under us.
    onKeyChanged: body.text = root.editor.sectionBody(root.key)
    Connections {
        target: root.editor
        function onLoaded() {
            if (!body.activeFocus)
                body.text = root.editor.sectionBody(root.key)
        }
    }

    Timer {
        id: autosave
        interval: 800
        onTriggered: root.report(root.editor.saveSection(root.key, body.text, ready.checked))
    }

    // --- structured findings ---
    GridLayout {
        visible: root.key === "pathology"
        columns: 4
        columnSpacing: 8
        rowSpacing: 4
        Layout.fillWidth: true
        enabled: root.editable
        component Field: TextField {
            required property string name
            property var source: root.pathology
            text: source[name] ?? ""
            font.pixelSize: Theme.body
            Layout.fillWidth: true
            onTextChanged: if (!activeFocus) cursorPosition = 0  // long findings read from their start
        }
        Label { text: qsTr("Diagnosis"); color: Theme.muted }
        Field { id: pDiagnosis; name: "diagnosis"; Layout.columnSpan: 3; onEditingFinished: root.savePathology() }
        Label { text: qsTr("Histologic type"); color: Theme.muted }
        Field { id: pType; name: "histologicType"; onEditingFinished: root.savePathology() }
        Label { text: qsTr("Grade"); color: Theme.muted }
        Field { id: pGrade; name: "grade"; onEditingFinished: root.savePathology() }
        Label { text: "pT"; color: Theme.muted }
        Field { id: pT; name: "pT"; onEditingFinished: root.savePathology() }
        Label { text: "pN"; color: Theme.muted }
        Field { id: pN; name: "pN"; onEditingFinished: root.savePathology() }
        Label { text: qsTr("Referring stage"); color: Theme.muted }
        AgreementBox { id: pStageAgree; value: root.pathology.stageAgreement ?? ""; onActivated: root.savePathology() }
        Label { text: qsTr("Referring grade"); color: Theme.muted }
        AgreementBox { id: pGradeAgree; value: root.pathology.gradeAgreement ?? ""; onActivated: root.savePathology() }
        Label { text: qsTr("Reasoning"); color: Theme.muted }
        Field { id: pReason; name: "agreementReasoning"; Layout.columnSpan: 3; placeholderText: qsTr("Required when you disagree"); onEditingFinished: root.savePathology() }
        Label { text: qsTr("Margins"); color: Theme.muted }
        Field { id: pMargins; name: "margins"; Layout.columnSpan: 3; onEditingFinished: root.savePathology() }
        Label { text: qsTr("IHC / molecular"); color: Theme.muted }
        Field { id: pMarkers; name: "biomarkers"; Layout.columnSpan: 3; onEditingFinished: root.savePathology() }
    }
    function savePathology() {
        root.report(root.editor.savePathology({ diagnosis: pDiagnosis.text, histologicType: pType.text, grade: pGrade.text,
                                      pT: pT.text, pN: pN.text, stageAgreement: pStageAgree.currentValue,
                                      gradeAgreement: pGradeAgree.currentValue, agreementReasoning: pReason.text,
                                      margins: pMargins.text, biomarkers: pMarkers.text }))
    }

    GridLayout {
        visible: root.key === "radiology"
        columns: 6
        columnSpacing: 8
        rowSpacing: 4
        Layout.fillWidth: true
        enabled: root.editable
        Label { text: "cT"; color: Theme.muted }
        TextField { id: rT; text: root.radiology.cT ?? ""; Layout.fillWidth: true; onEditingFinished: root.saveRadiology() }
        Label { text: "cN"; color: Theme.muted }
        TextField { id: rN; text: root.radiology.cN ?? ""; Layout.fillWidth: true; onEditingFinished: root.saveRadiology() }
        Label { text: "cM"; color: Theme.muted }
        TextField { id: rM; text: root.radiology.cM ?? ""; Layout.fillWidth: true; onEditingFinished: root.saveRadiology() }
        Label { text: qsTr("Referring stage"); color: Theme.muted }
        AgreementBox { id: rAgree; value: root.radiology.stageAgreement ?? ""; Layout.columnSpan: 5; onActivated: root.saveRadiology() }
        Label { text: qsTr("Reasoning"); color: Theme.muted }
        TextField { id: rReason; text: root.radiology.agreementReasoning ?? ""; Layout.columnSpan: 5; Layout.fillWidth: true; placeholderText: qsTr("Required when you disagree"); onEditingFinished: root.saveRadiology() }
    }
    function saveRadiology() {
        root.report(root.editor.saveRadiology({ cT: rT.text, cN: rN.text, cM: rM.text, stageAgreement: rAgree.currentValue,
                                      agreementReasoning: rReason.text }))
    }

    GridLayout {
        visible: root.key === "pathway"
        columns: 2
        columnSpacing: 8
        rowSpacing: 4
        Layout.fillWidth: true
        enabled: root.editable
        Label { text: qsTr("Intent"); color: Theme.muted }
        ComboBox {
            id: cIntent
            model: root.intents
            currentIndex: Math.max(0, root.intents.indexOf(String(root.chair.intent ?? "").toLowerCase()))
            onActivated: root.saveChair()
        }
        Label { text: qsTr("Sequence"); color: Theme.muted }
        TextField { id: cSequence; text: root.chair.sequence ?? ""; Layout.fillWidth: true; placeholderText: qsTr("e.g. concurrent chemoradiation, then consolidation"); onEditingFinished: root.saveChair() }
        Label { text: qsTr("Alternatives"); color: Theme.muted }
        TextField { id: cAlternatives; text: root.chair.alternatives ?? ""; Layout.fillWidth: true; placeholderText: qsTr("Considered, and why not chosen"); onEditingFinished: root.saveChair() }
    }

    ColumnLayout {
        visible: root.key === "trials"
        Layout.fillWidth: true
        enabled: root.editable
        spacing: 4
        ListModel { id: trialRows }
        Connections {
            target: root.editor
            function onLoaded() { root.loadTrials() }
        }
        Component.onCompleted: root.loadTrials()
        Repeater {
            model: trialRows
            delegate: GridLayout {
                id: trial
                required property int index
                required property string registryId
                required property string title
                required property string phase
                required property string site
                required property bool openOnlyInChina
                required property string keyEligibility
                columns: 4
                columnSpacing: 6
                rowSpacing: 2
                Layout.fillWidth: true
                TextField { text: trial.registryId; placeholderText: "NCT… / ChiCTR…"; Layout.preferredWidth: 150; onEditingFinished: { trialRows.setProperty(trial.index, "registryId", text); root.saveChair() } }
                TextField { text: trial.title; placeholderText: qsTr("Title"); Layout.fillWidth: true; Layout.columnSpan: 2; onEditingFinished: { trialRows.setProperty(trial.index, "title", text); root.saveChair() } }
                ToolButton { text: "✕"; onClicked: { trialRows.remove(trial.index); root.saveChair() } }
                TextField { text: trial.phase; placeholderText: qsTr("Phase"); Layout.preferredWidth: 150; onEditingFinished: { trialRows.setProperty(trial.index, "phase", text); root.saveChair() } }
                TextField { text: trial.site; placeholderText: qsTr("Site"); Layout.fillWidth: true; onEditingFinished: { trialRows.setProperty(trial.index, "site", text); root.saveChair() } }
                CheckBox { text: qsTr("Only in China"); checked: trial.openOnlyInChina; Layout.columnSpan: 2; onToggled: { trialRows.setProperty(trial.index, "openOnlyInChina", checked); root.saveChair() } }
                TextField { text: trial.keyEligibility; placeholderText: qsTr("Key eligibility"); Layout.fillWidth: true; Layout.columnSpan: 4; onEditingFinished: { trialRows.setProperty(trial.index, "keyEligibility", text); root.saveChair() } }
                Rectangle { Layout.columnSpan: 4; Layout.fillWidth: true; height: 1; color: Theme.border }
            }
        }
        Button {
            text: qsTr("Add a trial")
            flat: true
            onClicked: trialRows.append({ registryId: "", title: "", phase: "", site: "", openOnlyInChina: false, keyEligibility: "" })
        }
    }
    function loadTrials() {
        trialRows.clear()
        for (const t of root.chair.trials ?? [])
            trialRows.append(t)
    }

    RowLayout {
        visible: root.key === "video-consultation"
        enabled: root.editable
        Label { text: qsTr("Video consultation advised"); color: Theme.muted }
        ComboBox {
            id: cVideo
            model: [{ text: qsTr("not decided"), value: "" }, { text: qsTr("yes"), value: "yes" }, { text: qsTr("no"), value: "no" }]
            textRole: "text"
            valueRole: "value"
            currentIndex: Math.max(0, root.videoChoices.indexOf(root.chair.videoAdvised ?? ""))
            onActivated: root.saveChair()
        }
    }

    function saveChair() {
        const trials = []
        for (let i = 0; i < trialRows.count; ++i) {
            const t = trialRows.get(i)
            trials.push({ registryId: t.registryId, title: t.title, phase: t.phase, site: t.site,
                          openOnlyInChina: t.openOnlyInChina, keyEligibility: t.keyEligibility })
        }
        const intent = cIntent.currentText
        root.report(root.editor.saveChair({ intent: intent.charAt(0).toUpperCase() + intent.slice(1), sequence: cSequence.text, alternatives: cAlternatives.text,
                                  trials: trials, videoAdvised: cVideo.currentValue }))
    }

    // --- the prose ---
    RowLayout {
        spacing: 2
        enabled: root.editable
        component Format: ToolButton {
            required property string before
            property string after: ""
            property bool line: false
            font.pixelSize: Theme.body
            onClicked: {
                const s = body.selectionStart, e = body.selectionEnd
                if (line) {
                    const start = body.text.lastIndexOf("\n", s - 1) + 1
                    body.insert(start, before)
                } else {
                    body.insert(e, after)
                    body.insert(s, before)
                }
                body.forceActiveFocus()
            }
        }
        Format { text: "B"; font.bold: true; before: "**"; after: "**" }
        Format { text: "I"; font.italic: true; before: "*"; after: "*" }
        Format { text: qsTr("• List"); before: "- "; line: true }
        Format { text: qsTr("1. List"); before: "1. "; line: true }
        Format { text: qsTr("Heading"); before: "### "; line: true }
        Item { Layout.fillWidth: true }
        Switch {
            id: ready
            text: qsTr("Ready for sign-off")
            checked: root.section.ready ?? false
            onToggled: root.report(root.editor.saveSection(root.key, body.text, checked))
        }
    }
    ScrollView {
        Layout.fillWidth: true
        Layout.fillHeight: true
        TextArea {
            id: body
            readOnly: !root.editable
            wrapMode: TextEdit.Wrap
            font.pixelSize: Theme.body + 1
            placeholderText: root.editable ? qsTr("Write the section in plain text; **bold**, *emphasis*, lists with - or 1.")
                                           : qsTr("Not written yet.")
            selectByMouse: true
            onTextChanged: if (activeFocus) autosave.restart()
        }
    }
}
