pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Consilium

// All second-opinion cases: who, what was asked, and how much of the turnaround is left.
Page {
    id: page
    signal openCase(string reference)
    background: Rectangle { color: Theme.background }

    CaseListModel { id: cases }
    StackView.onActivated: cases.reload()

    NewCaseDialog {
        id: newCase
        anchors.centerIn: parent
        caseList: cases
        onCreated: reference => page.openCase(reference)
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 24
        spacing: 16

        RowLayout {
            Layout.fillWidth: true
            spacing: 16
            ColumnLayout {
                spacing: 2
                Label {
                    text: qsTr("Cases")
                    font.pixelSize: Theme.headline
                    font.weight: Font.DemiBold
                    color: Theme.text
                }
                Label {
                    text: qsTr("%1 open · %2 overdue · turnaround %3 business days")
                          .arg(cases.openCount).arg(cases.overdueCount).arg(Workstation.turnaroundBusinessDays)
                    color: Theme.muted
                }
            }
            Item { Layout.fillWidth: true }
            TextField {
                id: search
                placeholderText: qsTr("Search patient, reference, diagnosis, institution")
                Layout.preferredWidth: 420
                onTextChanged: cases.search = text
            }
            Button {
                text: qsTr("New case")
                highlighted: true
                onClicked: newCase.open()
            }
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Theme.surface
            border.color: Theme.border
            radius: Theme.radius

            // Column titles, aligned with the rows' fixed widths below.
            Rectangle {
                id: columnHeader
                width: parent.width
                height: 38
                color: "#eef2f6"
                radius: Theme.radius
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 16
                    anchors.rightMargin: 16
                    spacing: 16
                    Label { text: qsTr("Reference"); Layout.preferredWidth: 120; color: Theme.muted; font.weight: Font.DemiBold }
                    Label { text: qsTr("Patient"); Layout.preferredWidth: 260; color: Theme.muted; font.weight: Font.DemiBold }
                    Label { text: qsTr("Diagnosis as referred · referred by"); Layout.fillWidth: true; Layout.preferredWidth: 100; color: Theme.muted; font.weight: Font.DemiBold }
                    Label { text: qsTr("Received"); Layout.preferredWidth: 120; color: Theme.muted; font.weight: Font.DemiBold }
                    Label { text: qsTr("Due"); Layout.preferredWidth: 210; color: Theme.muted; font.weight: Font.DemiBold }
                    Label { text: qsTr("Status"); Layout.preferredWidth: 140; color: Theme.muted; font.weight: Font.DemiBold }
                }
            }

            ListView {
                id: list
                objectName: "caseList"
                anchors.fill: parent
                anchors.margins: 1
                anchors.topMargin: columnHeader.height
                clip: true
                model: cases
                delegate: ItemDelegate {
                    id: row
                    required property int index
                    required property string reference
                    required property string patientName
                    required property string patientDetails
                    required property string diagnosis
                    required property string institution
                    required property string status
                    required property string statusText
                    required property string receivedOn
                    required property string dueOn
                    required property int daysLeft
                    required property bool overdue
                    width: list.width
                    height: 64
                    onClicked: page.openCase(row.reference)
                    background: Rectangle {
                        color: row.hovered ? Theme.accentSoft : (row.index % 2 ? "#fafbfc" : Theme.surface)
                        Rectangle { width: parent.width; height: 1; anchors.bottom: parent.bottom; color: Theme.border }
                        Rectangle { width: 4; height: parent.height; color: Theme.danger; visible: row.overdue }
                    }
                    contentItem: RowLayout {
                        spacing: 16
                        anchors.leftMargin: 16
                        Label {
                            text: row.reference
                            font.family: "DejaVu Sans Mono"
                            color: Theme.accent
                            Layout.preferredWidth: 120
                            Layout.minimumWidth: 120
                        }
                        ColumnLayout {
                            spacing: 2
                            Layout.preferredWidth: 260
                            Layout.maximumWidth: 260
                            Layout.minimumWidth: 260
                            Label { text: row.patientName; font.pixelSize: Theme.body + 1; font.weight: Font.DemiBold; color: Theme.text; elide: Text.ElideRight; Layout.fillWidth: true }
                            Label { text: row.patientDetails; color: Theme.muted; font.pixelSize: Theme.small; elide: Text.ElideRight; Layout.fillWidth: true }
                        }
                        ColumnLayout {
                            spacing: 2
                            Layout.fillWidth: true
                            Layout.preferredWidth: 100
                            Label { text: row.diagnosis; color: Theme.text; elide: Text.ElideRight; Layout.fillWidth: true }
                            Label { text: row.institution; color: Theme.muted; font.pixelSize: Theme.small; elide: Text.ElideRight; Layout.fillWidth: true }
                        }
                        Label { text: row.receivedOn; color: Theme.text; Layout.preferredWidth: 120; Layout.minimumWidth: 120 }
                        RowLayout {
                            Layout.preferredWidth: 210
                            Layout.minimumWidth: 210
                            Layout.maximumWidth: 210
                            spacing: 8
                            Label { text: row.dueOn; color: row.overdue ? Theme.danger : Theme.text }
                            StatusChip {
                                visible: row.status !== "finalized"
                                text: row.overdue ? qsTr("overdue %1 d").arg(-row.daysLeft)
                                                  : row.daysLeft === 0 ? qsTr("due today") : qsTr("%1 d left").arg(row.daysLeft)
                                tone: row.overdue ? "danger" : row.daysLeft <= 2 ? "warn" : "neutral"
                            }
                        }
                        Item {
                            Layout.preferredWidth: 140
                            Layout.minimumWidth: 140
                            implicitHeight: 24
                            StatusChip {
                                text: row.statusText
                                tone: row.status === "finalized" ? "ok" : row.status === "ready-for-sign-off" ? "accent" : "neutral"
                            }
                        }
                    }
                }

                Label {
                    anchors.centerIn: parent
                    visible: list.count === 0
                    text: search.text.length > 0 ? qsTr("No case matches “%1”.").arg(search.text)
                                                 : qsTr("No cases yet. Register a referral with “New case”.")
                    color: Theme.muted
                    font.pixelSize: Theme.title
                }
            }
        }
    }
}
