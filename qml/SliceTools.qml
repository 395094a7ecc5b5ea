pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Consilium

// The tool strip of an MPR view: window presets, slab, colour map and PET fusion.
RowLayout {
    id: tools
    required property SliceView view
    required property ReadingSession session
    signal fuseRequested(string uid)
    spacing: 0


    StripButton {
        text: qsTr("Window ▾")
        onClicked: windowMenu.open()
        Menu {
            id: windowMenu
            Repeater {
                model: tools.view.isPet ? ["SUV 0–5", "SUV 0–10"]
                                        : ["Soft tissue", "Lung", "Bone", "Brain", "Liver", "Mediastinum"]
                delegate: MenuItem {
                    required property string modelData
                    required property int index
                    text: (index + 1) + "  " + modelData
                    enabled: !tools.view.isPet || tools.view.baseInSuv
                    onTriggered: tools.view.applyPreset(modelData)
                }
            }
            MenuSeparator {}
            MenuItem { text: qsTr("A  Auto (histogram)"); onTriggered: tools.view.autoWindow() }
            MenuItem { text: qsTr("I  Invert"); checkable: true; checked: tools.view.invert; onTriggered: tools.view.invert = !tools.view.invert }
            MenuItem { text: qsTr("R  Reset view"); onTriggered: tools.view.resetView() }
        }
    }
    StripButton {
        text: tools.view.slabMode === "none" ? qsTr("Slab ▾") : qsTr("%1 %2 mm ▾").arg(tools.view.slabMode.toUpperCase()).arg(tools.view.slabThickness)
        onClicked: slabMenu.open()
        Menu {
            id: slabMenu
            Repeater {
                model: [["none", qsTr("Thin slice")], ["mip", qsTr("MIP")], ["minip", qsTr("MinIP")], ["mean", qsTr("Mean")]]
                delegate: MenuItem {
                    required property var modelData
                    text: modelData[1]
                    checkable: true
                    checked: tools.view.slabMode === modelData[0]
                    onTriggered: {
                        tools.view.slabMode = modelData[0]
                        if (modelData[0] !== "none" && tools.view.slabThickness < 1)
                            tools.view.slabThickness = 10
                    }
                }
            }
            MenuSeparator {}
            Repeater {
                model: [5, 10, 20, 40]
                delegate: MenuItem {
                    required property int modelData
                    text: qsTr("%1 mm thick").arg(modelData)
                    checkable: true
                    checked: tools.view.slabThickness === modelData
                    onTriggered: tools.view.slabThickness = modelData
                }
            }
        }
    }
    StripButton {
        text: qsTr("Colour ▾")
        onClicked: colourMenu.open()
        Menu {
            id: colourMenu
            Repeater {
                model: [["grey", qsTr("Grey")], ["inverted-grey", qsTr("Inverted grey")], ["hot-iron", qsTr("Hot iron")], ["rainbow", qsTr("Rainbow")]]
                delegate: MenuItem {
                    required property var modelData
                    text: modelData[1]
                    checkable: true
                    checked: (tools.view.fusedSeriesUid.length > 0 ? tools.view.fusedColorMap : tools.view.colorMap) === modelData[0]
                    onTriggered: tools.view.fusedSeriesUid.length > 0 ? tools.view.fusedColorMap = modelData[0]
                                                                      : tools.view.colorMap = modelData[0]
                }
            }
        }
    }
    StripButton {
        text: qsTr("Fuse ▾")
        visible: !tools.view.isPet
        onClicked: fuseMenu.open()
        Menu {
            id: fuseMenu
            MenuItem { text: qsTr("No fusion"); onTriggered: tools.fuseRequested("") }
            Repeater {
                model: tools.session.seriesWithModality("PT")
                delegate: MenuItem {
                    required property var modelData
                    text: qsTr("PET %1").arg(modelData.description)
                    onTriggered: tools.fuseRequested(modelData.seriesUid)
                }
            }
        }
    }
    Slider {
        visible: tools.view.fusedSeriesUid.length > 0 && tools.view.notice.length === 0
        from: 0
        to: 1
        value: tools.view.fusionOpacity
        onMoved: tools.view.fusionOpacity = value
        Layout.preferredWidth: 70
        Layout.preferredHeight: 30
        ToolTip.visible: hovered
        ToolTip.text: qsTr("PET opacity")
    }
    // A custom PET window: 0–20 SUV, or up to four times the current upper bound in Bq/mL when SUV is unavailable.
    RangeSlider {
        id: petWindow
        visible: tools.view.fusedSeriesUid.length > 0 && tools.view.notice.length === 0
        from: 0
        to: tools.view.fusedInSuv ? 20 : Math.max(1, tools.view.fusedHigh * 4)
        first.value: tools.view.fusedLow
        second.value: tools.view.fusedHigh
        first.onMoved: tools.view.fusedLow = first.value
        second.onMoved: tools.view.fusedHigh = second.value
        Layout.preferredWidth: 90
        Layout.preferredHeight: 30
        ToolTip.visible: hovered
        ToolTip.text: qsTr("PET window %1–%2 %3").arg(first.value.toFixed(1)).arg(second.value.toFixed(1))
                      .arg(tools.view.fusedUnitText)
    }
    Repeater {
        model: tools.view.fusedSeriesUid.length > 0 && tools.view.fusedInSuv ? [5, 10] : []
        delegate: StripButton {
            required property int modelData
            text: qsTr("0–%1").arg(modelData)
            checkable: true
            checked: tools.view.fusedLow === 0 && tools.view.fusedHigh === modelData
            onClicked: { tools.view.fusedLow = 0; tools.view.fusedHigh = modelData }
        }
    }
}
