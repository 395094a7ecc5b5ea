pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Consilium

// The radiologist's measurements: the tool in hand, the measurements of the case (select one to assign it to a
// lesion or delete it), the lesions with their RECIST 1.1 eligibility, the response over the time points, and the
// exports (DICOM SR, CSV).
Rectangle {
    id: panel
    required property ImagingMeasurements measurements
    readonly property var recist: panel.measurements.recist  // untyped: read by key
    readonly property var lesionChoices: {
        let choices = [{ id: 0, name: qsTr("No lesion") }]
        for (const l of panel.measurements.lesions)
            choices.push(l)
        return choices
    }
    color: "#161b20"
    Material.theme: Material.Dark  // fields and combo boxes readable on the dark reading surface

    component Heading: Label {
        color: "#d8dee4"
        font.weight: Font.DemiBold
        Layout.topMargin: 6
    }
    component Small: Label {
        color: "#c9d3dc"
        font.pixelSize: Theme.small
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }

    Flickable {
        anchors.fill: parent
        contentHeight: column.implicitHeight + 20
        clip: true
        ScrollBar.vertical: ScrollBar {}

        ColumnLayout {
            id: column
            x: 10
            y: 10
            width: panel.width - 20
            spacing: 6

            RowLayout {
                Heading { text: qsTr("Measure"); Layout.fillWidth: true; Layout.topMargin: 0 }
                StripButton { text: qsTr("Undo"); enabled: panel.measurements.canUndo; onClicked: panel.measurements.undo() }
                StripButton { text: qsTr("Redo"); enabled: panel.measurements.canRedo; onClicked: panel.measurements.redo() }
            }
            Flow {
                Layout.fillWidth: true
                spacing: 2
                Repeater {
                    model: [
                        { tool: "", text: qsTr("Off") },
                        { tool: "line", text: qsTr("Line") },
                        { tool: "bidirectional", text: qsTr("RECIST long × short") },
                        { tool: "ellipse", text: qsTr("Ellipse ROI") },
                        { tool: "polygon", text: qsTr("Freehand ROI") },
                        { tool: "angle", text: qsTr("Angle") },
                        { tool: "arrow", text: qsTr("Arrow") }
                    ]
                    delegate: StripButton {
                        required property var modelData
                        text: modelData.text
                        checkable: true
                        checked: panel.measurements.tool === modelData.tool
                        onClicked: panel.measurements.tool = modelData.tool
                    }
                }
            }
            Small {
                visible: panel.measurements.tool === "bidirectional"
                text: qsTr("Drag the longest diameter, then drag across it: the short axis is made perpendicular.")
                color: "#8fa3b5"
            }
            Small {
                visible: panel.measurements.error.length > 0
                text: panel.measurements.error
                color: "#f2a49b"
            }

            Heading { text: qsTr("Measurements") }
            Small { visible: panel.measurements.measurements.length === 0; text: qsTr("None yet."); color: "#8fa3b5" }
            Repeater {
                model: panel.measurements.measurements
                delegate: Rectangle {
                    id: row
                    required property var modelData
                    Layout.fillWidth: true
                    implicitHeight: rowColumn.implicitHeight + 8
                    radius: 3
                    color: modelData.selected ? "#25404f" : (rowMouse.containsMouse ? "#222b33" : "transparent")
                    MouseArea {
                        id: rowMouse
                        anchors.fill: parent
                        hoverEnabled: true
                        onClicked: panel.measurements.selectedId = row.modelData.id
                    }
                    ColumnLayout {
                        id: rowColumn
                        x: 4
                        y: 4
                        width: parent.width - 8
                        spacing: 1
                        Label {
                            text: row.modelData.kind.charAt(0).toUpperCase() + row.modelData.kind.slice(1)
                                  + (row.modelData.lesion ? " · " + row.modelData.lesion : "")
                            color: "white"
                            font.pixelSize: Theme.small
                            font.weight: Font.DemiBold
                        }
                        Small { text: row.modelData.values }
                        Small { text: row.modelData.series + " · " + row.modelData.studyDate; color: "#8fa3b5" }
                    }
                }
            }
            RowLayout {
                visible: panel.measurements.selectedId !== 0
                Layout.fillWidth: true
                ComboBox {
                    id: lesionChoice
                    Layout.fillWidth: true
                    model: panel.lesionChoices
                    textRole: "name"
                    valueRole: "id"
                    font.pixelSize: Theme.small
                    onActivated: assignError.text = panel.measurements.assignSelected(currentValue)
                }
                StripButton { text: qsTr("Delete"); onClicked: panel.measurements.removeSelected() }
            }
            Small { id: assignError; visible: text.length > 0; color: "#f2a49b" }

            Heading { text: qsTr("Lesions (RECIST 1.1)") }
            Repeater {
                model: panel.measurements.lesions
                delegate: ColumnLayout {
                    id: lesion
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: 0
                    Label {
                        text: lesion.modelData.name + " · " + lesion.modelData.location + " · " + lesion.modelData.category
                              + (lesion.modelData.nodal ? " · " + qsTr("node") : "")
                        color: "white"
                        font.pixelSize: Theme.small
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Small { text: lesion.modelData.eligibility; color: "#8fa3b5"; visible: text.length > 0 }
                }
            }
            GridLayout {
                columns: 2
                Layout.fillWidth: true
                TextField { id: lesionName; placeholderText: qsTr("Name"); font.pixelSize: Theme.small; Layout.fillWidth: true }
                TextField { id: lesionSite; placeholderText: qsTr("Organ or site"); font.pixelSize: Theme.small; Layout.fillWidth: true }
                ComboBox {
                    id: lesionCategory
                    model: [{ text: qsTr("Target"), value: "target" }, { text: qsTr("Non-target"), value: "non-target" },
                            { text: qsTr("New"), value: "new" }]
                    textRole: "text"
                    valueRole: "value"
                    font.pixelSize: Theme.small
                    Layout.fillWidth: true
                }
                CheckBox { id: lesionNode; text: qsTr("Lymph node"); font.pixelSize: Theme.small }
            }
            Button {
                text: qsTr("Add lesion")
                enabled: lesionName.text.trim().length > 0
                font.pixelSize: Theme.small
                onClicked: {
                    const id = panel.measurements.addLesion(lesionName.text, lesionSite.text, lesionCategory.currentValue,
                                                            lesionNode.checked)
                    if (id !== 0) {
                        lesionName.text = ""
                        lesionSite.text = ""
                        if (panel.measurements.selectedId !== 0)
                            assignError.text = panel.measurements.assignSelected(id)
                    }
                }
            }

            Heading { text: qsTr("Response"); visible: (panel.recist.timePoints ?? []).length > 0 }
            Repeater {
                model: panel.recist.problems ?? []
                delegate: Small { required property string modelData; text: "⚠ " + modelData; color: "#f0c36d" }
            }
            Repeater {
                model: panel.recist.timePoints ?? []
                delegate: ColumnLayout {
                    id: point
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: 0
                    RowLayout {
                        Label { text: point.modelData.timePoint; color: "white"; font.pixelSize: Theme.small; Layout.fillWidth: true }
                        Label {
                            text: point.modelData.response
                            color: point.modelData.response === "PD" ? "#f2a49b" : point.modelData.response === "PR" || point.modelData.response === "CR" ? "#8fd19e" : "white"
                            font.pixelSize: Theme.small
                            font.weight: Font.Bold
                        }
                    }
                    Small {
                        text: qsTr("Sum of diameters %1").arg(point.modelData.sum)
                              + (point.modelData.baseline ? "" : qsTr(" · %1 from baseline · %2 from nadir (%3)")
                                     .arg(point.modelData.fromBaseline).arg(point.modelData.fromNadir).arg(point.modelData.nadir))
                              + (point.modelData.newLesions ? " · " + qsTr("new lesions") : "")
                    }
                    Small { text: point.modelData.notes; visible: text.length > 0; color: "#8fa3b5" }
                }
            }

            Heading { text: qsTr("Export") }
            RowLayout {
                Button { text: qsTr("DICOM SR…"); font.pixelSize: Theme.small; enabled: panel.measurements.measurements.length > 0; onClicked: srDialog.open() }
                Button { text: qsTr("CSV…"); font.pixelSize: Theme.small; enabled: panel.measurements.measurements.length > 0; onClicked: csvDialog.open() }
            }
            Small { id: exportMessage; visible: text.length > 0 }
        }
    }

    FileDialog {
        id: srDialog
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("DICOM (*.dcm)")]
        defaultSuffix: "dcm"
        onAccepted: exportMessage.text = panel.measurements.exportReport(selectedFile) || qsTr("Saved the measurement report (DICOM SR).")
    }
    FileDialog {
        id: csvDialog
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("CSV (*.csv)")]
        defaultSuffix: "csv"
        onAccepted: exportMessage.text = panel.measurements.exportCsv(selectedFile) || qsTr("Saved the measurements as CSV.")
    }
}
