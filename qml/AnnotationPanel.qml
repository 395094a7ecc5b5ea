pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Consilium

// Annotating the active slide: the class new marks get (click a class; with a mark selected, it reclassifies it),
// the selected mark with its label, measurements and mitotic rate, counts per class, undo and redo.
ColumnLayout {
    id: panel
    property SlideAnnotations annotations: null
    readonly property var selected: panel.annotations ? panel.annotations.selected : ({})
    readonly property bool hasSelection: panel.annotations !== null && panel.annotations.selectedId !== 0
    spacing: 6

    RowLayout {
        Layout.fillWidth: true
        Label { text: qsTr("Annotations"); color: "#d8dee4"; font.weight: Font.DemiBold; Layout.fillWidth: true }
        StripButton {
            text: qsTr("Undo")
            enabled: panel.annotations !== null && panel.annotations.canUndo
            onClicked: panel.annotations.undo()
        }
        StripButton {
            text: qsTr("Redo")
            enabled: panel.annotations !== null && panel.annotations.canRedo
            onClicked: panel.annotations.redo()
        }
    }
    Label {
        visible: panel.annotations !== null && !panel.annotations.editable
        text: qsTr("This file is not part of a case: attach it to a case to annotate it.")
        color: "#8fa3b5"
        font.pixelSize: Theme.small
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    Label {
        visible: panel.annotations !== null && !panel.annotations.calibrated && panel.annotations.editable
        text: qsTr("Uncalibrated slide: lengths and areas in pixels only.")
        color: "#f0c36d"
        font.pixelSize: Theme.small
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    Label {
        visible: panel.annotations !== null && panel.annotations.error.length > 0
        text: panel.annotations ? panel.annotations.error : ""
        color: "#f2a49b"
        font.pixelSize: Theme.small
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }

    Flow {
        Layout.fillWidth: true
        spacing: 4
        Repeater {
            model: panel.annotations ? panel.annotations.classes : []
            delegate: AbstractButton {
                id: chip
                required property var modelData
                readonly property bool current: panel.hasSelection ? panel.selected.className === modelData.name
                                                                   : panel.annotations.currentClass === modelData.name
                implicitWidth: (contentItem ? contentItem.implicitWidth : 0) + 12
                implicitHeight: 24
                onClicked: {
                    panel.annotations.currentClass = modelData.name
                    if (panel.hasSelection)
                        panel.annotations.setSelectedClass(modelData.name)
                }
                background: Rectangle {
                    radius: 12
                    color: chip.current ? "#2a3b48" : "transparent"
                    border.color: chip.current ? chip.modelData.colour : "#39454f"
                }
                contentItem: Row {
                    spacing: 5
                    leftPadding: 6
                    Rectangle { width: 10; height: 10; radius: 5; color: chip.modelData.colour; anchors.verticalCenter: parent.verticalCenter }
                    Label { text: chip.modelData.name; color: "#e6ebef"; font.pixelSize: Theme.small; anchors.verticalCenter: parent.verticalCenter }
                }
            }
        }
    }

    StripButton {
        text: qsTr("Edit classes…")
        enabled: panel.annotations !== null && panel.annotations.editable
        onClicked: classEditor.open()
    }

    Popup {
        id: classEditor
        width: 300
        padding: 10
        modal: true
        ColumnLayout {
            anchors.fill: parent
            spacing: 4
            Label { text: qsTr("Classes of this library"); font.weight: Font.DemiBold }
            Repeater {
                model: panel.annotations ? panel.annotations.classes : []
                delegate: RowLayout {
                    id: classRow
                    required property var modelData
                    Layout.fillWidth: true
                    Rectangle { width: 14; height: 14; radius: 7; color: classRow.modelData.colour }
                    TextField {
                        text: classRow.modelData.name
                        font.pixelSize: Theme.small
                        Layout.fillWidth: true
                        onEditingFinished: if (text !== classRow.modelData.name)
                            classError.text = panel.annotations.saveClass(classRow.modelData.id, text, classRow.modelData.colour)
                    }
                    TextField {
                        text: classRow.modelData.colour
                        font.pixelSize: Theme.small
                        Layout.preferredWidth: 80
                        onEditingFinished: if (text !== classRow.modelData.colour)
                            classError.text = panel.annotations.saveClass(classRow.modelData.id, classRow.modelData.name, text)
                    }
                }
            }
            RowLayout {
                TextField { id: newClass; placeholderText: qsTr("New class"); font.pixelSize: Theme.small; Layout.fillWidth: true }
                TextField { id: newColour; text: "#8e44ad"; font.pixelSize: Theme.small; Layout.preferredWidth: 80 }
                StripButton {
                    text: qsTr("Add")
                    enabled: newClass.text.trim().length > 0
                    onClicked: {
                        classError.text = panel.annotations.saveClass(0, newClass.text, newColour.text)
                        if (classError.text.length === 0)
                            newClass.text = ""
                    }
                }
            }
            Label { id: classError; color: Theme.danger; wrapMode: Text.Wrap; visible: text.length > 0; Layout.fillWidth: true }
        }
    }

    // The selected mark.
    Rectangle {
        visible: panel.hasSelection
        Layout.fillWidth: true
        implicitHeight: selectedColumn.implicitHeight + 12
        radius: 4
        color: "#1d242b"
        border.color: "#2c3842"
        ColumnLayout {
            id: selectedColumn
            x: 6
            y: 6
            width: parent.width - 12
            spacing: 4
            Label {
                text: (panel.selected.shape ?? "") + (panel.selected.className ? " · " + panel.selected.className : "")
                color: "white"
                font.weight: Font.DemiBold
                font.capitalization: Font.Capitalize
            }
            Label {
                text: panel.selected.measures ?? ""
                visible: text.length > 0
                color: "#e6ebef"
                font.pixelSize: Theme.small
            }
            Label {
                text: panel.selected.mitoses ?? ""
                visible: text.length > 0
                color: "#e6ebef"
                font.pixelSize: Theme.small
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            TextField {
                id: labelField
                placeholderText: qsTr("Label…")
                text: panel.selected.label ?? ""
                font.pixelSize: Theme.small
                color: "white"
                Layout.fillWidth: true
                onEditingFinished: panel.annotations.setSelectedLabel(text)
            }
            RowLayout {
                Label { text: qsTr("by %1").arg(panel.selected.author ?? ""); color: "#8fa3b5"; font.pixelSize: Theme.small; Layout.fillWidth: true }
                StripButton { text: qsTr("Delete"); onClicked: panel.annotations.removeSelected() }
            }
        }
    }

    RowLayout {
        visible: panel.hasSelection && (panel.selected.mitoses ?? "").length > 0
        Label { text: qsTr("HPF diameter (mm)"); color: "#8fa3b5"; font.pixelSize: Theme.small }
        SpinBox {
            from: 30
            to: 80
            value: panel.annotations ? Math.round(panel.annotations.fieldDiameterMm * 100) : 55
            editable: true
            textFromValue: (v, locale) => (v / 100).toFixed(2)
            valueFromText: (t, locale) => Math.round(parseFloat(t) * 100)
            onValueModified: panel.annotations.fieldDiameterMm = value / 100
            font.pixelSize: Theme.small
            Layout.preferredWidth: 120
        }
    }

    // Running totals per class (every mark on the slide).
    Repeater {
        model: panel.annotations ? panel.annotations.counts : []
        delegate: RowLayout {
            id: countRow
            required property var modelData
            Layout.fillWidth: true
            Rectangle { width: 10; height: 10; radius: 5; color: countRow.modelData.colour }
            Label { text: countRow.modelData.name; color: "#e6ebef"; font.pixelSize: Theme.small; Layout.fillWidth: true }
            Label { text: countRow.modelData.count; color: "white"; font.pixelSize: Theme.small; font.weight: Font.DemiBold }
        }
    }
}
