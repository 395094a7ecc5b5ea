pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import QtQuick.Pdf
import Consilium

// The written review: the sections in the order the referring oncologist reads them (each with its writer and
// draft/ready state), the editor of the chosen section with its structured findings, and the compiled PDF beside it.
// The board chair finalizes (every section ready), amends with a reason, and exports the PDF or a DICOM copy.
Page {
    id: page
    property alias reference: editor.caseReference
    // Each reviewer starts at what they write: the pathologist and the radiologist at their sections, the chair at
    // the pathway.
    property string currentKey: Workstation.userRole === "radiologist" ? "radiology"
                              : Workstation.userRole === "board-chair" ? "pathway" : "pathology"
    readonly property var current: {
        const list = editor.sections
        for (let i = 0; i < list.length; ++i)
            if (list[i].key === page.currentKey)
                return list[i]
        return ({})
    }
    // The preview has been compiled once (or failed): what scripted screenshots wait for.
    readonly property bool settled: !editor.compiling && editor.previewNote.length > 0
    signal backRequested()

    background: Rectangle { color: Theme.background }

    ReviewEditor {
        id: editor
        onSaved: recompile.restart()
    }
    // Recompiles shortly after the last change, not on every keystroke.
    Timer {
        id: recompile
        interval: 1200
        onTriggered: editor.compilePreview()
    }
    Component.onCompleted: editor.compilePreview()

    header: ToolBar {
        Material.background: Theme.surface
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 8
            anchors.rightMargin: 8
            spacing: 8
            ToolButton {
                text: qsTr("‹ Case")
                onClicked: page.StackView.view ? page.StackView.view.pop() : page.backRequested()
            }
            ColumnLayout {
                spacing: 0
                Label { text: qsTr("Written review"); font.pixelSize: Theme.title; font.weight: Font.DemiBold; color: Theme.text }
                Label { text: editor.title; color: Theme.muted; font.pixelSize: Theme.small }
            }
            Item { Layout.fillWidth: true }
            ComboBox {
                model: [{ text: "A4", value: "a4" }, { text: "US Letter", value: "letter" }]
                textRole: "text"
                valueRole: "value"
                currentIndex: editor.paper === "letter" ? 1 : 0
                onActivated: editor.paper = currentValue
                Layout.preferredWidth: 130
            }
            Button {
                text: editor.compiling ? qsTr("Compiling…") : qsTr("Compile")
                enabled: !editor.compiling
                onClicked: editor.compilePreview()
            }
            Button {
                text: editor.versions.length > 0 ? qsTr("Amend…") : qsTr("Finalize…")
                highlighted: true
                visible: editor.isChair
                enabled: editor.allReady
                onClicked: finalizeDialog.open()
                ToolTip.visible: hovered && !editor.allReady
                ToolTip.text: qsTr("Every section must be marked ready first.")
            }
            Button {
                text: qsTr("Export PDF…")
                flat: true
                enabled: editor.versions.length > 0
                onClicked: pdfDialog.open()
            }
            Button {
                text: qsTr("Export DICOM…")
                flat: true
                enabled: editor.versions.length > 0
                onClicked: dicomDialog.open()
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        // Sections, versions and key images.
        Flickable {
            Layout.preferredWidth: 270
            Layout.fillHeight: true
            contentHeight: sideColumn.implicitHeight
            clip: true
            ColumnLayout {
                id: sideColumn
                width: parent.width
                spacing: 6
                Rectangle {
                    Layout.fillWidth: true
                    implicitHeight: questionText.implicitHeight + 16
                    color: Theme.questionBackground
                    border.color: Theme.questionBorder
                    radius: Theme.radius
                    Label {
                        id: questionText
                        x: 8
                        y: 8
                        width: parent.width - 16
                        text: qsTr("<b>The question:</b> %1").arg(editor.question)
                        textFormat: Text.StyledText
                        wrapMode: Text.Wrap
                        color: Theme.text
                    }
                }
                Repeater {
                    model: editor.sections
                    delegate: ItemDelegate {
                        id: sectionItem
                        required property var modelData
                        Layout.fillWidth: true
                        highlighted: page.currentKey === modelData.key
                        onClicked: page.currentKey = modelData.key
                        contentItem: ColumnLayout {
                            spacing: 2
                            RowLayout {
                                Label {
                                    text: sectionItem.modelData.title
                                    font.weight: Font.DemiBold
                                    color: Theme.text
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                }
                                StatusChip {
                                    text: sectionItem.modelData.ready ? qsTr("Ready") : qsTr("Draft")
                                    tone: sectionItem.modelData.ready ? "ok" : "warn"
                                }
                            }
                            Label {
                                text: sectionItem.modelData.owner + (sectionItem.modelData.updatedBy
                                      ? " · " + sectionItem.modelData.updatedBy + " · " + sectionItem.modelData.updatedAt
                                      : " · " + qsTr("not written yet"))
                                color: Theme.muted
                                font.pixelSize: Theme.small
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                        }
                    }
                }
                Label {
                    text: qsTr("Key images")
                    font.weight: Font.DemiBold
                    color: Theme.text
                    Layout.topMargin: 10
                }
                Label {
                    visible: editor.keyImages.length === 0
                    text: qsTr("None yet: capture them in the radiology and pathology viewers.")
                    color: Theme.muted
                    font.pixelSize: Theme.small
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                Repeater {
                    model: editor.keyImages
                    delegate: RowLayout {
                        id: keyImage
                        required property var modelData
                        Layout.fillWidth: true
                        Image {
                            source: keyImage.modelData.url
                            sourceSize.width: 96
                            sourceSize.height: 96
                            fillMode: Image.PreserveAspectFit
                            asynchronous: true
                            Layout.preferredWidth: 72
                            Layout.preferredHeight: 72
                        }
                        Label {
                            text: keyImage.modelData.caption + "\n" + keyImage.modelData.source
                            color: Theme.text
                            font.pixelSize: Theme.small
                            wrapMode: Text.Wrap
                            maximumLineCount: 4
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        ToolButton {
                            text: "✕"
                            onClicked: status.text = editor.removeKeyImage(keyImage.modelData.id)
                        }
                    }
                }
                Label {
                    visible: editor.versions.length > 0
                    text: qsTr("Finalized versions")
                    font.weight: Font.DemiBold
                    color: Theme.text
                    Layout.topMargin: 10
                }
                Repeater {
                    model: editor.versions
                    delegate: Label {
                        required property var modelData
                        Layout.fillWidth: true
                        text: qsTr("v%1 · %2 pages · %3 · %4%5\nSHA-256 %6…").arg(modelData.version).arg(modelData.pages)
                              .arg(modelData.finalizedBy).arg(modelData.finalizedAt)
                              .arg(modelData.amendmentReason ? " · " + modelData.amendmentReason : "")
                              .arg(modelData.sha256.substring(0, 16))
                        color: Theme.text
                        font.pixelSize: Theme.small
                        wrapMode: Text.Wrap
                    }
                }
            }
        }

        // The chosen section.
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 560
            color: Theme.surface
            border.color: Theme.border
            radius: Theme.radius
            ColumnLayout {
                anchors.fill: parent
                anchors.margins: 12
                spacing: 8
                RowLayout {
                    Label {
                        text: page.current.title ?? ""
                        font.pixelSize: Theme.title
                        font.weight: Font.DemiBold
                        color: Theme.text
                        Layout.fillWidth: true
                    }
                    Label {
                        visible: !(page.current.editable ?? false)
                        text: qsTr("Written by the %1").arg((page.current.owner ?? "").toLowerCase())
                        color: Theme.muted
                    }
                }
                ReviewSectionEditor {
                    id: sectionEditor
                    editor: editor
                    section: page.current
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    onStatusText: message => status.text = message
                }
                Label {
                    id: status
                    color: text.startsWith(qsTr("Saved")) ? Theme.muted : Theme.danger
                    font.pixelSize: Theme.small
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
            }
        }

        // The compiled draft.
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 520
            color: Theme.surface
            border.color: Theme.border
            radius: Theme.radius
            PdfDocument {
                id: pdf
                source: editor.preview
            }
            ColumnLayout {
                anchors.fill: parent
                anchors.margins: 1
                spacing: 0
                Label {
                    text: editor.compiling ? qsTr("Compiling the draft…") : editor.previewNote
                    color: editor.previewWarns ? Theme.warn : Theme.muted
                    wrapMode: Text.Wrap
                    padding: 10
                    Layout.fillWidth: true
                    background: Rectangle { color: editor.previewWarns ? Theme.warnSoft : "#eef2f6" }
                }
                PdfMultiPageView {
                    id: pages
                    document: pdf
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    onWidthChanged: if (pdf.status === PdfDocument.Ready) scaleToWidth(width, height)
                    Connections {
                        target: pdf
                        function onStatusChanged() {
                            if (pdf.status === PdfDocument.Ready)
                                pages.scaleToWidth(pages.width, pages.height)
                        }
                    }
                }
            }
        }
    }

    Dialog {
        id: finalizeDialog
        anchors.centerIn: parent
        width: 520
        modal: true
        title: editor.versions.length > 0 ? qsTr("Amend the finalized review") : qsTr("Finalize the review")
        standardButtons: Dialog.Cancel
        ColumnLayout {
            anchors.fill: parent
            spacing: 10
            Label {
                text: editor.versions.length > 0
                      ? qsTr("Version %1 stays as it was signed; the amendment becomes version %2. Say why.")
                            .arg(editor.versions.length).arg(editor.versions.length + 1)
                      : qsTr("You sign the review as the board chair. The PDF is stored with its SHA-256 and locked; later changes need an amendment.")
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            TextField {
                id: reason
                visible: editor.versions.length > 0
                placeholderText: qsTr("Reason for the amendment")
                Layout.fillWidth: true
            }
            Label { id: finalizeError; color: Theme.danger; wrapMode: Text.Wrap; Layout.fillWidth: true; visible: text.length > 0 }
            Button {
                text: editor.versions.length > 0 ? qsTr("Sign the amendment") : qsTr("Sign and finalize")
                highlighted: true
                Layout.alignment: Qt.AlignRight
                onClicked: {
                    finalizeError.text = editor.finalize(reason.text)
                    if (finalizeError.text.length === 0) {
                        finalizeDialog.close()
                        status.text = qsTr("Saved: version %1 finalized.").arg(editor.versions.length)
                    }
                }
            }
        }
    }

    FileDialog {
        id: pdfDialog
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("PDF (*.pdf)")]
        defaultSuffix: "pdf"
        onAccepted: status.text = editor.exportPdf(selectedFile) || qsTr("Saved the PDF.")
    }
    FileDialog {
        id: dicomDialog
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("DICOM (*.dcm)")]
        defaultSuffix: "dcm"
        onAccepted: status.text = editor.exportDicom(selectedFile) || qsTr("Saved the DICOM Encapsulated PDF.")
    }
}
