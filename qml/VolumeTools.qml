pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Consilium

// The tool strip of the 3D view: MIP or volume rendering, the rendering preset, rotation.
RowLayout {
    id: tools
    required property VolumeView view
    signal modeRequested(string mode)
    spacing: 0

    StripButton { text: qsTr("MIP"); checkable: true; checked: tools.view.mode === "mip"; onClicked: tools.modeRequested("mip") }
    StripButton { text: qsTr("Volume"); checkable: true; checked: tools.view.mode === "vr"; onClicked: tools.modeRequested("vr") }
    Repeater {
        model: tools.view.mode === "vr" ? tools.view.presets : []
        delegate: StripButton {
            required property string modelData
            text: modelData
            checkable: true
            checked: tools.view.preset === modelData || (tools.view.preset === "" && modelData === tools.view.presets[0])
            onClicked: tools.view.preset = modelData
        }
    }
    StripButton {
        text: tools.view.rotating ? qsTr("Stop") : qsTr("Rotate")
        onClicked: tools.view.rotating = !tools.view.rotating
    }
}
