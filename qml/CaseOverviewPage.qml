pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Consilium

// Everything the referring side sent for one case, with the question they ask at the top.
Page {
    id: page
    property alias reference: overview.reference
    readonly property var details: overview.details
    property int selectedDocument: 0
    property bool startAtBottom: false   // shows slides and documents first (used for the user guide's screenshots)
    signal readImaging(string reference)
    signal reviewSlides(string reference)
    signal writeReview(string reference)

    background: Rectangle { color: Theme.background }
    CaseOverview { id: overview }
    DicomImportJob {
        id: importer
        caseReference: page.reference
        onFinished: overview.reload()
    }
    FolderDialog {
        id: folderDialog
        title: qsTr("Import a DICOM folder (all files below it, DICOMDIR included)")
        onAccepted: importer.start([selectedFolder])
    }
    FileDialog {
        id: fileDialog
        title: qsTr("Import DICOM files or a DICOMDIR")
        fileMode: FileDialog.OpenFiles
        onAccepted: importer.start(selectedFiles)
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 20
        spacing: Theme.gap

        Label {
            visible: overview.error.length > 0
            text: overview.error
            color: Theme.danger
        }

        // Patient and deadline
        RowLayout {
            Layout.fillWidth: true
            spacing: 16
            ColumnLayout {
                spacing: 2
                Layout.fillWidth: true
                Label {
                    text: page.details.patientName ?? ""
                    font.pixelSize: Theme.headline + 4
                    font.weight: Font.DemiBold
                    color: Theme.text
                }
                Label {
                    text: [page.details.patientDetails, page.details.patientIdentifier ? qsTr("ID %1").arg(page.details.patientIdentifier) : ""]
                          .filter(x => x).join(" · ")
                    color: Theme.muted
                }
            }
            ColumnLayout {
                spacing: 4
                Layout.alignment: Qt.AlignRight | Qt.AlignTop
                RowLayout {
                    Layout.alignment: Qt.AlignRight
                    spacing: 8
                    Button {
                        text: qsTr("Written review")
                        highlighted: true
                        onClicked: page.writeReview(page.reference)
                    }
                    Label { text: page.details.reference ?? ""; font.family: "DejaVu Sans Mono"; color: Theme.accent; font.pixelSize: Theme.title }
                    ComboBox {
                        id: statusBox
                        implicitWidth: 200
                        model: overview.statuses
                        textRole: "text"
                        valueRole: "value"
                        currentIndex: page.details.statusIndex ?? -1
                        onActivated: {
                            const message = overview.setStatus(currentValue)
                            if (message.length > 0)
                                statusError.text = message
                        }
                    }
                }
                RowLayout {
                    Layout.alignment: Qt.AlignRight
                    spacing: 8
                    Label { text: qsTr("Received %1 · due %2").arg(page.details.receivedOn ?? "").arg(page.details.dueOn ?? ""); color: Theme.muted }
                    StatusChip {
                        visible: page.details.status !== "finalized"
                        text: page.details.overdue ? qsTr("overdue by %1 business days").arg(-page.details.daysLeft)
                                                   : qsTr("%1 business days left").arg(page.details.daysLeft)
                        tone: page.details.overdue ? "danger" : page.details.daysLeft <= 2 ? "warn" : "accent"
                    }
                }
                Label { id: statusError; color: Theme.danger; visible: text.length > 0 }
            }
        }

        // The question: what the whole review must answer
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: questionColumn.implicitHeight + 28
            color: Theme.questionBackground
            border.color: Theme.questionBorder
            radius: Theme.radius
            ColumnLayout {
                id: questionColumn
                anchors.fill: parent
                anchors.margins: 14
                spacing: 4
                Label {
                    text: qsTr("THE QUESTION FROM %1").arg((page.details.oncologist || qsTr("the referring oncologist")).toUpperCase())
                    color: Theme.warn
                    font.pixelSize: Theme.small
                    font.weight: Font.Bold
                    font.letterSpacing: 0.6
                }
                Label {
                    text: page.details.question ?? ""
                    wrapMode: Text.WordWrap
                    font.pixelSize: Theme.title + 1
                    color: Theme.text
                    Layout.fillWidth: true
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap

            ScrollView {
                id: scroller
                Layout.fillHeight: true
                Layout.preferredWidth: page.width * 0.55
                clip: true
                contentWidth: availableWidth
                Timer {
                    running: page.startAtBottom
                    interval: 300   // once the cards have their heights
                    onTriggered: scroller.contentItem.contentY = Math.max(0, scroller.contentHeight - scroller.height)
                }

                ColumnLayout {
                    width: scroller.availableWidth
                    spacing: Theme.gap

                    SectionCard {
                        title: qsTr("Referral")
                        Layout.fillWidth: true
                        GridLayout {
                            columns: 4
                            columnSpacing: 16
                            rowSpacing: 4
                            Layout.fillWidth: true
                            Label { text: qsTr("Diagnosis as referred"); color: Theme.muted }
                            Label { text: page.details.diagnosis ?? ""; wrapMode: Text.WordWrap; Layout.columnSpan: 3; Layout.fillWidth: true; font.weight: Font.DemiBold }
                            Label { text: qsTr("Referred by"); color: Theme.muted }
                            Label { text: [page.details.oncologist, page.details.institution].filter(x => x).join(", "); wrapMode: Text.WordWrap; Layout.columnSpan: 3; Layout.fillWidth: true }
                            Label { text: qsTr("Service ordered"); color: Theme.muted }
                            Label { text: page.details.serviceText ?? ""; Layout.fillWidth: true }
                            Label { text: qsTr("Fee quoted"); color: Theme.muted }
                            Label { text: page.details.fee || qsTr("not recorded"); Layout.fillWidth: true }
                        }
                    }

                    TreatmentHistoryPanel {
                        Layout.fillWidth: true
                        history: overview.treatmentHistory
                    }

                    SectionCard {
                        id: imagingCard
                        title: qsTr("Imaging")
                        subtitle: qsTr("%n series", "", overview.series.length)
                        Layout.fillWidth: true
                        actions: [
                            Button {
                                text: qsTr("Read imaging")
                                highlighted: true
                                enabled: overview.series.length > 0
                                onClicked: page.readImaging(page.reference)
                            },
                            Button { text: qsTr("Import folder…"); flat: true; enabled: !importer.running; onClicked: folderDialog.open() },
                            Button { text: qsTr("Import files…"); flat: true; enabled: !importer.running; onClicked: fileDialog.open() }
                        ]
                        Label {
                            visible: overview.series.length === 0 && !importer.running
                            text: qsTr("No DICOM received yet. Import a folder, files or a DICOMDIR, or drop them here.")
                            color: Theme.muted
                        }
                        RowLayout {
                            visible: importer.running
                            Layout.fillWidth: true
                            spacing: 10
                            Label { text: qsTr("Importing…"); color: Theme.text }
                            ProgressBar { value: importer.progress; Layout.fillWidth: true }
                            Button { text: qsTr("Cancel"); flat: true; onClicked: importer.cancel() }
                        }
                        Label {
                            visible: importer.summary.length > 0 && !importer.running
                            text: importer.summary
                            color: Theme.muted
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                        Repeater {
                            model: importer.running ? [] : importer.details
                            delegate: Label {
                                required property string modelData
                                text: modelData
                                color: Theme.warn
                                font.pixelSize: Theme.small
                                elide: Text.ElideMiddle
                                Layout.fillWidth: true
                            }
                        }
                        Repeater {
                            model: overview.series
                            delegate: ColumnLayout {
                                id: seriesRow
                                required property var modelData
                                spacing: 4
                                Layout.fillWidth: true
                                RowLayout {
                                    spacing: 12
                                    Layout.fillWidth: true
                                    Rectangle {
                                        width: 76; height: 76; color: "black"; radius: 3
                                        Image {
                                            anchors.fill: parent
                                            anchors.margins: 1
                                            source: seriesRow.modelData.thumbnail
                                            sourceSize.width: 152
                                            sourceSize.height: 152
                                            fillMode: Image.PreserveAspectFit
                                            asynchronous: true
                                        }
                                    }
                                    StatusChip { text: seriesRow.modelData.modality; tone: "accent"; Layout.alignment: Qt.AlignTop }
                                    ColumnLayout {
                                        spacing: 1
                                        Layout.fillWidth: true
                                        Label { text: seriesRow.modelData.description; font.weight: Font.DemiBold; color: Theme.text; elide: Text.ElideRight; Layout.fillWidth: true }
                                        Label { text: [seriesRow.modelData.study, seriesRow.modelData.studyDate].filter(x => x).join(" · "); color: Theme.muted; font.pixelSize: Theme.small; elide: Text.ElideRight; Layout.fillWidth: true }
                                        Label { text: qsTr("%1 images · %2 · %3").arg(seriesRow.modelData.images).arg(seriesRow.modelData.geometry).arg(seriesRow.modelData.size); color: Theme.muted; font.pixelSize: Theme.small; elide: Text.ElideRight; Layout.fillWidth: true }
                                    }
                                }
                                Rectangle {
                                    visible: seriesRow.modelData.patientToConfirm
                                    Layout.fillWidth: true
                                    implicitHeight: confirmRow.implicitHeight + 12
                                    color: Theme.warnSoft
                                    radius: Theme.radius
                                    RowLayout {
                                        id: confirmRow
                                        anchors.fill: parent
                                        anchors.margins: 6
                                        Label {
                                            text: qsTr("Another patient? %1").arg(seriesRow.modelData.patientNote)
                                            color: Theme.warn
                                            wrapMode: Text.WordWrap
                                            Layout.fillWidth: true
                                        }
                                        Button {
                                            text: qsTr("Same patient — confirm")
                                            flat: true
                                            onClicked: importError.text = overview.confirmPatient(seriesRow.modelData.seriesUid)
                                        }
                                    }
                                }
                            }
                        }
                        Label { id: importError; color: Theme.danger; visible: text.length > 0; wrapMode: Text.WordWrap; Layout.fillWidth: true }
                        DropArea {
                            parent: imagingCard   // over the whole card, outside its layout
                            anchors.fill: parent
                            onDropped: drop => importer.start(drop.urls)
                        }
                    }

                    SectionCard {
                        title: qsTr("Pathology slides")
                        subtitle: qsTr("%n slide(s)", "", overview.slides.length)
                        Layout.fillWidth: true
                        actions: [
                            Button {
                                text: qsTr("Review slides")
                                highlighted: true
                                enabled: overview.slides.length > 0
                                onClicked: page.reviewSlides(page.reference)
                            }
                        ]
                        Label { visible: overview.slides.length === 0; text: qsTr("No slides received yet."); color: Theme.muted }
                        Repeater {
                            model: overview.slides
                            delegate: RowLayout {
                                id: slideRow
                                required property var modelData
                                spacing: 12
                                Layout.fillWidth: true
                                Rectangle {
                                    width: 140; height: 96; color: "#f0f0f0"; border.color: Theme.border; radius: 3
                                    Image {
                                        anchors.fill: parent
                                        anchors.margins: 2
                                        source: slideRow.modelData.thumbnail
                                        sourceSize.width: 280
                                        sourceSize.height: 192
                                        fillMode: Image.PreserveAspectFit
                                        asynchronous: true
                                    }
                                }
                                ColumnLayout {
                                    spacing: 1
                                    Layout.fillWidth: true
                                    Label { text: slideRow.modelData.title; font.weight: Font.DemiBold; color: Theme.text; elide: Text.ElideRight; Layout.fillWidth: true }
                                    Label { text: qsTr("%1 · %2 · %3 levels · %4").arg(slideRow.modelData.vendor).arg(slideRow.modelData.size).arg(slideRow.modelData.levels).arg(slideRow.modelData.fileSize); color: Theme.muted; font.pixelSize: Theme.small }
                                    Label { text: [slideRow.modelData.objective, slideRow.modelData.calibration].filter(x => x).join(" · "); color: slideRow.modelData.calibrated ? Theme.muted : Theme.warn; font.pixelSize: Theme.small }
                                    Label { text: qsTr("Associated images: %1").arg(slideRow.modelData.associated || qsTr("none")); color: Theme.muted; font.pixelSize: Theme.small }
                                }
                            }
                        }
                    }

                    SectionCard {
                        id: documentsCard
                        title: qsTr("Documents received")
                        subtitle: qsTr("letters, genomic and pathology reports — drop files here to add them")
                        Layout.fillWidth: true
                        Label { visible: overview.documents.length === 0; text: qsTr("No documents yet."); color: Theme.muted }
                        Repeater {
                            model: overview.documents
                            delegate: ItemDelegate {
                                id: documentRow
                                required property var modelData
                                required property int index
                                Layout.fillWidth: true
                                highlighted: page.selectedDocument === documentRow.index
                                onClicked: page.selectedDocument = documentRow.index
                                contentItem: RowLayout {
                                    spacing: 10
                                    StatusChip { text: documentRow.modelData.kindText; Layout.preferredWidth: 190 }
                                    Label { text: documentRow.modelData.title; color: Theme.text; elide: Text.ElideRight; Layout.fillWidth: true }
                                    Label { text: documentRow.modelData.size; color: Theme.muted; font.pixelSize: Theme.small }
                                }
                            }
                        }
                        Label { id: dropError; color: Theme.danger; visible: text.length > 0; wrapMode: Text.WordWrap; Layout.fillWidth: true }
                        DropArea {
                            parent: documentsCard   // over the whole card, outside its layout
                            anchors.fill: parent
                            onDropped: drop => {
                                dropError.text = overview.attachDocuments(drop.urls, "other")
                            }
                        }
                    }
                }
            }

            DocumentViewer {
                Layout.fillWidth: true
                Layout.fillHeight: true
                document: overview.documents.length > page.selectedDocument ? overview.documents[page.selectedDocument] : null
            }
        }
    }
}
