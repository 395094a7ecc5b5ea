import QtQuick
import QtQuick.Controls

// Agreement with what the referring centre reported: not stated, agree, disagree.
ComboBox {
    id: box
    property string value: ""
    readonly property var values: ["", "agree", "disagree"]
    model: [{ text: qsTr("not stated"), value: "" }, { text: qsTr("agree"), value: "agree" },
            { text: qsTr("disagree"), value: "disagree" }]
    textRole: "text"
    valueRole: "value"
    currentIndex: Math.max(0, box.values.indexOf(box.value))
}
